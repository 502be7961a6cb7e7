"""Validate CLD files, and load them into DuckDB, each file all or nothing.

Tables written (created on first load):

- `cld_raw`: one VARCHAR column per field of `spec.FIELDS` (snake_case name), holding the value
  as submitted after decoding and trimming (blank becomes NULL), plus `_file`, `_line`
  (physical line, header = 1), `_la_code`, `_period` ("YYYY-MM-DD/YYYY-MM-DD", the stated
  reporting period), `_release` (R1/R2) and `_load_id`;
- `cld_findings`: one row per finding of the loaded files;
- `cld_loads`: one row per loaded file.

Each file is read and validated into an in-memory staging database attached to the connection
for the duration of the call, several files at a time (one per DuckDB thread, at most
`MAX_WORKERS`, and a few more ahead, `STAGE_AHEAD_BYTES`). The files that pass are then copied
into the tables above in their given order, several files per transaction (up to about
`LOAD_BATCH_ROWS` rows), so that a large load writes its row groups straight into the database
file. A refused file is known to be refused before any of its rows is copied, so it leaves
nothing behind; the files before it are committed first.

Loading a file for an LA and period that is already loaded replaces the earlier load.
"""

from __future__ import annotations

import datetime as dt
import queue
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
# checkpoint after every small batch of a national load would recompress the table's last row
# group again and again.
LOAD_CHECKPOINT_THRESHOLD = "1GB"
# Staged rows copied into `cld_raw` per transaction. A transaction that appends whole row groups
# (122,880 rows each) writes them straight to the database file instead of to the WAL.
LOAD_BATCH_ROWS = 500_000
# At most this many files are validated at once (never more than DuckDB's `threads`).
MAX_WORKERS = 4
# Files are validated ahead of the one being copied (at least one more than there are threads,
# more while their CSV files add up to less than this), so that the threads keep working while
# a batch is committed.
STAGE_AHEAD_BYTES = 192 * 1024 * 1024
RAW_NAMES = ", ".join(f.column for f in FIELDS)
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


