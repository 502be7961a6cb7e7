"""Loading CLD files: file-level refusals, row-level findings, replacement and atomicity.

Every expected value below is worked from the fault planted in the corpus file (see
tests/data/cld/make_corpus.py) and the rule tables of reference §4.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from careassure.core.cld import CldFileError, load_files, validate_files
from careassure.core.cld import ingest as ingest_module
from careassure.core.cld.spec import FIELDS

CORPUS = Path(__file__).resolve().parents[2] / "data" / "cld"
TABLES = ("cld_raw", "cld_findings", "cld_loads")


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    names = sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
    return {
        name: sorted(map(repr, con.execute(f"SELECT * FROM {name}").fetchall())) for name in names
    } | {"_tables": names}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "metrics.duckdb"))
    yield connection  # type: ignore[misc]
    connection.close()


@pytest.fixture
def loaded(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    load_files(con, [CORPUS / "valid_r2.csv"])
    return con


FILE_ERRORS = [
    ("empty.csv", "F08", "the file is empty (0 bytes); expected a header row and data rows"),
    ("header_only.csv", "F08", "the file has a header row but no data rows"),
    ("missing_header.csv", "F01", 'missing header "Event Type"'),
    (
        "misspelt_header.csv",
        "F01",
        'unknown header "LA code" (did you mean "LA Code"?); '
        "headers must be spelled exactly as in the specification",
    ),
    (
        "semicolon.csv",
        "F01",
        "the file uses semicolon (';') as the delimiter; a CLD file must be comma-separated",
    ),
    # 0x81 is undefined in Windows-1252 and invalid UTF-8; it replaces the "n" at byte 972.
    (
        "undecodable.csv",
        "F03",
        "the file is neither UTF-8 nor Windows-1252: byte 0x81 at offset "
        "972 cannot be decoded (first invalid UTF-8 byte at offset 972)",
    ),
    (
        "two_councils.csv",
        "F05",
        'the file holds 2 councils in "LA Code" ("999", "888"); a file must hold one council',
    ),
    (
        "start_after_end.csv",
        "F06",
        "Reporting Period Start Date 2026-07-01 is after Reporting Period End Date 2026-06-30",
    ),
    # 5 data rows, line 4 truncated: 1 of 5 = 20% > 1%.
    (
        "truncated_lines.csv",
        "F04",
        "1 of 5 data rows are malformed (more than 1%); first at line 4: missing columns",
    ),
    # The quote opened on line 3 swallows lines 3-6: 4 of 5 data lines unreadable.
    (
        "broken_quote.csv",
        "F04",
        "a quoted value opened at line 3 is never closed; 4 of 5 data "
        "lines could not be read (more than 1%)",
    ),
]


@pytest.mark.parametrize(
    ("name", "rule", "message"), [pytest.param(*case, id=case[0]) for case in FILE_ERRORS]
)
def test_file_level_error_refuses_file_and_leaves_database_unchanged(
    loaded: duckdb.DuckDBPyConnection, name: str, rule: str, message: str
) -> None:
    before = snapshot(loaded)
    with pytest.raises(CldFileError) as caught:
        load_files(loaded, [CORPUS / name])
    assert (caught.value.rule, caught.value.message) == (rule, message)
    assert str(caught.value) == f"{name}: {message}"
    assert snapshot(loaded) == before


def test_refused_file_on_new_database_creates_no_tables(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(CldFileError):
        load_files(con, [CORPUS / "two_councils.csv"])
    assert snapshot(con) == {"_tables": []}


def test_future_reporting_period_is_refused(loaded: duckdb.DuckDBPyConnection) -> None:
    # F07: period end 2099-03-31 after the upload date.
    before = snapshot(loaded)
    with pytest.raises(
        CldFileError,
        match=r"^future_period.csv: Reporting Period End Date "
        r"2099-03-31 is after the upload date \d{4}-\d{2}-\d{2}$",
    ) as caught:
        load_files(loaded, [CORPUS / "future_period.csv"])
    assert caught.value.rule == "F07"
    assert snapshot(loaded) == before


def test_wrong_council_is_refused(loaded: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(loaded)
    with pytest.raises(CldFileError) as caught:
        load_files(loaded, [CORPUS / "valid_r2.csv"], expected_la_code="886")
    assert caught.value.message == '"LA Code" is "999" but this upload is for council "886"'
    assert snapshot(loaded) == before


def test_huge_single_field_is_refused(tmp_path: Path, loaded: duckdb.DuckDBPyConnection) -> None:
    # F10: an Event Description of 1,100,000 characters exceeds max_field_chars (1,048,576).
    text = (CORPUS / "valid_r2.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    index = [f.header for f in FIELDS].index("Event Description")
    cells = text[1].split(",")
    cells[index] = "x" * 1_100_000
    text[1] = ",".join(cells)
    path = tmp_path / "huge.csv"
    path.write_text("".join(text), encoding="utf-8")
    before = snapshot(loaded)
    with pytest.raises(CldFileError) as caught:
        load_files(loaded, [path])
    assert caught.value.rule == "F10"
    assert caught.value.message == (
        "line 2 holds a field longer than 1048576 characters; the file is refused"
    )
    assert snapshot(loaded) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param(
            "bom_utf8.csv", "the file starts with a UTF-8 byte-order mark; it was removed", id="bom"
        ),
        pytest.param(
            "windows_1252.csv",
            "the file is Windows-1252, not UTF-8; it was read as Windows-1252",
            id="1252",
        ),
    ],
)
def test_bom_and_windows_1252_load_with_a_warning(
    con: duckdb.DuckDBPyConnection, name: str, message: str
) -> None:
    (report,) = load_files(con, [CORPUS / name])
    assert report.rows == 5
    findings = con.execute(
        'SELECT "row", "column", rule, severity, message FROM cld_findings'
    ).fetchall()
    assert findings == [(None, None, "F03", "warning", message)]
    # The header was read (no BOM in "LA Code") and the text decoded.
    first = con.execute("SELECT la_code, first_name FROM cld_raw WHERE _line = 2").fetchone()
    assert first == ("999", "Zoë" if name == "windows_1252.csv" else "Ann")


def _mask(value: str) -> str:
    return (
        "#"
        + hashlib.sha256(("careassure-cld" + value).encode()).hexdigest()[:4]
        + f"…({len(value)})"
    )


# (line, column, value, rule, severity) for each planted fault, line = physical line with the
# header as line 1. Line 15 holds a two-line Event Description, so the fault on the next record
# is on physical line 17.
ROW_FAULTS = [
    (3, "Event End Date", "2025-02-30", "T01", "error"),
    (4, "Gender", "Femle", "C05", "error"),
    (5, "Event End Date", "2025-07-15", "D01", "error"),
    (6, "Accommodation Status", None, "M01", "error"),
    (7, "Gender", "female", "C03", "warning"),
    (8, "Event Outcome", "Provision of service", "C04", "warning"),
    (9, "Unit Cost", "£12.50", "T02", "error"),
    (10, None, None, "F09", "warning"),
    (11, "NHS Number", _mask("9434765918"), "T04", "error"),
    (12, "Event Type", "Referral", "C06", "warning"),
    (13, "Delivery Mechanism", "Direct payment", "C09", "error"),
    (14, "Date of Birth", _mask("2025-09-01"), "D10", "error"),
    (17, "Event Start Date", "2025-13-01", "T01", "error"),
]


def test_each_row_fault_gives_exactly_one_finding() -> None:
    findings = validate_files([CORPUS / "row_faults.csv"])
    got = [(f.row, f.column, f.value, f.rule, f.severity) for f in findings]
    assert got == ROW_FAULTS


def test_row_faults_file_still_loads_with_its_findings(con: duckdb.DuckDBPyConnection) -> None:
    (report,) = load_files(con, [CORPUS / "row_faults.csv"])
    assert report.rows == 15  # 15 records on 16 data lines
    assert (report.errors, report.warnings) == (9, 4)  # lines 3,4,5,6,9,11,13,14,17 are errors
    got = con.execute(
        'SELECT "row", "column", value, rule, severity FROM cld_findings ORDER BY "row"'
    ).fetchall()
    assert got == ROW_FAULTS
    lines = [r[0] for r in con.execute("SELECT _line FROM cld_raw ORDER BY _line").fetchall()]
    assert lines == [*range(2, 16), 17]
    description = con.execute("SELECT event_description FROM cld_raw WHERE _line = 15").fetchone()
    assert description == ("first line\nsecond line",)


def test_one_malformed_row_in_200_is_a_row_error_and_the_rest_loads(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Line 101 has 30 of 50 fields: 1 of 200 rows = 0.5%, under the 1% threshold.
    (report,) = load_files(con, [CORPUS / "one_malformed_in_200.csv"])
    assert report.rows == 199
    findings = con.execute('SELECT "row", rule, severity FROM cld_findings').fetchall()
    assert findings == [(101, "F04", "error")]
    lines = [r[0] for r in con.execute("SELECT _line FROM cld_raw ORDER BY _line").fetchall()]
    assert lines == [n for n in range(2, 202) if n != 101]


def test_file_with_byte_order_mark_keeps_its_line_numbers(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    # one_malformed_in_200.csv behind a UTF-8 byte-order mark: the BOM is a warning and the
    # malformed record is still line 101.
    path = tmp_path / "bom_one_malformed.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (CORPUS / "one_malformed_in_200.csv").read_bytes())
    (report,) = load_files(con, [path])
    assert (report.rows, report.encoding) == (199, "utf-8")
    findings = con.execute(
        'SELECT "row", rule, severity FROM cld_findings ORDER BY "row" NULLS FIRST'
    ).fetchall()
    assert findings == [(None, "F03", "warning"), (101, "F04", "error")]
    lines = [r[0] for r in con.execute("SELECT _line FROM cld_raw ORDER BY _line").fetchall()]
    assert lines == [n for n in range(2, 202) if n != 101]
    assert con.execute("SELECT la_code FROM cld_raw WHERE _line = 2").fetchone() == ("999",)


def test_raw_table_holds_values_as_submitted(con: duckdb.DuckDBPyConnection) -> None:
    load_files(con, [CORPUS / "row_faults.csv"])
    columns = [r[0] for r in con.execute("DESCRIBE cld_raw").fetchall()]
    assert columns == [f.column for f in FIELDS] + [
        "_file",
        "_line",
        "_la_code",
        "_period",
        "_release",
        "_load_id",
    ]
    row = con.execute(
        "SELECT gender, unit_cost, _file, _la_code, _period, _release FROM cld_raw WHERE _line = 9"
    ).fetchone()
    assert row == ("Female", "£12.50", "row_faults.csv", "999", "2025-07-01/2026-06-30", "R2")


def test_reloading_same_council_and_period_replaces_the_earlier_load(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    copy = tmp_path / "again.csv"
    shutil.copy(CORPUS / "row_faults.csv", copy)
    (first,) = load_files(con, [CORPUS / "row_faults.csv"])
    (second,) = load_files(con, [copy])
    assert second.replaced_load_ids == [first.load_id]
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in TABLES]
    assert counts == [(15,), (13,), (1,)]
    assert con.execute("SELECT DISTINCT _load_id, _file FROM cld_raw").fetchall() == [
        (second.load_id, "again.csv")
    ]


def test_crash_half_way_through_a_load_leaves_nothing(
    loaded: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(loaded)

    def explode(*args: object) -> None:
        raise RuntimeError("disk full")

    # The raw rows are already inserted (and the earlier load deleted) when this runs.
    monkeypatch.setattr(ingest_module, "_insert_findings", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        load_files(loaded, [CORPUS / "row_faults.csv"])
    assert snapshot(loaded) == before
    temp = loaded.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()
    assert temp == (0,)


def test_progress_receives_rows_per_file(con: duckdb.DuckDBPyConnection) -> None:
    seen: list[int] = []
    load_files(con, [CORPUS / "valid_r2.csv", CORPUS / "row_faults.csv"], progress=seen.append)
    assert seen == [5, 15]


def test_loads_table_records_file_hash_and_encoding(con: duckdb.DuckDBPyConnection) -> None:
    load_files(con, [CORPUS / "bom_utf8.csv"])
    digest = hashlib.sha256((CORPUS / "bom_utf8.csv").read_bytes()).hexdigest()
    row = con.execute(
        "SELECT file, sha256, la_code, period, release, rows, encoding FROM cld_loads"
    ).fetchone()
    assert row == ("bom_utf8.csv", digest, "999", "2025-07-01/2026-06-30", "R2", 5, "utf-8 (BOM)")


def _earlier_period(tmp_path: Path) -> Path:
    """valid_r2.csv for the year before (2024-07-01 to 2025-06-30), so it replaces nothing."""
    path = tmp_path / "earlier.csv"
    text = (CORPUS / "valid_r2.csv").read_text(encoding="utf-8")
    path.write_text(text.replace("999,2025-07-01,2026-06-30,", "999,2024-07-01,2025-06-30,"))
    return path


def test_refused_file_keeps_the_files_before_it_and_loads_none_after_it(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    seen: list[int] = []
    paths = [
        _earlier_period(tmp_path),
        CORPUS / "row_faults.csv",
        CORPUS / "two_councils.csv",
        CORPUS / "valid_r2.csv",
    ]
    with pytest.raises(CldFileError) as caught:
        load_files(con, paths, progress=seen.append)
    assert (caught.value.file.name, caught.value.rule) == ("two_councils.csv", "F05")
    assert seen == [5, 15]
    loads = con.execute("SELECT file, rows FROM cld_loads ORDER BY file").fetchall()
    assert loads == [("earlier.csv", 5), ("row_faults.csv", 15)]
    assert con.execute("SELECT count(*) FROM cld_raw").fetchone() == (20,)
    tables = con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
    assert tables == (3,)  # cld_raw, cld_findings and cld_loads; nothing staged is left


def test_failed_load_keeps_the_files_before_the_failing_one(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest_module._insert_findings

    def fail_on_row_faults(connection: Any, staged: Any, load_id: str) -> None:
        if staged.scan.path.name == "row_faults.csv":
            raise RuntimeError("disk full")
        real(connection, staged, load_id)

    monkeypatch.setattr(ingest_module, "_insert_findings", fail_on_row_faults)
    paths = [_earlier_period(tmp_path), CORPUS / "row_faults.csv", CORPUS / "valid_r2.csv"]
    with pytest.raises(RuntimeError, match="disk full"):
        load_files(con, paths)
    assert con.execute("SELECT file FROM cld_loads").fetchall() == [("earlier.csv",)]
    assert con.execute("SELECT DISTINCT _file FROM cld_raw").fetchall() == [("earlier.csv",)]
