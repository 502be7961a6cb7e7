"""GOV.UK forms for improvement plans. Dates are typed the UK way (31/3/2026 or 31 March 2026)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from careassure.accounts.models import User
from careassure.core.framework import load_framework
from careassure.core.improvement import DateParseError, RagRules, allowed_transitions, parse_uk_date
from careassure.improvement.models import (
    Action,
    Kpi,
    KpiSource,
    Milestone,
    MilestoneStatus,
    PolarityChoice,
    Priority,
    RagChoice,
    Risk,
    Status,
)
from careassure.improvement.selectors import MetricChoices

DATE_HINT = "For example, 31/3/2026"


class UKDateField(forms.CharField):
    def __init__(self, *args: Any, label_text: str = "date", **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": f"Enter the {label_text}"})
        super().__init__(*args, **kwargs)
        self.label_text = label_text

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year}"
        return value

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_uk_date(text)
        except DateParseError:
            raise forms.ValidationError(
                f"The {self.label_text} must be a real date, for example 31/3/2026"
            ) from None


def qs_choices() -> list[tuple[str, str]]:
    return [(qs.id, f"{qs.label} {qs.title}") for qs in load_framework().quality_statements]


class PlanForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    cycle = forms.CharField(
        max_length=100, error_messages={"required": "Enter the assessment cycle"}
    )
    assessment_cycle = forms.ChoiceField(choices=[], required=False)

    def __init__(self, *args: Any, cycles: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycles = {str(c.pk): c for c in cycles}
        self.fields["assessment_cycle"].choices = [("", "Not linked")] + [  # type: ignore[attr-defined]
            (str(c.pk), c.name) for c in cycles
        ]

    def service_fields(self) -> dict[str, Any]:
        return {
            "title": self.cleaned_data["title"], "cycle": self.cleaned_data["cycle"],
            "assessment_cycle": self.cycles.get(self.cleaned_data.get("assessment_cycle") or ""),
        }  # fmt: skip


SCORE_OPTIONS = [("", "Not scored"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]
SERIES = (("self", "Self-assessment"), ("cqc", "CQC"), ("target", "Target"))
TEXT_FIELDS = (
    ("background", "Background"),
    ("strengths", "Strengths"),
    ("areas_for_development", "Areas for development"),
    ("governance", "Governance"),
    ("recommendations", "Recommendations"),
)


class ScoresForm(forms.Form):
    """Scores by quality statement for reports, and report text (one paragraph per line)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for qs in load_framework().quality_statements:
            for series, _ in SERIES:
                self.fields[f"{series}_{qs.id}"] = forms.TypedChoiceField(
                    choices=SCORE_OPTIONS, coerce=int, empty_value=None, required=False
                )
        for key, _ in TEXT_FIELDS:
            self.fields[key] = forms.CharField(widget=forms.Textarea, required=False)

    @classmethod
    def initial_for(cls, qs_scores: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for series, _ in SERIES:
            for qs, score in (qs_scores.get(series) or {}).items():
                initial[f"{series}_{qs}"] = str(score)
        for key, _ in TEXT_FIELDS:
            initial[key] = "\n".join(content.get(key) or [])
        return initial

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (f"{qs.label} {qs.title}", [self[f"{series}_{qs.id}"] for series, _ in SERIES])
            for qs in load_framework().quality_statements
        ]

    def text_fields(self) -> list[tuple[forms.BoundField, str]]:
        return [(self[key], label) for key, label in TEXT_FIELDS]

    def scores(self) -> dict[str, dict[str, int | None]]:
        return {
            series: {qs.id: self.cleaned_data.get(f"{series}_{qs.id}")
                     for qs in load_framework().quality_statements}
            for series, _ in SERIES
        }  # fmt: skip

    def content(self) -> dict[str, list[str]]:
        return {key: (self.cleaned_data.get(key) or "").splitlines() for key, _ in TEXT_FIELDS}


