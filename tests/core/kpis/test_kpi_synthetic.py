"""The synthetic operational extracts are reproducible and show the Kent findings."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from careassure.core.kpis import (
    KpiValue,
    compute_kpis,
    load_kpi_catalogue,
    load_locality_groupings,
    month_series,
)
from careassure.core.kpis.spc import AssuranceIcon, VariationIcon, analyse
from careassure.core.kpis.synthetic import DEFAULT_END, generate_operational


def _digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first = generate_operational(people=1_000, seed=7, out_dir=tmp_path / "a", months=6)
    second = generate_operational(people=1_000, seed=7, out_dir=tmp_path / "b", months=6)
    other = generate_operational(people=1_000, seed=8, out_dir=tmp_path / "c", months=6)
    assert [p.name for p in first] == [
        "safeguarding_concerns.csv",
        "waiting_lists.csv",
        "contacts.csv",
        "hospital_discharges.csv",
    ]
    assert _digest(first) == _digest(second)
    assert _digest(first) != _digest(other)


def test_a_small_county_still_gives_valid_extracts(tmp_path: Path) -> None:
    generate_operational(people=10, seed=3, out_dir=tmp_path, months=2)
    values = compute_kpis(tmp_path, as_at=DEFAULT_END)
    # The default council is the synthetic CLD council, 999.
    assert {v.la_code for v in values} == {"999"}


def test_months_and_council_code_are_honoured(tmp_path: Path) -> None:
    paths = generate_operational(
        people=500, seed=1, out_dir=tmp_path, la_code="SYN2", months=3, end=date(2024, 3, 31)
    )
    contacts = paths[2].read_text(encoding="utf-8").splitlines()[1:]
    assert {line.split(",")[0] for line in contacts} == {"SYN2"}
    assert min(line.split(",")[2] for line in contacts) >= "2024-01-01"
    assert max(line.split(",")[2] for line in contacts) <= "2024-03-31"


def test_refuses_a_tiny_county(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="people must be at least 10"):
        generate_operational(people=9, seed=1, out_dir=tmp_path)


@pytest.fixture(scope="module")
def demo_values(tmp_path_factory: pytest.TempPathFactory) -> list[KpiValue]:
    out = tmp_path_factory.mktemp("synthetic")
    generate_operational(people=10_000, seed=2024, out_dir=out)
    return compute_kpis(out, as_at=DEFAULT_END, groupings=load_locality_groupings())


def _at_end(values: list[KpiValue], kpi: str, dim: str = "total", val: str = "all") -> KpiValue:
    period = DEFAULT_END.strftime("%Y-%m")
    return next(
        v
        for v in values
        if (v.kpi_id, v.period, v.dimension, v.dimension_value) == (kpi, period, dim, val)
    )


def test_one_hub_takes_up_to_ten_days_to_screen(demo_values: list[KpiValue]) -> None:
    slowest = {
        v.dimension_value: v.value
        for v in demo_values
        if v.kpi_id == "sg_screening_max_days" and v.dimension == "hub"
    }
    worst = max(slowest, key=lambda hub: slowest[hub])
    assert worst == "East hub"
    assert slowest[worst] >= Decimal(9)
    # The other hubs screen within about a day or two at worst.
    assert all(v < Decimal(4) for hub, v in slowest.items() if hub != worst)


def test_hundreds_of_open_concerns_mostly_recent_with_a_long_tail(
    demo_values: list[KpiValue],
) -> None:
    assert 400 <= _at_end(demo_values, "sg_open_count").value <= 600
    assert _at_end(demo_values, "sg_open_median_age_days").value <= Decimal(7)
    assert _at_end(demo_values, "sg_open_max_age_days").value > Decimal(200)


def test_coastal_waits_are_longer_than_inland(demo_values: list[KpiValue]) -> None:
    coastal = _at_end(demo_values, "waiting_all_median_days", "group", "coastal").value
    inland = _at_end(demo_values, "waiting_all_median_days", "group", "inland").value
    assert coastal > inland


def test_about_72_percent_of_contacts_resolved_without_assessment(
    demo_values: list[KpiValue],
) -> None:
    resolved = sum(
        v.numerator or 0
        for v in demo_values
        if v.kpi_id == "contacts_resolved_without_assessment_pct" and v.dimension == "total"
    )
    contacts = sum(
        v.denominator or 0
        for v in demo_values
        if v.kpi_id == "contacts_resolved_without_assessment_pct" and v.dimension == "total"
    )
    assert 0.69 <= resolved / contacts <= 0.75


def test_hundreds_of_people_in_hospital_after_ready_to_leave(
    demo_values: list[KpiValue],
) -> None:
    assert _at_end(demo_values, "hospital_ready_to_leave_people").value >= 200


def test_east_hub_screening_shows_special_cause_concern(demo_values: list[KpiValue]) -> None:
    series = month_series(
        demo_values, "sg_screened_within_24h_pct", dimension="hub", dimension_value="East hub"
    )
    assert len(series) == 18
    kpi = load_kpi_catalogue().get("sg_screened_within_24h_pct")
    result = analyse(series, polarity=kpi.polarity, target=float(kpi.target or 0))
    # The share screened on time falls over the period, so the latest months are low.
    assert result.variation is VariationIcon.CONCERNING_LOW
    assert result.assurance is AssuranceIcon.CONSISTENTLY_FAILING
