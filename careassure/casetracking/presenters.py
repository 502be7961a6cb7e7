"""Display values for the case-tracking list."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from careassure.casetracking import selectors
from careassure.casetracking.models import CaseEntry, CaseList, ConsentStatus, ContactStatus

if TYPE_CHECKING:
    from careassure.accounts.models import Membership, Organisation


def govuk_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not recorded"


def consent_tag(entry: CaseEntry) -> dict[str, str]:
    text = entry.get_consent_status_display()
    if entry.consent_status != ConsentStatus.NOT_ASKED and entry.consent_by:
        text = f"{text} ({entry.get_consent_by_display().lower()})"
    classes = {
        ConsentStatus.GIVEN: "govuk-tag--green",
        ConsentStatus.REFUSED: "govuk-tag--red",
    }.get(ConsentStatus(entry.consent_status), "govuk-tag--grey")
    return {"text": text, "classes": classes}


def contact_tag(entry: CaseEntry) -> dict[str, str]:
    classes = {
        ContactStatus.CONTACTED: "govuk-tag--green",
        ContactStatus.ATTEMPTED: "govuk-tag--yellow",
        ContactStatus.UNABLE: "govuk-tag--red",
    }.get(ContactStatus(entry.contact_status), "govuk-tag--grey")
    return {"text": entry.get_contact_status_display(), "classes": classes}


def entry_row(entry: CaseEntry) -> dict[str, Any]:
    flags = [
        label
        for label, value in (
            ("Unpaid carer", entry.unpaid_carer),
            ("Transition", entry.transition),
            ("Safeguarding", entry.safeguarding),
        )
        if value
    ]
    return {
        "id": entry.pk,
        "pseudonym": entry.pseudonym,
        "age_band": entry.age_band,
        "psr": entry.primary_support_reason,
        "service": entry.service_type,
        "service_setting": (
            entry.service_type
            if entry.service_type == entry.setting
            else f"{entry.service_type} ({entry.setting})"
        ),
        "setting": entry.setting,
        "locality": entry.locality,
        "flags": ", ".join(flags) or "None",
        "first_contact": govuk_date(entry.first_contact_date),
        "assessment": govuk_date(entry.assessment_date),
        "last_review": govuk_date(entry.last_review_date),
        "selected": entry.selected_by_cqc,
        "consent": consent_tag(entry),
        "contact": contact_tag(entry),
        "href": reverse("casetracking:entry-edit", args=[entry.pk]),
    }


def coverage_groups(case_list: CaseList) -> list[dict[str, Any]]:
    groups = []
    for title, grouped in groupby(case_list.coverage, key=lambda r: r["dimension_title"]):
        rows = list(grouped)
        groups.append(
            {
                "title": title,
                "rows": rows,
                "missing": [r["value"] for r in rows if r["in_list"] == 0],
            }
        )
    return groups


def missing_count(case_list: CaseList) -> int:
    return sum(1 for r in case_list.coverage if r["in_list"] == 0)


def case_tracking_dashboard_card(
    org: Organisation, membership: Membership
) -> dict[str, Any] | None:
    case_list = selectors.case_list_current(org=org, cycle=selectors.current_cycle(org=org))
    if case_list is None:
        return {
            "title": "Case tracking",
            "href": reverse("casetracking:list-detail"),
            "value": 0,
            "text": "people in the case-tracking list yet",
        }
    selected = case_list.entries.filter(selected_by_cqc=True).count()
    return {
        "title": "Case tracking",
        "href": reverse("casetracking:list-detail"),
        "value": case_list.entries.count(),
        "text": f"people in the list, {selected} selected by CQC",
    }
