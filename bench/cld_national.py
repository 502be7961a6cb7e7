"""National-scale Client Level Data: ingest + validation + ASCOF against a bare DuckDB scan.

Generates a synthetic national CLD (one `generate_cld` call per council, two financial-year files
each) into `bench/data/` unless it is already there, then in one child process measures:

(a) a bare `SELECT count(*) FROM read_csv([...files], all_varchar = true)` (run once to warm
    the page cache, then timed);
(b) `load_files` of every file into a fresh on-disk DuckDB database (scan, validation and load),
    followed by a CHECKPOINT;
(c) `compute_ascof` over the loaded data, when `careassure.core.measures` is importable.

It reports seconds (wall and CPU) for each, the ratio (b + c) / a and the ratio b / a of the
ingest alone, rows per second and the child's peak resident memory, prints a summary and writes
`bench/results/cld_national.json`.

Environment: `CAREASSURE_BENCH_ROWS` (default 20,000,000) sets the approximate total number of
data rows; `CAREASSURE_BENCH_THREADS` (default 2) and `CAREASSURE_BENCH_MEMORY` (default 3GB)
set DuckDB's `threads` and `memory_limit`.

Run: `python -m bench.run cld_national` or `python -m bench.cld_national`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
RESULTS = ROOT / "results"
DEFAULT_ROWS = 20_000_000
MAX_COUNCILS = 153
ROWS_PER_PERSON = 2.29  # data rows per person over the generator's two yearly files
ROWS_PER_COUNCIL_MIN = 100_000  # smaller runs use fewer councils
TARGET_RATIO = 3.0
TARGET_RSS_BYTES = 4 * 1024**3


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").replace("_", "").strip()
    return int(raw) if raw else default


def plan(rows: int) -> tuple[int, int]:
    """(councils, people per council) for about `rows` data rows in total."""
    councils = max(1, min(MAX_COUNCILS, rows // ROWS_PER_COUNCIL_MIN))
    people = max(10, round(rows / councils / ROWS_PER_PERSON))
    return councils, people


def council_codes(councils: int) -> list[str]:
    """Distinct 3-digit codes 101, 102, ...; 999 (the synthetic county's code) is not used."""
    return [f"{101 + i}" for i in range(councils)]


def ensure_data(rows: int) -> tuple[Path, list[Path], Path]:
    """Generate the national CLD and population file for `rows` unless present.

    Returns (folder, CLD files, population file).
    """
    from careassure.core.cld.synthetic import generate_cld

    councils, people = plan(rows)
    folder = DATA / f"cld_national_{rows}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text())
        return folder, [folder / p for p in data["files"]], folder / data["population"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files: list[Path] = []
    started = time.perf_counter()
    lines = ["LA_Code,LA_Name,ONS_Code,Population_18_64,Population_65_plus"]
    for i, code in enumerate(council_codes(councils)):
        name = f"Synthetic Council {code}"
        written = generate_cld(people, 1000 + i, folder / code, la_code=code, la_name=name)
        files.extend(written)
        # Population about 40 and 12 times the people with care records, as in a typical council.
        lines.append(f"{code},{name},E10{900000 + i:06d},{people * 40},{people * 12}")
        print(
            f"generated {i + 1}/{councils} councils ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    population = folder / "population.csv"
    population.write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest.write_text(
        json.dumps(
            {
                "rows_requested": rows,
                "councils": councils,
                "people_per_council": people,
                "files": [str(p.relative_to(folder)) for p in files],
                "population": population.name,
                "generation_seconds": round(time.perf_counter() - started, 1),
            },
            indent=2,
        )
        + "\n"
    )
    return folder, files, population


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(folder: Path, files: list[Path], population_file: Path) -> dict[str, Any]:
    """The measurements (a), (b) and (c); run in the child process."""
    import duckdb

    from careassure.core.cld import load_files
    from careassure.core.cld.synthetic import PERIODS

    threads = _env_int("CAREASSURE_BENCH_THREADS", 2)
    memory = os.environ.get("CAREASSURE_BENCH_MEMORY", "3GB")
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": threads,
        "memory_limit": memory,
    }
    names = "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in files) + "]"
    count_sql = f"SELECT count(*) FROM read_csv({names}, all_varchar = true)"

    bare = duckdb.connect(config=config)
    bare.execute(count_sql).fetchone()  # warm the page cache
    cpu, wall = _cpu(), time.perf_counter()
    counted = bare.execute(count_sql).fetchone()
    scan_s, scan_cpu = time.perf_counter() - wall, _cpu() - cpu
    bare.close()
    rows = int(counted[0]) if counted else 0

    database = folder / "bench.duckdb"
    for stale in (database, database.with_name(database.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(database), config=config)
    today = PERIODS[-1][1] + dt.timedelta(days=1)
    cpu, wall = _cpu(), time.perf_counter()
    reports = load_files(con, files, today=today)
    con.execute("CHECKPOINT")  # data still only in the WAL is written out within (b)
    ingest_s, ingest_cpu = time.perf_counter() - wall, _cpu() - cpu
    loaded = sum(r.rows for r in reports)
    findings = sum(r.errors + r.warnings for r in reports)
    print(
        f"bare scan {scan_s:.2f} s; ingest + validate {ingest_s:.2f} s for {loaded:,} rows",
        file=sys.stderr,
        flush=True,
    )

    ascof: dict[str, Any] = {"available": False}
    try:
        from careassure.core.measures import compute_ascof
        from careassure.core.population import load_population
    except ImportError as exc:
        ascof["reason"] = f"careassure.core.measures is not importable: {exc}"
    else:
        population = load_population(population_file)
        cpu, wall = _cpu(), time.perf_counter()
        try:
            results = compute_ascof(con, population=population)
        except Exception as exc:  # the ingest figures are still reported
            ascof["reason"] = f"compute_ascof failed: {exc!r}"
        else:
            ascof = {
                "available": True,
                "seconds": time.perf_counter() - wall,
                "cpu_seconds": _cpu() - cpu,
                "results": len(results),
            }
    con.close()
    size = database.stat().st_size
    database.unlink(missing_ok=True)
    return {
        "rows": rows,
        "rows_loaded": loaded,
        "findings": findings,
        "files": len(files),
        "bare_scan": {"seconds": scan_s, "cpu_seconds": scan_cpu},
        "ingest_validate": {"seconds": ingest_s, "cpu_seconds": ingest_cpu},
        "ascof": ascof,
        "database_bytes": size,
        "duckdb": {"version": duckdb.__version__, **config},
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def main() -> dict[str, Any]:
    rows_requested = _env_int("CAREASSURE_BENCH_ROWS", DEFAULT_ROWS)
    folder, files, population = ensure_data(rows_requested)
    data_bytes = sum(p.stat().st_size for p in files)
    load = os.getloadavg()
    child = subprocess.run(
        [sys.executable, "-m", "bench.cld_national", "--measure", str(folder)],
        cwd=ROOT.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"measurement failed:\n{child.stderr[-4000:]}")
    load_after = os.getloadavg()
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    scan = figures["bare_scan"]["seconds"]
    work = figures["ingest_validate"]["seconds"] + (
        figures["ascof"]["seconds"] if figures["ascof"]["available"] else 0.0
    )
    work_cpu = figures["ingest_validate"]["cpu_seconds"] + (
        figures["ascof"]["cpu_seconds"] if figures["ascof"]["available"] else 0.0
    )
    peak = max(figures["peak_rss_bytes"], child_rss)
    result: dict[str, Any] = {
        "rows_requested": rows_requested,
        "councils": plan(rows_requested)[0],
        "data_bytes": data_bytes,
        "load_average_at_start": [round(x, 2) for x in load],
        "load_average_at_end": [round(x, 2) for x in load_after],
        **figures,
        "ratio": work / scan if scan else None,
        "ingest_ratio": figures["ingest_validate"]["seconds"] / scan if scan else None,
        "ratio_cpu": work_cpu / figures["bare_scan"]["cpu_seconds"]
        if figures["bare_scan"]["cpu_seconds"]
        else None,
        "rows_per_second": figures["rows"] / work if work else None,
        "peak_rss_bytes": peak,
        "target": {"ratio": TARGET_RATIO, "peak_rss_bytes": TARGET_RSS_BYTES},
        "meets_target": bool(scan and work / scan <= TARGET_RATIO and peak <= TARGET_RSS_BYTES),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cld_national.json").write_text(json.dumps(result, indent=2) + "\n")
    ascof = figures["ascof"]
    print(
        f"CLD national: {figures['rows']:,} rows in {figures['files']} files "
        f"({data_bytes / 1e9:.2f} GB), {result['councils']} councils\n"
        f"  (a) bare count(*) scan:   {scan:8.2f} s\n"
        f"  (b) ingest + validate:    {figures['ingest_validate']['seconds']:8.2f} s "
        f"({figures['findings']:,} findings; b/a {result['ingest_ratio']:.2f})\n"
        + (
            f"  (c) ASCOF measures:       {ascof['seconds']:8.2f} s ({ascof['results']} results)\n"
            if ascof["available"]
            else f"  (c) ASCOF measures:       skipped ({ascof['reason']})\n"
        )
        + f"  (b+c)/(a):                {result['ratio']:8.2f} (target <= {TARGET_RATIO}); "
        f"CPU-time ratio {result['ratio_cpu']:.2f}\n"
        f"  rows/s (b+c):             {result['rows_per_second']:,.0f}\n"
        f"  peak RSS:                 {peak / 1024**3:8.2f} GiB (target <= 4 GiB)\n"
        f"  load average:             {result['load_average_at_start']} at start, "
        f"{result['load_average_at_end']} at end"
    )
    print(f"Wrote {RESULTS / 'cld_national.json'}")
    return result


def _child(folder: Path) -> None:
    data = json.loads((folder / "manifest.json").read_text())
    figures = measure(folder, [folder / p for p in data["files"]], folder / data["population"])
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        _child(Path(sys.argv[2]))
    elif len(sys.argv) == 2 and sys.argv[1] == "--generate":
        print(ensure_data(_env_int("CAREASSURE_BENCH_ROWS", DEFAULT_ROWS))[0])
    else:
        main()
