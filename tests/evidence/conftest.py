"""Evidence test helpers: real files of each accepted type, built in memory."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from careassure.accounts.models import Organisation, User
from careassure.evidence.models import EvidenceItem
from careassure.evidence.services import (
    EvidenceMetadata,
    evidence_create_file,
    evidence_create_link,
)

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
CSV_BYTES = b"locality,waiting\nAshford,12\nDover,7\n"


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Synthetic self-assessment extract")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["month", "waiting"])
    workbook.active.append(["2024-03", 120])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb_bytes(expanded: int = 5 * 1024 * 1024) -> bytes:
    """A DOCX-shaped ZIP whose document part is megabytes of zeros (ratio ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * expanded)
    return out.getvalue()


def many_member_zip(members: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(members):
            archive.writestr(f"word/media/{i}.xml", "x")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def metadata(**overrides: object) -> EvidenceMetadata:
    values: dict[str, object] = {
        "title": "Adult social care strategy 2024",
        "source": "information-return",
        "as_at": dt.date(2024, 3, 1),
        "qs_ids": ["qs1", "qs3"],
        "categories": ["processes"],
        "tags": ["strategy"],
    }
    values.update(overrides)
    return EvidenceMetadata(**values)  # type: ignore[arg-type]


def make_file_item(
    org: Organisation,
    user: User,
    data: bytes = PDF_BYTES,
    name: str = "strategy.pdf",
    **meta: object,
) -> EvidenceItem:
    return evidence_create_file(
        org=org,
        actor=user,
        metadata=metadata(**meta),
        stream=io.BytesIO(data),
        size=len(data),
        filename=name,
    )


def make_link_item(org: Organisation, user: User, **meta: object) -> EvidenceItem:
    return evidence_create_link(
        org=org, actor=user, metadata=metadata(**meta), url="https://www.kent.gov.uk/strategy"
    )
