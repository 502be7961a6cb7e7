"""`make bench`: run every benchmark in one go and summarise. Benchmarks are never tests.

Each module in BENCHMARKS has `main() -> dict` which measures, prints its own summary, writes
`bench/results/<name>.json` and returns the figures. Pass names to run a subset:
`python -m bench.run charging_api`."""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from pathlib import Path

BENCHMARKS = ["cld_national", "board_pack", "charging_api"]
RESULTS = Path(__file__).parent / "results"


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    RESULTS.mkdir(exist_ok=True)
    summary: dict[str, object] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "results": {},
    }
    failed = []
    for name in names:
        print(f"\n== {name} ==", flush=True)
        module = importlib.import_module(f"bench.{name}")
        try:
            summary["results"][name] = module.main()  # type: ignore[index]
        except Exception as error:  # a failed benchmark is reported, the others still run
            print(f"{name} failed: {error!r}", file=sys.stderr)
            failed.append(name)
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    print(f"\nWrote {RESULTS / 'summary.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
