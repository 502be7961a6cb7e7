"""Pydantic models for a CQC local authority assessment framework version.

The models mirror the YAML files in ``careassure/core/data/framework/`` (format described in
``docs/framework.md``). Field-level rules live here; rules that relate one part of a file to
another (unique ids, references between sections) are checked by the loader so that the error
names the exact path inside the file.
"""

from __future__ import annotations

import enum
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from careassure.core.framework.errors import UnknownQualityStatement

RatingValue = Literal["inadequate", "requires improvement", "good", "outstanding"]
FrameworkStatus = Literal["in-force", "draft", "superseded"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QS_ID = re.compile(r"^qs[0-9]+$")
_THEME_ID = re.compile(r"^T[0-9]+$")
_EXPECTED_RATINGS: dict[int, str] = {
    1: "inadequate",
    2: "requires improvement",
    3: "good",
    4: "outstanding",
}


class Status(enum.StrEnum):
    """How well a fact is established (the reference document's markers)."""

    CONFIRMED = "confirmed"
    INFERRED = "inferred"
    UNCERTAIN = "uncertain"
    UNKNOWN = "unknown"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    if value != value.strip():
        raise ValueError("must not start or end with spaces")
    return value


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and single hyphens)")
    return value


def _qs_id(value: str) -> str:
    lowered = value.strip().lower()
    if not _QS_ID.fullmatch(lowered):
        raise ValueError(f"{value!r} is not a quality statement id such as 'qs1'")
    return lowered


def _theme_id(value: str) -> str:
    if not _THEME_ID.fullmatch(value):
        raise ValueError(f"{value!r} is not a theme id such as 'T1'")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
