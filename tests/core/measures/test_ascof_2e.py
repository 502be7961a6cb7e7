"""ASCOF 2E and 2E.LD (reference cld-ascof.md §6.4 and person details §5.9), for 2024/25."""

from __future__ import annotations

from careassure.core.measures import compute_ascof
from careassure.core.population import Population
from tests.core.measures.helpers import BuildCld, figures

Row = dict[str, str | None]

ADULT = "1980-02-10"  # proxy 1980-02-01: aged 45 at 2025-03-31
OLDER = "1940-02-10"  # aged 85


def lts(
    person: str,
    *,
    service_type: str = "Long term support: Community",
    component: str = "Home support or domiciliary care",
    start: str = "2023-01-01",
    end: str | None = None,
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


def test_settled_share_by_age_band_and_sex(cld: BuildCld, population: Population) -> None:
    rows = [
        # 18-64 male, settled (R1 "Tenant" -> social housing tenant).
        lts("P1", gender="Male", date_of_birth=ADULT, accommodation_status="Tenant"),
        # 18-64 female, LD, two services with conflicting statuses at the top rank -> Unknown;
        # the fallback services (LT community; components disagree, so unknown) give
        # "Unknown: Presumed in community": unsettled.
        lts(
            "P5",
            component="Day support",
            date_of_birth=ADULT,
            primary_support_reason="Learning Disability Support",
            accommodation_status="Owner occupier or shared ownership scheme",
        ),
        lts(
            "P5",
            component="Meals",
            date_of_birth=ADULT,
            primary_support_reason="Learning Disability Support",
            accommodation_status="Tenant: Private landlord",
        ),
        # 65+ female, registered care home: unsettled.
        lts(
            "P2",
            service_type="Long term support: Residential care",
            component="Long term residential care",
            date_of_birth=OLDER,
            accommodation_status="Registered care home",
        ),
        # 65+ female, Unknown status; LT community + home support -> presumed at home: settled.
        lts("P3", date_of_birth=OLDER, accommodation_status="Unknown"),
        # 65+ gender Other, blank status; LT nursing -> registered nursing home: unsettled.
        # Counts in the 65+ total only, not in male or female.
        lts(
            "P4",
            service_type="Long Term Support: Nursing Care",
            component="Long term nursing care",
            date_of_birth=OLDER,
            gender="Other",
            accommodation_status=None,
        ),
        # Unknown date of birth: dropped from every group.
        lts("P6", date_of_birth=None),
        # Aged 17 at 2025-03-31 (proxy 2007-06-01): dropped.
        lts("P7", date_of_birth="2007-06-20"),
        # Ended before the year: not in the cohort.
        lts(
            "P8",
            end="2024-03-15",
            date_of_birth=ADULT,
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            _file="old.csv",
            _load_id="load-0",
        ),
        # Died before the year (2024-03-20): not in the cohort.
        lts(
            "P9",
            date_of_birth=ADULT,
            date_of_death="2024-03-20",
            event_end_date="2024-03-20",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            _file="old.csv",
            _load_id="load-0",
        ),
        # Invalid service type: not long-term support.
        lts("P10", service_type="Long Term Support: Somewhere", date_of_birth=ADULT),
    ]
    results = compute_ascof(
        cld(rows), population=population, period="2024-25", measures=["2E", "2E.LD"]
    )
    # 18-64: P1 settled, P5 not -> 1/2 = 50.0
    assert figures(results, "2E", "18-64") == (1, 2, "50.0")
    assert figures(results, "2E", "18-64 male") == (1, 1, "100.0")
    assert figures(results, "2E", "18-64 female") == (0, 1, "0.0")
    # 65+: P3 settled; P2, P4 not -> 1/3 = 33.3
    assert figures(results, "2E", "65+") == (1, 3, "33.3")
    assert figures(results, "2E", "65+ female") == (1, 2, "50.0")
    assert figures(results, "2E", "65+ male") == (0, 0, "0.0")
    # LD 18-64: P5 only, unsettled.
    assert figures(results, "2E.LD", "18-64") == (0, 1, "0.0")
    assert figures(results, "2E.LD", "18-64 female") == (0, 1, "0.0")
    assert figures(results, "2E.LD", "18-64 male") == (0, 0, "0.0")


def test_latest_submission_gives_the_accommodation_status(
    cld: BuildCld, population: Population
) -> None:
    # The same open service in two files; the later reference period says rough sleeper.
    rows = [
        lts(
            "P1",
            date_of_birth=ADULT,
            accommodation_status="Owner occupier or shared ownership scheme",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            _file="old.csv",
            _load_id="load-0",
        ),
        lts("P1", date_of_birth=ADULT, accommodation_status="Rough sleeper / squatting"),
    ]
    results = compute_ascof(cld(rows), population=population, period="2024-25", measures=["2E"])
    assert figures(results, "2E", "18-64") == (0, 1, "0.0")


def test_known_status_beats_a_later_unknown(cld: BuildCld, population: Population) -> None:
    # Known values rank first, whatever the period: the older "Shared Lives scheme" wins over
    # the later "Unknown".
    rows = [
        lts(
            "P1",
            date_of_birth=ADULT,
            accommodation_status="Shared Lives scheme",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            _file="old.csv",
            _load_id="load-0",
        ),
        lts("P1", date_of_birth=ADULT, accommodation_status="Unknown", component="Day support"),
    ]
    results = compute_ascof(cld(rows), population=population, period="2024-25", measures=["2E"])
    assert figures(results, "2E", "18-64") == (1, 1, "100.0")


def test_person_details_are_ranked_the_same_when_dates_span_centuries(
    cld: BuildCld, population: Population
) -> None:
    # Dates from 0100 to 9999 in one run: the person-details ranking keys no longer fit in a
    # 64-bit integer, so the engine ranks with wider numbers; the ranking rules are the same.
    rows = [
        # P1: the 2024-25 row (start 0100-01-01, open) outranks a 1900-01 period row: settled.
        lts("P1", start="0100-01-01", accommodation_status="Tenant: Private landlord"),
        lts(
            "P1",
            component="Day support",
            start="1900-05-01",
            end="1900-06-01",
            accommodation_status="Registered care home",
            reporting_period_start_date="1900-04-01",
            reporting_period_end_date="1901-03-31",
            _file="old.csv",
            _load_id="load-0",
        ),
        # P2: two services alike in period, end (9999-12-31) and start, with different
        # statuses: Unknown; the fallback prefers the home-support component: presumed at
        # home, settled.
        lts("P2", end="9999-12-31", accommodation_status="Registered care home"),
        lts(
            "P2",
            component="Day support",
            end="9999-12-31",
            accommodation_status="Owner occupier or shared ownership scheme",
        ),
        # P3: a registered care home: unsettled.
        lts("P3", accommodation_status="Registered care home"),
    ]
    results = compute_ascof(cld(rows), population=population, period="2024-25", measures=["2E"])
    # Everyone is 74 at 2025-03-31 (proxy 1950-06-01): P1 and P2 of 3 -> 66.7.
    assert figures(results, "2E", "65+") == (2, 3, "66.7")
    assert figures(results, "2E", "65+ female") == (2, 3, "66.7")
