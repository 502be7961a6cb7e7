"""KPI metadata and locality groupings are validated on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from careassure.core.kpis import KpiConfigError, load_kpi_catalogue, load_locality_groupings
from careassure.core.kpis.config import Polarity, Unit


def test_packaged_catalogue_describes_each_kpi() -> None:
    catalogue = load_kpi_catalogue()
    screened = catalogue.get("sg_screened_within_24h_pct")
    assert screened.unit is Unit.PERCENT
    assert screened.polarity is Polarity.HIGHER_IS_BETTER
    assert screened.quality_statements == ("QS7",)
    # Six waiting-list groupings (all lists and five list types) with three KPIs each.
    assert len([k for k in catalogue.kpis if k.id.startswith("waiting_")]) == 18
    assert catalogue.settings.screening_standard_hours == 24


def test_default_grouping_is_coastal_and_inland() -> None:
    groupings = load_locality_groupings()
    assert set(groupings.groups) == {"coastal", "inland"}
    assert groupings.group_of()["Bayview"] == "coastal"


def test_locality_in_two_groups_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "name: test\ngroups:\n  coastal: [Bayview]\n  inland: [Bayview, Ashvale]\n",
        encoding="utf-8",
    )
    with pytest.raises(KpiConfigError) as caught:
        load_locality_groupings(path)
    assert str(caught.value) == (
        f"{path}: (top level): Value error, locality 'Bayview' is in both 'coastal' and 'inland'"
    )


def test_unknown_resolved_outcome_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kpis.yaml"
    path.write_text(
        "settings:\n"
        "  resolved_without_assessment_outcomes: [information_and_advice, signposting]\n"
        "  screening_standard_hours: 24\n"
        "kpis: []\n",
        encoding="utf-8",
    )
    with pytest.raises(KpiConfigError) as caught:
        load_kpi_catalogue(path)
    assert str(caught.value) == (
        f"{path}: settings/resolved_without_assessment_outcomes: Value error, unknown "
        "outcome(s) signposting; use: information_and_advice, signposted_to_community, "
        "minor_equipment, referred_for_full_assessment, other"
    )
