"""Display values for evidence items: GOV.UK dates, tags, summary-list rows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from careassure.evidence import selectors
from careassure.evidence.models import EvidenceItem, EvidenceKind
from careassure.evidence.uploads import TYPE_LABELS, size_text

if TYPE_CHECKING:
    from careassure.accounts.models import Membership, Organisation


def govuk_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


class EvidenceItemPresenter:
    def __init__(self, item: EvidenceItem, today: dt.date | None = None) -> None:
        self.item = item
        self.today = today or timezone.localdate()
        fw = selectors.framework()
        self._categories = dict(selectors.category_choices(fw))
        self._sources = dict(selectors.source_choices(fw))
        self._qs = {qs.id: qs for qs in fw.quality_statements}

    @property
    def id(self) -> str:
        return str(self.item.pk)

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def href(self) -> str:
        return reverse("evidence:item-detail", args=[self.item.pk])

    @property
    def stale(self) -> bool:
        return selectors.is_stale(self.item, self.today)

    @property
    def stale_reason(self) -> str:
        if self.item.review_by is not None and self.item.review_by < self.today:
            return f"Review was due by {govuk_date(self.item.review_by)}"
        if self.stale:
            days = selectors.stale_days()
            return f"Describes {govuk_date(self.item.as_at)}, more than {days} days ago"
        return ""

    @property
    def qs_labels(self) -> list[str]:
        return [s.qs_id.upper() for s in self.item.statements.all()]

    @property
    def qs_full(self) -> list[str]:
        return [
            f"{s.qs_id.upper()} {self._qs[s.qs_id].title}" if s.qs_id in self._qs else s.qs_id
            for s in self.item.statements.all()
        ]

    @property
    def categories(self) -> list[str]:
        return [
            self._categories.get(c.category_id, c.category_id) for c in self.item.categories.all()
        ]

    @property
    def source(self) -> str:
        return self._sources.get(self.item.source, self.item.source)

    @property
    def as_at(self) -> str:
        return govuk_date(self.item.as_at)

    @property
    def review_by(self) -> str:
        return govuk_date(self.item.review_by) or "Not set"

    @property
    def owner(self) -> str:
        owner = self.item.owner
        return (owner.get_full_name() or owner.username) if owner else "Not set"

    @property
    def tags(self) -> list[str]:
        return [t.name for t in self.item.tags.all()]

    @property
    def is_file(self) -> bool:
        return self.item.kind == EvidenceKind.FILE

    @property
    def kind_text(self) -> str:
        if self.is_file:
            label = TYPE_LABELS.get(self.item.content_type, "File")
            return f"{label}, {size_text(self.item.file_size or 0)}"
        return "Link"

    @property
    def download_href(self) -> str:
        return reverse("evidence:item-download", args=[self.item.pk]) if self.is_file else ""

    def summary_rows(self, can_edit: bool) -> list[dict[str, Any]]:
        change = reverse("evidence:item-edit", args=[self.item.pk])

        def row(key: str, value: str = "", html: str = "", hidden: str = "") -> dict[str, Any]:
            data: dict[str, Any] = {"key": {"text": key}}
            data["value"] = {"html": html} if html else {"text": value}
            if can_edit and hidden:
                data["actions"] = {
                    "items": [{"href": change, "text": "Change", "visuallyHiddenText": hidden}]
                }
            return data

        qs_html = "<br>".join(str(escape(v)) for v in self.qs_full)
        cat_html = "<br>".join(str(escape(v)) for v in self.categories)
        rows = [
            row("Quality statements", html=qs_html, hidden="quality statements"),
            row("Evidence categories", html=cat_html, hidden="evidence categories"),
            row("Source", self.source, hidden="source"),
            row("As at", self.as_at, hidden="as-at date"),
            row("Review by", self.review_by, hidden="review-by date"),
            row("Owner", self.owner, hidden="owner"),
            row("Tags", ", ".join(self.tags) or "None", hidden="tags"),
            row("Type", self.kind_text),
        ]
        if self.is_file:
            rows.append(row("File name", self.item.original_filename))
        else:
            rows.append(
                row(
                    "Web address",
                    html=f'<a class="govuk-link" href="{escape(self.item.url)}" '
                    f'rel="noreferrer noopener">{escape(self.item.url)}</a>',
                    hidden="web address",
                )
            )
        if self.item.description:
            rows.append(row("Description", self.item.description, hidden="description"))
        rows.append(row("Added", govuk_date(timezone.localdate(self.item.created_at))))
        return rows


def evidence_dashboard_card(org: Organisation, membership: Membership) -> dict[str, Any] | None:
    items = selectors.evidence_list(org=org)
    total = items.count()
    stale = selectors.evidence_list(org=org, stale=True).count()
    return {
        "title": "Evidence library",
        "href": reverse("evidence:item-list"),
        "value": total,
        "text": f"evidence items, {stale} stale" if total else "evidence items yet",
    }
