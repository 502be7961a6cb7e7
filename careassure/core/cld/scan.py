"""Streaming file-level checks before DuckDB reads a file (rules F01, F02, F03, F08).

A UTF-8 file is read once in large binary chunks for its SHA-256, encoding check and physical
line count (a Windows-1252 file is read again, once); the byte-order mark and header row are
read from the start of the file. DuckDB reads a UTF-8 file, with or without a byte-order mark
(which it skips), as it is; a Windows-1252 file is transcoded to a temporary UTF-8 copy that
DuckDB reads instead.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from careassure.core.cld.errors import CldFileError
from careassure.core.cld.findings import Finding
from careassure.core.cld.spec import FIELD_BY_HEADER, FIELDS, FieldSpec

CHUNK_BYTES = 16 * 1024 * 1024
BOM = codecs.BOM_UTF8
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class FileScan:
    """What the pre-pass learned about one file."""

    path: Path
    sha256: str
    encoding: str
    bom: bool
    headers: list[str]
    fields: list[FieldSpec]
    physical_lines: int
    csv_path: Path
    warnings: list[Finding] = field(default_factory=list)
    temp_file: Path | None = None

    def cleanup(self) -> None:
        if self.temp_file is not None:
            self.temp_file.unlink(missing_ok=True)
            self.temp_file = None


def _decodes(path: Path, encoding: str) -> tuple[bool, int, str, int, bool]:
    """One streaming decode: (ok, byte offset of the first failure, sha256, lines, has data).

    Lines are the physical lines (a last line without a line break counts); the file has data
    when it has more than one.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    digest = hashlib.sha256()
    offset = 0
    lines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, offset + exc.start, "", 0, False
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return False, offset + exc.start, "", 0, False
    if last and last != b"\n":
        lines += 1
    return True, -1, digest.hexdigest(), lines, lines > 1


