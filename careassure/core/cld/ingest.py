"""Validate CLD files, and load them into DuckDB one transaction per file.

Tables written (created on first load):

- `cld_raw`: one VARCHAR column per field of `spec.FIELDS` (snake_case name), holding the value
  as submitted after decoding and trimming (blank becomes NULL), plus `_file`, `_line`
  (physical line, header = 1), `_la_code`, `_period` ("YYYY-MM-DD/YYYY-MM-DD", the stated
  reporting period), `_release` (R1/R2) and `_load_id`;
- `cld_findings`: one row per finding of the loaded files;
- `cld_loads`: one row per loaded file.

Loading a file for an LA and period that is already loaded replaces the earlier load.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from careassure.core.cld.errors import CldFileError
from careassure.core.cld.findings import Finding
from careassure.core.cld.scan import scan_file
from careassure.core.cld.spec import FIELDS
from careassure.core.cld.validate import StagedFile, stage_file

# While loading, DuckDB checkpoints only after this much WAL (its default is 16 MiB): a
# checkpoint after every file of a national load would recompress the table's last row group
# again and again.
LOAD_CHECKPOINT_THRESHOLD = "1GB"
RAW_COLUMNS = ", ".join(f"{f.column} VARCHAR" for f in FIELDS)
CREATE_TABLES = [
    f"CREATE TABLE IF NOT EXISTS cld_raw ({RAW_COLUMNS}, _file VARCHAR, _line INTEGER, "
    "_la_code VARCHAR, _period VARCHAR, _release VARCHAR, _load_id VARCHAR)",
    'CREATE TABLE IF NOT EXISTS cld_findings (file VARCHAR, "row" INTEGER, "column" VARCHAR, '
    "value VARCHAR, rule VARCHAR, severity VARCHAR, load_id VARCHAR, la_code VARCHAR, "
    "period VARCHAR, release VARCHAR, message VARCHAR)",
    "CREATE TABLE IF NOT EXISTS cld_loads (load_id VARCHAR, file VARCHAR, sha256 VARCHAR, "
    "la_code VARCHAR, period VARCHAR, release VARCHAR, rows BIGINT, "
    "loaded_at TIMESTAMP WITH TIME ZONE, encoding VARCHAR)",
]


@dataclass
class LoadReport:
    """What happened to one loaded file."""

    load_id: str
    file: str
    sha256: str
    la_code: str
    period: str
    release: str
    rows: int
    encoding: str
    replaced_load_ids: list[str] = field(default_factory=list)
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return sum(n for (_, _, severity), n in self.counts.items() if severity == "error")

    @property
    def warnings(self) -> int:
        return sum(n for (_, _, severity), n in self.counts.items() if severity == "warning")


def file_error_finding(error: CldFileError) -> Finding:
    """A file-level error as a finding (row None)."""
    return Finding(error.file.name, None, None, None, error.rule, "error", error.message)


def validate_files(
    paths: Sequence[Path],
    *,
    expected_la_code: str | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every finding for `paths`, writing nothing.

    A file-level error appears as one finding with `row` None and severity "error" (the file's
    other findings are then not produced, as the file would be refused).
    """
    findings: list[Finding] = []
    con = duckdb.connect(":memory:")
    try:
        for path in paths:
            try:
                scan = scan_file(Path(path))
            except CldFileError as exc:
                findings.append(file_error_finding(exc))
                continue
            try:
                staged = stage_file(con, scan, expected_la_code=expected_la_code, today=today)
            except CldFileError as exc:
                findings.append(file_error_finding(exc))
                continue
            finally:
                scan.cleanup()
            findings.extend(staged.fetch_findings(con))
            staged.drop(con)
    finally:
        con.close()
    return findings


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in CREATE_TABLES:
        con.execute(statement)


