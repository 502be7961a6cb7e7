"""Checking an uploaded evidence file from its content, never from its name.

Accepted: PDF, DOCX, XLSX, CSV, PNG and JPEG. Magic bytes are read with the `filetype`
package; DOCX and XLSX must also be ZIP files holding the parts Office needs, within limits on
member count, total expanded size and compression ratio (so a zip bomb is refused before anything
opens it); CSV must be UTF-8 text. Every refusal is an `UploadRejected` with a GOV.UK message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_COMPRESSION_RATIO = 100
DEFAULT_MAX_ZIP_MEMBERS = 2000

ACCEPTED_TYPES_TEXT = "a PDF, DOCX, XLSX, CSV, PNG or JPEG"
MSG_EMPTY = "The selected file is empty"
MSG_WRONG_TYPE = f"The selected file must be {ACCEPTED_TYPES_TEXT}"
MSG_ZIP_BOMB = (
    "The selected file cannot be accepted because it expands to too much data. "
    "Save it again from Word or Excel and upload the new copy"
)
MSG_CORRUPT_OFFICE = "The selected file is a damaged Word or Excel document"

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx", CSV: "csv"}
TYPE_LABELS = {
    PDF: "PDF",
    PNG: "PNG image",
    JPEG: "JPEG image",
    DOCX: "Word document (DOCX)",
    XLSX: "Excel spreadsheet (XLSX)",
    CSV: "CSV file",
}


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int


def max_upload_bytes() -> int:
    return int(getattr(settings, "CAREASSURE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(size: int) -> str:
    """A byte count as GOV.UK writes it: '25 MB', '512 KB', '1.5 MB'."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        unit = "MB"
    elif size >= 1024:
        value = size / 1024
        unit = "KB"
    else:
        return f"{size} bytes"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


def _check_office_zip(stream: IO[bytes], size: int) -> str:
    limit_total = int(
        getattr(
            settings, "CAREASSURE_EVIDENCE_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES
        )
    )
    limit_ratio = int(
        getattr(
            settings, "CAREASSURE_EVIDENCE_MAX_COMPRESSION_RATIO", DEFAULT_MAX_COMPRESSION_RATIO
        )
    )
    limit_members = int(
        getattr(settings, "CAREASSURE_EVIDENCE_MAX_ZIP_MEMBERS", DEFAULT_MAX_ZIP_MEMBERS)
    )
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > limit_members:
                raise UploadRejected(MSG_ZIP_BOMB)
            total = sum(member.file_size for member in members)
            if total > limit_total or total > limit_ratio * max(size, 1):
                raise UploadRejected(MSG_ZIP_BOMB)
            for member in members:
                if member.compress_size and member.file_size / member.compress_size > limit_ratio:
                    raise UploadRejected(MSG_ZIP_BOMB)
            names = {member.filename for member in members}
    except zipfile.BadZipFile as exc:
        raise UploadRejected(MSG_CORRUPT_OFFICE) from exc
    if "[Content_Types].xml" not in names:
        raise UploadRejected(MSG_WRONG_TYPE)
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise UploadRejected(MSG_WRONG_TYPE)


def _looks_like_csv(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return any(any(cell.strip() for cell in row) for row in rows)


def check_upload(stream: IO[bytes], size: int) -> CheckedUpload:
    """Decide what an uploaded file is from its bytes; raise UploadRejected if not accepted."""
    if size == 0:
        raise UploadRejected(MSG_EMPTY)
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRejected(f"The selected file must be smaller than {size_text(limit)}")
    stream.seek(0)
    head = stream.read(8192)
    if not head:
        raise UploadRejected(MSG_EMPTY)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime in {PDF, PNG, JPEG}:
        content_type = mime
    elif mime in {DOCX, XLSX, "application/zip"}:
        content_type = _check_office_zip(stream, size)
    elif mime is None:
        stream.seek(0)
        if not _looks_like_csv(stream.read()):
            raise UploadRejected(MSG_WRONG_TYPE)
        content_type = CSV
    else:
        raise UploadRejected(MSG_WRONG_TYPE)
    stream.seek(0)
    return CheckedUpload(content_type=content_type, extension=EXTENSIONS[content_type], size=size)
