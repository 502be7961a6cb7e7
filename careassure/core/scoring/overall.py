"""The overall percentage, rating and position in band (reference §4.5-4.8)."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from careassure.core.scoring.errors import ScoringError
from careassure.core.scoring.rating import (
    BANDS,
    Band,
    Rating,
    band_for_percentage,
    check_rounding,
    exact_percentage,
    is_exact_half,
    whole_percentage,
)
from careassure.core.scoring.values import check_score

#: How many quality statements a full assessment scores (framework cqc-la-2023).
FULL_ASSESSMENT_COUNT = 9

POSITION_DISCLAIMER = (
    "Position in band is the council's own interpretation: CQC publishes no cut-off between "
    "the upper and lower parts of a band."
)


class Position(enum.StrEnum):
    """Where a percentage sits within its band, under a local convention."""

    NEARER_UPPER = "nearer upper"
    NEARER_LOWER = "nearer lower"
    MIDDLE = "middle"


class PositionRule(Protocol):
    """A local convention for "nearer the upper or lower threshold"."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    def position(self, percentage: int, band: Band) -> Position: ...


@dataclasses.dataclass(frozen=True)
class MidpointRule:
    """Above the middle of the band is nearer upper, below it nearer lower.

    A percentage exactly on a whole-number midpoint (75 in Good, 94 in Outstanding) gets
    ``tie`` (``middle`` by default). The rule is applied the same way in every band; in
    Inadequate nothing is below and in Outstanding nothing is above, so only one direction
    names a neighbouring rating there.
    """

    tie: Position = Position.MIDDLE

    @property
    def name(self) -> str:
        return "midpoint"

    @property
    def description(self) -> str:
        return (
            "Council's own convention: a whole-number percentage above the midpoint of its "
            "band is nearer the upper threshold, below it nearer the lower; on the midpoint: "
            f"{self.tie}."
        )

    def position(self, percentage: int, band: Band) -> Position:
        twice = 2 * percentage
        if twice > band.midpoint_doubled:
            return Position.NEARER_UPPER
        if twice < band.midpoint_doubled:
            return Position.NEARER_LOWER
        return self.tie


@dataclasses.dataclass(frozen=True)
class EdgeMarginRule:
    """Within ``margin`` points of the band's top is nearer upper, of its bottom nearer lower.

    Everything else in the band is ``middle``. Where a narrow band puts a percentage within
    the margin of both edges, the midpoint rule decides.
    """

    margin: int = 5

    def __post_init__(self) -> None:
        if isinstance(self.margin, bool) or not isinstance(self.margin, int) or self.margin < 1:
            raise ScoringError(
                f"margin must be a whole number of points, at least 1 (got {self.margin!r})"
            )

    @property
    def name(self) -> str:
        return f"edge-margin-{self.margin}"

    @property
    def description(self) -> str:
        return (
            f"Council's own convention: within {self.margin} points of the top of the band is "
            f"nearer the upper threshold, within {self.margin} points of the bottom nearer the "
            "lower, otherwise middle."
        )

    def position(self, percentage: int, band: Band) -> Position:
        near_top = band.upper - percentage < self.margin
        near_bottom = percentage - band.lower < self.margin
        if near_top and near_bottom:
            return MidpointRule().position(percentage, band)
        if near_top:
            return Position.NEARER_UPPER
        if near_bottom:
            return Position.NEARER_LOWER
        return Position.MIDDLE


DEFAULT_POSITION_RULE: PositionRule = MidpointRule()


