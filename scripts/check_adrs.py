"""Fail if two ADRs share a number or an ADR lacks the required sections."""

from __future__ import annotations

import re
import sys
from pathlib import Path

REQUIRED = ["## Status", "## Context", "## Decision", "## Consequences"]


def main() -> int:
    seen: dict[str, Path] = {}
    problems = []
    for path in sorted(Path("docs/adr").glob("*.md")):
        match = re.match(r"(\d{4})-[a-z0-9-]+\.md$", path.name)
        if not match:
            problems.append(f"{path}: name must be NNNN-short-title.md")
            continue
        number = match.group(1)
        if number in seen:
            problems.append(f"{path}: number {number} is also used by {seen[number]}")
        seen[number] = path
        text = path.read_text(encoding="utf-8")
        problems += [f"{path}: missing section '{s}'" for s in REQUIRED if s not in text]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
