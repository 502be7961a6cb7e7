"""Reads for case tracking, always scoped to one organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from careassure.casetracking.models import CaseEntry, CaseList

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation


def current_cycle(*, org: Organisation) -> Any:
    from careassure.assessments.selectors import cycle_current

    return cycle_current(org=org)


def case_list_current(*, org: Organisation, cycle: Any = None) -> CaseList | None:
    """The latest list for the cycle (or, with no cycle recorded, the latest without one)."""
    return (
        CaseList.objects.filter(organisation=org, cycle=cycle)
        .order_by("-created_at", "-id")
        .first()
    )


def case_entry_list(*, case_list: CaseList) -> QuerySet[CaseEntry]:
    return case_list.entries.order_by("-selected_by_cqc", "pseudonym")


def case_entry_get(*, org: Organisation, entry_id: int) -> CaseEntry:
    try:
        return CaseEntry.objects.select_related("case_list").get(
            case_list__organisation=org, pk=entry_id
        )
    except CaseEntry.DoesNotExist as exc:
        raise Http404("No such case-tracking entry") from exc
