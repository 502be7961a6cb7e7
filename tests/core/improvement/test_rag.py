import datetime as dt
from decimal import Decimal

import pytest

from careassure.core.improvement import (
    ActionFacts,
    ActionStatus,
    KpiFacts,
    MilestoneFacts,
    Polarity,
    Rag,
    RagRules,
    RagRulesError,
    evaluate_rag,
    kpi_rag,
)
from careassure.core.improvement.rag import check_thresholds

TODAY = dt.date(2025, 9, 15)
DEFAULTS = RagRules()


def facts(**kwargs: object) -> ActionFacts:
    base: dict[str, object] = {"status": ActionStatus.ON_TRACK, "due_date": dt.date(2025, 12, 31)}
    base.update(kwargs)
    return ActionFacts(**base)  # type: ignore[arg-type]


def test_on_track_with_nothing_late_is_green() -> None:
    assert evaluate_rag(facts(), DEFAULTS, today=TODAY).rag == Rag.GREEN


def test_overdue_is_red_with_the_due_date_named() -> None:
    result = evaluate_rag(facts(due_date=dt.date(2025, 8, 31)), DEFAULTS, today=TODAY)
    assert result.rag == Rag.RED
    assert result.reasons == ("Overdue: due 31 August 2025",)


def test_due_today_is_not_overdue() -> None:
    assert evaluate_rag(facts(due_date=TODAY), DEFAULTS, today=TODAY).rag == Rag.GREEN


def test_late_milestone_is_amber() -> None:
    late = MilestoneFacts("Recruit 10 social workers", dt.date(2025, 9, 1), complete=False)
    done = MilestoneFacts("Business case", dt.date(2025, 8, 1), complete=True)
    result = evaluate_rag(facts(milestones=[late, done]), DEFAULTS, today=TODAY)
    assert result.rag == Rag.AMBER
    assert result.reasons == (
        "Milestone 'Recruit 10 social workers' is late: due 1 September 2025",
    )


def test_milestone_late_by_more_than_the_configured_days_is_red() -> None:
    # 1 Aug to 15 Sep is 45 days late; the council's limit is 30 days.
    rules = RagRules(red_when_milestone_late_by_days=30)
    late = MilestoneFacts("Hub rota", dt.date(2025, 8, 1), complete=False)
    assert evaluate_rag(facts(milestones=[late]), rules, today=TODAY).rag == Rag.RED
    assert evaluate_rag(facts(milestones=[late]), DEFAULTS, today=TODAY).rag == Rag.AMBER


def test_switching_a_rule_off_stops_it_applying() -> None:
    rules = RagRules(red_when_overdue=False)
    assert evaluate_rag(facts(due_date=dt.date(2025, 1, 1)), rules, today=TODAY).rag == Rag.GREEN


@pytest.mark.parametrize(
    ("status", "rag"),
    [
        pytest.param(ActionStatus.COMPLETE, Rag.BLUE, id="complete_blue"),
        pytest.param(ActionStatus.CLOSED, Rag.GREY, id="closed_grey"),
        pytest.param(ActionStatus.AT_RISK, Rag.AMBER, id="at_risk_amber"),
        pytest.param(ActionStatus.OFF_TRACK, Rag.RED, id="off_track_red"),
    ],
)
def test_status_rules(status: ActionStatus, rag: Rag) -> None:
    assert evaluate_rag(facts(status=status), DEFAULTS, today=TODAY).rag == rag


def test_complete_is_blue_even_when_overdue() -> None:
    result = evaluate_rag(
        facts(status=ActionStatus.COMPLETE, due_date=dt.date(2025, 1, 1)), DEFAULTS, today=TODAY
    )
    assert result.rag == Rag.BLUE


