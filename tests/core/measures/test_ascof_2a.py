"""ASCOF 2A (reference cld-ascof.md §6.1), worked by hand for 2024/25 (2024-04-01..2025-03-31).

Unless a row says otherwise the person is born 1950-06-15 (proxy 1950-06-01, aged 73-74 in the
year, so 65+), and the ST-Max row runs 2024-05-01 to 2024-05-20. The sequel window is then
start >= 2024-05-01, end > 2024-05-20 and start <= 2024-05-27.
"""

from __future__ import annotations

import pytest

from careassure.core.measures import compute_ascof
from careassure.core.population import Population
from tests.core.measures.helpers import BuildCld, figures

Row = dict[str, str | None]


def stmax(
    person: str = "P1",
    start: str = "2024-05-01",
    end: str | None = "2024-05-20",
    outcome: str | None = "NFA: Information and advice or signposting",
    **extra: str | None,
) -> Row:
    return {
        "la_person_unique_identifier": person,
        "event_type": "Service",
        "service_type": "Short term support: ST-Max",
        "service_component": "Reablement",
        "event_start_date": start,
        "event_end_date": end,
        "event_outcome": outcome,
        **extra,
    }


def event(kind: str, start: str, end: str | None, person: str = "P1", **extra: str | None) -> Row:
    return {
        "la_person_unique_identifier": person,
        "event_type": kind,
        "event_start_date": start,
        "event_end_date": end,
        **extra,
    }


def run_2a(
    cld: BuildCld, population: Population, rows: list[Row]
) -> dict[str, tuple[int | None, int | None, str | None]]:
    results = compute_ascof(cld(rows), population=population, period="2024-25", measures=["2A"])
    return {b: figures(results, "2A", b) for b in ("total", "18-64", "65+")}


def test_r1_information_and_advice_outcome_counts_in_numerator(
    cld: BuildCld, population: Population
) -> None:
    # R1 "NFA - Information & Advice / Signposting only" maps to the R2 NFA information
    # outcome, which is usable; the window is empty, so candidate (a) gives the final outcome.
    got = run_2a(cld, population, [stmax(outcome="NFA - Information & Advice / Signposting only")])
    assert got == {"total": (1, 1, "100.0"), "18-64": (0, 0, "0.0"), "65+": (1, 1, "100.0")}


@pytest.mark.parametrize(
    ("second_start", "expected"),
    [
        # 2024-06-17 <= 2024-06-10 + 7: one cluster ending 2024-06-30 whose outcome (the latest
        # end) is "Admitted to hospital": excluded from both.
        pytest.param("2024-06-17", (0, 0, "0.0"), id="gap_7_days_one_cluster"),
        # 2024-06-18 starts a second cluster. The first keeps "NFA: Other" (numerator); the
        # second is admitted to hospital (excluded).
        pytest.param("2024-06-18", (1, 1, "100.0"), id="gap_8_days_two_clusters"),
    ],
)
def test_st_max_rows_within_seven_days_form_one_cluster(
    cld: BuildCld,
    population: Population,
    second_start: str,
    expected: tuple[int, int, str],
) -> None:
    rows = [
        stmax(start="2024-06-01", end="2024-06-10", outcome="NFA: Other"),
        stmax(start=second_start, end="2024-06-30", outcome="Admitted to hospital"),
    ]
    assert run_2a(cld, population, rows)["total"] == expected


@pytest.mark.parametrize(
    ("lts_end", "expected"),
    [
        # 2024-05-01 - 2024-02-01 = 90 days < 91: the person was receiving long-term support.
        pytest.param("2024-02-01", (0, 0, "0.0"), id="lts_ended_90_days_before"),
        # 2024-05-01 - 2024-01-31 = 91 days, not < 91: a new client.
        pytest.param("2024-01-31", (1, 1, "100.0"), id="lts_ended_91_days_before"),
    ],
)
def test_new_client_test_uses_91_day_lookback(
    cld: BuildCld, population: Population, lts_end: str, expected: tuple[int, int, str]
) -> None:
    lts = event(
        "Service",
        "2023-06-01",
        lts_end,
        service_type="Long Term Support: Community",
        service_component="Home Support",
        event_outcome="Service ended as planned",
        reporting_period_start_date="2023-04-01",
        reporting_period_end_date="2024-03-31",
        _file="2023-24.csv",
        _load_id="load-0",
    )
    assert run_2a(cld, population, [lts, stmax()])["total"] == expected


