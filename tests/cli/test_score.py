"""``careassure score``: the CLI contract other tools depend on."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careassure.cli.main import app

SAMPLE = Path("/work/shared/reference/published-results-sample.csv")
runner = CliRunner()

RULE = "a score must be a whole number from 1 to 4, or blank if not scored"

# Worked by hand from the sample's scores (total / 36 x 100, half up, then banded; position by
# the band midpoint: RI 50.5, Good 75, Inadequate 31.5, Outstanding 94).
SAMPLE_EXPECTED = [
    {"la_name": "Blackpool Council", "total": 12, "max": 36, "percent": 33,
     "rating": "inadequate", "position": "nearer upper"},
    {"la_name": "Gloucestershire County Council", "total": 18, "max": 36, "percent": 50,
     "rating": "requires improvement", "position": "nearer lower"},
    {"la_name": "Kent County Council", "total": 20, "max": 36, "percent": 56,
     "rating": "requires improvement", "position": "nearer upper"},
    {"la_name": "London Borough of Barnet", "total": 23, "max": 36, "percent": 64,
     "rating": "good", "position": "nearer lower"},
    {"la_name": "London Borough of Brent", "total": 22, "max": 36, "percent": 61,
     "rating": "requires improvement", "position": "nearer upper"},
    {"la_name": "London Borough of Camden", "total": 32, "max": 36, "percent": 89,
     "rating": "outstanding", "position": "nearer lower"},
    {"la_name": "Staffordshire County Council", "total": 27, "max": 36, "percent": 75,
     "rating": "good", "position": "middle"},
    {"la_name": "Wokingham Borough Council", "total": 29, "max": 36, "percent": 81,
     "rating": "good", "position": "nearer upper"},
    {"la_name": "Nottingham City Council", "total": None, "max": None, "percent": None,
     "rating": None, "position": None},
    {"la_name": "London Borough of Barking and Dagenham", "total": None, "max": None,
     "percent": None, "rating": None, "position": None},
]  # fmt: skip


@pytest.fixture
def sample() -> Path:
    if not SAMPLE.exists():
        pytest.skip("reference sample not available")
    return SAMPLE


def write(tmp_path: Path, text: str, name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_kent_scores_on_the_command_line() -> None:
    result = runner.invoke(app, ["score", "2", "2", "3", "2", "2", "2", "2", "2", "3"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Total 20 of 36, 56%, requires improvement, nearer upper (17 points above 39, 7 below 63)"
    )
    assert lines[1].startswith("Exact percentage 55.56% (20 \u00f7 36 \u00d7 100)")
    assert "council's own interpretation" in lines[-1]


def test_partial_scores_on_the_command_line() -> None:
    # 3,3,3,3,2,2,2,2 and qs9 not scored: 20/32 = 62.5 -> 63 Good, 0 above 63, 25 below 88.
    result = runner.invoke(app, ["score", "3", "3", "3", "3", "2", "2", "2", "2", "-"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Total 20 of 32, 63%, good, nearer lower (0 points above 63, 25 below 88)"
    assert lines[2] == (
        "Partial: 8 of 9 quality statements scored (not scored: qs9). Do not compare with full "
        "assessments."
    )


def test_outstanding_text_has_no_rating_above() -> None:
    # Camden 32/36 = 89: 1 point above 88.
    result = runner.invoke(app, ["score", "3", "3", "4", "3", "4", "4", "3", "4", "4"])
    assert result.stdout.splitlines()[0] == (
        "Total 32 of 36, 89%, outstanding, nearer lower (1 point above 88; no rating above)"
    )


def test_single_json_output() -> None:
    result = runner.invoke(app, ["score", "3", "3", "3", "3", "3", "3", "3", "3", "3",
                                 "--format", "json"])  # fmt: skip
    assert json.loads(result.stdout) == {
        "total": 27, "max": 36, "n_scored": 9, "partial": False, "percent": 75,
        "percent_exact": "75.00", "rating": "good", "position": "middle", "band_lower": 63,
        "band_upper": 87, "points_above_lower": 12, "points_below_next": 13,
    }  # fmt: skip


def test_sample_file_as_json_reproduces_every_council(sample: Path) -> None:
    result = runner.invoke(app, ["score", "--csv", str(sample), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == SAMPLE_EXPECTED


def test_sample_file_as_csv(sample: Path) -> None:
    result = runner.invoke(app, ["score", "--csv", str(sample), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["la_name", "total", "max", "percent", "rating", "position"]
    expected = [{k: "" if v is None else str(v) for k, v in row.items()} for row in SAMPLE_EXPECTED]
    assert rows == expected


def test_sample_file_as_table(sample: Path) -> None:
    result = runner.invoke(app, ["score", "--csv", str(sample), "--format", "table"])
    assert result.exit_code == 0, result.stderr
    kent = next(line for line in result.stdout.splitlines() if "Kent County Council" in line)
    assert [cell.strip() for cell in kent.split("\u2502")[1:-1]] == [
        "Kent County Council",
        "20",
        "36",
        "56%",
        "Requires improvement",
        "nearer upper",
    ]
    nottingham = next(line for line in result.stdout.splitlines() if "Nottingham" in line)
    assert "not scored" in nottingham


def test_sample_file_as_text(sample: Path) -> None:
    result = runner.invoke(app, ["score", "--csv", str(sample)])
    lines = result.stdout.splitlines()
    assert lines[2] == (
        "Kent County Council: Total 20 of 36, 56%, requires improvement, nearer upper "
        "(17 points above 39, 7 below 63)"
    )
    assert lines[8] == "Nottingham City Council: not scored (no quality statement scores)"


def test_headers_any_case_with_bom_and_extra_columns(tmp_path: Path) -> None:
    # Kent again with qs9 blank: 17/32 = 53.125 -> 53, RI, nearer upper (53 > 50.5).
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufeffRegion,LA_Name,QS1,QS2,QS3,QS4,QS5,QS6,QS7,QS8,QS9\r\n"
        "South East,Kent,2,2,3,2,2,2,2,2,\r\n".encode()
    )
    result = runner.invoke(app, ["score", "--csv", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"la_name": "Kent", "total": 17, "max": 32, "percent": 53,
         "rating": "requires improvement", "position": "nearer upper"}
    ]  # fmt: skip


HEADER = "la_name,qs1,qs2,qs3,qs4,qs5,qs6,qs7,qs8,qs9\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "Kent,2,0,3,2,2,2,2,2,3\n",
         "line 2, column qs2, value '0': 0 is not a score; " + RULE),
        (HEADER + "Kent,2,2,3,2,2,2,2,2,3\nBrent,2,2,2,2,2,3,3,5,3\n",
         "line 3, column qs8, value '5': " + RULE),
        (HEADER + "Kent,2,2,3,2,2.5,2,2,2,3\n", "line 2, column qs5, value '2.5': " + RULE),
        (HEADER + "Kent,2,2,3,2,2,2,x,2,3\n", "line 2, column qs7, value 'x': " + RULE),
        (HEADER + "Kent,2,2,3,2,2,2,2,2,3\nkent ,3,3,3,3,3,3,3,3,3\n",
         "line 3, column la_name, value 'kent': the council is already on line 2"),
        ("", "line 1, value '': the file is empty; the first line must be a header row"),
        ("name,qs1\nKent,2\n",
         "line 1, column la_name, value 'name,qs1': the header has no la_name column"),
        ("la_name,score\nKent,2\n",
         "line 1, column qs1-qs9, value 'la_name,score': the header has none of the score "
         "columns qs1 to qs9"),
        (HEADER, "line 1, value 'la_name,qs1,qs2,qs3,qs4,qs5,qs6,qs7,qs8,qs9': the file has no "
                 "council rows"),
    ],
    ids=["zero", "five", "two_and_a_half", "x", "duplicate", "empty", "no_la_name",
         "no_qs_columns", "header_only"],
)  # fmt: skip
def test_bad_csv_input(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    result = runner.invoke(app, ["score", "--csv", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {path}: {message}\n"


def test_every_bad_row_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,5,,,,,,,,\nB,,,,,,,,,x\nA,3,,,,,,,,\n")
    result = runner.invoke(app, ["score", "--csv", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {path}: line 2, column qs1, value '5': {RULE}",
        f"error: {path}: line 3, column qs9, value 'x': {RULE}",
        f"error: {path}: line 4, column la_name, value 'A': the council is already on line 2",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2", "0"], f"qs2: 0 is not a score; {RULE} (got '0')"),
        (["5"], f"qs1: {RULE} (got '5')"),
        (["2.5"], f"qs1: {RULE} (got '2.5')"),
        (["3", "x"], f"qs2: {RULE} (got 'x')"),
        (["-", "-"], "at least one quality statement must be scored"),
        (["3"] * 10, "10 scores given; give at most 9 (qs1 to qs9 in order)"),
        ([], "give the scores (for example: careassure score 2 2 3 2 2 2 2 2 3) or --csv FILE"),
    ],
    ids=["zero", "five", "half", "x", "none", "ten", "nothing"],
)
def test_bad_command_line_scores(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["score", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    result = runner.invoke(app, ["score", "--csv", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {path}: cannot read the file (No such file or directory)\n"


def test_installed_console_script(sample: Path) -> None:
    script = Path(sys.executable).parent / "careassure"
    if not script.exists():
        script_path = shutil.which("careassure")
        if script_path is None:
            pytest.skip("the careassure console script is not installed")
        script = Path(script_path)
    completed = subprocess.run(  # noqa: S603 - our own console script
        [str(script), "score", "--csv", str(sample), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == SAMPLE_EXPECTED
    bad = subprocess.run(  # noqa: S603 - our own console script
        [str(script), "score", "2", "2", "5"], capture_output=True, text=True, check=False,
        timeout=60,
    )  # fmt: skip
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == f"error: qs3: {RULE} (got '5')\n"
