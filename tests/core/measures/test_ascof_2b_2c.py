"""ASCOF 2B and 2C (reference cld-ascof.md §6.2), worked by hand for 2024/25.

Population of council 316 (conftest): 150,000 aged 18-64 and 40,000 aged 65+.
Default date of birth 1950-06-15 (proxy 1950-06-01): aged 74 at a 2024 admission.
"""

from __future__ import annotations

import pytest

from careassure.core.measures import MethodParameters, compute_ascof, method_parameters
from careassure.core.population import Population
from tests.core.measures.helpers import BuildCld, figures

Row = dict[str, str | None]


def placement(
    person: str,
    start: str,
    end: str | None = None,
    *,
    service_type: str = "Long term support: Residential care",
    component: str | None = "Long term residential care",
    **extra: str | None,
) -> Row:
    return {
        "la_person_unique_identifier": person,
        "event_type": "Service",
        "service_type": service_type,
        "service_component": component,
        "event_start_date": start,
        "event_end_date": end,
        "event_outcome": "Provision of service",
        **extra,
    }


def run(
    cld: BuildCld, population: Population, rows: list[Row], params: MethodParameters | None = None
) -> dict[str, tuple[int | None, int | None, str | None]]:
    results = compute_ascof(
        cld(rows), population=population, period="2024-25", measures=["2B", "2C"], params=params
    )
    return {"2B": figures(results, "2B", "18-64"), "2C": figures(results, "2C", "65+")}


def test_one_new_admission_aged_65_plus_is_a_rate_per_100000(
    cld: BuildCld, population: Population
) -> None:
    # 100,000 x 1 / 40,000 = 2.5
    got = run(cld, population, [placement("A", "2024-09-01")])
    assert got == {"2B": (0, 150000, "0.0"), "2C": (1, 40000, "2.5")}


def test_rates_round_half_away_from_zero_to_one_place(
    cld: BuildCld, population: Population
) -> None:
    # Two people aged 30 (proxy DOB 1994-03-01): 100,000 x 2 / 150,000 = 1.3333 -> 1.3.
    rows = [placement(p, "2024-05-01", date_of_birth="1994-03-20") for p in ("F1", "F2")]
    assert run(cld, population, rows)["2B"] == (2, 150000, "1.3")