def _read_utf8(path: Path) -> tuple[bool, int, str, int, bool]:
    """One binary pass: (ok, byte offset of the first failure, sha256, lines, has data).

    A chunk that is pure ASCII (checked in C by `bytes.isascii`) is valid UTF-8 by itself, so
    only chunks with other bytes, or a chunk after one that ended inside a character, are
    decoded. Lines and data are as `_decodes` gives them.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    digest = hashlib.sha256()
    offset = 0
    lines = 0
    last = b""
    pending = False
    with path.open("rb", buffering=0) as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            if pending or not chunk.isascii():
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    return False, offset + exc.start, "", 0, False
                pending = decoder.getstate()[0] != b""
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return False, offset + exc.start, "", 0, False
    if last and last != b"\n":
        lines += 1
    return True, -1, digest.hexdigest(), lines, lines > 1


def _first_line(path: Path, encoding: str, skip: int) -> str:
    with path.open("rb") as handle:
        handle.seek(skip)
        raw = handle.readline()
    return raw.decode(encoding, errors="replace").rstrip("\r\n")


def _check_headers(
    path: Path, header_line: str
) -> tuple[list[str], list[FieldSpec], list[Finding]]:
    headers = next(csv.reader([header_line]), [])
    headers = [h.strip() for h in headers]
    known = [h for h in headers if h in FIELD_BY_HEADER]
    if len(known) <= 1:
        for delim, name in OTHER_DELIMITERS.items():
            parts = [h.strip().strip('"') for h in header_line.split(delim)]
            if sum(1 for p in parts if p in FIELD_BY_HEADER) >= 2:
                raise CldFileError(
                    path,
                    f"the file uses {name} ({delim!r}) as the delimiter; "
                    "a CLD file must be comma-separated",
                    rule="F01",
                )
        raise CldFileError(
            path,
            "the first line is not the CLD header row; expected the 50 headers of the "
            'specification, starting "LA Code,Reporting Period Start Date,..."',
            rule="F01",
        )
    seen: set[str] = set()
    for h in headers:
        if h in seen:
            raise CldFileError(path, f'header "{h}" appears more than once', rule="F01")
        seen.add(h)
    unknown = [h for h in headers if h not in FIELD_BY_HEADER]
    if unknown:
        hints = []
        folded = {f.header.casefold().replace("_", " "): f.header for f in FIELDS}
        for h in unknown:
            match = folded.get(" ".join(h.casefold().replace("_", " ").split()))
            hints.append(f'"{h}" (did you mean "{match}"?)' if match else f'"{h}"')
        raise CldFileError(
            path,
            f"unknown header{'s' if len(unknown) > 1 else ''} {', '.join(hints)}; "
            "headers must be spelled exactly as in the specification",
            rule="F01",
        )
    missing = [f.header for f in FIELDS if f.header not in seen and not f.optional_header]
    if missing:
        raise CldFileError(
            path,
            f"missing header{'s' if len(missing) > 1 else ''} "
            + ", ".join(f'"{m}"' for m in missing),
            rule="F01",
        )
    fields = [FIELD_BY_HEADER[h] for h in headers]
    warnings: list[Finding] = []
    numbers = [f.number for f in fields]
    if numbers != sorted(numbers):
        first = next(f for f, n in zip(fields, sorted(numbers), strict=True) if f.number != n)
        warnings.append(
            Finding(
                file=path.name,
                row=None,
                column=first.header,
                value=None,
                rule="F02",
                severity="warning",
                message="columns are not in specification order; they were matched by name",
            )
        )
    return headers, fields, warnings


def scan_file(path: Path) -> FileScan:
    """Run the file-level checks; raise CldFileError when the file must be refused."""
    if not path.is_file():
        raise CldFileError(path, "file not found", rule="F08")
    if path.stat().st_size == 0:
        raise CldFileError(
            path, "the file is empty (0 bytes); expected a header row and data rows", rule="F08"
        )
    with path.open("rb") as handle:
        bom = handle.read(3) == BOM
    warnings: list[Finding] = []
    ok, bad_at, sha, lines, has_data = _read_utf8(path)
    encoding = "utf-8"
    if not ok:
        ok_1252, bad_1252, sha, lines, has_data = _decodes(path, "cp1252")
        if not ok_1252:
            with path.open("rb") as handle:
                handle.seek(bad_1252)
                byte = handle.read(1)
            raise CldFileError(
                path,
                f"the file is neither UTF-8 nor Windows-1252: byte 0x{byte.hex()} at offset "
                f"{bad_1252} cannot be decoded (first invalid UTF-8 byte at offset {bad_at})",
                rule="F03",
            )
        encoding = "windows-1252"
        warnings.append(
            Finding(
                file=path.name,
                row=None,
                column=None,
                value=None,
                rule="F03",
                severity="warning",
                message="the file is Windows-1252, not UTF-8; it was read as Windows-1252",
            )
        )
    if bom:
        warnings.append(
            Finding(
                file=path.name,
                row=None,
                column=None,
                value=None,
                rule="F03",
                severity="warning",
                message="the file starts with a UTF-8 byte-order mark; it was removed",
            )
        )
    header_line = _first_line(path, "utf-8" if encoding == "utf-8" else "cp1252", 3 if bom else 0)
    headers, fields, header_warnings = _check_headers(path, header_line)
    warnings.extend(header_warnings)
    if not has_data:
        raise CldFileError(path, "the file has a header row but no data rows", rule="F08")
    scan = FileScan(
        path=path,
        sha256=sha,
        encoding=encoding,
        bom=bom,
        headers=headers,
        fields=fields,
        physical_lines=lines,
        csv_path=path,
        warnings=warnings,
    )
    if encoding != "utf-8":
        scan.temp_file = _transcode(path, "cp1252")
        scan.csv_path = scan.temp_file
    return scan


def _transcode(path: Path, encoding: str) -> Path:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with (
        path.open("rb") as source,
        tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", suffix=".csv", prefix="cld-", delete=False
        ) as target,
    ):
        while chunk := source.read(CHUNK_BYTES):
            target.write(decoder.decode(chunk))
        target.write(decoder.decode(b"", final=True))
    return Path(target.name)
