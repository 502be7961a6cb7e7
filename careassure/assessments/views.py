"""Pages of the assessment workspace. Every view is scoped to the signed-in member's council:
objects are fetched through selectors that 404 for another council's ids."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from careassure.accounts.models import User
from careassure.accounts.permissions import organisation_required
from careassure.assessments import presenters, selectors, services
from careassure.assessments.forms import (
    CompareForm,
    CycleForm,
    DateChangeForm,
    FindingsForm,
    InformationRequestForm,
    MilestoneForm,
    OwnerForm,
    ScoresForm,
    SelfAssessmentForm,
    StatusForm,
    score_labels,
)
from careassure.assessments.models import AssessmentCycle, ScoreSource, SelfAssessment
from careassure.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from careassure.common.forms import error_summary
from careassure.core.calendar import MilestoneKey, MilestoneKind

MANAGE = "assessment.manage"
EDIT = "assessment.edit"


def _org(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _can(request: HttpRequest, permission: str) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.has_permission(permission))


def _cycle(request: HttpRequest, cycle_id: int) -> AssessmentCycle:
    return selectors.cycle_get(org=_org(request), cycle_id=cycle_id)


def _apply_error(form: forms.Form, error: ApplicationError) -> None:
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], form: forms.Form
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        template,
        {**context, "form": form, "error_summary": error_summary(form)},
        status=status,
    )


def _base(request: HttpRequest, cycle: AssessmentCycle, **extra: Any) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "can_manage": _can(request, MANAGE),
        "can_edit": _can(request, EDIT),
        **extra,
    }


@organisation_required()
def assessment_home(request: HttpRequest) -> HttpResponse:
    """The current cycle's timeline, or a page to start one."""
    cycle = selectors.cycle_current(org=_org(request))
    if cycle is not None:
        return redirect("assessments:timeline", cycle.pk)
    return render(
        request,
        "assessments/cycle_none.jinja",
        {"can_manage": _can(request, MANAGE), "cycles": selectors.cycle_list(org=_org(request))},
    )


def _cycle_changes(form: CycleForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.CYCLE_FIELDS}