class ActionForm(forms.Form):
    ref = forms.CharField(max_length=20, error_messages={"required": "Enter a reference"})
    title = forms.CharField(max_length=300, error_messages={"required": "Enter a title"})
    description = forms.CharField(required=False, widget=forms.Textarea)
    finding = forms.CharField(required=False, widget=forms.Textarea)
    quality_statements = forms.MultipleChoiceField(
        choices=[], error_messages={"required": "Select at least one quality statement"}
    )
    owner = forms.ChoiceField(choices=[], required=False)
    lead_director = forms.CharField(max_length=200, required=False)
    start_date = UKDateField(required=False, label_text="start date")
    due_date = UKDateField(label_text="due date")
    priority = forms.ChoiceField(
        choices=Priority.choices, error_messages={"required": "Select a priority"}
    )
    resources = forms.CharField(required=False, widget=forms.Textarea)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quality_statements"].choices = qs_choices()  # type: ignore[attr-defined]
        self.members = {str(u.pk): u for u in members}
        self.fields["owner"].choices = [("", "No owner yet")] + [  # type: ignore[attr-defined]
            (str(u.pk), u.get_full_name() or u.username) for u in members
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be the same as or after the start date")
        return cleaned

    def owner_user(self) -> User | None:
        return self.members.get(self.cleaned_data.get("owner") or "")

    def service_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "owner")}
        data["owner"] = self.owner_user()
        return data

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        return {
            "ref": action.ref, "title": action.title, "description": action.description,
            "finding": action.finding, "quality_statements": action.quality_statements,
            "owner": str(action.owner_id or ""), "lead_director": action.lead_director,
            "start_date": action.start_date, "due_date": action.due_date,
            "priority": action.priority, "resources": action.resources,
            "version": action.version,
        }  # fmt: skip


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(VersionedForm):
    status = forms.ChoiceField(choices=[], error_messages={"required": "Select a status"})

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s.value, labels[s.value]) for s in allowed_transitions(current)
        ]


class RagOverrideForm(VersionedForm):
    rag = forms.ChoiceField(
        choices=[c for c in RagChoice.choices if c[0] in ("red", "amber", "green")],
        error_messages={"required": "Select a RAG status"},
    )
    reason = forms.CharField(
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for overriding the RAG status"},
    )


class DependencyForm(forms.Form):
    depends_on = forms.ChoiceField(
        choices=[], error_messages={"required": "Select the action this one depends on"}
    )

    def __init__(self, *args: Any, candidates: list[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(a.pk): a for a in candidates}
        self.fields["depends_on"].choices = [("", "Choose an action")] + [  # type: ignore[attr-defined]
            (str(a.pk), f"{a.ref} {a.title}") for a in candidates
        ]

    def action(self) -> Action:
        return self.candidates[self.cleaned_data["depends_on"]]


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter a title"})
    due_date = UKDateField(label_text="due date")


class MilestoneEditForm(MilestoneForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=MilestoneStatus.choices, error_messages={"required": "Select a status"}
    )
    completed_on = UKDateField(required=False, label_text="date completed")

    @classmethod
    def initial_for(cls, milestone: Milestone) -> dict[str, Any]:
        return {
            "title": milestone.title, "due_date": milestone.due_date, "status": milestone.status,
            "completed_on": milestone.completed_on, "version": milestone.version,
        }  # fmt: skip


class RemoveForm(forms.Form):
    """The confirmation to remove a milestone, risk or KPI: only the version it was shown at."""

    version = forms.IntegerField(widget=forms.HiddenInput)


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class RiskForm(forms.Form):
    description = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Describe the risk"}
    )
    likelihood = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int,
        error_messages={"required": "Select a likelihood from 1 to 5"},
    )  # fmt: skip
    impact = forms.TypedChoiceField(
        choices=SCORE_CHOICES, coerce=int,
        error_messages={"required": "Select an impact from 1 to 5"},
    )  # fmt: skip
    mitigation = forms.CharField(widget=forms.Textarea, required=False)


class RiskEditForm(RiskForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, risk: Risk) -> dict[str, Any]:
        return {
            "description": risk.description, "likelihood": str(risk.likelihood),
            "impact": str(risk.impact), "mitigation": risk.mitigation, "version": risk.version,
        }  # fmt: skip


