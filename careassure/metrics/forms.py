from __future__ import annotations

from typing import Any

from django import forms

from careassure.core.kpis import EXTRACTS

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
EXTRACT_LABELS = {
    "safeguarding_concerns": "Safeguarding concerns",
    "waiting_lists": "Waiting lists",
    "contacts": "Front-door contacts",
    "hospital_discharges": "Hospital discharges",
}


def _decimal(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": f"The {label} must be a number, like 95 or 2.5",
            "max_decimal_places": f"The {label} must have no more than 2 decimal places",
            "max_digits": f"The {label} must be smaller",
            "max_whole_digits": f"The {label} must be smaller",
        },
    )


class ThresholdForm(forms.Form):
    target = _decimal("target")
    amber_threshold = _decimal("amber threshold")
    red_threshold = _decimal("red threshold")


class SettingsForm(forms.Form):
    la_code = forms.CharField(
        required=False,
        max_length=12,
        error_messages={"max_length": "Council code must be 12 characters or fewer"},
    )
    grouping_title = forms.CharField(required=False, max_length=200)
    group_a_name = forms.CharField(
        max_length=40, error_messages={"required": "Enter a name for the first group"}
    )
    group_a_localities = forms.CharField(required=False, widget=forms.Textarea)
    group_b_name = forms.CharField(
        max_length=40, error_messages={"required": "Enter a name for the second group"}
    )
    group_b_localities = forms.CharField(required=False, widget=forms.Textarea)

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def groups(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            data["group_a_name"]: self.lines(data["group_a_localities"]),
            data["group_b_name"]: self.lines(data["group_b_localities"]),
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files; cleans to a list (empty when none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class UploadForm(forms.Form):
    """The four operational extracts (any of them), optional CLD files and population file."""

    as_at = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "The as-at date must be a real date, like 31/3/2026"},
    )
    cld_files = MultipleFileField(required=False)
    population_file = forms.FileField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {spec.name: forms.FileField(required=False) for spec in EXTRACTS}
        self.fields = {**fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = [spec.name for spec in EXTRACTS]
        if not self.errors and not any(cleaned.get(n) for n in [*names, "cld_files"]):
            raise forms.ValidationError(
                "Select at least one extract or Client Level Data file to upload"
            )
        for name, value in list(cleaned.items()):
            uploads = value if isinstance(value, list) else [value]
            if any(getattr(u, "size", 0) > MAX_UPLOAD_BYTES for u in uploads):
                self.add_error(name, "The selected file must be smaller than 200 MB")
        return cleaned
