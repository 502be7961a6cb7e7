"""The CLD submission specification: fields, code lists and loader parameters, read from data.

The data files live in `careassure/core/data/cld/`:

- `fields.csv`: the 50 fields in submission order;
- `codelists.yaml`: defined lists for Release 1 and Release 2 and the R1 to R2 mapping;
- `rules.yaml`: thresholds and the R2 cut-over date.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from careassure.core.cld.errors import CldSpecError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cld"
RELEASES = ("R1", "R2")


class FieldType(StrEnum):
    LA_CODE = "la_code"
    DATE = "date"
    NHS_NUMBER = "nhs_number"
    TEXT = "text"
    FREETEXT = "freetext"
    CODE = "code"
    POSTCODE = "postcode"
    INTEGER = "integer"
    DECIMAL = "decimal"
    CQC_LOCATION_ID = "cqc_location_id"


@dataclass(frozen=True)
class FieldSpec:
    """One submission field.

    `header` is the exact CSV header; `column` the snake_case column name used in `cld_raw`;
    `personal` fields are masked in findings; `optional_header` fields may be absent (§2.3).
    """

    number: int
    header: str
    column: str
    type: FieldType
    codelist: str | None
    personal: bool
    optional_header: bool


@dataclass(frozen=True)
class CodeList:
    """A defined list in both releases, with the R1 to R2 mapping."""

    name: str
    r1: tuple[str, ...]
    r2: tuple[str, ...]
    r1_to_r2: dict[str, str] = field(default_factory=dict)
    unverified: bool = False

    def values(self, release: str) -> tuple[str, ...]:
        return self.r1 if release == "R1" else self.r2

    def map_to_r2(self, value: str) -> str | None:
        """The R2 value for an R1 (or R2) value, or None if the value is in neither list."""
        if value in self.r2:
            return value
        if value in self.r1_to_r2:
            return self.r1_to_r2[value]
        if value in self.r1:
            folded = {v.casefold(): v for v in self.r2}
            return folded.get(value.casefold())
        return None


@dataclass(frozen=True)
class LoaderRules:
    r2_cutover_date: dt.date
    malformed_row_threshold: float
    max_field_chars: int
    max_text_chars: int
    max_age_years: int
    open_service_stale_years: int


def _read_data(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def _load_fields() -> list[FieldSpec]:
    fname = "cld/fields.csv"
    rows = list(csv.DictReader(_read_data("fields.csv").splitlines()))
    fields: list[FieldSpec] = []
    for index, row in enumerate(rows, start=2):
        try:
            spec = FieldSpec(
                number=int(row["number"]),
                header=row["header"],
                column=row["column"],
                type=FieldType(row["type"]),
                codelist=row["codelist"] or None,
                personal=row["personal"] == "yes",
                optional_header=row["optional_header"] == "yes",
            )
        except (KeyError, ValueError) as exc:
            raise CldSpecError(f"{fname} line {index}: {exc}") from exc
        if spec.number != len(fields) + 1:
            raise CldSpecError(f"{fname} line {index}: field number {spec.number} out of order")
        fields.append(spec)
    return fields


def _str_tuple(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CldSpecError(f"cld/codelists.yaml {where}: expected a list of strings")
    return tuple(value)


def _load_codelists() -> dict[str, CodeList]:
    data = yaml.safe_load(_read_data("codelists.yaml"))
    lists: dict[str, CodeList] = {}
    for name, body in data["lists"].items():
        r1 = _str_tuple(body.get("r1"), f"lists.{name}.r1")
        r2 = _str_tuple(body.get("r2"), f"lists.{name}.r2")
        mapping: dict[str, str] = dict(body.get("r1_to_r2") or {})
        if body.get("r1_to_r2_by_position"):
            if len(r1) != len(r2):
                raise CldSpecError(f"cld/codelists.yaml lists.{name}: r1 and r2 differ in length")
            mapping.update({a: b for a, b in zip(r1, r2, strict=True) if a != b})
        for source in mapping:
            if source not in r1:
                raise CldSpecError(
                    f"cld/codelists.yaml lists.{name}.r1_to_r2: {source!r} is not an R1 value"
                )
        lists[name] = CodeList(name, r1, r2, mapping, bool(body.get("unverified", False)))
    return lists


def _load_rules() -> LoaderRules:
    data = yaml.safe_load(_read_data("rules.yaml"))
    try:
        return LoaderRules(
            r2_cutover_date=dt.date.fromisoformat(str(data["r2_cutover_date"])),
            malformed_row_threshold=float(data["malformed_row_threshold"]),
            max_field_chars=int(data["max_field_chars"]),
            max_text_chars=int(data["max_text_chars"]),
            max_age_years=int(data["max_age_years"]),
            open_service_stale_years=int(data["open_service_stale_years"]),
        )
    except (KeyError, ValueError) as exc:
        raise CldSpecError(f"cld/rules.yaml: {exc}") from exc


@cache
def codelists() -> dict[str, CodeList]:
    """Every defined list, by name."""
    lists = _load_codelists()
    for spec in FIELDS:
        if spec.codelist is not None and spec.codelist not in lists:
            raise CldSpecError(
                f"cld/fields.csv field {spec.header!r}: unknown code list {spec.codelist!r}"
            )
    return lists


@cache
def loader_rules() -> LoaderRules:
    return _load_rules()


FIELDS: list[FieldSpec] = _load_fields()
FIELD_BY_HEADER: dict[str, FieldSpec] = {f.header: f for f in FIELDS}
FIELD_BY_COLUMN: dict[str, FieldSpec] = {f.column: f for f in FIELDS}
HEADERS: list[str] = [f.header for f in FIELDS]
