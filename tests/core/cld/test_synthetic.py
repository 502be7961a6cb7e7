"""The synthetic county generator."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from careassure.core.cld import validate_files
from careassure.core.cld.synthetic import SYNTHETIC_LA_CODE, generate_cld

POPULATION = (
    Path(__file__).resolve().parents[3]
    / "careassure"
    / "core"
    / "data"
    / "population"
    / "demo-population.csv"
)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_cld(3000, 7, tmp_path_factory.mktemp("county"))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_gives_identical_files(county: list[Path], tmp_path: Path) -> None:
    again = generate_cld(3000, 7, tmp_path)
    assert [p.name for p in again] == [p.name for p in county]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in county]


def test_other_seed_gives_other_files(county: list[Path], tmp_path: Path) -> None:
    other = generate_cld(3000, 8, tmp_path)
    assert other[0].read_bytes() != county[0].read_bytes()


def test_files_are_labelled_synthetic(county: list[Path]) -> None:
    assert [p.name for p in county] == [
        "SYNTHETIC_CLD_999_20240401_20250331.csv",
        "SYNTHETIC_CLD_999_20250401_20260331.csv",
    ]
    readme = (county[0].parent / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# SYNTHETIC DATA: Synthetic County Council (999)")
    localities = read(county[0].parent / "localities.csv")
    assert {row["coastal"] for row in localities} == {"yes", "no"}


def test_la_code_matches_demo_population(county: list[Path]) -> None:
    (population,) = read(POPULATION)
    assert population["LA_Code"] == SYNTHETIC_LA_CODE
    assert population["LA_Name"] == "Synthetic County Council"
    assert {row["LA Code"] for row in read(county[1])} == {population["LA_Code"]}


def test_generated_files_have_no_errors(county: list[Path]) -> None:
    findings = validate_files(county)
    assert [f for f in findings if f.severity == "error"] == []
    # The only warnings allowed: R2 component wording in the R1 file (C04, no R1 value for
    # "Long term residential care"/"Long term nursing care") and the staleness checks.
    assert {f.rule for f in findings} <= {"C04", "R05", "R06"}


def test_every_ascof_measure_has_events(county: list[Path]) -> None:
    rows = read(county[1])
    services = Counter((r["Client Type"], r["Service Type"]) for r in rows)
    su = "Service user"
    assert services[(su, "Short term support: ST-Max")] > 0  # 2A reablement
    assert services[(su, "Short term support: Ongoing low level")] > 0  # 2A sequel
    assert services[(su, "Long term support: Community")] > 0  # 2E, 3D
    assert services[("Unpaid carer", "Unpaid carer support: Direct to unpaid carer")] > 0  # 3D
    new_admission_ages = set()
    for r in rows:
        if r["Service Type"] in (
            "Long term support: Residential care",
            "Long term support: Nursing care",
        ) and (r["Event Start Date"] >= "2025-04-01"):
            age = int(r["Event Start Date"][:4]) - int(r["Date of Birth"][:4])
            new_admission_ages.add("65+" if age > 65 else "18-64" if age < 64 else "edge")
    assert {"65+", "18-64"} <= new_admission_ages  # 2B and 2C
    mechanisms = {r["Delivery Mechanism"] for r in rows if r["Service Type"].startswith("Long")}
    assert {"Direct payment", "CASSR managed personal budget"} <= mechanisms  # 3D
    outcomes = {
        r["Event Outcome"] for r in rows if r["Service Type"] == "Short term support: ST-Max"
    }
    assert {"NFA: Support ended as planned", "Admitted to hospital"} <= outcomes  # 2A
    accommodation = {r["Accommodation Status"] for r in rows}
    assert "Owner occupier or shared ownership scheme" in accommodation  # 2E settled
    assert "Registered care home" in accommodation  # 2E unsettled


def test_release_1_file_uses_release_1_wording(county: list[Path]) -> None:
    rows = read(county[0])
    assert {r["Client Type"] for r in rows} == {"Service User", "Carer"}
    assert "Short Term Support: ST-Max" in {r["Service Type"] for r in rows}
