"""The information return: default sections as data, per-council copies, completeness and the
ZIP export (files plus an index in CSV and HTML)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careassure.accounts.models import Membership
from careassure.accounts.permissions import require_permission
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError
from careassure.evidence import selectors
from careassure.evidence.models import EvidenceItem, EvidenceKind, InformationReturn, ReturnSection

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation, User

DEFAULT_SECTIONS_FILE = (
    Path(__file__).resolve().parent / "data" / "information-return-sections.yaml"
)
MANAGE = "informationreturn.manage"
LINK = "evidence.edit"


class SectionDefault(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9-]+$", max_length=60)
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    uncertain: bool


class SectionDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sections: tuple[SectionDefault, ...] = Field(min_length=1)


class SectionDataError(Exception):
    """The default sections file is broken: names the file, the place in it and the problem."""


def load_default_sections(path: Path = DEFAULT_SECTIONS_FILE) -> tuple[SectionDefault, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = SectionDefaults.model_validate(raw)
    except yaml.YAMLError as exc:
        raise SectionDataError(f"{path.name}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SectionDataError(f"{path.name}: {where}: {first['msg']}") from exc
    keys = [s.key for s in data.sections]
    if len(keys) != len(set(keys)):
        raise SectionDataError(f"{path.name}: sections: keys must be unique")
    return data.sections


@cache
def default_sections() -> tuple[SectionDefault, ...]:
    return load_default_sections()


# Selectors


def current_cycle(*, org: Organisation) -> Any:
    from careassure.assessments.selectors import cycle_current

    return cycle_current(org=org)


def information_return_find(*, org: Organisation, cycle: Any) -> InformationReturn | None:
    return InformationReturn.objects.filter(organisation=org, cycle=cycle).first()


def section_list(*, ret: InformationReturn) -> QuerySet[ReturnSection]:
    return ret.sections.prefetch_related(
        "items__statements", "items__categories", "items__owner"
    ).order_by("position", "id")


def section_get(*, org: Organisation, section_id: int) -> ReturnSection:
    try:
        return ReturnSection.objects.select_related("information_return").get(
            information_return__organisation=org, pk=section_id
        )
    except ReturnSection.DoesNotExist as exc:
        raise Http404("No such section") from exc


@dataclass
class Completeness:
    empty_sections: list[ReturnSection]
    qs_rows: list[dict[str, Any]]
    linked_items: int


def completeness(*, ret: InformationReturn, today: dt.date | None = None) -> Completeness:
    """Sections with no evidence, and per QS how many linked items support it."""
    fw = selectors.framework()
    sections = list(section_list(ret=ret))
    items: dict[Any, EvidenceItem] = {}
    for section in sections:
        for item in section.items.all():
            items[item.pk] = item
    counts = {qs.id: 0 for qs in fw.quality_statements}
    people = {qs.id: False for qs in fw.quality_statements}
    for item in items.values():
        cats = {c.category_id for c in item.categories.all()}
        for statement in item.statements.all():
            if statement.qs_id in counts:
                counts[statement.qs_id] += 1
                people[statement.qs_id] |= selectors.PEOPLE_EXPERIENCE in cats
    qs_rows = [
        {
            "qs_id": qs.id,
            "label": f"{qs.id.upper()} {qs.title}",
            "count": counts[qs.id],
            "has_people_experience": people[qs.id],
        }
        for qs in fw.quality_statements
    ]
    return Completeness(
        empty_sections=[s for s in sections if not s.items.all()],
        qs_rows=qs_rows,
        linked_items=len(items),
    )


# Services


def _membership(org: Organisation, actor: User) -> Membership | None:
    return Membership.objects.filter(organisation=org, user=actor).first()


@transaction.atomic
def information_return_get_or_create(
    *, org: Organisation, cycle: Any, actor: User
) -> InformationReturn:
    """The council's return for the cycle; the first time, copy the default sections."""
    existing = information_return_find(org=org, cycle=cycle)
    if existing is not None:
        return existing
    if _membership(org, actor) is None:
        raise ApplicationError("You are not a member of this council.")
    ret = InformationReturn.objects.create(organisation=org, cycle=cycle, created_by=actor)
    for position, default in enumerate(default_sections(), start=1):
        ReturnSection.objects.create(
            information_return=ret,
            key=default.key,
            position=position,
            title=default.title,
            description=default.description,
            uncertain=default.uncertain,
        )
    audit_record(
        event=AuditEventType.INFORMATION_RETURN_CREATED,
        actor=actor,
        organisation=org,
        obj=ret,
        extra={
            "cycle": cycle.pk if cycle is not None else None,
            "sections": [d.key for d in default_sections()],
        },
    )
    return ret


