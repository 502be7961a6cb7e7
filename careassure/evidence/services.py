"""Writes to the evidence library. Each checks permission and audits in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import File
from django.db import transaction

from careassure.accounts.models import Membership
from careassure.accounts.permissions import require_permission
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError
from careassure.evidence import selectors
from careassure.evidence.models import (
    EvidenceCategoryLink,
    EvidenceItem,
    EvidenceKind,
    EvidenceStatement,
    EvidenceTag,
)
from careassure.evidence.uploads import UploadRejected, check_upload

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation, User

EDIT = "evidence.edit"
AUDIT_FIELDS = ["title", "description", "source", "as_at", "review_by", "owner_id", "url"]


@dataclass
class EvidenceMetadata:
    title: str
    source: str
    as_at: dt.date
    qs_ids: list[str]
    categories: list[str]
    review_by: dt.date | None = None
    owner: User | None = None
    description: str = ""
    tags: list[str] = field(default_factory=list)


def _membership(org: Organisation, actor: User) -> Membership | None:
    return Membership.objects.filter(organisation=org, user=actor).first()


def _validate(org: Organisation, metadata: EvidenceMetadata) -> None:
    fw = selectors.framework()
    qs_ids = {qs_id for qs_id, _ in selectors.qs_choices(fw)}
    categories = {cid for cid, _ in selectors.category_choices(fw)}
    sources = {sid for sid, _ in selectors.source_choices(fw)}
    if not metadata.title.strip():
        raise ApplicationError("Enter a title")
    if not metadata.qs_ids:
        raise ApplicationError("Select at least one quality statement")
    if unknown := sorted(set(metadata.qs_ids) - qs_ids):
        raise ApplicationError(f"Unknown quality statement: {', '.join(unknown)}")
    if not metadata.categories:
        raise ApplicationError("Select at least one evidence category")
    if unknown := sorted(set(metadata.categories) - categories):
        raise ApplicationError(f"Unknown evidence category: {', '.join(unknown)}")
    if metadata.source not in sources:
        raise ApplicationError("Select where the evidence comes from")
    if (
        metadata.owner is not None
        and not Membership.objects.filter(organisation=org, user=metadata.owner).exists()
    ):
        raise ApplicationError("The owner must be a member of this council")


def _normalise_tags(tags: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        name = " ".join(tag.split()).lower()[:50]
        if name:
            seen[name] = None
    return list(seen)


def _apply(item: EvidenceItem, metadata: EvidenceMetadata) -> None:
    item.title = metadata.title.strip()
    item.description = metadata.description.strip()
    item.source = metadata.source
    item.as_at = metadata.as_at
    item.review_by = metadata.review_by
    item.owner = metadata.owner


def _set_links(item: EvidenceItem, metadata: EvidenceMetadata) -> None:
    item.statements.exclude(qs_id__in=metadata.qs_ids).delete()
    for qs_id in metadata.qs_ids:
        EvidenceStatement.objects.get_or_create(item=item, qs_id=qs_id)
    item.categories.exclude(category_id__in=metadata.categories).delete()
    for category_id in metadata.categories:
        EvidenceCategoryLink.objects.get_or_create(item=item, category_id=category_id)
    tags = [
        EvidenceTag.objects.get_or_create(organisation=item.organisation, name=name)[0]
        for name in _normalise_tags(metadata.tags)
    ]
    item.tags.set(tags)


def _links_snapshot(item: EvidenceItem) -> dict[str, Any]:
    return {
        "qs_ids": sorted(item.statements.values_list("qs_id", flat=True)),
        "categories": sorted(item.categories.values_list("category_id", flat=True)),
        "tags": sorted(item.tags.values_list("name", flat=True)),
    }


def _snapshot(item: EvidenceItem) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(item, name) for name in AUDIT_FIELDS}
    data.update(_links_snapshot(item))
    return data


@transaction.atomic
def evidence_create_file(
    *,
    org: Organisation,
    actor: User,
    metadata: EvidenceMetadata,
    stream: IO[bytes],
    size: int,
    filename: str,
) -> EvidenceItem:
    """Check the file from its content, store it under a random name, and record the item."""
    require_permission(_membership(org, actor), EDIT)
    _validate(org, metadata)
    try:
        checked = check_upload(stream, size)
    except UploadRejected as exc:
        raise ApplicationError(exc.message, {"field": "file"}) from exc
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(65536), b""):
        digest.update(chunk)
    stream.seek(0)
    item = EvidenceItem(
        organisation=org,
        kind=EvidenceKind.FILE,
        created_by=actor,
        original_filename=filename[-255:],
        content_type=checked.content_type,
        file_extension=checked.extension,
        file_size=checked.size,
        sha256=digest.hexdigest(),
    )
    _apply(item, metadata)
    item.file.save(f"upload.{checked.extension}", File(stream), save=False)
    stored, storage = item.file.name or "", item.file.storage
    # If anything below fails the transaction rolls back; remove the stored file too.
    try:
        item.save()
        _set_links(item, metadata)
        audit_record(
            event=AuditEventType.EVIDENCE_ITEM_CREATED,
            actor=actor,
            organisation=org,
            obj=item,
            after=_snapshot(item),
            extra={"kind": "file", "content_type": checked.content_type, "size": checked.size},
        )
    except Exception:
        storage.delete(stored)
        raise
    return item


@transaction.atomic
def evidence_create_link(
    *, org: Organisation, actor: User, metadata: EvidenceMetadata, url: str
) -> EvidenceItem:
    require_permission(_membership(org, actor), EDIT)
    _validate(org, metadata)
    if not url.startswith(("https://", "http://")):
        raise ApplicationError("Enter a web address starting with https://", {"field": "url"})
    item = EvidenceItem(organisation=org, kind=EvidenceKind.LINK, created_by=actor, url=url)
    _apply(item, metadata)
    item.save()
    _set_links(item, metadata)
    audit_record(
        event=AuditEventType.EVIDENCE_ITEM_CREATED,
        actor=actor,
        organisation=org,
        obj=item,
        after=_snapshot(item),
        extra={"kind": "link"},
    )
    return item


@transaction.atomic
def evidence_update(
    *, item: EvidenceItem, actor: User, metadata: EvidenceMetadata, url: str | None = None
) -> EvidenceItem:
    """Change an item's details (not its file). The item must come from a scoped selector."""
    org = item.organisation
    require_permission(_membership(org, actor), EDIT)
    _validate(org, metadata)
    before = _snapshot(item)
    _apply(item, metadata)
    if url is not None and item.kind == EvidenceKind.LINK:
        if not url.startswith(("https://", "http://")):
            raise ApplicationError("Enter a web address starting with https://", {"field": "url"})
        item.url = url
    item.save(
        update_fields=[
            "title",
            "description",
            "source",
            "as_at",
            "review_by",
            "owner",
            "url",
            "updated_at",
        ]
    )
    _set_links(item, metadata)
    audit_record(
        event=AuditEventType.EVIDENCE_ITEM_UPDATED,
        actor=actor,
        organisation=org,
        obj=item,
        before=before,
        after=_snapshot(item),
    )
    return item


@transaction.atomic
def evidence_delete(*, item: EvidenceItem, actor: User) -> None:
    """Delete the item and, once the transaction commits, its stored file."""
    org = item.organisation
    require_permission(_membership(org, actor), EDIT)
    before = _snapshot(item)
    stored = item.file.name if item.file else ""
    storage = item.file.storage
    audit_record(
        event=AuditEventType.EVIDENCE_ITEM_DELETED,
        actor=actor,
        organisation=org,
        obj=item,
        before=before,
    )
    item.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
