"""Reads for the assessment workspace. Every selector takes the organisation first and only
returns that organisation's rows; an id from another organisation is a 404."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404

from careassure.accounts.models import Membership, Organisation, User
from careassure.assessments.models import (
    AdditionalInformationRequest,
    AssessmentCycle,
    ExternalScore,
    FindingKind,
    KeyFinding,
    MilestoneDateChange,
    MilestoneState,
    SelfAssessment,
    SelfAssessmentVersion,
)
from careassure.core.calendar import (
    CycleDates,
    DeadlineRules,
    InformationRequestDates,
    Milestone,
    MilestoneKey,
    WorkingDayConvention,
    build_timeline,
)
from careassure.core.framework import load_framework
from careassure.core.framework.models import Framework
from careassure.core.selfassessment import (
    QualityStatementFacts,
    ReadinessProblem,
    SelfAssessmentStatus,
    readiness_problems,
)

INFORMATION_REQUEST_KEY = "information_request_{pk}"
DEADLINE_KEYS = frozenset(
    {
        MilestoneKey.INFORMATION_RETURN.value,
        MilestoneKey.SELF_ASSESSMENT.value,
        MilestoneKey.CASE_TRACKING_LIST.value,
        MilestoneKey.FACTUAL_ACCURACY.value,
    }
)
"""Milestones whose date is worked out by a rule and so can be changed by hand."""


def cycle_current(*, org: Organisation) -> AssessmentCycle | None:
    """The organisation's current cycle (the newest marked current), or None."""
    return (
        AssessmentCycle.objects.filter(organisation=org, is_current=True)
        .order_by("-notification_date", "-id")
        .first()
    )


def cycle_list(*, org: Organisation) -> QuerySet[AssessmentCycle]:
    return AssessmentCycle.objects.filter(organisation=org).order_by("-notification_date", "-id")


def cycle_get(*, org: Organisation, cycle_id: int) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.filter(organisation=org, pk=cycle_id).first()
    if cycle is None:
        raise Http404("No such assessment cycle")
    return cycle


def cycle_framework(cycle: AssessmentCycle) -> Framework:
    return load_framework(cycle.framework_version)


def cycle_rules(cycle: AssessmentCycle) -> DeadlineRules:
    return DeadlineRules(
        case_tracking_list_days=cycle.case_tracking_list_days,
        convention=WorkingDayConvention(cycle.working_day_convention),
    )


def member_list(*, org: Organisation) -> QuerySet[User]:
    """People who can own a milestone or a quality statement: members of the organisation."""
    return User.objects.filter(memberships__organisation=org).order_by(
        "first_name", "last_name", "username"
    )


def member_get(*, org: Organisation, user_id: int) -> User:
    user = member_list(org=org).filter(pk=user_id).first()
    if user is None:
        raise Http404("No such member")
    return user


def membership_for(*, org: Organisation, user: User) -> Membership | None:
    return Membership.objects.filter(organisation=org, user=user).first()


def information_request_list(
    *, org: Organisation, cycle: AssessmentCycle
) -> QuerySet[AdditionalInformationRequest]:
    return AdditionalInformationRequest.objects.filter(
        cycle__organisation=org, cycle=cycle
    ).select_related("owner")


def information_request_get(
    *, org: Organisation, cycle: AssessmentCycle, request_id: int
) -> AdditionalInformationRequest:
    found = information_request_list(org=org, cycle=cycle).filter(pk=request_id).first()
    if found is None:
        raise Http404("No such information request")
    return found


def milestone_states(*, org: Organisation, cycle: AssessmentCycle) -> dict[str, MilestoneState]:
    rows = MilestoneState.objects.filter(cycle__organisation=org, cycle=cycle).select_related(
        "owner"
    )
    return {row.key: row for row in rows}


def milestone_date_changes(
    *, org: Organisation, cycle: AssessmentCycle, key: str | None = None
) -> QuerySet[MilestoneDateChange]:
    rows = MilestoneDateChange.objects.filter(cycle__organisation=org, cycle=cycle).select_related(
        "created_by"
    )
    if key is not None:
        rows = rows.filter(key=key)
    return rows.order_by("key", "-created_at", "-id")


