"""The ONS mid-year population file (careassure.core.population)."""

from __future__ import annotations

from pathlib import Path

import pytest

from careassure.core.population import PopulationError, load_population

HEADER = "LA_Code,LA_Name,ONS_Code,Population_18_64,Population_65_plus"


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "population.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_loads_one_row_per_council(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        "316,Testshire,E06000099,150000,40000",
        '714,"City of London",E09000001,8100,1300',
        "",
    )
    population = load_population(path)
    assert sorted(population) == ["316", "714"]
    assert population["714"].la_name == "City of London"
    assert (population["316"].population_18_64, population["316"].population_65_plus) == (
        150000,
        40000,
    )
    assert population["316"].ons_code == "E06000099"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            "31,Testshire,E06000099,150000,40000",
            "row 1, column LA_Code, value '31': must be a 3-digit CASSR code",
            id="short_la_code",
        ),
        pytest.param(
            "316,,E06000099,150000,40000",
            "row 1, column LA_Name, value '': must not be blank",
            id="blank_name",
        ),
        pytest.param(
            "316,Testshire,W06000001,150000,40000",
            "row 1, column ONS_Code, value 'W06000001': must be a GSS council code "
            "such as E06000001 (E06, E08, E09 or E10)",
            id="welsh_gss_code",
        ),
        pytest.param(
            "316,Testshire,E06000099,150 000,40000",
            "row 1, column Population_18_64, value '150 000': must be a whole number "
            "greater than 0",
            id="space_in_number",
        ),
        pytest.param(
            "316,Testshire,E06000099,150000,0",
            "row 1, column Population_65_plus, value '0': must be a whole number greater than 0",
            id="zero_population",
        ),
        pytest.param(
            "316,Testshire,E06000099,150000",
            "row 1, value '316,Testshire,E06000099,150000': the row has 4 fields; it must have 5",
            id="missing_field",
        ),
    ],
)
def test_bad_rows_name_row_column_value_and_rule(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, HEADER, line)
    with pytest.raises(PopulationError) as caught:
        load_population(path)
    assert str(caught.value) == f"{path}, {message}"


def test_duplicate_council_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        "316,Testshire,E06000099,150000,40000",
        "316,Testshire again,E06000099,150000,40000",
    )
    with pytest.raises(PopulationError) as caught:
        load_population(path)
    assert (caught.value.row, caught.value.column, caught.value.value) == (2, "LA_Code", "316")
    assert caught.value.rule == "appears more than once; give one row per council"


def test_wrong_header_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "la_code,name,ons,pop_18_64,pop_65", "316,T,E06000099,1,1")
    with pytest.raises(PopulationError, match="the header must be exactly LA_Code,LA_Name"):
        load_population(path)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(PopulationError, match="cannot be read"):
        load_population(tmp_path / "absent.csv")
    with pytest.raises(PopulationError, match="has no data rows"):
        load_population(write(tmp_path, HEADER))