Slug = Annotated[str, AfterValidator(_slug)]
QsId = Annotated[str, AfterValidator(_qs_id)]
ThemeId = Annotated[str, AfterValidator(_theme_id)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScoreLevel(_Model):
    """One point on CQC's 1-4 score scale, with its descriptor and rating word."""

    score: int = Field(ge=1, le=4, strict=True)
    descriptor: Text
    rating: RatingValue
    rating_word: Text

    @model_validator(mode="after")
    def _rating_matches_score(self) -> ScoreLevel:
        expected = _EXPECTED_RATINGS[self.score]
        if self.rating != expected:
            raise ValueError(
                f"score {self.score} must have rating {expected!r}, not {self.rating!r}"
            )
        if self.rating_word.casefold() != self.rating:
            raise ValueError(
                f"rating_word {self.rating_word!r} does not match rating {self.rating!r}"
            )
        return self


class EvidenceCategory(_Model):
    """One of the six evidence categories of CQC's single assessment framework."""

    id: Slug
    title: Text
    used_for_las: bool
    enabled_by_default: bool
    may_be_enabled: bool
    note: Text | None = None

    @model_validator(mode="after")
    def _flags_consistent(self) -> EvidenceCategory:
        if self.enabled_by_default and not self.used_for_las:
            raise ValueError("enabled_by_default is true but used_for_las is false")
        if self.used_for_las and not self.may_be_enabled:
            raise ValueError("used_for_las is true but may_be_enabled is false")
        return self


class EvidenceSource(_Model):
    """Where evidence comes from (tag each evidence item with one source)."""

    id: Slug
    title: Text
    gathered_by: Literal["cqc-holds", "la-supplies", "cqc-collects"]
    note: Text | None = None


class AssessmentMethod(_Model):
    """A scoring method an assessment is tagged with."""

    id: Slug
    title: Text
    period: Text
    scoring: Literal["indicative", "category-scores", "qs-direct", "to-be-confirmed"]
    numeric_qs_scores: bool | None
    formal_rating: bool
    include_in_benchmarks: bool
    status: Status
    note: Text | None = None


class Priority(_Model):
    """One Secretary of State priority for the assessment of local authorities."""

    id: Slug
    text: Text


class Priorities(_Model):
    """The Secretary of State priorities that apply to a framework version."""

    status: Status
    note: Text | None = None
    items: tuple[Priority, ...] = ()


class RatingCharacteristicsInfo(_Model):
    """Publication status of the rating characteristics in a framework version."""

    status: Status
    note: Text | None = None


class ReportSegment(_Model):
    """The URL segment of a quality statement's page in a CQC report."""

    value: Slug
    status: Status


class WeStatement(_Model):
    """The "We" statement (the local authority commitment), stored per source wording."""

    report: Text | None = None
    framework: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _has_text(self) -> WeStatement:
        if self.report is None and self.framework is None:
            raise ValueError("give the report wording, the framework wording or both")
        return self

    @property
    def text(self) -> str:
        """The wording printed in reports where known, otherwise the framework page wording."""
        text = self.report if self.report is not None else self.framework
        assert text is not None  # guaranteed by _has_text
        return text


class CareActSection(_Model):
    """A Care Act 2014 section, or a run of sections, that a quality statement relates to."""

    first: int = Field(ge=1, le=200, strict=True)
    last: int | None = Field(default=None, ge=1, le=200, strict=True)
    subject: Text | None = None
    status: Status

    @model_validator(mode="after")
    def _range_ordered(self) -> CareActSection:
        if self.last is not None and self.last <= self.first:
            raise ValueError(f"last ({self.last}) must be greater than first ({self.first})")
        return self

    @property
    def label(self) -> str:
        """``s14`` for one section, ``ss9–13`` (en dash) for a run."""
        if self.last is None:
            return f"s{self.first}"
        return f"ss{self.first}\u2013{self.last}"


class CareActSections(_Model):
    """The Care Act sections for a quality statement, with the status of the list as a whole."""

    status: Status
    note: Text | None = None
    sections: tuple[CareActSection, ...] = ()


class Topic(_Model):
    """Something CQC looks at under a quality statement (a self-assessment prompt)."""

    text: Text
    status: Status


class RequiredCategory(_Model):
    """An evidence category required for a quality statement."""

    category: Slug
    status: Status


class QualityStatement(_Model):
    """One quality statement. ``id`` (``qs1``...) is the permanent key; titles are display data."""

    id: QsId
    theme_id: ThemeId
    slug: Slug
    title: Text
    title_variants: tuple[Text, ...] = ()
    report_segment: ReportSegment | None = None
    we_statement: WeStatement
    i_statements: tuple[Text, ...] = ()
    care_act: CareActSections
    topics: tuple[Topic, ...] = ()
    required_evidence_categories: tuple[RequiredCategory, ...] = ()
    rating_characteristics: dict[int, Text | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _rating_characteristics_complete(self) -> QualityStatement:
        keys = set(self.rating_characteristics)
        if keys and keys != {1, 2, 3, 4}:
            raise ValueError(
                "rating_characteristics must be empty or have exactly the score levels 1, 2, 3 "
                f"and 4 (got {sorted(keys)})"
            )
        return self

    @property
    def number(self) -> int:
        """The number in the id (``qs7`` -> 7)."""
        return int(self.id[2:])

    @property
    def label(self) -> str:
        """Upper-case display label (``QS7``)."""
        return self.id.upper()


class Theme(_Model):
    """One of the framework's themes, holding its quality statements in report order."""

    id: ThemeId
    slug: Slug
    title: Text
    aliases: tuple[Text, ...] = ()
    quality_statements: tuple[QualityStatement, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _give_statements_their_theme(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("quality_statements"), list):
            return data
        theme_id = data.get("id")
        statements: list[Any] = []
        for item in data["quality_statements"]:
            if isinstance(item, dict) and "theme_id" not in item:
                item = {**item, "theme_id": theme_id}
            statements.append(item)
        return {**data, "quality_statements": statements}

    @model_validator(mode="after")
    def _statements_belong_here(self) -> Theme:
        for statement in self.quality_statements:
            if statement.theme_id != self.id:
                raise ValueError(
                    f"quality statement {statement.id} says theme_id {statement.theme_id!r} "
                    f"but is listed under theme {self.id!r}"
                )
        return self


class Framework(_Model):
    """One version of the CQC local authority assessment framework."""

    schema_version: Literal[1]
    id: Slug
    title: Text
    status: FrameworkStatus
    effective: Text
    notes: tuple[Text, ...] = ()
    score_levels: tuple[ScoreLevel, ...]
    evidence_categories: tuple[EvidenceCategory, ...]
    evidence_sources: tuple[EvidenceSource, ...]
    assessment_methods: tuple[AssessmentMethod, ...]
    secretary_of_state_priorities: Priorities
    rating_characteristics: RatingCharacteristicsInfo
    themes: tuple[Theme, ...] = Field(min_length=1)

    _statements: dict[str, QualityStatement] = PrivateAttr(default_factory=dict)

    @field_validator("score_levels")
    @classmethod
    def _score_levels_complete(cls, levels: tuple[ScoreLevel, ...]) -> tuple[ScoreLevel, ...]:
        scores = [level.score for level in levels]
        if scores != [1, 2, 3, 4]:
            raise ValueError(f"must list scores 1, 2, 3 and 4 in order (got {scores})")
        return levels

    def model_post_init(self, context: Any, /) -> None:
        for theme in self.themes:
            for statement in theme.quality_statements:
                self._statements.setdefault(statement.id, statement)

    @property
    def quality_statements(self) -> tuple[QualityStatement, ...]:
        """All quality statements in report order (theme by theme: qs1 ... qs9)."""
        return tuple(statement for theme in self.themes for statement in theme.quality_statements)

    @property
    def quality_statement_ids(self) -> tuple[str, ...]:
        """The ids of all quality statements in report order."""
        return tuple(statement.id for statement in self.quality_statements)

    def quality_statement(self, qs_id: str) -> QualityStatement:
        """The quality statement with this id; ``QS1`` and ``qs1`` are the same id."""
        statement = self._statements.get(qs_id.strip().lower())
        if statement is None:
            known = ", ".join(self._statements)
            raise UnknownQualityStatement(
                f"framework {self.id} has no quality statement {qs_id!r} (ids: {known})"
            )
        return statement

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id (``T1``; case-insensitive) or slug."""
        wanted = theme_id.strip()
        for theme in self.themes:
            if wanted.upper() == theme.id or wanted == theme.slug:
                return theme
        raise LookupError(f"framework {self.id} has no theme {theme_id!r}")

    def theme_of(self, qs_id: str) -> Theme:
        """The theme a quality statement belongs to."""
        return self.theme(self.quality_statement(qs_id).theme_id)

    def score_level(self, score: int) -> ScoreLevel:
        """The descriptor and rating word for a score from 1 to 4."""
        for level in self.score_levels:
            if level.score == score:
                return level
        raise LookupError(f"framework {self.id} has no score level {score!r}")

    def evidence_category(self, category_id: str) -> EvidenceCategory:
        """The evidence category with this id."""
        for category in self.evidence_categories:
            if category.id == category_id:
                return category
        raise LookupError(f"framework {self.id} has no evidence category {category_id!r}")

    def assessment_method(self, method_id: str) -> AssessmentMethod:
        """The assessment method with this id."""
        for method in self.assessment_methods:
            if method.id == method_id:
                return method
        raise LookupError(f"framework {self.id} has no assessment method {method_id!r}")


class VersionMapping(_Model):
    """How the quality statements of one version correspond to those of another.

    A target of ``null`` means the statement has no equivalent in the other version.
    """

    from_version: Slug
    to_version: Slug
    status: Status
    note: Text | None = None
    quality_statements: dict[QsId, QsId | None]


class MappingFile(_Model):
    """The contents of ``mappings.yaml``."""

    schema_version: Literal[1]
    mappings: tuple[VersionMapping, ...] = ()
