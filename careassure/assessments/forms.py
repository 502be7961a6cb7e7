"""Forms for the assessment workspace, with GOV.UK error messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from careassure.accounts.models import User
from careassure.assessments.models import AssessmentMethod
from careassure.core.calendar import WorkingDayConvention
from careassure.core.framework import list_versions
from careassure.core.framework.models import Framework

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
SCORE_CHOICES = [("", "Not scored"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]


def score_labels(framework: Framework) -> dict[str, str]:
    """Hint text for each score radio: the rating word and CQC's descriptor."""
    return {
        str(level.score): f"{level.rating_word}: {level.descriptor}"
        for level in framework.score_levels
    }


class DayMonthYearDateField(forms.DateField):
    """A date typed as day/month/year; a stored date is shown the same way (18/3/2024)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year}"
        return value


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return DayMonthYearDateField(
        required=required,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the {label}",
            "invalid": f"The {label} must be a real date, like 18/3/2024",
        },
    )


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not generic at runtime
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


def member_choice(members: QuerySet[User], *, label: str = "owner") -> MemberChoiceField:
    return MemberChoiceField(
        queryset=members,
        required=False,
        empty_label="No one",
        error_messages={"invalid_choice": f"Select the {label} from the list"},
    )


class CycleForm(forms.Form):
    name = forms.CharField(
        max_length=200, error_messages={"required": "Enter a name for the cycle"}
    )
    framework_version = forms.ChoiceField(
        choices=[], error_messages={"required": "Select a framework version"}
    )
    assessment_method = forms.ChoiceField(
        choices=AssessmentMethod.choices,
        error_messages={"required": "Select an assessment method"},
    )
    notification_date = date_field("notification date", required=True)
    second_notification_date = date_field("second notification date")
    case_tracking_list_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=90,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 14",
            "min_value": "The number of days must be between 1 and 90",
            "max_value": "The number of days must be between 1 and 90",
        },
    )
    on_site_start_date = date_field("first day on site")
    on_site_end_date = date_field("last day on site")
    draft_report_date = date_field("date of the draft report email")
    working_day_convention = forms.ChoiceField(
        choices=[(c.value, c.label) for c in WorkingDayConvention],
        initial=WorkingDayConvention.EMAIL_DATE_IS_DAY_0.value,
        error_messages={"required": "Select how the email date is counted"},
    )
    publication_date = date_field("publication date")
    reason = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].choices = [  # type: ignore[attr-defined]
            (info.id, info.title) for info in list_versions()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("on_site_start_date"), data.get("on_site_end_date")
        if start and end and end < start:
            self.add_error(
                "on_site_end_date",
                "The last day on site must be the same as or after the first day",
            )
        return data


class MilestoneForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    done_on = date_field("date it was done")

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = member_choice(members)


class DateChangeForm(forms.Form):
    new_date = date_field("new date", required=True)
    reason = forms.CharField(
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for changing this date"},
    )


class InformationRequestForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter what CQC asked for"})
    requested_on = date_field("date of the request", required=True)
    due_on = date_field("due date")
    done_on = date_field("date it was sent")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = member_choice(members)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        requested, due = data.get("requested_on"), data.get("due_on")
        if requested and due and due < requested:
            self.add_error("due_on", "The due date must be the same as or after the request date")
        return data


class SelfAssessmentForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    strengths = forms.CharField(widget=forms.Textarea, required=False)
    areas_for_development = forms.CharField(widget=forms.Textarea, required=False)
    actions = forms.CharField(widget=forms.Textarea, required=False)
    score = forms.ChoiceField(
        choices=SCORE_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select a score from 1 to 4"},
    )
    score_rationale = forms.CharField(widget=forms.Textarea, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("score") and not (data.get("score_rationale") or "").strip():
            self.add_error("score_rationale", "Enter the reason for this score")
        if not any(
            (data.get(name) or "").strip()
            for name in ("strengths", "areas_for_development", "actions")
        ) and not data.get("score"):
            raise forms.ValidationError("Enter the self-assessment text or a score")
        return data

    def cleaned_score(self) -> int | None:
        value = self.cleaned_data.get("score")
        return int(value) if value else None


class StatusForm(forms.Form):
    to = forms.ChoiceField(
        choices=[("in_review", "In review"), ("approved", "Approved"), ("draft", "Draft")]
    )


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = member_choice(members)


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(coerce=int, choices=[])
    new = forms.TypedChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"Version {n}") for n in numbers]
        self.fields["old"].choices = choices  # type: ignore[attr-defined]
        self.fields["new"].choices = choices  # type: ignore[attr-defined]


class ScoresForm(forms.Form):
    """One score (or 'Not scored') per quality statement; fields named qs1…qs9."""

    def __init__(self, *args: Any, qs_titles: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for qs_id in qs_titles:
            self.fields[qs_id] = forms.ChoiceField(
                choices=SCORE_CHOICES,
                required=False,
                error_messages={"invalid_choice": "Select a score from 1 to 4"},
            )

    def scores(self) -> dict[str, int | None]:
        return {name: (int(value) if value else None) for name, value in self.cleaned_data.items()}


class FindingsForm(forms.Form):
    strengths = forms.CharField(widget=forms.Textarea, required=False)
    areas_for_development = forms.CharField(widget=forms.Textarea, required=False)

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip().lstrip("-•*").strip() for line in text.splitlines() if line.strip()]