@transaction.atomic
def section_create(
    *, ret: InformationReturn, actor: User, title: str, description: str = ""
) -> ReturnSection:
    require_permission(_membership(ret.organisation, actor), MANAGE)
    if not title.strip():
        raise ApplicationError("Enter a section title", {"field": "title"})
    last = ret.sections.aggregate(m=Max("position"))["m"] or 0
    section = ReturnSection.objects.create(
        information_return=ret, position=last + 1, title=title.strip(), description=description
    )
    audit_record(
        event=AuditEventType.INFORMATION_RETURN_SECTION_CREATED,
        actor=actor,
        organisation=ret.organisation,
        obj=section,
        after={"title": section.title, "description": description, "position": section.position},
    )
    return section


@transaction.atomic
def section_update(
    *, section: ReturnSection, actor: User, title: str, description: str
) -> ReturnSection:
    org = section.information_return.organisation
    require_permission(_membership(org, actor), MANAGE)
    if not title.strip():
        raise ApplicationError("Enter a section title", {"field": "title"})
    before = {"title": section.title, "description": section.description}
    section.title, section.description = title.strip(), description
    section.save(update_fields=["title", "description"])
    audit_record(
        event=AuditEventType.INFORMATION_RETURN_SECTION_UPDATED,
        actor=actor,
        organisation=org,
        obj=section,
        before=before,
        after={"title": section.title, "description": section.description},
    )
    return section


@transaction.atomic
def section_delete(*, section: ReturnSection, actor: User) -> None:
    org = section.information_return.organisation
    require_permission(_membership(org, actor), MANAGE)
    audit_record(
        event=AuditEventType.INFORMATION_RETURN_SECTION_DELETED,
        actor=actor,
        organisation=org,
        obj=section,
        before={
            "title": section.title,
            "position": section.position,
            "items": [str(pk) for pk in section.items.values_list("pk", flat=True)],
        },
    )
    section.delete()


@transaction.atomic
def section_move(*, section: ReturnSection, actor: User, direction: str) -> None:
    """Swap the section with its neighbour above ("up") or below ("down")."""
    org = section.information_return.organisation
    require_permission(_membership(org, actor), MANAGE)
    if direction not in {"up", "down"}:
        raise ApplicationError("Choose to move the section up or down")
    ordered = list(section.information_return.sections.order_by("position", "id"))
    index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        event=AuditEventType.INFORMATION_RETURN_SECTION_MOVED,
        actor=actor,
        organisation=org,
        obj=section,
        extra={"direction": direction, "order": [s.pk for s in ordered]},
    )


@transaction.atomic
def section_set_items(*, section: ReturnSection, actor: User, item_ids: list[str]) -> ReturnSection:
    """Link exactly these evidence items (of the same council) to the section."""
    org = section.information_return.organisation
    require_permission(_membership(org, actor), LINK)
    items = list(EvidenceItem.objects.filter(organisation=org, pk__in=item_ids))
    if len(items) != len(set(item_ids)):
        raise ApplicationError("Select evidence items from this council's library")
    before = sorted(str(pk) for pk in section.items.values_list("pk", flat=True))
    section.items.set(items)
    audit_record(
        event=AuditEventType.INFORMATION_RETURN_EVIDENCE_LINKED,
        actor=actor,
        organisation=org,
        obj=section,
        before={"items": before},
        after={"items": sorted(str(i.pk) for i in items)},
    )
    return section