@pytest.mark.parametrize(
    ("date_of_death", "expected"),
    [
        # 2024-05-27 <= cluster end + 7 days: final outcome "NFA: Deceased", excluded.
        pytest.param("2024-05-27", (0, 0, "0.0"), id="died_within_7_days"),
        pytest.param("2024-05-28", (1, 1, "100.0"), id="died_8_days_after"),
    ],
)
def test_death_within_seven_days_of_cluster_end_is_excluded(
    cld: BuildCld, population: Population, date_of_death: str, expected: tuple[int, int, str]
) -> None:
    assert run_2a(cld, population, [stmax(date_of_death=date_of_death)])["total"] == expected


@pytest.mark.parametrize(
    ("start", "end", "expected_18_64"),
    [
        # Proxy DOB 2006-06-01. To 2024-06-01 is 6575 days / 365.25 = 18.0016: aged 18 (the
        # true age is 17), so counted.
        pytest.param("2024-05-20", "2024-06-01", (1, 1, "100.0"), id="aged_18_by_proxy_dob"),
        # To 2024-05-31 is 6574 days / 365.25 = 17.998: aged 17, excluded from every group.
        pytest.param("2024-05-20", "2024-05-31", (0, 0, "0.0"), id="aged_17"),
    ],
)
def test_age_at_cluster_end_uses_first_of_birth_month(
    cld: BuildCld,
    population: Population,
    start: str,
    end: str,
    expected_18_64: tuple[int, int, str],
) -> None:
    got = run_2a(cld, population, [stmax(start=start, end=end, date_of_birth="2006-06-10")])
    assert got["18-64"] == expected_18_64
    assert got["total"] == expected_18_64


def test_unknown_age_counts_in_total_only(cld: BuildCld, population: Population) -> None:
    got = run_2a(cld, population, [stmax(date_of_birth=None)])
    assert got == {"total": (1, 1, "100.0"), "18-64": (0, 0, "0.0"), "65+": (0, 0, "0.0")}


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        pytest.param(
            event(
                "Service",
                "2024-05-22",
                None,
                service_type="Long Term Support: Community",
                service_component="Home Support",
                event_outcome="Provision of service",
            ),
            (0, 1, "0.0"),
            id="long_term_community_denominator_only",
        ),
        pytest.param(
            event(
                "Service",
                "2024-05-25",
                "2024-06-10",
                service_type="Short Term Support: Other Short Term",
                service_component="Short Term Residential Care",
                event_outcome="Service ended as planned",
            ),
            (0, 1, "0.0"),
            id="other_short_term_residential_relabelled",
        ),
        pytest.param(
            event(
                "Service",
                "2024-05-25",
                "2024-06-10",
                service_type="Short term support: Other short term",
                service_component="Day support",
                event_outcome="NFA: Other",
            ),
            (1, 1, "100.0"),
            id="other_short_term_numerator",
        ),
        pytest.param(
            event(
                "Service",
                "2024-05-27",
                "2024-08-10",
                service_type="Short term support: Ongoing low level",
                service_component="Equipment",
                event_outcome="NFA: Other",
            ),
            (1, 1, "100.0"),
            id="ongoing_low_level_on_last_day_of_window",
        ),
        pytest.param(
            event(
                "Service",
                "2024-05-28",
                None,
                service_type="Long term support: Community",
                service_component="Home support or domiciliary care",
                event_outcome="Continuation of support or services",
            ),
            (0, 0, "0.0"),
            id="service_after_window_unable_to_classify",
        ),
    ],
)
def test_service_in_sequel_window_sets_final_outcome(
    cld: BuildCld, population: Population, service: Row, expected: tuple[int, int, str]
) -> None:
    # The cluster's own outcome is unusable, so only the window service can classify it.
    rows = [stmax(outcome="Progress to support planning or services"), service]
    assert run_2a(cld, population, rows)["total"] == expected


def test_carer_services_in_window_are_ignored_and_own_outcome_stands(
    cld: BuildCld, population: Population
) -> None:
    # Step 3 ignores carer services; the window is not empty and has no non-service event, so
    # candidate (a) is not offered; no equipment; step 6 keeps the cluster outcome, which is
    # NFA information and advice: numerator and denominator.
    carer_service = event(
        "Service",
        "2024-05-21",
        None,
        service_type="Unpaid carer support: Direct to unpaid carer",
        service_component="Unpaid carer respite",
    )
    assert run_2a(cld, population, [stmax(), carer_service])["total"] == (1, 1, "100.0")


