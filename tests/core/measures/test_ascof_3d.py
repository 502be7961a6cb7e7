"""ASCOF 3D (reference cld-ascof.md §6.5), worked by hand for 2024/25 (snapshot 2025-03-31)."""

from __future__ import annotations

from careassure.core.measures import compute_ascof, method_parameters
from careassure.core.population import Population
from tests.core.measures.helpers import BuildCld, figures

Row = dict[str, str | None]

ADULT = "1980-02-10"  # aged 45 at 2025-03-31


def service(
    person: str,
    service_type: str,
    mechanism: str | None,
    component: str | None,
    *,
    start: str = "2024-01-01",
    end: str | None = None,
    **extra: str | None,
) -> Row:
    return {
        "la_person_unique_identifier": person,
        "event_type": "Service",
        "service_type": service_type,
        "delivery_mechanism": mechanism,
        "service_component": component,
        "event_start_date": start,
        "event_end_date": end,
        "event_outcome": "Provision of service",
        **extra,
    }


COMMUNITY = "Long Term Support: Community"


def test_clients_self_directed_support_and_direct_payments(
    cld: BuildCld, population: Population
) -> None:
    rows = [
        # C1: R1 "Direct Payment" mechanism -> rank 3 (1a and 2a). Aged 45.
        service("C1", COMMUNITY, "Direct Payment", "Home Support", date_of_birth=ADULT),
        # C2: managed personal budget -> rank 4 (1a only). 65+.
        service("C2", COMMUNITY, "CASSR Managed Personal Budget", "Home Support"),
        # C3: blank mechanism but component Direct payment -> rank 3. 65+.
        service("C3", COMMUNITY, None, "Direct Payment"),
        # C4: commissioned support -> rank 5 (denominator only). 65+.
        service("C4", COMMUNITY, "CASSR Commissioned Support", "Day support"),
        # C5: residential and a community direct payment -> residential wins (rank 2): outside.
        service(
            "C5",
            "Long term support: Residential care",
            "Direct payment",
            "Long term residential care",
        ),
        service("C5", COMMUNITY, "Direct payment", "Home support or domiciliary care"),
        # C6: community, invalid mechanism -> blanked -> rank 6 (denominator only). Aged 45.
        service("C6", COMMUNITY, "Cash", "Meals", date_of_birth=ADULT),
        # C7: prison -> outside the community denominator.
        service(
            "C7",
            "Long term support: Prison",
            "CASSR managed personal budget",
            "Other long term support",
        ),
        # C8: community service ended before the year end: not in the snapshot.
        service("C8", COMMUNITY, "Direct payment", "Home Support", end="2025-03-30"),
        # C9: unknown age, direct payment: Total only.
        service("C9", COMMUNITY, "Direct payment", "Home Support", date_of_birth=None),
        # C10: died 2025-03-30, before the year end: outside.
        service(
            "C10",
            COMMUNITY,
            "Direct payment",
            "Home Support",
            date_of_death="2025-03-30",
            event_end_date="2025-03-30",
        ),
    ]
    results = compute_ascof(
        cld(rows), population=population, period="2024-25", measures=["3D.1a", "3D.2a"]
    )
    # Denominator: C1, C2, C3, C4, C6, C9 = 6. 1a: C1, C2, C3, C9 = 4 -> 66.7. 2a: C1, C3, C9
    # = 3 -> 50.0.
    assert figures(results, "3D.1a", "total") == (4, 6, "66.7")
    assert figures(results, "3D.2a", "total") == (3, 6, "50.0")
    # 18-64: C1 (DP), C6 (unknown mechanism).
    assert figures(results, "3D.1a", "18-64") == (1, 2, "50.0")
    assert figures(results, "3D.2a", "18-64") == (1, 2, "50.0")
    # 65+: C2 (PB), C3 (DP), C4 (commissioned).
    assert figures(results, "3D.1a", "65+") == (2, 3, "66.7")
    assert figures(results, "3D.2a", "65+") == (1, 3, "33.3")


CARER_DIRECT = "Carer Support: Direct to Carer"


def carer_rows() -> list[Row]:
    carer = {"client_type": "Carer", "date_of_birth": ADULT}
    return [
        # K1: direct payment -> DP only.
        service("K1", CARER_DIRECT, "Direct Payment", "Carer Respite", **carer),
        # K2: managed personal budget with a component -> Managed PB.
        service("K2", CARER_DIRECT, "CASSR Managed Personal Budget", "Carer Respite", **carer),
        # K3: managed personal budget with a blank component: no category in parity mode.
        service("K3", CARER_DIRECT, "CASSR Managed Personal Budget", None, **carer),
        # K4: commissioned support -> Commissioned only.
        service(
            "K4",
            CARER_DIRECT,
            "CASSR Commissioned Support",
            "Unpaid carer sitting service",
            **carer,
        ),
        # K5: an assessment only -> no direct support (outside the denominator).
        {
            "la_person_unique_identifier": "K5",
            "event_type": "Assessment",
            "assessment_type": "Long Term Assessment",
            "event_start_date": "2024-06-01",
            "event_end_date": "2024-06-20",
            "event_outcome": "Progress to Support Planning / Services",
            **carer,
        },
        # K6: blank mechanism -> unknown mechanism (outside the denominator).
        service("K6", CARER_DIRECT, None, "Carer Respite", **carer),
        # K7: service ended before the year: outside the cohort.
        service(
            "K7",
            CARER_DIRECT,
            "Direct payment",
            "Carer Respite",
            start="2023-05-01",
            end="2024-03-01",
            reporting_period_start_date="2023-04-01",
            reporting_period_end_date="2024-03-31",
            **carer,
        ),
    ]


def test_carers_self_directed_support_in_parity_mode(cld: BuildCld, population: Population) -> None:
    results = compute_ascof(
        cld(carer_rows()), population=population, period="2024-25", measures=["3D.1b", "3D.2b"]
    )
    # Denominator K1, K2, K4 = 3; 1b K1, K2 = 2 -> 66.7; 2b K1 = 1 -> 33.3.
    assert figures(results, "3D.1b", "total") == (2, 3, "66.7")
    assert figures(results, "3D.2b", "total") == (1, 3, "33.3")
    assert figures(results, "3D.1b", "18-64") == (2, 3, "66.7")
    assert figures(results, "3D.1b", "65+") == (0, 0, "0.0")


def test_carers_blank_component_counts_in_intended_mode(
    cld: BuildCld, population: Population
) -> None:
    params = method_parameters().model_copy(update={"blank_component_mode": "intended"})
    results = compute_ascof(
        cld(carer_rows()),
        population=population,
        period="2024-25",
        measures=["3D.1b", "3D.2b"],
        params=params,
    )
    # K3 becomes Managed PB: denominator 4, 1b 3 -> 75.0, 2b 1 -> 25.0.
    assert figures(results, "3D.1b", "total") == (3, 4, "75.0")
    assert figures(results, "3D.2b", "total") == (1, 4, "25.0")
