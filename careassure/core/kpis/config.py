"""KPI metadata and locality groupings, loaded from YAML and validated with pydantic."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from careassure.core.kpis.errors import KpiConfigError
from careassure.core.kpis.extracts import CONTACT_OUTCOMES, EXTRACTS

DATA_PACKAGE = "careassure.core.data.kpis"


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"


class Unit(StrEnum):
    PERCENT = "percent"
    DAYS = "days"
    COUNT = "count"


class KpiDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    unit: Unit
    polarity: Polarity
    kind: Literal["monthly", "snapshot"]
    extract: str
    quality_statements: tuple[str, ...]
    target: Decimal | None = None

    @field_validator("extract")
    @classmethod
    def _known_extract(cls, value: str) -> str:
        names = [spec.name for spec in EXTRACTS]
        if value not in names:
            raise ValueError("must be one of: " + ", ".join(names))
        return value

    @field_validator("quality_statements")
    @classmethod
    def _qs_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for qs in value:
            if qs not in {f"QS{i}" for i in range(1, 10)}:
                raise ValueError(f"{qs!r} is not a quality statement id (QS1 to QS9)")
        return value


class KpiSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    resolved_without_assessment_outcomes: frozenset[str]
    screening_standard_hours: int = Field(gt=0)

    @field_validator("resolved_without_assessment_outcomes")
    @classmethod
    def _known_outcomes(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = sorted(value - set(CONTACT_OUTCOMES))
        if unknown:
            raise ValueError(
                f"unknown outcome(s) {', '.join(unknown)}; use: {', '.join(CONTACT_OUTCOMES)}"
            )
        return value


class KpiCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    settings: KpiSettings
    kpis: tuple[KpiDefinition, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> KpiCatalogue:
        seen: set[str] = set()
        for kpi in self.kpis:
            if kpi.id in seen:
                raise ValueError(f"duplicate KPI id {kpi.id!r}")
            seen.add(kpi.id)
        return self

    def get(self, kpi_id: str) -> KpiDefinition:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(kpi_id)


class LocalityGroupings(BaseModel):
    """Named groups of localities, such as coastal and inland, to compare KPIs between."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    title: str = ""
    groups: dict[str, tuple[str, ...]]

    @model_validator(mode="after")
    def _each_locality_once(self) -> LocalityGroupings:
        if not self.groups:
            raise ValueError("groups: enter at least one group")
        owner: dict[str, str] = {}
        for group, localities in self.groups.items():
            for locality in localities:
                if locality in owner:
                    raise ValueError(
                        f"locality {locality!r} is in both {owner[locality]!r} and {group!r}"
                    )
                owner[locality] = group
        return self

    def group_of(self) -> dict[str, str]:
        """Map each locality to its group."""
        return {loc: group for group, locs in self.groups.items() for loc in locs}


def _format_error(source: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = "/".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{source}: {where}: {err['msg']}")
    return "\n".join(parts)


def _read_yaml(text: str, source: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KpiConfigError(f"{source}: not valid YAML: {exc}") from exc


def load_kpi_catalogue(path: Path | None = None) -> KpiCatalogue:
    """Load KPI metadata from ``path``, or the packaged ``kpis.yaml`` when ``path`` is None."""
    if path is None:
        return _default_catalogue()
    return _parse_catalogue(path.read_text(encoding="utf-8"), str(path))


@cache
def _default_catalogue() -> KpiCatalogue:
    text = resources.files(DATA_PACKAGE).joinpath("kpis.yaml").read_text(encoding="utf-8")
    return _parse_catalogue(text, "careassure/core/data/kpis/kpis.yaml")


def _parse_catalogue(text: str, source: str) -> KpiCatalogue:
    try:
        return KpiCatalogue.model_validate(_read_yaml(text, source))
    except ValidationError as exc:
        raise KpiConfigError(_format_error(source, exc)) from exc


def load_locality_groupings(path: Path | None = None) -> LocalityGroupings:
    """Load a locality grouping file, or the packaged default (``localities.yaml``)."""
    if path is None:
        source = "careassure/core/data/kpis/localities.yaml"
        text = resources.files(DATA_PACKAGE).joinpath("localities.yaml").read_text("utf-8")
    else:
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KpiConfigError(f"{source}: cannot be read: {exc.strerror}") from exc
    try:
        return LocalityGroupings.model_validate(_read_yaml(text, source))
    except ValidationError as exc:
        raise KpiConfigError(_format_error(source, exc)) from exc