@pytest.mark.parametrize(
    ("rows", "expected_2c"),
    [
        # A residential row ending 2024-01-01, 274 days (< 365) before the nursing admission:
        # the admission is not new.
        pytest.param(
            [
                placement(
                    "B",
                    "2023-05-01",
                    "2024-01-01",
                    reporting_period_start_date="2023-04-01",
                    reporting_period_end_date="2024-03-31",
                    _file="old.csv",
                    _load_id="load-0",
                ),
                placement(
                    "B",
                    "2024-10-01",
                    service_type="Long Term Support: Nursing Care",
                    component="Long term nursing care",
                ),
            ],
            (0, 40000, "0.0"),
            id="previous_placement_within_365_days",
        ),
        # Ending 2023-09-30: 2024-10-01 - 2023-09-30 = 367 days, not < 365: new.
        pytest.param(
            [
                placement(
                    "B",
                    "2023-05-01",
                    "2023-09-30",
                    reporting_period_start_date="2023-04-01",
                    reporting_period_end_date="2024-03-31",
                    _file="old.csv",
                    _load_id="load-0",
                ),
                placement("B", "2024-10-01"),
            ],
            (1, 40000, "2.5"),
            id="previous_placement_over_365_days",
        ),
        # A self-funded earlier row still makes the later admission "existing".
        pytest.param(
            [
                placement(
                    "B",
                    "2024-04-05",
                    "2024-06-30",
                    event_outcome="NFA - Self-funded client (Inc. 12wk disregard)",
                ),
                placement("B", "2024-08-01"),
            ],
            (0, 40000, "0.0"),
            id="self_funded_row_makes_later_admission_existing",
        ),
        # The self-funded admission itself is not counted.
        pytest.param(
            [
                placement(
                    "B",
                    "2024-08-01",
                    event_outcome="NFA: Self-funded client or under 12wk disregard",
                )
            ],
            (0, 40000, "0.0"),
            id="self_funded_admission_excluded",
        ),
        # Component containing "Short" is excluded.
        pytest.param(
            [placement("D", "2024-08-01", component="Short term residential care")],
            (0, 40000, "0.0"),
            id="short_term_component_excluded",
        ),
        # Blank component: excluded in parity mode (SQL Server NULL semantics).
        pytest.param(
            [placement("C", "2024-08-01", component=None)],
            (0, 40000, "0.0"),
            id="blank_component_excluded_in_parity_mode",
        ),
        # Started before the year: not an admission in the year.
        pytest.param(
            [
                placement(
                    "E",
                    "2024-03-31",
                    reporting_period_start_date="2023-04-01",
                    reporting_period_end_date="2024-03-31",
                )
            ],
            (0, 40000, "0.0"),
            id="started_before_year",
        ),
        # No date of birth: excluded.
        pytest.param(
            [placement("G", "2024-08-01", date_of_birth=None)],
            (0, 40000, "0.0"),
            id="unknown_date_of_birth_excluded",
        ),
        # Two rows starting the same day (neither before the other): one person, once.
        pytest.param(
            [
                placement("H", "2024-08-01"),
                placement(
                    "H",
                    "2024-08-01",
                    service_type="Long term support: Nursing care",
                    component="Long term nursing care",
                ),
            ],
            (1, 40000, "2.5"),
            id="person_counted_once",
        ),
        # R1 service type and lower-case component are cleaned to R2 before comparison.
        pytest.param(
            [
                placement(
                    "J",
                    "2024-08-01",
                    service_type="Long Term Support: Residential Care",
                    component="long term residential care",
                )
            ],
            (1, 40000, "2.5"),
            id="r1_and_case_variants_mapped",
        ),
    ],
)
def test_new_admission_rules(
    cld: BuildCld, population: Population, rows: list[Row], expected_2c: tuple[int, int, str]
) -> None:
    assert run(cld, population, rows)["2C"] == expected_2c


def test_blank_component_counts_in_intended_mode(cld: BuildCld, population: Population) -> None:
    params = method_parameters().model_copy(update={"blank_component_mode": "intended"})
    got = run(cld, population, [placement("C", "2024-08-01", component=None)], params)
    assert got["2C"] == (1, 40000, "2.5")


@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        # Proxy DOB 1959-09-01; 2024-08-31 is 23741 days / 365.25 = 64.999 -> 64: 2B.
        pytest.param(
            "1959-09-30",
            {"2B": (1, 150000, "0.7"), "2C": (0, 40000, "0.0")},
            id="aged_64_at_admission",
        ),
        # Proxy DOB 1959-08-01: 2024-08-31 is 23772 days -> 65.08 -> 65: 2C.
        pytest.param(
            "1959-08-15",
            {"2B": (0, 150000, "0.0"), "2C": (1, 40000, "2.5")},
            id="aged_65_at_admission",
        ),
        # Proxy DOB 2006-09-01: aged 17 at admission, dropped.
        pytest.param(
            "2006-09-10", {"2B": (0, 150000, "0.0"), "2C": (0, 40000, "0.0")}, id="under_18_dropped"
        ),
    ],
)
def test_age_is_taken_at_admission_start(
    cld: BuildCld,
    population: Population,
    date_of_birth: str,
    expected: dict[str, tuple[int, int, str]],
) -> None:
    # 100,000 x 1 / 150,000 = 0.667 -> 0.7
    rows = [placement("K", "2024-08-31", date_of_birth=date_of_birth)]
    assert run(cld, population, rows) == expected


def test_person_who_died_before_the_year_is_excluded(cld: BuildCld, population: Population) -> None:
    # The only row for the person comes from an earlier file; the death on 2024-03-01 is
    # before the year start.
    rows = [
        placement(
            "L",
            "2024-01-10",
            date_of_death="2024-03-01",
            event_end_date="2024-03-01",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
        ),
        placement("M", "2024-06-01"),
    ]
    assert run(cld, population, rows)["2C"] == (1, 40000, "2.5")
