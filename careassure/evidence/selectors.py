"""Reads for the evidence library, always scoped to one organisation."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from careassure.core.framework import Framework, load_framework
from careassure.evidence.models import EvidenceItem, EvidenceTag, ReturnSection

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation

DEFAULT_STALE_DAYS = 365
PEOPLE_EXPERIENCE = "people-experience"
PARTNERS = "partners"


def stale_days() -> int:
    return int(getattr(settings, "CAREASSURE_EVIDENCE_STALE_DAYS", DEFAULT_STALE_DAYS))


def stale_cutoff(today: dt.date | None = None) -> dt.date:
    """Evidence describing a date before this is too old (default: 365 days before today)."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=stale_days())


def stale_q(today: dt.date | None = None) -> Q:
    """Stale: past its review-by date, or its as-at date is older than the configured age."""
    today = today or timezone.localdate()
    return Q(review_by__lt=today) | Q(as_at__lt=stale_cutoff(today))


def is_stale(item: EvidenceItem, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if item.review_by is not None and item.review_by < today:
        return True
    return item.as_at < stale_cutoff(today)


def framework() -> Framework:
    return load_framework()


def category_choices(fw: Framework | None = None) -> list[tuple[str, str]]:
    """The evidence categories used for local authorities (observation and outcomes are not)."""
    fw = fw or framework()
    return [(c.id, c.title) for c in fw.evidence_categories if c.used_for_las]


def source_choices(fw: Framework | None = None) -> list[tuple[str, str]]:
    fw = fw or framework()
    return [(s.id, s.title) for s in fw.evidence_sources]


def qs_choices(fw: Framework | None = None) -> list[tuple[str, str]]:
    fw = fw or framework()
    return [(qs.id, f"{qs.id.upper()} {qs.title}") for qs in fw.quality_statements]


def evidence_list(
    *,
    org: Organisation,
    qs_id: str = "",
    category_id: str = "",
    stale: bool | None = None,
    tag: str = "",
    today: dt.date | None = None,
) -> QuerySet[EvidenceItem]:
    """The council's evidence items, with their QS, categories, tags and owner loaded."""
    items = (
        EvidenceItem.objects.filter(organisation=org)
        .select_related("owner")
        .prefetch_related("statements", "categories", "tags")
    )
    if qs_id:
        items = items.filter(statements__qs_id=qs_id)
    if category_id:
        items = items.filter(categories__category_id=category_id)
    if tag:
        items = items.filter(tags__name=tag)
    if stale is True:
        items = items.filter(stale_q(today))
    elif stale is False:
        items = items.exclude(stale_q(today))
    return items.distinct()


def evidence_get(*, org: Organisation, item_id: uuid.UUID | str) -> EvidenceItem:
    """One item of this council; any other council's id (or a bad id) is a 404."""
    try:
        return (
            EvidenceItem.objects.select_related("owner", "created_by")
            .prefetch_related("statements", "categories", "tags")
            .get(organisation=org, pk=item_id)
        )
    except (EvidenceItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such evidence item") from exc


def evidence_tag_names(*, org: Organisation) -> list[str]:
    return list(EvidenceTag.objects.filter(organisation=org).values_list("name", flat=True))


@dataclass
class QsEvidenceFacts:
    """What the evidence library holds for one quality statement."""

    qs_id: str
    counts_by_category: dict[str, int] = field(default_factory=dict)
    total: int = 0
    stale: int = 0
    has_people_experience: bool = False
    has_partner_feedback: bool = False
    in_information_return: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "qs_id": self.qs_id,
            "counts_by_category": dict(self.counts_by_category),
            "total": self.total,
            "stale": self.stale,
            "has_people_experience": self.has_people_experience,
            "has_partner_feedback": self.has_partner_feedback,
            "in_information_return": self.in_information_return,
        }


def evidence_readiness_facts(
    *, org: Organisation, cycle: Any = None, today: dt.date | None = None
) -> dict[str, QsEvidenceFacts]:
    """Per QS id (qs1..qs9): items by category, total, stale count, and whether there is
    people's-experience and partner evidence. Only current (not stale) items count towards
    `has_people_experience` and `has_partner_feedback`. With a cycle, `in_information_return`
    counts the items linked to that cycle's information return."""
    today = today or timezone.localdate()
    fw = framework()
    facts = {
        qs.id: QsEvidenceFacts(
            qs_id=qs.id, counts_by_category={cid: 0 for cid, _ in category_choices(fw)}
        )
        for qs in fw.quality_statements
    }
    items = list(evidence_list(org=org))
    in_return: set[uuid.UUID] = set()
    if cycle is not None:
        in_return = set(
            ReturnSection.objects.filter(
                information_return__organisation=org, information_return__cycle=cycle
            ).values_list("items__id", flat=True)
        )
    for item in items:
        item_stale = is_stale(item, today)
        categories = [c.category_id for c in item.categories.all()]
        for statement in item.statements.all():
            fact = facts.get(statement.qs_id)
            if fact is None:
                continue
            fact.total += 1
            fact.stale += int(item_stale)
            counts = Counter(categories)
            for category_id, n in counts.items():
                fact.counts_by_category[category_id] = (
                    fact.counts_by_category.get(category_id, 0) + n
                )
            if not item_stale:
                fact.has_people_experience |= PEOPLE_EXPERIENCE in categories
                fact.has_partner_feedback |= PARTNERS in categories
            if item.pk in in_return:
                fact.in_information_return += 1
    return facts
