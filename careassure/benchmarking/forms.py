from __future__ import annotations

from typing import Any

from django import forms

from careassure.accounts.models import OrganisationType, Region
from careassure.benchmarking.models import Rating

SCORE_CHOICES = [
    ("", "Not scored"),
    ("1", "1 – Inadequate"),
    ("2", "2 – Requires improvement"),
    ("3", "3 – Good"),
    ("4", "4 – Outstanding"),
]


class CalculatorForm(forms.Form):
    """Nine quality statement scores; at least one must be given."""

    def __init__(self, *args: Any, qs_titles: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.qs_titles = qs_titles
        for qs_id in qs_titles:
            self.fields[qs_id] = forms.TypedChoiceField(
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": f"Select a score from 1 to 4 for {qs_titles[qs_id]}, "
                    "or ‘Not scored’"
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and all(cleaned.get(qs) is None for qs in self.qs_titles):
            raise forms.ValidationError("Select a score for at least one quality statement")
        return cleaned

    def scores(self) -> dict[str, int | None]:
        return {qs: self.cleaned_data.get(qs) for qs in self.qs_titles}


class NationalFilterForm(forms.Form):
    rating = forms.ChoiceField(choices=[("", "All ratings"), *Rating.choices], required=False)
    region = forms.ChoiceField(choices=[("", "All regions"), *Region.choices], required=False)
    org_type = forms.ChoiceField(
        choices=[("", "All types"), *OrganisationType.choices], required=False
    )
    sort = forms.CharField(required=False)
    order = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)
    council = forms.IntegerField(required=False, min_value=1)
