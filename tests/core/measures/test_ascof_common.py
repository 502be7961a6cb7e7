"""Common processing before the measures (reference cld-ascof.md §5) and the result contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from careassure.core.measures import (
    HOSPITAL_DATA_MESSAGE,
    MeasureError,
    ReportingYear,
    compute_ascof,
    measure_catalogue,
    parse_period,
    round_value,
    year_ending,
)
from careassure.core.population import Population
from tests.core.measures.helpers import LA, BuildCld, figures

Row = dict[str, str | None]


def community(
    person: str, start: str = "2024-01-01", end: str | None = None, **extra: str | None
) -> Row:
    return {
        "la_person_unique_identifier": person,
        "event_type": "Service",
        "service_type": "Long term support: Community",
        "service_component": "Home support or domiciliary care",
        "delivery_mechanism": "Direct payment",
        "event_start_date": start,
        "event_end_date": end,
        "event_outcome": "Provision of service",
        **extra,
    }


def events_of(con: object, person_like: str = "%") -> list[tuple[object, ...]]:
    query = (
        "SELECT person_id, event_start, der_end, service_type FROM ascof_events "
        "WHERE person_id LIKE ? ORDER BY person_id, event_start"
    )
    return con.execute(query, [person_like]).fetchall()  # type: ignore[attr-defined, no-any-return]


def test_same_event_in_two_submissions_is_kept_once_from_the_later_period(
    cld: BuildCld, population: Population
) -> None:
    rows = [
        community(
            "P1",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            _file="a.csv",
            _load_id="a",
        ),
        # R1 spellings of the same service, later file: the cleaned key matches.
        community(
            "P1",
            service_type="Long Term Support: Community",
            service_component="Home Support",
            _file="b.csv",
            _load_id="b",
        ),
    ]
    con = cld(rows)
    results = compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert figures(results, "3D.2a", "total") == (1, 1, "100.0")
    assert len(events_of(con)) == 1


def test_open_service_missing_from_the_next_period_is_cropped(
    cld: BuildCld, population: Population
) -> None:
    # Open in the 2023-24 file, absent from the 2024-25 file: its end becomes 2024-03-31, so
    # it is not in the 2024-25 year-end snapshot.
    rows = [
        community(
            "P1",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            _file="a.csv",
            _load_id="a",
        ),
        community("P2", _file="b.csv", _load_id="b"),
    ]
    con = cld(rows)
    results = compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert figures(results, "3D.2a", "total") == (1, 1, "100.0")
    assert events_of(con, f"{LA}_P1")[0][2] == date(2024, 3, 31)


def test_date_of_death_inside_the_event_replaces_its_end(
    cld: BuildCld, population: Population
) -> None:
    con = cld(
        [
            community(
                "P1",
                end="2025-06-30",
                date_of_death="2024-12-01",
                reporting_period_end_date="2025-03-31",
            )
        ]
    )
    compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert events_of(con)[0][2] == date(2024, 12, 1)


def test_open_service_ends_on_date_of_death(cld: BuildCld, population: Population) -> None:
    con = cld([community("P1", date_of_death="2024-11-15")])
    results = compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert events_of(con)[0][2] == date(2024, 11, 15)
    # Died before the year end: not in the snapshot.
    assert figures(results, "3D.2a", "total") == (0, 0, "0.0")


def test_rows_whose_death_precedes_the_event_are_dropped(
    cld: BuildCld, population: Population
) -> None:
    con = cld([community("P1", start="2024-06-01", date_of_death="2024-05-01")])
    compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert events_of(con) == []


@pytest.mark.parametrize(
    ("nhs_numbers", "people"),
    [
        # A valid NHS number joins two LA ids into one person.
        pytest.param(("943 476 5919", "9434765919"), ["9434765919"], id="valid_nhs_number"),
        # A failed check digit falls back to LA code + LA id.
        pytest.param(
            ("9434765918", "9434765918"), [f"{LA}_A", f"{LA}_B"], id="bad_check_digit_uses_la_id"
        ),
        pytest.param((None, None), [f"{LA}_A", f"{LA}_B"], id="no_nhs_number"),
    ],
)
def test_person_identifier(
    cld: BuildCld,
    population: Population,
    nhs_numbers: tuple[str | None, str | None],
    people: list[str],
) -> None:
    rows = [
        community("A", start="2024-01-01", nhs_number=nhs_numbers[0]),
        community("B", start="2024-02-01", nhs_number=nhs_numbers[1]),
    ]
    con = cld(rows)
    compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert sorted({str(r[0]) for r in events_of(con)}) == people


def test_rows_without_any_person_identifier_are_dropped(
    cld: BuildCld, population: Population
) -> None:
    con = cld([community("P1"), community("")])
    compute_ascof(con, population=population, period="2024-25", measures=["3D.2a"])
    assert [r[0] for r in events_of(con)] == [f"{LA}_P1"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        pytest.param("event_start_date", "01/01/2024", (1, 1, "100.0"), id="dd_mm_yyyy_date"),
        pytest.param("event_start_date", "2024-02-30", (0, 0, "0.0"), id="impossible_date"),
        pytest.param("event_start_date", "NULL", (0, 0, "0.0"), id="null_text"),
        pytest.param(
            "service_type",
            "long term support: community",
            (1, 1, "100.0"),
            id="case_insensitive_code",
        ),
        pytest.param(
            "service_type", "Long Term Community", (0, 0, "0.0"), id="invalid_code_not_mapped"
        ),
        pytest.param("client_type", "Service User", (1, 1, "100.0"), id="r1_client_type"),
        pytest.param("client_type", "Carer", (0, 0, "0.0"), id="carer_not_a_client"),
    ],
)
def test_values_are_cleaned_before_use(
    cld: BuildCld,
    population: Population,
    field: str,
    value: str,
    expected: tuple[int, int, str],
) -> None:
    results = compute_ascof(
        cld([community("P1", **{field: value})]),
        population=population,
        period="2024-25",
        measures=["3D.2a"],
    )
    assert figures(results, "3D.2a", "total") == expected


def test_every_council_gets_every_breakdown_with_zeros(
    cld: BuildCld, population: Population
) -> None:
    results = compute_ascof(
        cld([community("P1"), community("Q1", la_code="317")]),
        population=population,
        period="2024-25",
    )
    keys = [(r.la_code, r.measure, r.breakdown) for r in results]
    expected = [
        (la, m.id, b) for m in measure_catalogue() for la in (LA, "317") for b in m.breakdowns
    ]
    assert keys == expected
    assert figures(results, "2A", "total", "317") == (0, 0, "0.0")


def test_2d_degrades_with_a_message_when_no_hospital_data(
    cld: BuildCld, population: Population
) -> None:
    results = compute_ascof(
        cld([community("P1")]), population=population, period="2024-25", measures=["2D.1", "2D.2"]
    )
    breakdowns = ["total", "65-74", "75-84", "85+", "female", "male"]
    assert [
        (r.measure, r.breakdown, r.numerator, r.denominator, r.value, r.message) for r in results
    ] == [
        (measure, breakdown, None, None, None, HOSPITAL_DATA_MESSAGE)
        for measure in ("2D.1", "2D.2")
        for breakdown in breakdowns
    ]
    assert HOSPITAL_DATA_MESSAGE == (
        "ASCOF 2D not computed: it needs hospital inpatient data (SUS Admitted Patient Care) "
        "linked to CLD by NHS number, and none was supplied."
    )


def test_missing_population_for_a_council_is_an_error(
    cld: BuildCld, population: Population
) -> None:
    with pytest.raises(MeasureError, match="has no row for LA code 420"):
        compute_ascof(
            cld([community("P1", la_code="420")]),
            population=population,
            period="2024-25",
            measures=["2C"],
        )


def test_unknown_measure_is_an_error(cld: BuildCld, population: Population) -> None:
    with pytest.raises(MeasureError, match="Unknown ASCOF measure '2Z'"):
        compute_ascof(cld([community("P1")]), population=population, measures=["2Z"])


def test_default_period_is_the_year_ending_at_the_latest_reporting_period_end(
    cld: BuildCld, population: Population
) -> None:
    # One file ends 2025-03-31, the other 2025-06-30: the year is 2024-07-01..2025-06-30,
    # and a service ending 2025-06-30 is in the snapshot.
    rows = [
        community(
            "P1",
            end="2025-06-30",
            reporting_period_start_date="2024-07-01",
            reporting_period_end_date="2025-06-30",
        ),
        community("P2", end="2025-04-30"),
    ]
    results = compute_ascof(cld(rows), population=population, measures=["3D.2a"])
    assert figures(results, "3D.2a", "total") == (1, 1, "100.0")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        pytest.param("2024-25", ReportingYear(date(2024, 4, 1), date(2025, 3, 31)), id="fy"),
        pytest.param(
            "2024-07-01/2025-06-30", ReportingYear(date(2024, 7, 1), date(2025, 6, 30)), id="range"
        ),
    ],
)
def test_parse_period(text: str, year: ReportingYear) -> None:
    assert parse_period(text) == year


@pytest.mark.parametrize("text", ["2024-26", "2024", "2025-04-01/2024-03-31", "2024-02-30/x"])
def test_parse_period_rejects_bad_text(text: str) -> None:
    with pytest.raises(MeasureError, match="Period"):
        parse_period(text)


def test_year_ending_handles_month_ends() -> None:
    assert year_ending(date(2025, 3, 31)) == ReportingYear(date(2024, 4, 1), date(2025, 3, 31))
    assert year_ending(date(2024, 2, 28)) == ReportingYear(date(2023, 2, 28), date(2024, 2, 28))


@pytest.mark.parametrize(
    ("numerator", "denominator", "scale", "places", "expected"),
    [
        pytest.param(1, 16, 100, 1, "6.3", id="half_rounds_up_not_to_even"),  # 6.25
        pytest.param(1, 8, 100, 1, "12.5", id="exact"),
        pytest.param(2, 3, 100, 1, "66.7", id="two_thirds"),
        pytest.param(1, 3, 100, 2, "33.33", id="two_places"),
        pytest.param(1, 150000, 100000, 1, "0.7", id="rate_per_100000"),
        pytest.param(0, 0, 100, 1, "0.0", id="zero_denominator"),
    ],
)
def test_round_value(
    numerator: int, denominator: int, scale: int, places: int, expected: str
) -> None:
    assert round_value(numerator, denominator, scale, places) == Decimal(expected)
    assert str(round_value(numerator, denominator, scale, places)) == expected


def test_measure_metadata_is_complete() -> None:
    ids = [m.id for m in measure_catalogue()]
    assert ids == [
        "2A",
        "2B",
        "2C",
        "2D.1",
        "2D.2",
        "2E",
        "2E.LD",
        "3D.1a",
        "3D.2a",
        "3D.1b",
        "3D.2b",
    ]
    by_id = {m.id: m for m in measure_catalogue()}
    assert by_id["2D.1"].qs == ["QS2"]
    assert by_id["2D.1"].qs_basis == "reference"
    assert by_id["2D.1"].decimal_places == 2
    assert by_id["2B"].higher_is_better is False
    assert by_id["2C"].unit == "per 100,000 population"


def test_results_record_the_year_and_the_method(cld: BuildCld, population: Population) -> None:
    results = compute_ascof(
        cld([community("P1")]), population=population, period="2024-25", measures=["2E"]
    )
    assert {(r.period_start, r.period_end, r.method) for r in results} == {
        (
            date(2024, 4, 1),
            date(2025, 3, 31),
            "DHSC-2026-local-CLD (deaths: CLD; blank components: parity)",
        )
    }