@dataclasses.dataclass(frozen=True)
class OverallResult:
    """The overall result of a set of quality statement scores.

    ``percentage_exact`` is the unrounded value; ``percentage`` the whole number the bands
    apply to. ``partial`` is true when fewer than ``expected_count`` statements were scored.
    """

    scores: tuple[tuple[str, int | None], ...]
    total: int
    max: int
    n_scored: int
    expected_count: int
    percentage_exact: Decimal
    percentage: int
    exact_half: bool
    rounding: str
    rating: Rating
    band: Band
    position: Position
    position_rule: str
    position_rule_description: str

    @property
    def partial(self) -> bool:
        """Fewer quality statements scored than a full assessment has."""
        return self.n_scored < self.expected_count

    @property
    def not_scored(self) -> tuple[str, ...]:
        """The names of the items left blank."""
        return tuple(name for name, score in self.scores if score is None)

    @property
    def lower_threshold(self) -> int:
        """The lowest whole-number percentage in the band."""
        return self.band.lower

    @property
    def upper_threshold(self) -> int:
        """The highest whole-number percentage in the band."""
        return self.band.upper

    @property
    def next_threshold(self) -> int | None:
        """The lowest percentage of the next band up (None in Outstanding)."""
        return None if self.band.upper == BANDS[-1].upper else self.band.upper + 1

    @property
    def has_rating_below(self) -> bool:
        """False in Inadequate, which has no rating below it."""
        return self.band.lower != BANDS[0].lower

    @property
    def points_above_lower(self) -> int:
        """Points above the bottom of the band (Kent 56: 17 above 39)."""
        return self.percentage - self.band.lower

    @property
    def points_below_top(self) -> int:
        """Points below the top of the band (Kent 56: 6 below 62)."""
        return self.band.upper - self.percentage

    @property
    def points_below_next(self) -> int | None:
        """Points below the next band's threshold (Kent 56: 7 below 63); None in Outstanding."""
        threshold = self.next_threshold
        return None if threshold is None else threshold - self.percentage


def _named_scores(
    scores: Mapping[str, int | None] | Sequence[int | None], prefix: str
) -> list[tuple[str, object]]:
    if isinstance(scores, Mapping):
        named: list[tuple[str, object]] = []
        for key, value in scores.items():
            if not isinstance(key, str):
                raise ScoringError(f"score names must be text (got {key!r})", value=key)
            named.append((key, value))
        return named
    if isinstance(scores, str | bytes) or not isinstance(scores, Sequence):
        raise ScoringError(
            f"scores must be a mapping or a sequence of scores (got {type(scores).__name__})",
            value=scores,
        )
    return [(f"{prefix}{index}", value) for index, value in enumerate(scores, start=1)]


def checked_scores(
    scores: Mapping[str, int | None] | Sequence[int | None], *, prefix: str = "qs"
) -> tuple[tuple[str, int | None], ...]:
    """Check every score and name it (sequence items are named ``qs1``, ``qs2``...)."""
    return tuple((name, check_score(value, name)) for name, value in _named_scores(scores, prefix))


def score_overall(
    scores: Mapping[str, int | None] | Sequence[int | None],
    *,
    position_rule: PositionRule = DEFAULT_POSITION_RULE,
    rounding: str = ROUND_HALF_UP,
    expected_count: int = FULL_ASSESSMENT_COUNT,
) -> OverallResult:
    """Combine quality statement scores into the overall percentage, rating and position.

    ``scores`` maps quality statement ids to scores, or lists them in order (qs1 first).
    None means not scored: it is left out of the total and the denominator (never 0).
    The denominator is 4 x the number scored; the exact percentage is rounded to a whole
    number with ``rounding`` (half up by default) and only then banded.
    """
    check_rounding(rounding)
    named = checked_scores(scores)
    if len(named) > expected_count:
        raise ScoringError(
            f"{len(named)} scores given, but there are only {expected_count} quality statements"
        )
    values = [score for _, score in named if score is not None]
    if not values:
        raise ScoringError("at least one quality statement must be scored")
    total = sum(values)
    maximum = 4 * len(values)
    percentage = whole_percentage(total, maximum, rounding)
    band = band_for_percentage(percentage)
    return OverallResult(
        scores=named,
        total=total,
        max=maximum,
        n_scored=len(values),
        expected_count=expected_count,
        percentage_exact=exact_percentage(total, maximum),
        percentage=percentage,
        exact_half=is_exact_half(total, maximum),
        rounding=rounding,
        rating=band.rating,
        band=band,
        position=position_rule.position(percentage, band),
        position_rule=position_rule.name,
        position_rule_description=position_rule.description,
    )
