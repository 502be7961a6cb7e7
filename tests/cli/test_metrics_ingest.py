"""``careassure metrics ingest``: loads into DuckDB, summary and exit codes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from careassure.cli.main import app

CORPUS = Path(__file__).resolve().parents[1] / "data" / "cld"
runner = CliRunner(env={"COLUMNS": "240"})


def rows(db: Path) -> list[tuple[str, int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT file, rows FROM cld_loads ORDER BY file").fetchall()
    finally:
        con.close()


def test_clean_file_loads_and_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    result = runner.invoke(
        app, ["metrics", "ingest", str(CORPUS / "valid_r2.csv"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert rows(db) == [("valid_r2.csv", 5)]
    assert "valid_r2.csv" in result.stdout


def test_row_errors_load_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    result = runner.invoke(
        app, ["metrics", "ingest", str(CORPUS / "row_faults.csv"), "--db", str(db)]
    )
    assert result.exit_code == 1
    assert rows(db) == [("row_faults.csv", 15)]
    assert "D01" in result.stdout


def test_refused_file_exits_2_and_other_files_still_load(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    result = runner.invoke(
        app,
        [
            "metrics",
            "ingest",
            str(CORPUS / "two_councils.csv"),
            str(CORPUS / "valid_r2.csv"),
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 2
    assert rows(db) == [("valid_r2.csv", 5)]
    assert "refused" in result.stdout


def test_database_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("CAREASSURE_DUCKDB_PATH", str(db))
    result = runner.invoke(app, ["metrics", "ingest", str(CORPUS / "valid_r2.csv")])
    assert result.exit_code == 0
    assert rows(db) == [("valid_r2.csv", 5)]


def test_files_on_both_sides_of_refused_files_load(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    # The same council a year earlier, so that it does not replace valid_r2.csv.
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(
        (CORPUS / "valid_r2.csv")
        .read_text(encoding="utf-8")
        .replace("999,2025-07-01,2026-06-30,", "999,2024-07-01,2025-06-30,"),
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "metrics",
            "ingest",
            str(CORPUS / "valid_r2.csv"),
            str(CORPUS / "two_councils.csv"),
            str(CORPUS / "empty.csv"),
            str(earlier),
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 2
    assert rows(db) == [("earlier.csv", 5), ("valid_r2.csv", 5)]
    assert "two_councils.csv" in result.stdout
    assert "empty.csv" in result.stdout