class _Staging:
    """An attached in-memory database and the threads that read and validate files into it.

    Each thread uses its own cursor (a connection to the same database instance), so files are
    validated in parallel; the caller's connection sees the staged tables and copies them.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        files: int,
        expected_la_code: str | None,
        today: dt.date,
    ) -> None:
        row = con.execute("SELECT current_setting('threads')").fetchone()
        threads = int(row[0]) if row else 1
        self.workers = max(1, min(threads, MAX_WORKERS, files))
        self.con = con
        self.expected_la_code = expected_la_code
        self.today = today
        self.schema = f"cld_stage_{uuid.uuid4().hex[:12]}"
        con.execute(f"ATTACH ':memory:' AS {self.schema}")
        self.cursors: queue.SimpleQueue[duckdb.DuckDBPyConnection] = queue.SimpleQueue()
        for _ in range(self.workers):
            self.cursors.put(con.cursor())
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="cld-stage")

    def _stage(self, path: Path) -> StagedFile:
        cursor = self.cursors.get()
        try:
            scan = scan_file(path)
            try:
                return stage_file(
                    cursor,
                    scan,
                    expected_la_code=self.expected_la_code,
                    today=self.today,
                    schema=self.schema,
                )
            finally:
                scan.cleanup()
        finally:
            self.cursors.put(cursor)

    def staged(self, paths: Sequence[Path]) -> Iterator[Future[StagedFile]]:
        """The staged files in the order of `paths`; the next few are staged meanwhile."""
        ahead: deque[tuple[Future[StagedFile], int]] = deque()
        remaining = iter(paths)
        while True:
            while len(ahead) <= self.workers or (
                sum(size for _, size in ahead) < STAGE_AHEAD_BYTES
            ):
                path = next(remaining, None)
                if path is None:
                    break
                ahead.append((self.pool.submit(self._stage, Path(path)), _size(Path(path))))
            if not ahead:
                return
            yield ahead.popleft()[0]

    def close(self) -> None:
        """Stop the threads (files not yet started are skipped) and drop everything staged."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        while not self.cursors.empty():
            self.cursors.get().close()
        self.con.execute(f"DETACH {self.schema}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # scan_file reports it
        return 0


@contextmanager
def _staging(
    con: duckdb.DuckDBPyConnection,
    files: int,
    expected_la_code: str | None,
    today: dt.date | None,
) -> Iterator[_Staging]:
    """A `_Staging` with `preserve_insertion_order` on (staged rows keep the file order)."""
    row = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    off = row is not None and not row[0]
    if off:
        con.execute("SET preserve_insertion_order = true")
    try:
        staging = _Staging(con, files, expected_la_code, today or dt.datetime.now(dt.UTC).date())
        try:
            yield staging
        finally:
            staging.close()
    finally:
        if off:
            con.execute("SET preserve_insertion_order = false")


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
        with _staging(con, len(paths), expected_la_code, today) as staging:
            for future in staging.staged(paths):
                try:
                    staged = future.result()
                except CldFileError as exc:
                    findings.append(file_error_finding(exc))
                    continue
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
    if previous:
        params = [staged.la_code, staged.period]
        con.execute("DELETE FROM cld_raw WHERE _la_code = ? AND _period = ?", params)
        con.execute("DELETE FROM cld_findings WHERE la_code = ? AND period = ?", params)
        con.execute("DELETE FROM cld_loads WHERE la_code = ? AND period = ?", params)
    return previous


def _insert_rows(con: duckdb.DuckDBPyConnection, staged: StagedFile, load_id: str) -> None:
    con.execute(
        f"INSERT INTO cld_raw ({RAW_NAMES}, _file, _line, _la_code, _period, _release, _load_id) "
        f"SELECT {RAW_NAMES}, ?, _line, ?, ?, ?, ? FROM {staged.stage}",
        [staged.scan.path.name, staged.la_code, staged.period, staged.release, load_id],
    )


def _insert_findings(con: duckdb.DuckDBPyConnection, staged: StagedFile, load_id: str) -> None:
    con.execute(
        "INSERT INTO cld_findings SELECT ?, row::INTEGER, column_name, value, rule, severity, ?, "
        f"?, ?, ?, message FROM {staged.findings_table} ORDER BY row NULLS FIRST, ord",
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


def _load_one(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> LoadReport:
    """Copy one staged file into the tables (inside the caller's transaction)."""
    load_id = uuid.uuid4().hex
    report = LoadReport(
        load_id=load_id,
        file=staged.scan.path.name,
        sha256=staged.scan.sha256,
        la_code=staged.la_code,
        period=staged.period,
        release=staged.release,
        rows=staged.rows,
        encoding=staged.scan.encoding,
        replaced_load_ids=_delete_previous(con, staged),
    )
    _insert_rows(con, staged, load_id)
    _insert_findings(con, staged, load_id)
    _insert_load(con, staged, load_id)
    report.counts = _counts(con, staged)
    return report


def _commit(con: duckdb.DuckDBPyConnection, batch: list[StagedFile]) -> list[LoadReport]:
    """Load `batch` in one transaction: all of it, or (raising) none of it."""
    con.execute("BEGIN TRANSACTION")
    try:
        ensure_tables(con)
        reports = [_load_one(con, staged) for staged in batch]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for staged in batch:
        staged.drop(con)
    return reports


def _load_batch(
    con: duckdb.DuckDBPyConnection, batch: list[StagedFile], done: Callable[[LoadReport], None]
) -> None:
    """Load `batch`; if that fails, load its files one per transaction up to the failing one."""
    try:
        reports = _commit(con, batch)
    except Exception:
        if len(batch) == 1:
            raise
        # Each file in its own transaction: the files before the failing one stay loaded.
        for staged in batch:
            (report,) = _commit(con, [staged])
            done(report)
        return
    for report in reports:
        done(report)


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
    (report,) = load_files(con, [Path(path)], expected_la_code=expected_la_code, today=today)
    return report


def load_files(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    progress: Callable[[int], None] | None = None,
    on_report: Callable[[LoadReport], None] | None = None,
    expected_la_code: str | None = None,
    today: dt.date | None = None,
) -> list[LoadReport]:
    """Load each file, all or nothing, in order.

    `progress` is called with the number of data rows of each file once it is committed, and
    `on_report` with its report (so a caller keeps the reports of the files loaded before a
    refused one). A
    refused file raises CldFileError; files before it stay loaded and the refused one leaves
    nothing. Should loading itself fail (not a refusal), the files before the failing one stay
    loaded and the error is raised.
    """
    reports: list[LoadReport] = []
    pending: list[StagedFile] = []

    def done(report: LoadReport) -> None:
        reports.append(report)
        if progress is not None:
            progress(report.rows)
        if on_report is not None:
            on_report(report)

    def commit_pending() -> None:
        batch = pending[:]
        pending.clear()
        if batch:
            _load_batch(con, batch, done)

    with _load_checkpointing(con), _staging(con, len(paths), expected_la_code, today) as staging:
        for future in staging.staged(paths):
            try:
                staged = future.result()
            except Exception:
                commit_pending()
                raise
            pending.append(staged)
            if sum(s.rows for s in pending) >= LOAD_BATCH_ROWS:
                commit_pending()
        commit_pending()
    return reports
