from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.evidence.models import EvidenceItem
from careassure.evidence.services import evidence_create_file, evidence_delete, evidence_update
from tests.evidence.conftest import (
    PDF_BYTES,
    make_file_item,
    make_link_item,
    metadata,
    zip_bomb_bytes,
)


def test_file_is_stored_undermedia_root_with_a_random_name(kent, contributor, media_root: Path):
    item = make_file_item(kent, contributor, name="Kent ASC strategy.pdf")
    stored = Path(item.file.path)
    assert stored.is_file()
    assert stored.is_relative_to(media_root)
    assert "strategy" not in stored.name.lower()
    assert stored.suffix == ".pdf"
    assert stored.read_bytes() == PDF_BYTES
    assert (item.original_filename, item.content_type, item.file_size) == (
        "Kent ASC strategy.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )


def test_the_extension_comes_from_the_content_not_the_name(kent, contributor):
    item = make_file_item(kent, contributor, data=PDF_BYTES, name="figures.xlsx")
    assert item.content_type == "application/pdf"
    assert item.file.name.endswith(".pdf")


def test_create_is_audited_with_the_links(kent, contributor):
    item = make_file_item(kent, contributor)
    event = AuditEvent.objects.get(object_id=str(item.pk))
    assert (event.event_type, event.actor, event.organisation) == (
        AuditEventType.EVIDENCE_ITEM_CREATED,
        contributor,
        kent,
    )
    assert event.after["qs_ids"] == ["qs1", "qs3"]
    assert event.after["categories"] == ["processes"]
    assert event.after["as_at"] == "2024-03-01"


def test_one_item_supports_several_quality_statements(kent, contributor):
    item = make_link_item(kent, contributor, qs_ids=["qs2", "qs5", "qs9"])
    assert sorted(item.statements.values_list("qs_id", flat=True)) == ["qs2", "qs5", "qs9"]


def test_a_viewer_cannot_add_evidence(kent, viewer):
    with pytest.raises(PermissionDeniedError):
        make_link_item(kent, viewer)
    assert EvidenceItem.objects.count() == 0


def test_a_member_of_another_council_cannot_add_to_this_one(kent, other_council_user):
    with pytest.raises(PermissionDeniedError):
        make_link_item(kent, other_council_user)
    assert EvidenceItem.objects.count() == 0


def test_a_zip_bomb_is_refused_and_nothing_is_stored(kent, contributor, media_root: Path):
    data = zip_bomb_bytes()
    with pytest.raises(ApplicationError) as exc:
        evidence_create_file(
            org=kent,
            actor=contributor,
            metadata=metadata(),
            stream=io.BytesIO(data),
            size=len(data),
            filename="bomb.docx",
        )
    assert exc.value.extra == {"field": "file"}
    assert EvidenceItem.objects.count() == 0
    assert not list(media_root.rglob("*.*"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"title": "  "}, "Enter a title", id="title"),
        pytest.param({"qs_ids": []}, "Select at least one quality statement", id="qs"),
        pytest.param({"qs_ids": ["qs10"]}, "Unknown quality statement: qs10", id="qs10"),
        pytest.param({"categories": []}, "Select at least one evidence category", id="cat"),
        # Observation is never used for local authorities (reference §3.1).
        pytest.param(
            {"categories": ["observation"]},
            "Unknown evidence category: observation",
            id="observation",
        ),
        pytest.param({"source": "gossip"}, "Select where the evidence comes from", id="source"),
    ],
)
def test_metadata_is_validated(kent, contributor, overrides, message):
    with pytest.raises(ApplicationError) as exc:
        make_link_item(kent, contributor, **overrides)
    assert exc.value.message == message


def test_update_records_before_and_after(kent, contributor):
    item = make_link_item(kent, contributor)
    evidence_update(
        item=item,
        actor=contributor,
        metadata=metadata(
            title="Strategy (refreshed)",
            qs_ids=["qs4"],
            as_at=dt.date(2025, 1, 31),
            tags=["Strategy", " Carers "],
        ),
    )
    item.refresh_from_db()
    assert item.title == "Strategy (refreshed)"
    assert list(item.statements.values_list("qs_id", flat=True)) == ["qs4"]
    assert sorted(item.tags.values_list("name", flat=True)) == ["carers", "strategy"]
    event = AuditEvent.objects.get(event_type=AuditEventType.EVIDENCE_ITEM_UPDATED)
    assert event.before["title"] == "Adult social care strategy 2024"
    assert event.before["qs_ids"] == ["qs1", "qs3"]
    assert event.after["qs_ids"] == ["qs4"]
    assert event.after["as_at"] == "2025-01-31"


def test_another_council_cannot_update(kent, contributor, other_council_user):
    item = make_link_item(kent, contributor)
    with pytest.raises(PermissionDeniedError):
        evidence_update(item=item, actor=other_council_user, metadata=metadata(title="Hacked"))
    item.refresh_from_db()
    assert item.title == "Adult social care strategy 2024"


def test_delete_removes_the_stored_file(kent, contributor, django_capture_on_commit_callbacks):
    item = make_file_item(kent, contributor)
    path = Path(item.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(item=item, actor=contributor)
    assert not path.exists()
    assert EvidenceItem.objects.count() == 0
    assert AuditEvent.objects.filter(event_type=AuditEventType.EVIDENCE_ITEM_DELETED).count() == 1