def cycle_timeline(*, org: Organisation, cycle: AssessmentCycle, today: dt.date) -> list[Milestone]:
    """The cycle's milestones with dates and status on `today` (core calendar rules)."""
    if cycle.organisation_id != org.pk:
        raise Http404("No such assessment cycle")
    requests = [
        InformationRequestDates(
            key=INFORMATION_REQUEST_KEY.format(pk=r.pk),
            title=r.title,
            requested_on=r.requested_on,
            due_on=r.due_on,
            done_on=r.done_on,
        )
        for r in information_request_list(org=org, cycle=cycle)
    ]
    changed: dict[str, dt.date] = {}
    for change in milestone_date_changes(org=org, cycle=cycle):
        if change.key in DEADLINE_KEYS and change.new_date is not None:
            changed.setdefault(change.key, change.new_date)
    states = milestone_states(org=org, cycle=cycle)
    return build_timeline(
        CycleDates(
            notification=cycle.notification_date,
            second_notification=cycle.second_notification_date,
            on_site_start=cycle.on_site_start_date,
            on_site_end=cycle.on_site_end_date,
            draft_report=cycle.draft_report_date,
            publication=cycle.publication_date,
            information_requests=requests,
        ),
        today=today,
        rules=cycle_rules(cycle),
        changed_dates=changed,
        done={key: state.done_on for key, state in states.items()},
    )


def self_assessment_list(*, org: Organisation, cycle: AssessmentCycle) -> list[SelfAssessment]:
    """The cycle's self-assessments in framework order (one per quality statement)."""
    rows = SelfAssessment.objects.filter(cycle__organisation=org, cycle=cycle).select_related(
        "owner", "approved_by"
    )
    by_qs = {row.qs_id: row for row in rows}
    order = [qs.id for qs in cycle_framework(cycle).quality_statements]
    return [by_qs[qs_id] for qs_id in order if qs_id in by_qs]


def self_assessment_get(*, org: Organisation, cycle: AssessmentCycle, qs_id: str) -> SelfAssessment:
    found = (
        SelfAssessment.objects.filter(cycle__organisation=org, cycle=cycle, qs_id=qs_id)
        .select_related("owner", "approved_by", "cycle")
        .first()
    )
    if found is None:
        raise Http404("No such self-assessment")
    return found


def version_current(self_assessment: SelfAssessment) -> SelfAssessmentVersion | None:
    if self_assessment.current_version == 0:
        return None
    return self_assessment.versions.select_related("created_by").get(
        number=self_assessment.current_version
    )


def version_list(self_assessment: SelfAssessment) -> QuerySet[SelfAssessmentVersion]:
    return self_assessment.versions.select_related("created_by").order_by("-number")


def version_get(self_assessment: SelfAssessment, number: int) -> SelfAssessmentVersion:
    found = self_assessment.versions.select_related("created_by").filter(number=number).first()
    if found is None:
        raise Http404("No such version")
    return found


def current_versions(
    *, org: Organisation, cycle: AssessmentCycle
) -> dict[str, SelfAssessmentVersion | None]:
    """The newest version of each quality statement's self-assessment (None if never saved)."""
    versions = SelfAssessmentVersion.objects.filter(
        self_assessment__cycle__organisation=org, self_assessment__cycle=cycle
    ).select_related("self_assessment", "created_by")
    result: dict[str, SelfAssessmentVersion | None] = {
        sa.qs_id: None for sa in self_assessment_list(org=org, cycle=cycle)
    }
    for version in versions:
        sa = version.self_assessment
        if version.number == sa.current_version:
            result[sa.qs_id] = version
    return result


def self_scores(*, org: Organisation, cycle: AssessmentCycle) -> dict[str, int | None]:
    return {
        qs_id: (version.score if version is not None else None)
        for qs_id, version in current_versions(org=org, cycle=cycle).items()
    }


def external_scores(
    *, org: Organisation, cycle: AssessmentCycle, source: str
) -> dict[str, int | None]:
    """Scores from one source per quality statement, None where not entered."""
    scores: dict[str, int | None] = {
        qs.id: None for qs in cycle_framework(cycle).quality_statements
    }
    for row in ExternalScore.objects.filter(cycle__organisation=org, cycle=cycle, source=source):
        scores[row.qs_id] = row.score
    return scores


def key_findings(*, org: Organisation, cycle: AssessmentCycle) -> dict[str, list[str]]:
    findings: dict[str, list[str]] = {kind.value: [] for kind in FindingKind}
    for row in KeyFinding.objects.filter(cycle__organisation=org, cycle=cycle).order_by(
        "kind", "order", "id"
    ):
        findings[row.kind].append(row.text)
    return findings


ReadinessFactsProvider = Callable[[Organisation, AssessmentCycle], dict[str, dict[str, Any]]]