def _decimal(required: bool, message: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        required=required, max_digits=14, decimal_places=2,
        error_messages={"required": message, "invalid": "Enter a number, like 85 or 12.5"},
    )  # fmt: skip


MANUAL, LINKED = "manual", "linked"


class KpiForm(forms.Form):
    """A KPI's figures are entered by hand, or linked to a metric of the council's metrics
    engine: an operational KPI for an area, or an ASCOF measure for a breakdown."""

    source = forms.ChoiceField(
        choices=[
            (MANUAL, "Enter figures by hand"),
            (LINKED, "Take figures from the metrics engine"),
        ],
        required=False,
    )
    metric = forms.ChoiceField(choices=[], required=False)
    area = forms.ChoiceField(choices=[], required=False)
    name = forms.CharField(max_length=200, required=False)
    unit = forms.CharField(max_length=40, required=False)
    target = _decimal(False)
    red_threshold = _decimal(False)
    amber_threshold = _decimal(False)
    polarity = forms.ChoiceField(
        choices=PolarityChoice.choices,
        error_messages={"required": "Select whether higher or lower is better"},
    )

    def __init__(
        self, *args: Any, metrics: MetricChoices, kpi: Kpi | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        metric_options, area_options = list(metrics.metrics), list(metrics.areas)
        if kpi is not None and kpi.source != KpiSource.MANUAL:
            # Keep the current link selectable even if the latest run no longer has it.
            metric, area = self.link_values(kpi)
            if metric not in dict(metric_options):
                metric_options.append((metric, kpi.metric_code))
            if area not in dict(area_options):
                area_options.append((area, kpi.metric_dimension_value))
        self.has_metrics = bool(metric_options)
        self.fields["metric"].choices = [("", "Choose a metric")] + metric_options  # type: ignore[attr-defined]
        self.fields["area"].choices = [("", "Choose an area or breakdown")] + area_options  # type: ignore[attr-defined]

    @staticmethod
    def link_values(kpi: Kpi) -> tuple[str, str]:
        if kpi.source == KpiSource.ASCOF:
            return f"ascof:{kpi.metric_code}", f"breakdown:{kpi.metric_dimension_value}"
        return f"kpi:{kpi.metric_code}", f"{kpi.metric_dimension}:{kpi.metric_dimension_value}"

    @classmethod
    def initial_for(cls, kpi: Kpi) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "source": MANUAL if kpi.source == KpiSource.MANUAL else LINKED,
            "name": kpi.name, "unit": kpi.unit, "target": kpi.target,
            "red_threshold": kpi.red_threshold, "amber_threshold": kpi.amber_threshold,
            "polarity": kpi.polarity, "version": kpi.version,
        }  # fmt: skip
        if kpi.source != KpiSource.MANUAL:
            initial["metric"], initial["area"] = cls.link_values(kpi)
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("source") == LINKED:
            metric, area = cleaned.get("metric") or "", cleaned.get("area") or ""
            if not metric:
                self.add_error("metric", "Select a metric from the metrics engine")
            if not area:
                self.add_error("area", "Select the area or breakdown")
            if metric and area:
                ascof_area = area.startswith("breakdown:")
                if metric.startswith("ascof:") and not ascof_area:
                    self.add_error("area", "Select one of the ASCOF measure’s breakdowns")
                elif metric.startswith("kpi:") and ascof_area:
                    self.add_error("area", "Select the whole council, a hub, a locality or a group")
        elif not (cleaned.get("name") or "").strip():
            self.add_error("name", "Enter the KPI name")
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "name": data.get("name") or "", "unit": data.get("unit") or "",
            "target": data.get("target"), "red_threshold": data.get("red_threshold"),
            "amber_threshold": data.get("amber_threshold"), "polarity": data["polarity"],
            "source": KpiSource.MANUAL.value,
        }  # fmt: skip
        if data.get("source") == LINKED:
            kind, code = data["metric"].split(":", 1)
            dimension, value = data["area"].split(":", 1)
            fields["source"] = (KpiSource.ASCOF if kind == "ascof" else KpiSource.METRICS_KPI).value
            fields["metric_code"] = code
            fields["metric_dimension"] = "" if dimension == "breakdown" else dimension
            fields["metric_dimension_value"] = value
        return fields