def csv_safe(text: str) -> str:
    """Stop a spreadsheet treating a cell as a formula (=, +, -, @ at the start)."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def _safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "file"
    return cleaned[:80]


def export_rows(*, ret: InformationReturn, today: dt.date | None = None) -> list[dict[str, str]]:
    """One index row per section and linked item (an item in two sections appears twice)."""
    today = today or timezone.localdate()
    fw = selectors.framework()
    categories = dict(selectors.category_choices(fw))
    sources = dict(selectors.source_choices(fw))
    rows: list[dict[str, str]] = []
    for section in section_list(ret=ret):
        items = sorted(section.items.all(), key=lambda i: (i.title, str(i.pk)))
        for item in items:
            is_file = item.kind == EvidenceKind.FILE
            rows.append(
                {
                    "section_number": str(section.position),
                    "section": section.title,
                    "title": item.title,
                    "quality_statements": " ".join(s.qs_id.upper() for s in item.statements.all()),
                    "categories": "; ".join(
                        categories.get(c.category_id, c.category_id) for c in item.categories.all()
                    ),
                    "source": sources.get(item.source, item.source),
                    "as_at": item.as_at.isoformat(),
                    "review_by": item.review_by.isoformat() if item.review_by else "",
                    "stale": "yes" if selectors.is_stale(item, today) else "no",
                    "file": (
                        f"files/{str(item.pk)[:8]}-{_safe_name(item.original_filename)}"
                        if is_file
                        else ""
                    ),
                    "link": "" if is_file else item.url,
                }
            )
    return rows


INDEX_COLUMNS = [
    ("section_number", "Section number"),
    ("section", "Section"),
    ("title", "Title"),
    ("quality_statements", "Quality statements"),
    ("categories", "Evidence categories"),
    ("source", "Source"),
    ("as_at", "As at"),
    ("review_by", "Review by"),
    ("stale", "Stale"),
    ("file", "File in this ZIP"),
    ("link", "Web address"),
]


def information_return_export(
    *, ret: InformationReturn, actor: User, today: dt.date | None = None
) -> bytes:
    """A ZIP holding every linked file once, plus index.csv and index.html naming each item's
    section, QS, categories and as-at date. Every export is audited."""
    org = ret.organisation
    if _membership(org, actor) is None:
        raise ApplicationError("You are not a member of this council.")
    rows = export_rows(ret=ret, today=today)
    files: dict[str, EvidenceItem] = {}
    for section in section_list(ret=ret):
        for item in section.items.all():
            if item.kind == EvidenceKind.FILE and item.file:
                files[f"files/{str(item.pk)[:8]}-{_safe_name(item.original_filename)}"] = item
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([label for _, label in INDEX_COLUMNS])
        for row in rows:
            writer.writerow([csv_safe(row[key]) for key, _ in INDEX_COLUMNS])
        archive.writestr("index.csv", text.getvalue().encode("utf-8-sig"))
        html = render_to_string(
            "evidence/return_index.jinja",
            {
                "organisation": org,
                "columns": INDEX_COLUMNS,
                "rows": rows,
                "generated": timezone.localdate() if today is None else today,
            },
        )
        archive.writestr("index.html", html.encode("utf-8"))
        for name, item in sorted(files.items()):
            with item.file.open("rb") as handle:
                archive.writestr(name, handle.read())
    with transaction.atomic():
        audit_record(
            event=AuditEventType.INFORMATION_RETURN_EXPORTED,
            actor=actor,
            organisation=org,
            obj=ret,
            extra={"rows": len(rows), "files": len(files)},
        )
    return buffer.getvalue()
