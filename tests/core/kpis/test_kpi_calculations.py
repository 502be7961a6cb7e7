"""KPI values worked by hand from the tiny extracts in conftest.py (as at 10 February 2025).

Groupings used: coastal = {Bayview}, inland = {Ashvale}.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from kpi_extract_data import CONTACTS_CSV, FILES, write_extracts

from careassure.core.kpis import (
    KpiValue,
    LocalityGroupings,
    compute_kpis,
    compute_kpis_from_connection,
    group_gaps,
    latest_extract_date,
    load_extracts,
    load_kpi_catalogue,
    month_series,
)

AS_AT = date(2025, 2, 10)
GROUPS = LocalityGroupings(name="test", groups={"coastal": ("Bayview",), "inland": ("Ashvale",)})

Key = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, KpiValue]:
    folder = write_extracts(tmp_path_factory.mktemp("kpis") / "extracts", FILES)
    result = compute_kpis(folder, as_at=AS_AT, groupings=GROUPS)
    return {(v.kpi_id, v.period, v.dimension, v.dimension_value): v for v in result}


def _v(
    values: dict[Key, KpiValue], kpi: str, period: str, dim: str = "total", val: str = "all"
) -> tuple[Decimal, int | None, int | None]:
    item = values[(kpi, period, dim, val)]
    return item.value, item.numerator, item.denominator


@pytest.mark.parametrize(
    ("kpi", "period", "dim", "dim_value", "expected"),
    [
        # January: C1, C2, C3 received. C1 screened in 6 h, C2 in 96 h (late), C3 in exactly
        # 24 h (on time: "within 24 hours" includes 24 h). 2 / 3 = 66.666..% -> 66.7.
        ("sg_concerns_received", "2025-01", "total", "all", (Decimal(3), None, None)),
        ("sg_screened_within_24h_pct", "2025-01", "total", "all", (Decimal("66.7"), 2, 3)),
        # North hub: C1 on time, C2 late -> 1 / 2; South hub: C3 on time -> 1 / 1.
        ("sg_screened_within_24h_pct", "2025-01", "hub", "North", (Decimal("50.0"), 1, 2)),
        ("sg_screened_within_24h_pct", "2025-01", "hub", "South", (Decimal("100.0"), 1, 1)),
        # Coastal (Bayview): C1, C3 on time; inland (Ashvale): C2 late.
        ("sg_screened_within_24h_pct", "2025-01", "group", "coastal", (Decimal("100.0"), 2, 2)),
        ("sg_screened_within_24h_pct", "2025-01", "group", "inland", (Decimal("0.0"), 0, 1)),
        # Screening times 0.25, 4 and 1 days: median 1.0, maximum 4.0.
        ("sg_screening_median_days", "2025-01", "total", "all", (Decimal("1.0"), None, 3)),
        ("sg_screening_max_days", "2025-01", "total", "all", (Decimal("4.0"), None, 3)),
        # February up to the 10th: C4 (received 9 Feb 12:00, unscreened, its 24 h passed at
        # 10 Feb 12:00, before the end of the as-at day: late) and C5 (received 10 Feb 09:00,
        # deadline 11 Feb 09:00 not yet reached: left out). C7 is after the as-at date.
        ("sg_concerns_received", "2025-02", "total", "all", (Decimal(2), None, None)),
        ("sg_screened_within_24h_pct", "2025-02", "total", "all", (Decimal("0.0"), 0, 1)),
        # Open at 31 January: C3 (age 0) and C6 (1 Sep 2024 -> 31 Jan 2025 = 152 days).
        ("sg_open_count", "2025-01", "total", "all", (Decimal(2), None, None)),
        ("sg_open_median_age_days", "2025-01", "total", "all", (Decimal("76.0"), None, 2)),
        # Open at 10 February: C3 10 days, C4 1, C5 0, C6 162 (30+31+30+31+31+9).
        # Median of 0, 1, 10, 162 = (1 + 10) / 2 = 5.5.
        ("sg_open_count", "2025-02", "total", "all", (Decimal(4), None, None)),
        ("sg_open_median_age_days", "2025-02", "total", "all", (Decimal("5.5"), None, 4)),
        ("sg_open_max_age_days", "2025-02", "total", "all", (Decimal("162.0"), None, 4)),
        # Coastal: C3 10 and C6 162 -> median 86.0; inland: C4 1 and C5 0 -> 0.5.
        ("sg_open_median_age_days", "2025-02", "group", "coastal", (Decimal("86.0"), None, 2)),
        ("sg_open_median_age_days", "2025-02", "group", "inland", (Decimal("0.5"), None, 2)),
        ("sg_open_count", "2025-02", "hub", "South", (Decimal(3), None, None)),
        # Waiting lists, January: the 31 January snapshot (not the 15th). Assessment waits
        # 30, 61, 10, 20 days -> sorted 10, 20, 30, 61; median (20 + 30) / 2 = 25.0;
        # p90: position 0.9 x (4 - 1) = 2.7 -> 30 + 0.7 x (61 - 30) = 51.7.
        ("waiting_assessment_count", "2025-01", "total", "all", (Decimal(4), None, None)),
        ("waiting_assessment_median_days", "2025-01", "total", "all", (Decimal("25.0"), None, 4)),
        ("waiting_assessment_p90_days", "2025-01", "total", "all", (Decimal("51.7"), None, 4)),
        # All lists add the review wait of 92 days: 10, 20, 30, 61, 92 -> median 30.0;
        # p90 position 0.9 x 4 = 3.6 -> 61 + 0.6 x 31 = 79.6.
        ("waiting_all_median_days", "2025-01", "total", "all", (Decimal("30.0"), None, 5)),
        ("waiting_all_p90_days", "2025-01", "total", "all", (Decimal("79.6"), None, 5)),
        # Coastal assessment waits 30, 61 -> 45.5; inland 10, 20 -> 15.0.
        (
            "waiting_assessment_median_days",
            "2025-01",
            "group",
            "coastal",
            (Decimal("45.5"), None, 2),
        ),
        (
            "waiting_assessment_median_days",
            "2025-01",
            "group",
            "inland",
            (Decimal("15.0"), None, 2),
        ),
        # Contacts: K1, K2, K3, K6 resolved (K6's outcome is matched without regard to case),
        # K4 referred, K5 other: 4 / 6 = 66.7%. Coastal 2 / 2; inland K3, K6 of 4 = 50.0.
        (
            "contacts_resolved_without_assessment_pct",
            "2025-01",
            "total",
            "all",
            (Decimal("66.7"), 4, 6),
        ),
        (
            "contacts_resolved_without_assessment_pct",
            "2025-01",
            "group",
            "coastal",
            (Decimal("100.0"), 2, 2),
        ),
        (
            "contacts_resolved_without_assessment_pct",
            "2025-01",
            "group",
            "inland",
            (Decimal("50.0"), 2, 4),
        ),
        # Discharges in January: P1 0 days, P2 7, P5 3 -> 3 discharges, 2 delayed, 10 days,
        # mean 10 / 3 = 3.33 -> 3.3. February: P3 13 days.
        ("discharges_count", "2025-01", "total", "all", (Decimal(3), None, None)),
        ("discharges_delayed_count", "2025-01", "total", "all", (Decimal(2), None, 3)),
        ("discharge_delay_days_total", "2025-01", "total", "all", (Decimal("10.0"), None, 3)),
        ("discharge_delay_days_mean", "2025-01", "total", "all", (Decimal("3.3"), 10, 3)),
        ("discharge_delay_days_mean", "2025-02", "total", "all", (Decimal("13.0"), 13, 1)),
        # Ready to leave but still in hospital at 31 January: P3 (left 2 Feb) and P4 (still
        # there); P5 left on the 31st. At 10 February: P4 only.
        ("hospital_ready_to_leave_people", "2025-01", "total", "all", (Decimal(2), None, None)),
        ("hospital_ready_to_leave_people", "2025-02", "total", "all", (Decimal(1), None, None)),
    ],
    ids=lambda p: p if isinstance(p, str) else None,
)
def test_kpi_value_matches_hand_working(
    values: dict[Key, KpiValue],
    kpi: str,
    period: str,
    dim: str,
    dim_value: str,
    expected: tuple[Decimal, int | None, int | None],
) -> None:
    assert _v(values, kpi, period, dim, dim_value) == expected


def test_snapshot_period_end_is_the_as_at_date_in_the_as_at_month(
    values: dict[Key, KpiValue],
) -> None:
    assert values[("sg_open_count", "2025-02", "total", "all")].period_end == AS_AT
    assert values[("sg_open_count", "2025-01", "total", "all")].period_end == date(2025, 1, 31)
    # Waiting-list values carry the date of the snapshot used.
    waiting = values[("waiting_assessment_count", "2025-01", "total", "all")]
    assert waiting.period_end == date(2025, 1, 31)


def test_zero_counts_are_reported_for_months_with_nothing_to_count(
    values: dict[Key, KpiValue],
) -> None:
    # No concern was received in October 2024, but the extract covers it (C6 is from Sept).
    assert _v(values, "sg_concerns_received", "2024-10") == (Decimal(0), None, None)
    # ...and no screening percentage is invented for it.
    assert ("sg_screened_within_24h_pct", "2024-10", "total", "all") not in values


def test_group_gap_shows_coastal_minus_inland(tiny_extracts: Path) -> None:
    result = compute_kpis(tiny_extracts, as_at=AS_AT, groupings=GROUPS)
    gaps = {
        (g.kpi_id, g.period): g.gap for g in group_gaps(result, group_a="coastal", group_b="inland")
    }
    # 86.0 - 0.5 and 45.5 - 15.0 (worked above).
    assert gaps[("sg_open_median_age_days", "2025-02")] == Decimal("85.5")
    assert gaps[("waiting_assessment_median_days", "2025-01")] == Decimal("30.5")


def test_without_groupings_there_are_no_group_rows(tiny_extracts: Path) -> None:
    result = compute_kpis(tiny_extracts, as_at=AS_AT)
    assert {v.dimension for v in result} == {"total", "hub", "locality"}


def test_resolved_outcomes_come_from_configuration(tiny_extracts: Path) -> None:
    default = load_kpi_catalogue()
    settings = default.settings.model_copy(
        update={
            "resolved_without_assessment_outcomes": frozenset(
                {"information_and_advice", "signposted_to_community"}
            )
        }
    )
    catalogue = default.model_copy(update={"settings": settings})
    result = compute_kpis(tiny_extracts, as_at=AS_AT, catalogue=catalogue)
    share = next(
        v
        for v in result
        if v.kpi_id == "contacts_resolved_without_assessment_pct" and v.dimension == "total"
    )
    # Without minor equipment: K1, K2, K6 -> 3 / 6 = 50.0%.
    assert (share.value, share.numerator, share.denominator) == (Decimal("50.0"), 3, 6)


def test_month_series_lists_months_in_order(tiny_extracts: Path) -> None:
    result = compute_kpis(tiny_extracts, as_at=AS_AT)
    series = month_series(result, "sg_open_count")
    # Months September 2024 to February 2025; C6 is open throughout, C3 from 31 Jan.
    assert series == [
        (date(2024, 9, 1), 1.0),
        (date(2024, 10, 1), 1.0),
        (date(2024, 11, 1), 1.0),
        (date(2024, 12, 1), 1.0),
        (date(2025, 1, 1), 2.0),
        (date(2025, 2, 1), 4.0),
    ]


def test_missing_extracts_give_no_values_for_their_kpis(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "only-contacts", {"contacts.csv": CONTACTS_CSV})
    result = compute_kpis(folder, as_at=date(2025, 1, 31))
    assert {v.kpi_id for v in result} == {
        "contacts_count",
        "contacts_resolved_without_assessment_pct",
    }


def test_one_loaded_connection_can_be_measured_at_several_dates(tiny_extracts: Path) -> None:
    loaded = load_extracts(tiny_extracts)
    first = compute_kpis_from_connection(loaded.connection, as_at=date(2025, 1, 31))
    second = compute_kpis_from_connection(loaded.connection, as_at=AS_AT)
    assert latest_extract_date(loaded.connection) == date(2025, 2, 12)  # C7's receipt
    assert {v.period for v in first} < {v.period for v in second}
