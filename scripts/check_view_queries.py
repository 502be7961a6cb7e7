"""Views fetch through selectors, which scope by organisation: fail on `.objects.` in a view."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PATTERN = re.compile(r"\b[A-Z]\w*\.objects\.")


def main() -> int:
    problems = []
    views = list(Path("careassure").glob("*/views.py")) + list(
        Path("careassure").glob("*/views/*.py")
    )
    views += list(Path("careassure").glob("*/apis.py"))
    for path in views:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PATTERN.search(line):
                problems.append(f"{path}:{number}: use a selector, not Model.objects, in a view")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
