"""Selectors: organisation scoping and the readiness check with pluggable facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import Http404

from careassure.accounts.models import Membership, Organisation, User
from careassure.assessments import selectors, services
from careassure.assessments.models import AssessmentCycle
from careassure.assessments.presenters import readiness_dashboard_card


def test_cycle_get_is_404_for_another_council(
    cycle: AssessmentCycle, staffordshire: Organisation
) -> None:
    with pytest.raises(Http404):
        selectors.cycle_get(org=staffordshire, cycle_id=cycle.pk)


def test_self_assessment_get_is_404_for_another_council(
    cycle: AssessmentCycle, staffordshire: Organisation
) -> None:
    with pytest.raises(Http404):
        selectors.self_assessment_get(org=staffordshire, cycle=cycle, qs_id="qs1")


def test_member_get_refuses_other_council_user(
    kent: Organisation, other_council_user: User
) -> None:
    with pytest.raises(Http404):
        selectors.member_get(org=kent, user_id=other_council_user.pk)


def _problems(cycle: AssessmentCycle, qs_id: str) -> list[str]:
    results = {r.qs_id: r for r in selectors.readiness(org=cycle.organisation, cycle=cycle)}
    return [message for _, message in results[qs_id].problems]


def test_readiness_of_an_empty_self_assessment(cycle: AssessmentCycle) -> None:
    problems = _problems(cycle, "qs1")
    assert problems[:2] == ["No self-assessment narrative written", "No self-score given"]


def test_readiness_reports_unapproved_narrative(cycle: AssessmentCycle, contributor: User) -> None:
    sa = selectors.self_assessment_get(org=cycle.organisation, cycle=cycle, qs_id="qs2")
    services.self_assessment_save(
        self_assessment=sa,
        actor=contributor,
        based_on_version=0,
        strengths="Good information offer",
        areas_for_development="",
        actions="",
        score=2,
        score_rationale="Mixed feedback",
    )
    problems = _problems(cycle, "qs2")
    assert "The narrative is not approved" in problems
    assert "No self-score given" not in problems


def test_readiness_uses_evidence_facts_when_the_evidence_app_provides_them(
    cycle: AssessmentCycle,
) -> None:
    # The evidence library is empty, so every statement lacks people's experience and
    # partner feedback.
    problems = _problems(cycle, "qs7")
    assert "No evidence of people's experience" in problems
    assert "No feedback from partners" in problems


def test_improvement_actions_and_their_kpis_clear_the_checks(
    cycle: AssessmentCycle, kent: Organisation
) -> None:
    from careassure.improvement.models import Action, ImprovementPlan, Kpi

    plan = ImprovementPlan.objects.create(organisation=kent, title="Plan", cycle="2024")
    action = Action.objects.create(
        plan=plan,
        ref="A1",
        title="Cut waiting lists",
        quality_statements=["qs1"],
        due_date=dt.date(2026, 3, 31),
    )
    Kpi.objects.create(action=action, name="People waiting for assessment")
    assert "No improvement action linked" not in _problems(cycle, "qs1")
    assert "No metric linked" not in _problems(cycle, "qs1")
    assert "No improvement action linked" in _problems(cycle, "qs2")
    assert "No metric linked" in _problems(cycle, "qs2")


@pytest.fixture
def improvement_provider() -> Iterator[None]:
    def provider(org: Organisation, cycle: AssessmentCycle) -> dict[str, dict[str, Any]]:
        return {"qs2": {"improvement_action_count": 1, "metric_count": 0}}

    selectors.READINESS_FACT_PROVIDERS.append(provider)
    yield
    selectors.READINESS_FACT_PROVIDERS.remove(provider)


def test_registered_providers_add_facts(cycle: AssessmentCycle, improvement_provider: None) -> None:
    assert "No improvement action linked" not in _problems(cycle, "qs2")
    assert "No metric linked" in _problems(cycle, "qs2")


def test_dashboard_card_counts_problems(cycle: AssessmentCycle, viewer: User) -> None:
    membership = Membership.objects.get(user=viewer)
    card = readiness_dashboard_card(cycle.organisation, membership)
    assert card is not None
    total = sum(len(r.problems) for r in selectors.readiness(org=cycle.organisation, cycle=cycle))
    assert card["value"] == str(total)
    assert card["href"] == f"/assessment/cycles/{cycle.pk}/readiness/"
    assert card["text"].endswith("across 9 of 9 quality statements")


def test_no_dashboard_card_without_a_cycle(kent: Organisation, viewer: User) -> None:
    assert readiness_dashboard_card(kent, Membership.objects.get(user=viewer)) is None