# Safeguarding concerns screened within 24 hours (%), higher is better: red below 70, amber
# below 85. Days waiting for an assessment, lower is better: red above 60, amber above 28.
@pytest.mark.parametrize(
    ("value", "red", "amber", "polarity", "expected"),
    [
        pytest.param("65", "70", "85", Polarity.HIGHER_IS_BETTER, Rag.RED, id="higher_red"),
        pytest.param("70", "70", "85", Polarity.HIGHER_IS_BETTER, Rag.AMBER, id="higher_on_red"),
        pytest.param("84.9", "70", "85", Polarity.HIGHER_IS_BETTER, Rag.AMBER, id="higher_amber"),
        pytest.param("85", "70", "85", Polarity.HIGHER_IS_BETTER, Rag.GREEN, id="higher_green"),
        pytest.param("61", "60", "28", Polarity.LOWER_IS_BETTER, Rag.RED, id="lower_red"),
        pytest.param("29", "60", "28", Polarity.LOWER_IS_BETTER, Rag.AMBER, id="lower_amber"),
        pytest.param("28", "60", "28", Polarity.LOWER_IS_BETTER, Rag.GREEN, id="lower_green"),
    ],
)
def test_kpi_rag(value: str, red: str, amber: str, polarity: Polarity, expected: Rag) -> None:
    kpi = KpiFacts("kpi", Decimal(value), Decimal(red), Decimal(amber), polarity)
    assert kpi_rag(kpi) == expected


def test_kpi_without_a_figure_has_no_rag() -> None:
    assert kpi_rag(KpiFacts("kpi", None, Decimal(1), Decimal(2))) is None


def test_kpi_beyond_red_makes_the_action_red_with_the_reason() -> None:
    kpi = KpiFacts("Concerns screened in 24 hours (%)", Decimal("65"), Decimal("70"), Decimal("85"))
    result = evaluate_rag(facts(kpis=[kpi]), DEFAULTS, today=TODAY)
    assert result.rag == Rag.RED
    assert result.reasons == (
        "KPI 'Concerns screened in 24 hours (%)' is 65, beyond its red threshold of 70",
    )


def test_kpi_reason_reads_figures_with_separators_and_no_trailing_zeros() -> None:
    kpi = KpiFacts(
        "People waiting",
        Decimal("1190.00"),
        Decimal("1500.50"),
        Decimal("1000.00"),
        Polarity.LOWER_IS_BETTER,
    )
    result = evaluate_rag(facts(kpis=[kpi]), DEFAULTS, today=TODAY)
    assert result.rag == Rag.AMBER
    assert result.reasons == ("KPI 'People waiting' is 1,190, beyond its amber threshold of 1,000",)


def test_kpi_beyond_red_is_amber_when_only_the_amber_rule_is_on() -> None:
    kpi = KpiFacts("k", Decimal("65"), Decimal("70"), Decimal("85"))
    rules = RagRules(red_when_kpi_beyond_red=False)
    assert evaluate_rag(facts(kpis=[kpi]), rules, today=TODAY).rag == Rag.AMBER


def test_due_within_days_rule() -> None:
    rules = RagRules(amber_when_due_within_days=30)
    result = evaluate_rag(facts(due_date=dt.date(2025, 10, 1)), rules, today=TODAY)
    assert result.reasons == ("Due within 30 days (1 October 2025)",)


def test_rules_document_round_trips_and_defaults_when_empty() -> None:
    assert RagRules.from_document({}) == DEFAULTS
    rules = RagRules(amber_when_due_within_days=14)
    assert RagRules.from_document(rules.document()) == rules


def test_bad_rules_document_is_refused_naming_the_field() -> None:
    with pytest.raises(RagRulesError, match="red_when_overdu: Extra inputs are not permitted"):
        RagRules.from_document({"red_when_overdu": True})


@pytest.mark.parametrize(
    ("red", "amber", "polarity", "ok"),
    [
        pytest.param("70", "85", Polarity.HIGHER_IS_BETTER, True, id="higher_ok"),
        pytest.param("90", "85", Polarity.HIGHER_IS_BETTER, False, id="higher_wrong_way"),
        pytest.param("60", "28", Polarity.LOWER_IS_BETTER, True, id="lower_ok"),
        pytest.param("20", "28", Polarity.LOWER_IS_BETTER, False, id="lower_wrong_way"),
    ],
)
def test_threshold_order(red: str, amber: str, polarity: Polarity, ok: bool) -> None:
    assert (check_thresholds(Decimal(red), Decimal(amber), polarity) is None) == ok