def _delete_previous(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> list[str]:
    previous = [
        str(r[0])
        for r in con.execute(
            "SELECT load_id FROM cld_loads WHERE la_code = ? AND period = ? ORDER BY loaded_at",
            [staged.la_code, staged.period],
        ).fetchall()
    ]
    params = [staged.la_code, staged.period]
    con.execute("DELETE FROM cld_raw WHERE _la_code = ? AND _period = ?", params)
    con.execute("DELETE FROM cld_findings WHERE la_code = ? AND period = ?", params)
    con.execute("DELETE FROM cld_loads WHERE la_code = ? AND period = ?", params)
    return previous


def _set_file_columns(con: duckdb.DuckDBPyConnection, staged: StagedFile, load_id: str) -> None:
    """Fill `_la_code`, `_period` and `_release` of the rows `stage_file` inserted."""
    con.execute(
        "UPDATE cld_raw SET _la_code = ?, _period = ?, _release = ? WHERE _load_id = ?",
        [staged.la_code, staged.period, staged.release, load_id],
    )


def _insert_findings(con: duckdb.DuckDBPyConnection, staged: StagedFile, load_id: str) -> None:
    con.execute(
        "INSERT INTO cld_findings SELECT ?, row::INTEGER, column_name, value, rule, severity, ?, "
        f"?, ?, ?, message FROM {staged.findings_table} ORDER BY row NULLS FIRST, seq",
        [staged.scan.path.name, load_id, staged.la_code, staged.period, staged.release],
    )


def _insert_load(con: duckdb.DuckDBPyConnection, staged: StagedFile, load_id: str) -> None:
    con.execute(
        "INSERT INTO cld_loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            staged.scan.path.name,
            staged.scan.sha256,
            staged.la_code,
            staged.period,
            staged.release,
            staged.rows,
            dt.datetime.now(dt.UTC),
            staged.scan.encoding + (" (BOM)" if staged.scan.bom else ""),
        ],
    )


def _counts(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> Counter[tuple[str, str, str]]:
    rows = con.execute(
        f"SELECT rule, coalesce(column_name, ''), severity, count(*) FROM "
        f"{staged.findings_table} GROUP BY ALL"
    ).fetchall()
    return Counter({(str(r[0]), str(r[1]), str(r[2])): int(r[3]) for r in rows})


@contextmanager
def _load_checkpointing(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Raise `checkpoint_threshold` to LOAD_CHECKPOINT_THRESHOLD, then restore it."""
    row = con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
    previous = str(row[0]) if row else None
    con.execute(f"SET checkpoint_threshold = '{LOAD_CHECKPOINT_THRESHOLD}'")
    try:
        yield
    finally:
        if previous is not None:
            con.execute("SET checkpoint_threshold = " + "'" + previous.replace("'", "''") + "'")


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    expected_la_code: str | None = None,
    today: dt.date | None = None,
) -> LoadReport:
    """Validate and load one file in one transaction; raise CldFileError if it is refused."""
    scan = scan_file(Path(path))
    load_id = uuid.uuid4().hex
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            ensure_tables(con)
            staged = stage_file(
                con, scan, expected_la_code=expected_la_code, today=today, load_id=load_id
            )
            report = LoadReport(
                load_id=load_id,
                file=scan.path.name,
                sha256=scan.sha256,
                la_code=staged.la_code,
                period=staged.period,
                release=staged.release,
                rows=staged.rows,
                encoding=scan.encoding,
                replaced_load_ids=_delete_previous(con, staged),
            )
            _set_file_columns(con, staged, load_id)
            _insert_findings(con, staged, load_id)
            _insert_load(con, staged, load_id)
            report.counts = _counts(con, staged)
            staged.drop(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return report
    finally:
        scan.cleanup()


def load_files(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    progress: Callable[[int], None] | None = None,
    expected_la_code: str | None = None,
    today: dt.date | None = None,
) -> list[LoadReport]:
    """Load each file in its own transaction, in order.

    `progress` is called with the number of data rows of each file once it is loaded. A refused
    file raises CldFileError; files before it stay loaded and the refused one leaves nothing.
    """
    reports = []
    with _load_checkpointing(con):
        for path in paths:
            report = load_file(con, Path(path), expected_la_code=expected_la_code, today=today)
            reports.append(report)
            if progress is not None:
                progress(report.rows)
    return reports
