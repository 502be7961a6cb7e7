from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms

from careassure.accounts.models import Organisation, User
from careassure.evidence import selectors
from careassure.evidence.models import EvidenceItem
from careassure.evidence.services import EvidenceMetadata
from careassure.evidence.uploads import max_upload_bytes, size_text

DATE_PARTS = ("day", "month", "year")


def _date_part() -> forms.CharField:
    return forms.CharField(required=False, max_length=4)


def clean_govuk_date(form: forms.Form, prefix: str, label: str, required: bool) -> dt.date | None:
    """Combine a GOV.UK date input's day, month and year, adding the GOV.UK error to the
    first part (so the error summary links to it). Returns None when blank or invalid."""
    parts = {p: (form.cleaned_data.get(f"{prefix}_{p}") or "").strip() for p in DATE_PARTS}
    first = f"{prefix}_day"
    if not any(parts.values()):
        if required:
            form.add_error(first, f"Enter the {label}")
        return None
    missing = [p for p in DATE_PARTS if not parts[p]]
    if missing:
        form.add_error(first, f"The {label} must include a {' and '.join(missing)}")
        return None
    try:
        day, month, year = (int(parts[p]) for p in DATE_PARTS)
        if len(parts["year"]) != 4:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        form.add_error(first, f"The {label} must be a real date")
        return None


class EvidenceMetadataForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    qs_ids = forms.MultipleChoiceField(
        error_messages={"required": "Select at least one quality statement"}
    )
    categories = forms.MultipleChoiceField(
        error_messages={"required": "Select at least one evidence category"}
    )
    source = forms.ChoiceField(error_messages={"required": "Select where the evidence comes from"})
    as_at_day = _date_part()
    as_at_month = _date_part()
    as_at_year = _date_part()
    review_by_day = _date_part()
    review_by_month = _date_part()
    review_by_year = _date_part()
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    tags = forms.CharField(max_length=500, required=False)
    description = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fw = selectors.framework()
        self.fields["categories"].choices = selectors.category_choices(fw)  # type: ignore[attr-defined]
        self.fields["source"].choices = [("", "Select a source"), *selectors.source_choices(fw)]  # type: ignore[attr-defined]
        self.fields["qs_ids"].choices = selectors.qs_choices(fw)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=org
        ).order_by("last_name", "first_name")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        as_at = clean_govuk_date(self, "as_at", "as-at date", required=True)
        review_by = clean_govuk_date(self, "review_by", "review-by date", required=False)
        if as_at and review_by and review_by < as_at:
            self.add_error(
                "review_by_day", "The review-by date must be the same as or after the as-at date"
            )
        cleaned["as_at"], cleaned["review_by"] = as_at, review_by
        return cleaned

    def metadata(self) -> EvidenceMetadata:
        data = self.cleaned_data
        return EvidenceMetadata(
            title=data["title"],
            source=data["source"],
            as_at=data["as_at"],
            review_by=data.get("review_by"),
            qs_ids=list(data["qs_ids"]),
            categories=list(data["categories"]),
            owner=data.get("owner"),
            description=data.get("description", ""),
            tags=[t for t in (data.get("tags") or "").split(",") if t.strip()],
        )

    @classmethod
    def initial_for(cls, item: EvidenceItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "categories": [c.category_id for c in item.categories.all()],
            "source": item.source,
            "qs_ids": [s.qs_id for s in item.statements.all()],
            "as_at_day": item.as_at.day,
            "as_at_month": item.as_at.month,
            "as_at_year": item.as_at.year,
            "review_by_day": item.review_by.day if item.review_by else "",
            "review_by_month": item.review_by.month if item.review_by else "",
            "review_by_year": item.review_by.year if item.review_by else "",
            "owner": item.owner_id,
            "tags": ", ".join(t.name for t in item.tags.all()),
            "description": item.description,
            "url": item.url,
        }


class EvidenceUploadForm(EvidenceMetadataForm):
    file = forms.FileField(
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
        allow_empty_file=True,
    )

    field_order = ["file"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > max_upload_bytes():
            raise forms.ValidationError(
                f"The selected file must be smaller than {size_text(max_upload_bytes())}"
            )
        return upload


class EvidenceLinkForm(EvidenceMetadataForm):
    url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": "Enter a web address",
            "invalid": "Enter a web address in the correct format, like https://www.kent.gov.uk/",
        },
    )

    field_order = ["url"]


STALE_CHOICES = [("", "Current and stale"), ("yes", "Stale only"), ("no", "Current only")]


class EvidenceFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """Filters for the evidence list: quality statement, category, stale and tag."""

    qs = django_filters.ChoiceFilter(
        field_name="statements__qs_id", label="Quality statement", empty_label="All statements"
    )
    category = django_filters.ChoiceFilter(
        field_name="categories__category_id",
        label="Evidence category",
        empty_label="All categories",
    )
    stale = django_filters.ChoiceFilter(
        choices=STALE_CHOICES[1:], method="filter_stale", empty_label=STALE_CHOICES[0][1]
    )
    tag = django_filters.ChoiceFilter(field_name="tags__name", empty_label="All tags")

    class Meta:
        model = EvidenceItem
        fields: list[str] = []

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fw = selectors.framework()
        self.filters["qs"].extra["choices"] = selectors.qs_choices(fw)
        self.filters["category"].extra["choices"] = selectors.category_choices(fw)
        self.filters["tag"].extra["choices"] = [
            (name, name) for name in selectors.evidence_tag_names(org=org)
        ]

    def filter_stale(self, queryset: Any, name: str, value: str) -> Any:
        if value == "yes":
            return queryset.filter(selectors.stale_q())
        if value == "no":
            return queryset.exclude(selectors.stale_q())
        return queryset


class SectionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a section title"})
    description = forms.CharField(max_length=2000, required=False)


class SectionItemsForm(forms.Form):
    items = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = choices  # type: ignore[attr-defined]
        self.fields["items"].error_messages["invalid_choice"] = (
            "Select evidence items from this council's library"
        )