@pytest.mark.parametrize(
    ("cluster_outcome", "review_outcome", "expected"),
    [
        # (b) only: the review's usable outcome.
        pytest.param(
            "Progress to support planning or services",
            "NFA: Other",
            (1, 1, "100.0"),
            id="review_outcome_used",
        ),
        pytest.param(
            "Progress to support planning or services",
            "NFA - Support declined",
            (0, 0, "0.0"),
            id="r1_support_declined_excluded",
        ),
        # "Support ended as planned" is not a (b) candidate; nothing else classifies it.
        pytest.param(
            "Progress to support planning or services",
            "NFA: Support ended as planned",
            (0, 0, "0.0"),
            id="ended_as_planned_not_a_candidate",
        ),
        # (a) hierarchy 10 beats (b) hierarchy 12.
        pytest.param(
            "NFA: Information and advice or signposting",
            "NFA: Support declined",
            (1, 1, "100.0"),
            id="cluster_outcome_lower_hierarchy",
        ),
        # (b) "Admitted to hospital" (6) beats (a) "NFA: Other" (17): excluded.
        pytest.param(
            "NFA: Other", "Admitted to hospital", (0, 0, "0.0"), id="review_outcome_lower_hierarchy"
        ),
    ],
)
def test_usable_outcomes_in_window_choose_lowest_hierarchy(
    cld: BuildCld,
    population: Population,
    cluster_outcome: str,
    review_outcome: str,
    expected: tuple[int, int, str],
) -> None:
    review = event("Review", "2024-05-21", "2024-05-30", event_outcome=review_outcome)
    rows = [stmax(outcome=cluster_outcome), review]
    assert run_2a(cld, population, rows)["total"] == expected


@pytest.mark.parametrize(
    ("assessment_end", "expected"),
    [
        # Ends 10 days before the cluster end (< 14): nested, its usable outcome is used.
        pytest.param("2024-05-10", (1, 1, "100.0"), id="nested_10_days_before_end"),
        # Ends 14 days before: not nested; the cluster outcome is unusable.
        pytest.param("2024-05-06", (0, 0, "0.0"), id="not_nested_14_days_before_end"),
    ],
)
def test_nested_assessment_outcome_is_a_candidate(
    cld: BuildCld, population: Population, assessment_end: str, expected: tuple[int, int, str]
) -> None:
    assessment = event(
        "Assessment",
        "2024-05-05",
        assessment_end,
        assessment_type="Short term assessment",
        event_outcome="NFA: Information and advice or signposting",
    )
    rows = [stmax(outcome="Provision of service"), assessment]
    assert run_2a(cld, population, rows)["total"] == expected


def test_nested_equipment_service_means_ongoing_low_level(
    cld: BuildCld, population: Population
) -> None:
    equipment = event(
        "Service",
        "2024-05-02",
        "2024-05-10",
        service_type="Short term support: Other short term",
        service_component="Equipment",
        event_outcome="Service ended as planned",
    )
    without = run_2a(cld, population, [stmax(outcome="Provision of service")])
    with_equipment = run_2a(cld, population, [stmax(outcome="Provision of service"), equipment])
    assert without["total"] == (0, 0, "0.0")
    assert with_equipment["total"] == (1, 1, "100.0")


@pytest.mark.parametrize(
    "outcome",
    [
        pytest.param("Sorted out", id="invalid_code"),
        pytest.param(None, id="blank"),
        pytest.param("Admitted to hospital", id="admitted_to_hospital"),
        pytest.param("NFA - Self-funded client (Inc. 12wk disregard)", id="self_funded"),
    ],
)
def test_outcomes_outside_both_counts(
    cld: BuildCld, population: Population, outcome: str | None
) -> None:
    assert run_2a(cld, population, [stmax(outcome=outcome)])["total"] == (0, 0, "0.0")


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        pytest.param("2025-03-31", (1, 1, "100.0"), id="ends_on_year_end"),
        pytest.param("2025-04-02", (0, 0, "0.0"), id="ends_after_year"),
        pytest.param(None, (0, 0, "0.0"), id="still_open"),
    ],
)
def test_cluster_must_end_in_the_year(
    cld: BuildCld, population: Population, end: str | None, expected: tuple[int, int, str]
) -> None:
    rows = [
        stmax(
            start="2025-03-01",
            end=end,
            reporting_period_end_date="2025-06-30",
            reporting_period_start_date="2024-07-01",
        )
    ]
    assert run_2a(cld, population, rows)["total"] == expected


def test_counts_episodes_not_people_and_keeps_duplicate_submission_once(
    cld: BuildCld, population: Population
) -> None:
    # Two episodes for one person in the year (gap of more than 7 days), plus the second
    # episode submitted again in a later file: 2 clusters, both NFA information.
    rows = [
        stmax(start="2024-05-01", end="2024-05-20"),
        stmax(start="2024-09-01", end="2024-09-20"),
        stmax(
            start="2024-09-01",
            end="2024-09-20",
            reporting_period_start_date="2024-07-01",
            reporting_period_end_date="2025-06-30",
            _file="later.csv",
            _load_id="load-2",
        ),
    ]
    assert run_2a(cld, population, rows)["total"] == (2, 2, "100.0")
