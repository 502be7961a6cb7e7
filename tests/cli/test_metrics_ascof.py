"""`careassure metrics ascof`: CLD files + population file -> ASCOF measures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careassure.cli.main import app
from careassure.core.cld.spec import FIELDS
from careassure.core.measures import HOSPITAL_DATA_MESSAGE

runner = CliRunner()

POPULATION = (
    "LA_Code,LA_Name,ONS_Code,Population_18_64,Population_65_plus\n"
    "316,Testshire,E06000099,150000,40000\n"
)


def person(pid: str, nhs: str, dob: str, **event: str) -> dict[str, str]:
    return {
        "LA Code": "316",
        "Reporting Period Start Date": "2024-04-01",
        "Reporting Period End Date": "2025-03-31",
        "NHS Number": nhs,
        "LA Person Unique Identifier": pid,
        "Gender": "Female",
        "Ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
        "Date of Birth": dob,
        "Client Type": "Service user",
        "Primary Support Reason": "Physical support: Personal care support",
        "Postcode": "AB1 2CD",
        "Accommodation Status": "Owner occupier or shared ownership scheme",
        "Employment Status": "Unknown",
        "Has Unpaid Carer": "No",
        "Client Funding Status": "Fully social care funded",
        **event,
    }


def write_cld(path: Path) -> Path:
    residential = {
        "Event Type": "Service",
        "Event Start Date": "2024-09-01",
        "Event Outcome": "Continuation of support or services",
        "Service Type": "Long term support: Residential care",
        "Service Component": "Long term residential care",
        "Delivery Mechanism": "CASSR commissioned support",
        "Unit Cost": "900.00",
        "Cost Frequency (Unit Type)": "Weekly",
        "Planned units per week": "1.00",
    }
    reablement = {
        "Event Type": "Service",
        "Event Start Date": "2024-05-01",
        "Event End Date": "2024-05-20",
        "Event Outcome": "NFA: Information and advice or signposting",
        "Service Type": "Short term support: ST-Max",
        "Service Component": "Reablement",
        "Delivery Mechanism": "CASSR commissioned support",
    }
    rows = [
        # Aged 74 at admission (proxy DOB 1950-06-01): one new 65+ admission -> 2C.
        person("P1", "9434765919", "1950-06-15", **residential),
        # Aged 44 (proxy DOB 1980-02-01) at reablement end: 2A 18-64 numerator.
        person("P2", "9434765870", "1980-02-10", **reablement),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f.header for f in FIELDS])
        writer.writeheader()
        for row in rows:
            writer.writerow({f.header: row.get(f.header, "") for f in FIELDS})
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    population = tmp_path / "population.csv"
    population.write_text(POPULATION, encoding="utf-8")
    return write_cld(tmp_path / "cld_316_2024-25.csv"), population


def test_json_output_has_exactly_the_contract_keys(files: tuple[Path, Path]) -> None:
    cld, population = files
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert all(
        set(item) == {"la_code", "measure", "breakdown", "numerator", "denominator", "value"}
        for item in data
    )
    by_key = {(d["measure"], d["breakdown"]): d for d in data}
    # 2C: 100,000 x 1 / 40,000 = 2.5
    assert by_key[("2C", "65+")] == {
        "la_code": "316",
        "measure": "2C",
        "breakdown": "65+",
        "numerator": 1,
        "denominator": 40000,
        "value": 2.5,
    }
    assert by_key[("2B", "18-64")]["value"] == 0.0
    assert by_key[("2A", "18-64")] == {
        "la_code": "316",
        "measure": "2A",
        "breakdown": "18-64",
        "numerator": 1,
        "denominator": 1,
        "value": 100.0,
    }
    # 2E at the year end: P1 in residential care, settled status reported -> 1/1.
    assert by_key[("2E", "65+")]["numerator"] == 1
    # 2D needs hospital data: not in the output, explained on stderr.
    assert not [d for d in data if d["measure"].startswith("2D")]
    assert HOSPITAL_DATA_MESSAGE in result.stderr


def test_csv_output(files: tuple[Path, Path]) -> None:
    cld, population = files
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--format",
            "csv",
            "--measure",
            "2C",
            "--measure",
            "2B",
        ],
    )
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["la_code", "measure", "breakdown", "numerator", "denominator", "value"],
        ["316", "2B", "18-64", "0", "150000", "0.0"],
        ["316", "2C", "65+", "1", "40000", "2.5"],
    ]


def test_table_output_marks_2d_not_computed(files: tuple[Path, Path]) -> None:
    cld, population = files
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--period",
            "2024-25",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "not computed" in result.stdout
    assert "40,000" in result.stdout


def test_bad_population_file_exits_2_naming_row_column_and_value(files: tuple[Path, Path]) -> None:
    cld, population = files
    population.write_text(POPULATION.replace("40000", "forty thousand"), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"{population}, row 1, column Population_65_plus, value 'forty thousand': "
        "must be a whole number greater than 0"
    )


def test_council_missing_from_population_exits_2(files: tuple[Path, Path]) -> None:
    cld, population = files
    population.write_text(POPULATION.replace("316,", "317,"), encoding="utf-8")
    result = runner.invoke(
        app,
        ["metrics", "ascof", "--cld", str(cld), "--population", str(population)],
    )
    assert result.exit_code == 2
    assert "has no row for LA code 316" in result.stderr


def test_refused_cld_file_exits_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, population = files
    bad = tmp_path / "bad.csv"
    bad.write_text("Not,The,Spec\n1,2,3\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["metrics", "ascof", "--cld", str(bad), "--population", str(population)],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("bad.csv: ")
    assert "nothing was computed" in result.stderr


def test_bad_period_exits_2(files: tuple[Path, Path]) -> None:
    cld, population = files
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--period",
            "2024",
        ],
    )
    assert result.exit_code == 2
    assert "Period '2024' is not a financial year" in result.stderr


def test_hospital_file_makes_2d_computed(files: tuple[Path, Path], tmp_path: Path) -> None:
    cld, population = files
    hospital = tmp_path / "apc.csv"
    # P2 (NHS 9434765870, born 1980: aged 44) is under 65, so the only discharge is not
    # counted: 2D.2 = 0 / 0. P1 is in residential care from 2024-09-01; discharged before it,
    # aged 74, no reablement: 2D.2 = 0 / 1 = 0.00.
    hospital.write_text(
        "NHS_Number,Spell_ID,Last_Episode_In_Spell,Admission_Date,Discharge_Date,Birth_Year,"
        "Birth_Month,Sex,LA_Code,Admission_Method,Discharge_Method,Discharge_Destination,"
        "Management_Type,Treatment_Function_Code\n"
        "9434765919,S1,Y,2024-04-02,2024-04-20,1950,6,2,316,21,1,19,EM,300\n"
        "9434765870,S2,Y,2024-04-20,2024-04-28,1980,2,2,316,21,1,19,EM,300\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--hospital",
            str(hospital),
            "--format",
            "json",
            "--measure",
            "2D.2",
            "--period",
            "2024-25",
        ],
    )
    assert result.exit_code == 0, result.output
    data = {d["breakdown"]: d for d in json.loads(result.stdout)}
    assert data["total"] == {
        "la_code": "316",
        "measure": "2D.2",
        "breakdown": "total",
        "numerator": 0,
        "denominator": 1,
        "value": 0.0,
    }
    assert HOSPITAL_DATA_MESSAGE not in result.stderr


def test_bad_hospital_file_exits_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    cld, population = files
    hospital = tmp_path / "apc.csv"
    hospital.write_text("nhs,spell\n1,2\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "metrics",
            "ascof",
            "--cld",
            str(cld),
            "--population",
            str(population),
            "--hospital",
            str(hospital),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{hospital}, row 0: the header must be exactly NHS_Number,")


@pytest.mark.slow
@pytest.mark.spark
def test_spark_engine_gives_the_same_json(files: tuple[Path, Path]) -> None:
    pytest.importorskip("pyspark")
    cld, population = files
    args = [
        "metrics",
        "ascof",
        "--cld",
        str(cld),
        "--population",
        str(population),
        "--format",
        "json",
        "--period",
        "2024-25",
        "--measure",
        "2A",
        "--measure",
        "2C",
    ]
    duck = runner.invoke(app, args)
    spark = runner.invoke(app, [*args, "--engine", "spark"])
    assert duck.exit_code == 0, duck.output
    assert spark.exit_code == 0, spark.output
    assert json.loads(spark.stdout) == json.loads(duck.stdout)
    assert len(json.loads(duck.stdout)) == 4  # 2A total, 18-64, 65+ and 2C 65+
