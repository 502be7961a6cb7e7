from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from careassure.accounts.models import Membership, Organisation, User
from careassure.core.kpis import Polarity
from careassure.core.kpis.spc import AssuranceIcon, VariationIcon
from careassure.metrics import presenters
from careassure.metrics.selectors import format_number
from careassure.metrics.services import metrics_refresh


@pytest.mark.parametrize(
    ("value", "polarity", "amber", "red", "expected"),
    [
        pytest.param("96", Polarity.HIGHER_IS_BETTER, "95", "80", "green", id="above_amber"),
        pytest.param("95", Polarity.HIGHER_IS_BETTER, "95", "80", "green", id="on_amber_line"),
        pytest.param("94.9", Polarity.HIGHER_IS_BETTER, "95", "80", "amber", id="below_amber"),
        pytest.param("80", Polarity.HIGHER_IS_BETTER, "95", "80", "amber", id="on_red_line"),
        pytest.param("79.9", Polarity.HIGHER_IS_BETTER, "95", "80", "red", id="below_red"),
        pytest.param("3", Polarity.LOWER_IS_BETTER, "2", "5", "amber", id="lower_amber"),
        pytest.param("6", Polarity.LOWER_IS_BETTER, "2", "5", "red", id="lower_red"),
        pytest.param("1", Polarity.LOWER_IS_BETTER, "2", None, "green", id="lower_no_red"),
        pytest.param("1", Polarity.NEUTRAL, "2", "5", None, id="neutral"),
        pytest.param("1", Polarity.HIGHER_IS_BETTER, None, None, None, id="no_thresholds"),
    ],
)
def test_rag_status(
    value: str, polarity: Polarity, amber: str | None, red: str | None, expected: str | None
) -> None:
    assert (
        presenters.rag_status(
            Decimal(value),
            polarity,
            Decimal(amber) if amber else None,
            Decimal(red) if red else None,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("icon", "text", "classes"),
    [
        pytest.param(VariationIcon.COMMON_CAUSE, "Common cause", "govuk-tag--grey", id="common"),
        pytest.param(VariationIcon.CONCERNING_LOW, "Special cause – concerning",
                     "govuk-tag--orange", id="concerning"),
        pytest.param(VariationIcon.IMPROVING_HIGH, "Special cause – improving",
                     "govuk-tag--blue", id="improving"),
        pytest.param(VariationIcon.NEITHER_HIGH, "Special cause – neither",
                     "govuk-tag--purple", id="neither"),
        pytest.param(None, "Not enough data for SPC", "govuk-tag--grey", id="too_few"),
    ],
)  # fmt: skip
def test_variation_tag_is_text_with_colour(
    icon: VariationIcon | None, text: str, classes: str
) -> None:
    tag = presenters.variation_tag(icon)
    assert (tag.text, tag.classes) == (text, classes)


def test_assurance_tags() -> None:
    assert presenters.assurance_tag(AssuranceIcon.CONSISTENTLY_FAILING) == presenters.Tag(
        "Consistently failing target", "govuk-tag--orange", "Consistently failing the target"
    )
    assert presenters.assurance_tag(None) is None


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        pytest.param(Decimal("66.7"), "percent", "66.7%", id="percent"),
        pytest.param(Decimal("45.0"), "days", "45", id="whole_days"),
        pytest.param(Decimal("27533"), "count", "27,533", id="count"),
        pytest.param(None, "count", "–", id="none"),
    ],
)
def test_format_number(value: Decimal | None, unit: str, text: str) -> None:
    assert format_number(value, unit) == text


def test_statuses_tiles_and_tables(
    kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    statuses = presenters.kpi_statuses(org=kent, run=run)
    screened = statuses["sg_screened_within_24h_pct"]
    assert screened.value_text == "66.7%"
    assert screened.period_text == "March 2026"
    # Two months (50.0, 66.7): mean 58.35, moving range 16.7, process limits
    # 58.35 -/+ 2.66 x 16.7 = 13.93 to 102.77. The target 95 lies inside them: hit and miss.
    # 66.7 is below the default amber line (the catalogue target, 95): amber.
    texts = [t.text for t in screened.tags]
    assert texts == ["Common cause", "Hit and miss target", "Amber"]
    tiles = presenters.headline_tiles(statuses)
    assert [t.kpi.id for t in tiles] == list(presenters.HEADLINE_KPIS)
    header, rows = presenters.waiting_table(statuses)
    by_list = {r[0]: r for r in rows}
    # Assessment list at 31 March: 2 people, median 45, 90th percentile 57.
    assert by_list["Care Act assessment"][1:4] == [2, 45.0, 57.0]
    assert by_list["All lists"][1] == 3
    gap = presenters.gap_table(org=kent, run=run, kpi=screened.kpi)
    assert gap is not None
    # March: coastal (Bayview: C5 only) 0.0 minus inland (Ashvale: C3, C4) 100.0 = -100.0.
    assert gap[1] == [["March 2026", 0.0, 100.0, -100.0]]


def test_dashboard_card_shows_latest_screening_share(
    kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    membership = Membership.objects.get(user=assessment_lead)
    empty = presenters.metrics_dashboard_card(kent, membership)
    assert empty is not None
    assert empty["value"] == "No figures"
    metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    card = presenters.metrics_dashboard_card(kent, membership)
    assert card is not None
    assert card["value"] == "66.7%"
    assert card["text"] == "Safeguarding concerns screened within 24 hours, March 2026."
