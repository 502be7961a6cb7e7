from __future__ import annotations

import csv
import io
from typing import Any

from django import forms

from careassure.casetracking.models import ConsentBy, ConsentStatus, ContactStatus

MAX_ID_FILE_BYTES = 5 * 1024 * 1024


class CaseImportForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,
        error_messages={"required": "Select a CSV file of people"},
    )
    size = forms.IntegerField(
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Enter how many people to put in the list",
            "invalid": "The list size must be a whole number, like 50",
            "min_value": "The list size must be between 1 and 500",
            "max_value": "The list size must be between 1 and 500",
        },
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10**12,
        error_messages={
            "invalid": "The seed must be a whole number, like 2024",
            "min_value": "The seed must be 0 or more",
            "max_value": "The seed must be 1000000000000 or less",
        },
    )


class CaseEntryForm(forms.Form):
    selected_by_cqc = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Select whether CQC selected this person"},
    )
    consent_status = forms.ChoiceField(
        choices=ConsentStatus.choices,
        error_messages={"required": "Select whether consent was given"},
    )
    consent_by = forms.ChoiceField(choices=ConsentBy.choices, required=False)
    contact_status = forms.ChoiceField(
        choices=ContactStatus.choices, error_messages={"required": "Select the contact status"}
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("consent_status")
        if status in {ConsentStatus.GIVEN, ConsentStatus.REFUSED} and not cleaned.get("consent_by"):
            self.add_error("consent_by", "Select who gave or refused consent")
        return cleaned


class ReidentifyForm(forms.Form):
    person_ids = forms.CharField(max_length=20000, required=False)
    file = forms.FileField(required=False, allow_empty_file=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        cleaned["file_ids"] = []
        if upload is not None:
            try:
                text = upload.read(MAX_ID_FILE_BYTES + 1).decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The selected file must be a CSV file saved as UTF-8")
                return cleaned
            rows = list(csv.reader(io.StringIO(text)))
            column = 0
            if rows and "person_id" in [c.strip() for c in rows[0]]:
                column = [c.strip() for c in rows[0]].index("person_id")
                rows = rows[1:]
            cleaned["file_ids"] = [r[column].strip() for r in rows if len(r) > column]
        if not (cleaned.get("person_ids") or "").strip() and not cleaned["file_ids"]:
            self.add_error("person_ids", "Enter at least one person ID, or upload a file of them")
        return cleaned

    def ids(self) -> list[str]:
        text = (self.cleaned_data.get("person_ids") or "").replace(",", "\n")
        typed = [line.strip() for line in text.splitlines() if line.strip()]
        return typed + [i for i in self.cleaned_data.get("file_ids", []) if i]
