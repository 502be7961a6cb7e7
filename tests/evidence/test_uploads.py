from __future__ import annotations

import io

import pytest

from careassure.evidence.uploads import (
    CSV,
    DOCX,
    JPEG,
    MSG_EMPTY,
    MSG_WRONG_TYPE,
    MSG_ZIP_BOMB,
    PDF,
    PNG,
    XLSX,
    UploadRejected,
    check_upload,
    size_text,
)
from tests.evidence.conftest import (
    CSV_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    many_member_zip,
    xlsx_bytes,
    zip_bomb_bytes,
)


def _check(data: bytes) -> str:
    return check_upload(io.BytesIO(data), len(data)).content_type


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(PDF_BYTES, PDF, id="pdf"),
        pytest.param(PNG_BYTES, PNG, id="png"),
        pytest.param(JPEG_BYTES, JPEG, id="jpeg"),
        pytest.param(CSV_BYTES, CSV, id="csv"),
        pytest.param(docx_bytes(), DOCX, id="docx"),
        pytest.param(xlsx_bytes(), XLSX, id="xlsx"),
    ],
)
def test_accepts_each_type_from_its_content(data: bytes, expected: str) -> None:
    assert _check(data) == expected


def test_rejects_an_empty_file() -> None:
    with pytest.raises(UploadRejected) as exc:
        _check(b"")
    assert exc.value.message == "The selected file is empty"
    assert exc.value.message == MSG_EMPTY


def test_rejects_a_file_over_the_configured_limit(settings) -> None:
    settings.CAREASSURE_EVIDENCE_MAX_BYTES = 2048
    with pytest.raises(UploadRejected) as exc:
        _check(PDF_BYTES + b" " * 2048)
    assert exc.value.message == "The selected file must be smaller than 2 KB"


def test_default_limit_is_25_mb() -> None:
    # 25 MB + 1 byte is refused before the content is read.
    with pytest.raises(UploadRejected) as exc:
        check_upload(io.BytesIO(PDF_BYTES), 25 * 1024 * 1024 + 1)
    assert exc.value.message == "The selected file must be smaller than 25 MB"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", id="gif"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 4, id="windows-exe"),
        pytest.param(b"\x00\x01\x02binary\x00data", id="binary-with-nul"),
        pytest.param("caf\xe9,1\n".encode("latin-1"), id="not-utf8-text"),
    ],
)
def test_rejects_types_that_are_not_accepted(data: bytes) -> None:
    with pytest.raises(UploadRejected) as exc:
        _check(data)
    assert exc.value.message == "The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG"
    assert exc.value.message == MSG_WRONG_TYPE


def test_rejects_a_zip_that_is_not_an_office_document() -> None:
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRejected) as exc:
        _check(out.getvalue())
    assert exc.value.message == MSG_WRONG_TYPE


def test_rejects_a_zip_bomb_by_compression_ratio() -> None:
    # 5 MB of zeros deflates to about 5 KB: a ratio near 1000:1, over the limit of 100:1.
    with pytest.raises(UploadRejected) as exc:
        _check(zip_bomb_bytes())
    assert exc.value.message == MSG_ZIP_BOMB


def test_rejects_a_zip_bomb_by_total_expanded_size(settings) -> None:
    settings.CAREASSURE_EVIDENCE_MAX_COMPRESSION_RATIO = 100_000
    settings.CAREASSURE_EVIDENCE_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(UploadRejected) as exc:
        _check(zip_bomb_bytes(2 * 1024 * 1024))
    assert exc.value.message == MSG_ZIP_BOMB


def test_rejects_a_zip_with_too_many_members(settings) -> None:
    settings.CAREASSURE_EVIDENCE_MAX_ZIP_MEMBERS = 10
    # 2 Office parts + 9 media files = 11 members, one over the limit.
    with pytest.raises(UploadRejected) as exc:
        _check(many_member_zip(9))
    assert exc.value.message == MSG_ZIP_BOMB
    assert _check(many_member_zip(8)) == DOCX


@pytest.mark.parametrize(
    ("size", "text"),
    [
        pytest.param(25 * 1024 * 1024, "25 MB", id="25mb"),
        pytest.param(1536 * 1024, "1.5 MB", id="1.5mb"),
        pytest.param(2048, "2 KB", id="2kb"),
        pytest.param(900, "900 bytes", id="bytes"),
    ],
)
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text