@organisation_required(MANAGE)
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = _cycle_changes(form)
        try:
            cycle = services.cycle_create(
                org=_org(request),
                actor=_user(request),
                name=values.pop("name"),
                notification_date=values.pop("notification_date"),
                framework_version=values.pop("framework_version"),
                assessment_method=values.pop("assessment_method"),
                **values,
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Assessment cycle started")
            return redirect("assessments:timeline", cycle.pk)
    return _render_form(request, "assessments/cycle_form.jinja", {"cycle": None}, form)


@organisation_required(MANAGE)
def cycle_update(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    initial = {name: getattr(cycle, name) for name in services.CYCLE_FIELDS}
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in _cycle_changes(form).items() if v != initial[k]}
        try:
            if changes:
                services.cycle_update(
                    cycle=cycle,
                    actor=_user(request),
                    reason=form.cleaned_data.get("reason") or "",
                    **changes,
                )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Cycle dates saved")
            return redirect("assessments:timeline", cycle.pk)
    return _render_form(request, "assessments/cycle_form.jinja", {"cycle": cycle}, form)


@organisation_required()
def cycle_timeline(request: HttpRequest, cycle_id: int) -> HttpResponse:
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    milestones = selectors.cycle_timeline(org=org, cycle=cycle, today=presenters.today())
    owners = {
        key: str(state.owner)
        for key, state in selectors.milestone_states(org=org, cycle=cycle).items()
        if state.owner is not None
    }
    for request_row in selectors.information_request_list(org=org, cycle=cycle):
        if request_row.owner is not None:
            owners[selectors.INFORMATION_REQUEST_KEY.format(pk=request_row.pk)] = str(
                request_row.owner
            )
    return render(
        request,
        "assessments/cycle_timeline.jinja",
        _base(
            request,
            cycle,
            rows=presenters.timeline_rows(milestones, cycle_id=cycle.pk, owners=owners),
            changes=[
                (presenters.date_change_label(change.key), change)
                for change in selectors.milestone_date_changes(org=org, cycle=cycle)
            ],
            method=cycle.get_assessment_method_display(),
            convention=dict(CycleForm.base_fields["working_day_convention"].choices).get(  # type: ignore[attr-defined]
                cycle.working_day_convention
            ),
            cycles=selectors.cycle_list(org=org),
        ),
    )


def _milestone_key(key: str) -> MilestoneKey:
    if key not in selectors.DEADLINE_KEYS:
        raise Http404("No such deadline")
    return MilestoneKey(key)


@organisation_required(MANAGE)
def milestone_update(request: HttpRequest, cycle_id: int, key: str) -> HttpResponse:
    """Owner and done date of a deadline, and a form to change its date with a reason."""
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    milestone_key = _milestone_key(key)
    milestone = next(
        m
        for m in selectors.cycle_timeline(org=org, cycle=cycle, today=presenters.today())
        if m.key == milestone_key.value
    )
    state = selectors.milestone_states(org=org, cycle=cycle).get(key)
    members = selectors.member_list(org=org)
    is_date_change = request.method == "POST" and "reason" in request.POST
    form = MilestoneForm(
        request.POST if request.method == "POST" and not is_date_change else None,
        members=members,
        initial={
            "owner": state.owner_id if state else None,
            "done_on": state.done_on if state else None,
        },
    )
    date_form = DateChangeForm(request.POST if is_date_change else None)
    if is_date_change and date_form.is_valid():
        try:
            services.milestone_date_change(
                cycle=cycle,
                actor=_user(request),
                key=key,
                new_date=date_form.cleaned_data["new_date"],
                reason=date_form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            _apply_error(date_form, error)
        else:
            messages.success(request, f"{milestone.title} date changed")
            return redirect("assessments:timeline", cycle.pk)
    elif request.method == "POST" and not is_date_change and form.is_valid():
        try:
            services.milestone_update(
                cycle=cycle,
                actor=_user(request),
                key=key,
                owner=form.cleaned_data["owner"],
                done_on=form.cleaned_data["done_on"],
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"{milestone.title} saved")
            return redirect("assessments:timeline", cycle.pk)
    bound = date_form if is_date_change else form
    return render(
        request,
        "assessments/milestone_update.jinja",
        _base(
            request,
            cycle,
            milestone=milestone,
            form=form,
            date_form=date_form,
            is_deadline=milestone.kind is MilestoneKind.DEADLINE,
            changes=selectors.milestone_date_changes(org=org, cycle=cycle, key=key),
            error_summary=error_summary(bound),
        ),
        status=400 if bound.is_bound and bound.errors else 200,
    )


@organisation_required(MANAGE)
def request_create(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    form = InformationRequestForm(
        request.POST or None, members=selectors.member_list(org=_org(request))
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.information_request_create(
                cycle=cycle,
                actor=_user(request),
                title=data["title"],
                requested_on=data["requested_on"],
                due_on=data["due_on"],
                owner=data["owner"],
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Information request added")
            return redirect("assessments:timeline", cycle.pk)
    return _render_form(
        request, "assessments/request_form.jinja", _base(request, cycle, item=None), form
    )


@organisation_required(MANAGE)
def request_update(request: HttpRequest, cycle_id: int, request_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    item = selectors.information_request_get(org=_org(request), cycle=cycle, request_id=request_id)
    initial = {name: getattr(item, name) for name in services.REQUEST_FIELDS}
    form = InformationRequestForm(
        request.POST or None,
        members=selectors.member_list(org=_org(request)),
        initial={**initial, "owner": item.owner_id},
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            if changes:
                services.information_request_update(request=item, actor=_user(request), **changes)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Information request saved")
            return redirect("assessments:timeline", cycle.pk)
    return _render_form(
        request, "assessments/request_form.jinja", _base(request, cycle, item=item), form
    )


@organisation_required()
def self_assessment_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """All nine quality statements with status, owner and self-score, and the percentage and
    rating those self-scores would give."""
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    framework = selectors.cycle_framework(cycle)
    titles = {qs.id: qs.title for qs in framework.quality_statements}
    themes = {qs.id: qs.theme_id for qs in framework.quality_statements}
    theme_titles = {t.id: t.title for t in framework.themes}
    versions = selectors.current_versions(org=org, cycle=cycle)
    scores = {qs_id: (v.score if v else None) for qs_id, v in versions.items()}
    rows = [
        {
            "qs_id": sa.qs_id,
            "title": titles.get(sa.qs_id, sa.qs_id),
            "theme": theme_titles.get(themes.get(sa.qs_id, ""), ""),
            "status": presenters.workflow_tag(sa.status),
            "owner": str(sa.owner) if sa.owner else "No one",
            "score": presenters.score_text(scores.get(sa.qs_id)),
            "version": sa.current_version,
        }
        for sa in selectors.self_assessment_list(org=org, cycle=cycle)
    ]
    return render(
        request,
        "assessments/self_assessment_list.jinja",
        _base(request, cycle, rows=rows, overall=presenters.overall(scores)),
    )


def _self_assessment(request: HttpRequest, cycle: AssessmentCycle, qs_id: str) -> SelfAssessment:
    return selectors.self_assessment_get(org=_org(request), cycle=cycle, qs_id=qs_id)


def _qs(cycle: AssessmentCycle, qs_id: str) -> Any:
    for qs in selectors.cycle_framework(cycle).quality_statements:
        if qs.id == qs_id:
            return qs
    raise Http404("No such quality statement")


@organisation_required()
def self_assessment_detail(request: HttpRequest, cycle_id: int, qs_id: str) -> HttpResponse:
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    sa = _self_assessment(request, cycle, qs_id)
    current = selectors.version_current(sa)
    versions = list(selectors.version_list(sa))
    return render(
        request,
        "assessments/self_assessment_detail.jinja",
        _base(
            request,
            cycle,
            sa=sa,
            qs=_qs(cycle, qs_id),
            current=current,
            score=presenters.score_text(current.score if current else None),
            status=presenters.workflow_tag(sa.status),
            versions=versions,
            status_changes=list(sa.status_changes.select_related("created_by").order_by("id")),
            can_approve=_can(request, "assessment.approve"),
            owner_form=OwnerForm(
                members=selectors.member_list(org=org), initial={"owner": sa.owner_id}
            ),
        ),
    )


@organisation_required(EDIT)
def self_assessment_update(request: HttpRequest, cycle_id: int, qs_id: str) -> HttpResponse:
    """Edit the narrative and score. The form carries the version it started from; saving
    over a newer version shows the conflict page with both texts instead."""
    cycle = _cycle(request, cycle_id)
    sa = _self_assessment(request, cycle, qs_id)
    current = selectors.version_current(sa)
    initial: dict[str, Any] = {"version": sa.current_version}
    if current is not None:
        initial.update(
            strengths=current.strengths,
            areas_for_development=current.areas_for_development,
            actions=current.actions,
            score=str(current.score) if current.score else "",
            score_rationale=current.score_rationale,
        )
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    context = _base(
        request,
        cycle,
        sa=sa,
        qs=_qs(cycle, qs_id),
        score_labels=score_labels(selectors.cycle_framework(cycle)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.self_assessment_save(
                self_assessment=sa,
                actor=_user(request),
                based_on_version=data["version"],
                strengths=data["strengths"],
                areas_for_development=data["areas_for_development"],
                actions=data["actions"],
                score=form.cleaned_score(),
                score_rationale=data["score_rationale"],
            )
        except ConflictError:
            sa.refresh_from_db()
            latest = selectors.version_current(sa)
            yours = SimpleNamespace(**{**data, "score": form.cleaned_score()})
            refreshed = SelfAssessmentForm(
                initial={**data, "version": sa.current_version, "score": data["score"]}
            )
            return render(
                request,
                "assessments/self_assessment_conflict.jinja",
                {
                    **context,
                    "latest": latest,
                    "sections": presenters.version_comparison(latest, yours),
                    "form": refreshed,
                },
                status=409,
            )
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"{qs_id.upper()} self-assessment saved")
            return redirect("assessments:self-assessment-detail", cycle.pk, qs_id)
    return _render_form(request, "assessments/self_assessment_form.jinja", context, form)


@require_POST
@organisation_required()
def self_assessment_status(request: HttpRequest, cycle_id: int, qs_id: str) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    sa = _self_assessment(request, cycle, qs_id)
    form = StatusForm(request.POST)
    target = reverse("assessments:self-assessment-detail", args=[cycle.pk, qs_id])
    if not form.is_valid():
        messages.error(request, "Select a status")
        return HttpResponseRedirect(target)
    try:
        services.self_assessment_status_change(
            self_assessment=sa,
            actor=_user(request),
            to=form.cleaned_data["to"],
        )
    except PermissionDeniedError as error:
        if _can(request, EDIT):
            messages.error(request, error.message)
            return HttpResponseRedirect(target)
        raise PermissionDenied(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(target)
    labels = {"in_review": "sent for review", "approved": "approved", "draft": "returned to draft"}
    messages.success(request, f"{qs_id.upper()} self-assessment {labels[form.cleaned_data['to']]}")
    return HttpResponseRedirect(target)


@require_POST
@organisation_required(MANAGE)
def self_assessment_owner(request: HttpRequest, cycle_id: int, qs_id: str) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    sa = _self_assessment(request, cycle, qs_id)
    form = OwnerForm(request.POST, members=selectors.member_list(org=_org(request)))
    target = reverse("assessments:self-assessment-detail", args=[cycle.pk, qs_id])
    if form.is_valid():
        services.self_assessment_owner_set(
            self_assessment=sa,
            actor=_user(request),
            owner=form.cleaned_data["owner"],
        )
        messages.success(request, "Owner saved")
    else:
        messages.error(request, "Select the owner from the list")
    return HttpResponseRedirect(target)


@organisation_required()
def self_assessment_compare(request: HttpRequest, cycle_id: int, qs_id: str) -> HttpResponse:
    """Two saved versions side by side, with words removed and added highlighted."""
    cycle = _cycle(request, cycle_id)
    sa = _self_assessment(request, cycle, qs_id)
    versions = list(selectors.version_list(sa))
    form = CompareForm(request.GET or None, numbers=[v.number for v in versions])
    if not form.is_valid():
        if sa.current_version < 2:
            raise Http404("Fewer than two versions to compare")
        return redirect(
            reverse("assessments:self-assessment-compare", args=[cycle.pk, qs_id])
            + f"?old={sa.current_version - 1}&new={sa.current_version}"
        )
    old = selectors.version_get(sa, form.cleaned_data["old"])
    new = selectors.version_get(sa, form.cleaned_data["new"])
    return render(
        request,
        "assessments/self_assessment_compare.jinja",
        _base(
            request,
            cycle,
            sa=sa,
            qs=_qs(cycle, qs_id),
            old=old,
            new=new,
            sections=presenters.version_comparison(old, new),
            form=form,
        ),
    )


@organisation_required()
def readiness(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle(request, cycle_id)
    results = selectors.readiness(org=_org(request), cycle=cycle)
    return render(
        request,
        "assessments/readiness.jinja",
        _base(
            request,
            cycle,
            results=results,
            total=sum(len(r.problems) for r in results),
        ),
    )


def _source(source: str) -> ScoreSource:
    try:
        return ScoreSource(source)
    except ValueError as exc:
        raise Http404("No such score source") from exc


@organisation_required(MANAGE)
def scores_update(request: HttpRequest, cycle_id: int, source: str) -> HttpResponse:
    """Enter CQC's published scores, or peer challenge or mock inspection scores."""
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    score_source = _source(source)
    titles = {qs.id: qs.title for qs in selectors.cycle_framework(cycle).quality_statements}
    current = selectors.external_scores(org=org, cycle=cycle, source=score_source.value)
    form = ScoresForm(
        request.POST or None,
        qs_titles=titles,
        initial={k: str(v) if v else "" for k, v in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.external_scores_save(
                cycle=cycle,
                actor=_user(request),
                source=score_source.value,
                scores=form.scores(),
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"{score_source.label} scores saved")
            return redirect("assessments:comparison", cycle.pk)
    return _render_form(
        request,
        "assessments/scores_form.jinja",
        _base(
            request,
            cycle,
            source=score_source,
            fields=[(form[qs_id], f"{qs_id.upper()} {title}") for qs_id, title in titles.items()],
        ),
        form,
    )


@organisation_required(MANAGE)
def findings_update(request: HttpRequest, cycle_id: int) -> HttpResponse:
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    current = selectors.key_findings(org=org, cycle=cycle)
    form = FindingsForm(
        request.POST or None,
        initial={
            "strengths": "\n".join(current["strength"]),
            "areas_for_development": "\n".join(current["area_for_development"]),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.key_findings_save(
            cycle=cycle,
            actor=_user(request),
            strengths=FindingsForm.lines(form.cleaned_data["strengths"]),
            areas_for_development=FindingsForm.lines(form.cleaned_data["areas_for_development"]),
        )
        messages.success(request, "Key findings saved")
        return redirect("assessments:comparison", cycle.pk)
    return _render_form(request, "assessments/findings_form.jinja", _base(request, cycle), form)


@organisation_required()
def comparison(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Self-score, peer or mock score and CQC's score side by side, with the overall
    percentage and rating of each set, and CQC's key findings."""
    org = _org(request)
    cycle = _cycle(request, cycle_id)
    framework = selectors.cycle_framework(cycle)
    self_scores = selectors.self_scores(org=org, cycle=cycle)
    cqc = selectors.external_scores(org=org, cycle=cycle, source=ScoreSource.CQC)
    peer = selectors.external_scores(org=org, cycle=cycle, source=ScoreSource.PEER_CHALLENGE)
    peer_label = ScoreSource.PEER_CHALLENGE.label
    if all(v is None for v in peer.values()):
        mock = selectors.external_scores(org=org, cycle=cycle, source=ScoreSource.MOCK_INSPECTION)
        if any(v is not None for v in mock.values()):
            peer, peer_label = mock, ScoreSource.MOCK_INSPECTION.label
    rows = presenters.comparison_rows(
        framework, self_scores=self_scores, peer_scores=peer, cqc_scores=cqc
    )
    return render(
        request,
        "assessments/comparison.jinja",
        _base(
            request,
            cycle,
            rows=rows,
            peer_label=peer_label,
            has_peer=any(v is not None for v in peer.values()),
            has_cqc=any(v is not None for v in cqc.values()),
            totals={
                "self": presenters.overall(self_scores),
                "peer": presenters.overall(peer),
                "cqc": presenters.overall(cqc),
            },
            findings=selectors.key_findings(org=org, cycle=cycle),
            sources=[
                (source.value, presenters.SOURCE_LINK_TEXT[source.value]) for source in ScoreSource
            ],
        ),
    )