READINESS_FACT_PROVIDERS: list[ReadinessFactsProvider] = []
"""Other apps may append a function `(org, cycle) -> {qs_id: {fact: value}}` here (in their
`AppConfig.ready`) to add or replace facts in the readiness check: `improvement_action_count`
and `metric_count`. Facts from `careassure.improvement` (actions and their KPIs per quality
statement) are read directly when that app is installed. A fact nobody provides is not
checked."""


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        result = as_dict()
        return result if isinstance(result, dict) else {}
    return dict(vars(value)) if hasattr(value, "__dict__") else {}


def _evidence_facts(org: Organisation, cycle: AssessmentCycle) -> dict[str, dict[str, Any]]:
    """Facts from the evidence library, when `careassure.evidence` is installed and provides
    `selectors.evidence_readiness_facts(org=..., cycle=...)`; otherwise empty."""
    if importlib.util.find_spec("careassure.evidence") is None:
        return {}
    try:
        module = importlib.import_module("careassure.evidence.selectors")
    except ImportError:
        return {}
    provider = getattr(module, "evidence_readiness_facts", None)
    if not callable(provider):
        return {}
    return {qs_id: _as_dict(value) for qs_id, value in provider(org=org, cycle=cycle).items()}


def _improvement_facts(org: Organisation, cycle: AssessmentCycle) -> dict[str, dict[str, Any]]:
    """Improvement actions and their KPIs per quality statement, across the organisation's
    improvement plans, when `careassure.improvement` is installed; otherwise empty."""
    if not apps.is_installed("careassure.improvement"):
        return {}
    try:
        improvement = importlib.import_module("careassure.improvement.selectors")
    except ImportError:
        return {}
    facts: dict[str, dict[str, Any]] = {
        qs.id: {"improvement_action_count": 0, "metric_count": 0}
        for qs in cycle_framework(cycle).quality_statements
    }
    for plan in improvement.plan_list(org=org):
        for action in improvement.action_list(org=org, plan=plan):
            kpi_count = len(action.kpis.all())
            for qs_id in action.quality_statements or []:
                key = str(qs_id).lower()
                if key in facts:
                    facts[key]["improvement_action_count"] += 1
                    facts[key]["metric_count"] += kpi_count
    return facts


def _flag_count(facts: dict[str, Any], key: str) -> int | None:
    if key not in facts or facts[key] is None:
        return None
    value = facts[key]
    if isinstance(value, bool):
        return 1 if value else 0
    return int(value)


@dataclass(frozen=True)
class QualityStatementReadiness:
    qs_id: str
    title: str
    problems: list[tuple[ReadinessProblem, str]]


def readiness(*, org: Organisation, cycle: AssessmentCycle) -> list[QualityStatementReadiness]:
    """Readiness problems per quality statement, from the self-assessment, the evidence
    library (when installed) and any registered `READINESS_FACT_PROVIDERS`."""
    facts_by_qs: dict[str, dict[str, Any]] = {}
    for qs_id, facts in _evidence_facts(org, cycle).items():
        facts_by_qs.setdefault(qs_id, {}).update(
            {
                "peoples_experience": facts.get("has_people_experience"),
                "partner_feedback": facts.get("has_partner_feedback"),
                "stale": facts.get("stale"),
            }
        )
    for provider in [_improvement_facts, *READINESS_FACT_PROVIDERS]:
        for qs_id, facts in provider(org, cycle).items():
            facts_by_qs.setdefault(qs_id, {}).update(facts)
    statuses = {sa.qs_id: sa.status for sa in self_assessment_list(org=org, cycle=cycle)}
    versions = current_versions(org=org, cycle=cycle)
    result = []
    for qs in cycle_framework(cycle).quality_statements:
        version = versions.get(qs.id)
        extra = facts_by_qs.get(qs.id, {})
        has_narrative = version is not None and any(
            text.strip()
            for text in (version.strengths, version.areas_for_development, version.actions)
        )
        qs_facts = QualityStatementFacts(
            has_narrative=has_narrative,
            score=version.score if version is not None else None,
            has_rationale=bool(version and version.score_rationale.strip()),
            approved=statuses.get(qs.id) == SelfAssessmentStatus.APPROVED.value,
            peoples_experience_count=_flag_count(extra, "peoples_experience"),
            partner_feedback_count=_flag_count(extra, "partner_feedback"),
            stale_evidence_count=_flag_count(extra, "stale"),
            improvement_action_count=_flag_count(extra, "improvement_action_count"),
            metric_count=_flag_count(extra, "metric_count"),
        )
        result.append(
            QualityStatementReadiness(
                qs_id=qs.id, title=qs.title, problems=readiness_problems(qs_facts)
            )
        )
    return result
