"""Measure metadata, method parameters and code lists, loaded from `core/data/measures/`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "measures"

INVALID = "Invalid and not mapped"


class MeasureDataError(Exception):
    """A measure data file is broken: names the file, the place inside it and the problem."""


class MeasureInfo(BaseModel):
    """One ASCOF measure as described in `ascof.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    description: str
    unit: Literal["percent", "per 100,000 population"]
    decimal_places: int = Field(ge=0, le=4)
    higher_is_better: bool
    qs: list[str]
    qs_basis: Literal["reference", "inferred"]
    breakdowns: list[str] = Field(min_length=1)
    needs_hospital_data: bool = False


class _MeasureFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measures: list[MeasureInfo]


class MethodParameters(BaseModel):
    """The DHSC method parameters of `method.yaml` (reference §6.0.4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method_version: str
    death_source: Literal["CLD"]
    cluster_gap_days: int = Field(ge=0)
    sequel_window_days: int = Field(ge=0)
    nested_window_days: int = Field(ge=0)
    new_client_lookback_days: int = Field(ge=0)
    admission_lookback_days: int = Field(ge=0)
    blank_component_mode: Literal["parity", "intended"]
    discharge_lag_months: int = Field(ge=0)
    discharge_link_days_before: int = Field(ge=0)
    discharge_link_days_after: int = Field(ge=0)
    follow_up_days: int = Field(ge=0)


@dataclass(frozen=True)
class OutcomeRank:
    """An R2 Event Outcome with its hierarchy number (reference §3.7) and 2A usability (§3.8)."""

    outcome: str
    hierarchy: int
    usable_for_sequels: bool


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise MeasureDataError(f"{path}: cannot be read: {exc}") from exc


def _describe(path: Path, exc: ValidationError) -> MeasureDataError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return MeasureDataError(f"{path}: {where}: {first['msg']}")


@cache
def measure_catalogue() -> tuple[MeasureInfo, ...]:
    """All ASCOF measures computed from CLD, in publication order."""
    path = DATA_DIR / "ascof.yaml"
    try:
        parsed = _MeasureFile.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise _describe(path, exc) from exc
    ids = [m.id for m in parsed.measures]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise MeasureDataError(f"{path}: measures: duplicate id {duplicates[0]}")
    return tuple(parsed.measures)


def measure_info(measure_id: str) -> MeasureInfo:
    for info in measure_catalogue():
        if info.id == measure_id:
            return info
    known = ", ".join(m.id for m in measure_catalogue())
    raise KeyError(f"Unknown ASCOF measure {measure_id!r}; known measures: {known}")


@cache
def method_parameters() -> MethodParameters:
    path = DATA_DIR / "method.yaml"
    try:
        return MethodParameters.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise _describe(path, exc) from exc


def _read_csv(path: Path, header: list[str]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != header:
                raise MeasureDataError(f"{path}: header is {reader.fieldnames}, expected {header}")
            return list(reader)
    except OSError as exc:
        raise MeasureDataError(f"{path}: cannot be read: {exc}") from exc


@cache
def code_map() -> tuple[tuple[str, str, str], ...]:
    """(field, lower-cased submitted value, cleaned R2 value) for every known value.

    Matching is case-insensitive because DHSC's SQL Server comparisons are (reference §9.1).
    """
    path = DATA_DIR / "code_map.csv"
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(_read_csv(path, ["field", "value", "cleaned"]), start=2):
        key = (row["field"], row["value"].strip().lower())
        if key in seen:
            raise MeasureDataError(f"{path}: line {number}: duplicate value {row['value']!r}")
        seen.add(key)
        rows.append((key[0], key[1], row["cleaned"]))
    return tuple(rows)


@cache
def outcome_ranks() -> tuple[OutcomeRank, ...]:
    path = DATA_DIR / "outcome_hierarchy.csv"
    ranks: list[OutcomeRank] = []
    for number, row in enumerate(
        _read_csv(path, ["outcome", "hierarchy", "usable_for_sequels"]), start=2
    ):
        if row["usable_for_sequels"] not in ("yes", "no") or not row["hierarchy"].isdigit():
            raise MeasureDataError(f"{path}: line {number}: bad hierarchy or usable flag")
        ranks.append(
            OutcomeRank(row["outcome"], int(row["hierarchy"]), row["usable_for_sequels"] == "yes")
        )
    return tuple(ranks)