class KpiEditForm(KpiForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class KpiValueForm(forms.Form):
    value = _decimal(True, "Enter the figure")
    as_at = UKDateField(label_text="as-at date")


class UpdateForm(VersionedForm):
    commentary = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Enter a commentary on progress"}
    )
    status = forms.ChoiceField(choices=[], error_messages={"required": "Select a status"})
    percent_complete = forms.IntegerField(
        min_value=0, max_value=100,
        error_messages={
            "required": "Enter the percentage complete",
            "invalid": "Percentage complete must be a whole number from 0 to 100",
            "min_value": "Percentage complete must be a whole number from 0 to 100",
            "max_value": "Percentage complete must be a whole number from 0 to 100",
        },
    )  # fmt: skip

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        current = [action.status] if action.status != Status.NOT_STARTED else []
        options = current + [s.value for s in allowed_transitions(action.status)]
        self.fields["status"].choices = [(s, labels[s]) for s in options]  # type: ignore[attr-defined]
        self.milestones = list(action.milestones.all())
        for milestone in self.milestones:
            self.fields[f"milestone_{milestone.pk}"] = forms.ChoiceField(
                choices=MilestoneStatus.choices, required=False
            )

    def milestone_fields(self) -> list[tuple[forms.BoundField, str]]:
        return [
            (self[f"milestone_{m.pk}"], f"{m.title} (due {m.due_date.day} {m.due_date:%B %Y})")
            for m in self.milestones
        ]

    def milestone_changes(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"milestone_{m.pk}"]
            for m in self.milestones
            if self.cleaned_data.get(f"milestone_{m.pk}")
        }


class RagRulesForm(forms.Form):
    red_when_overdue = forms.BooleanField(required=False)
    red_when_kpi_beyond_red = forms.BooleanField(required=False)
    red_when_status_off_track = forms.BooleanField(required=False)
    red_when_milestone_late_by_days = forms.IntegerField(
        required=False, min_value=1, max_value=365,
        error_messages={"min_value": "Enter a number of days from 1 to 365",
                        "max_value": "Enter a number of days from 1 to 365",
                        "invalid": "Enter a number of days from 1 to 365"},
    )  # fmt: skip
    amber_when_milestone_late = forms.BooleanField(required=False)
    amber_when_kpi_beyond_amber = forms.BooleanField(required=False)
    amber_when_status_at_risk = forms.BooleanField(required=False)
    amber_when_due_within_days = forms.IntegerField(
        required=False, min_value=1, max_value=365,
        error_messages={"min_value": "Enter a number of days from 1 to 365",
                        "max_value": "Enter a number of days from 1 to 365",
                        "invalid": "Enter a number of days from 1 to 365"},
    )  # fmt: skip

    RULE_LABELS = {
        "red_when_overdue": "Red when the action is past its due date",
        "red_when_kpi_beyond_red": "Red when a linked KPI is beyond its red threshold",
        "red_when_status_off_track": "Red when the status is off track",
        "amber_when_milestone_late": "Amber when a milestone is late",
        "amber_when_kpi_beyond_amber": "Amber when a linked KPI is beyond its amber threshold",
        "amber_when_status_at_risk": "Amber when the status is at risk",
    }

    @classmethod
    def initial_for(cls, rules: RagRules) -> dict[str, Any]:
        return rules.document()

    def rule_choices(self) -> list[tuple[str, str]]:
        return list(self.RULE_LABELS.items())

    def checked(self) -> list[str]:
        source = self.data if self.is_bound else self.initial
        return [name for name in self.RULE_LABELS if source.get(name) in (True, "on", "True")]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(choices=[], error_messages={"required": "Select a month"})

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices  # type: ignore[attr-defined]
