"""Statistical process control for KPI series, as NHS England's "Making Data Count" does it.

An XmR (individuals) chart:

* the centre line is the mean of the values;
* the moving ranges are the absolute differences between consecutive values;
* the process limits are mean ± 2.66 × mean moving range (2.66 = 3 / 1.128, so the limits
  sit 3 sigma from the mean); the 2-sigma lines are mean ± (2 / 3) × 2.66 × mean moving range.

A point shows special-cause variation when any of these rules holds (Making Data Count):

* ``outside_limits``: the point is above the upper or below the lower process limit;
* ``shift``: it is one of a run of 7 or more consecutive points all above, or all below,
  the mean (a point on the mean breaks the run);
* ``trend``: it is one of a run of 7 or more consecutive points each higher than the one
  before (or each lower); an equal value breaks the run;
* ``two_of_three``: two or three of three consecutive points are beyond the same 2-sigma
  line (above mean + 2 sigma, or below mean - 2 sigma); the points beyond it are flagged.

The variation icon describes the latest point; the assurance icon compares the target
with the process limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import fmean

from careassure.core.kpis.config import Polarity
from careassure.core.kpis.errors import SpcError

LIMIT_FACTOR = 2.66
TWO_SIGMA_FACTOR = 2 * LIMIT_FACTOR / 3
RUN_LENGTH = 7
TREND_LENGTH = 7
DEFAULT_MIN_POINTS = 15


class SpcRule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


class Direction(StrEnum):
    HIGH = "high"
    LOW = "low"


class Assessment(StrEnum):
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"


class VariationIcon(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVING_HIGH = "special_cause_improving_high"
    IMPROVING_LOW = "special_cause_improving_low"
    CONCERNING_HIGH = "special_cause_concerning_high"
    CONCERNING_LOW = "special_cause_concerning_low"
    NEITHER_HIGH = "special_cause_neither_high"
    NEITHER_LOW = "special_cause_neither_low"

    @property
    def label(self) -> str:
        return _VARIATION_LABELS[self]


_VARIATION_LABELS = {
    VariationIcon.COMMON_CAUSE: "Common cause variation",
    VariationIcon.IMPROVING_HIGH: "Special cause variation: improvement (higher values)",
    VariationIcon.IMPROVING_LOW: "Special cause variation: improvement (lower values)",
    VariationIcon.CONCERNING_HIGH: "Special cause variation: concern (higher values)",
    VariationIcon.CONCERNING_LOW: "Special cause variation: concern (lower values)",
    VariationIcon.NEITHER_HIGH: "Special cause variation: higher values",
    VariationIcon.NEITHER_LOW: "Special cause variation: lower values",
}


class AssuranceIcon(StrEnum):
    HIT_AND_MISS = "hit_and_miss"
    CONSISTENTLY_PASSING = "consistently_passing"
    CONSISTENTLY_FAILING = "consistently_failing"

    @property
    def label(self) -> str:
        return _ASSURANCE_LABELS[self]


_ASSURANCE_LABELS = {
    AssuranceIcon.HIT_AND_MISS: "Hit and miss: the target lies within the process limits",
    AssuranceIcon.CONSISTENTLY_PASSING: "Consistently passing the target",
    AssuranceIcon.CONSISTENTLY_FAILING: "Consistently failing the target",
}


@dataclass(frozen=True, slots=True)
class SpcPoint:
    period: date
    value: float
    moving_range: float | None
    rules: frozenset[SpcRule]
    direction: Direction | None
    assessment: Assessment | None

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True, slots=True)
class SpcResult:
    points: tuple[SpcPoint, ...]
    mean: float
    mean_moving_range: float
    upper_process_limit: float
    lower_process_limit: float
    upper_two_sigma: float
    lower_two_sigma: float
    polarity: Polarity
    target: float | None
    variation: VariationIcon
    assurance: AssuranceIcon | None
    baseline_points: int
    warnings: tuple[str, ...]

    @property
    def moving_ranges(self) -> tuple[float, ...]:
        return tuple(p.moving_range for p in self.points if p.moving_range is not None)


def _side(value: float, centre: float) -> int:
    return (value > centre) - (value < centre)


def _mark_runs(signs: Sequence[int], length: int) -> list[int]:
    """For each index, the sign of a run of ``length`` or more equal non-zero signs, else 0."""
    marks = [0] * len(signs)
    if not signs:
        return marks
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= length:
                for j in range(start, i):
                    marks[j] = signs[start]
            start = i
    return marks


def _trend_marks(values: Sequence[float]) -> list[int]:
    """+1/-1 for points in a run of TREND_LENGTH or more rising/falling points, else 0."""
    steps = [_side(values[i], values[i - 1]) for i in range(1, len(values))]
    step_marks = _mark_runs(steps, TREND_LENGTH - 1)
    marks = [0] * len(values)
    for i, mark in enumerate(step_marks):
        if mark:
            marks[i] = marks[i + 1] = mark
    return marks


def analyse(
    series: Sequence[tuple[date, float]],
    *,
    polarity: Polarity | str,
    target: float | None = None,
    baseline: int | None = None,
    min_points: int = DEFAULT_MIN_POINTS,
) -> SpcResult:
    """Analyse a series of (period, value) points, oldest first, as an XmR chart.

    ``baseline`` fixes the mean and limits on the first ``baseline`` points (Making Data
    Count's "fix and extend"); by default every point is used. A warning is returned when
    fewer than ``min_points`` points set the limits.
    """
    pol = Polarity(polarity)
    if len(series) < 2:
        raise SpcError("an SPC chart needs at least 2 points")
    periods = [p for p, _ in series]
    if any(b <= a for a, b in zip(periods, periods[1:], strict=False)):
        raise SpcError("the series must be in date order with no repeated period")
    values = [float(v) for _, v in series]
    n_base = len(values) if baseline is None else baseline
    if not 2 <= n_base <= len(values):
        raise SpcError(f"baseline must be from 2 to {len(values)} points")

    base = values[:n_base]
    mean = fmean(base)
    base_ranges = [abs(b - a) for a, b in zip(base, base[1:], strict=False)]
    mr_bar = fmean(base_ranges)
    upl, lpl = mean + LIMIT_FACTOR * mr_bar, mean - LIMIT_FACTOR * mr_bar
    up2, lo2 = mean + TWO_SIGMA_FACTOR * mr_bar, mean - TWO_SIGMA_FACTOR * mr_bar

    rules: list[set[SpcRule]] = [set() for _ in values]
    directions: list[Direction | None] = [None] * len(values)
    for i, value in enumerate(values):
        if value > upl or value < lpl:
            rules[i].add(SpcRule.OUTSIDE_LIMITS)
    for i, mark in enumerate(_mark_runs([_side(v, mean) for v in values], RUN_LENGTH)):
        if mark:
            rules[i].add(SpcRule.SHIFT)
    beyond = [1 if v > up2 else -1 if v < lo2 else 0 for v in values]
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        for side in (1, -1):
            hits = [i for i in window if beyond[i] == side]
            if len(hits) >= 2:
                for i in hits:
                    rules[i].add(SpcRule.TWO_OF_THREE)
    trend = _trend_marks(values)
    for i, mark in enumerate(trend):
        if mark:
            rules[i].add(SpcRule.TREND)

    points: list[SpcPoint] = []
    for i, value in enumerate(values):
        if rules[i]:
            sign = trend[i] if trend[i] else _side(value, mean)
            directions[i] = Direction.HIGH if sign > 0 else Direction.LOW if sign < 0 else None
        points.append(
            SpcPoint(
                period=periods[i],
                value=value,
                moving_range=None if i == 0 else abs(value - values[i - 1]),
                rules=frozenset(rules[i]),
                direction=directions[i],
                assessment=_assess(pol, directions[i]) if rules[i] else None,
            )
        )

    warnings: list[str] = []
    if n_base < min_points:
        warnings.append(
            f"The limits rest on {n_base} points; Making Data Count advises at least "
            f"{min_points} before relying on them."
        )
    return SpcResult(
        points=tuple(points),
        mean=mean,
        mean_moving_range=mr_bar,
        upper_process_limit=upl,
        lower_process_limit=lpl,
        upper_two_sigma=up2,
        lower_two_sigma=lo2,
        polarity=pol,
        target=target,
        variation=_variation(pol, points[-1]),
        assurance=_assurance(pol, target, upl, lpl),
        baseline_points=n_base,
        warnings=tuple(warnings),
    )


def _assess(polarity: Polarity, direction: Direction | None) -> Assessment:
    if polarity is Polarity.NEUTRAL or direction is None:
        return Assessment.NEITHER
    good = Direction.HIGH if polarity is Polarity.HIGHER_IS_BETTER else Direction.LOW
    return Assessment.IMPROVEMENT if direction is good else Assessment.CONCERN


def _variation(polarity: Polarity, last: SpcPoint) -> VariationIcon:
    if not last.special_cause or last.direction is None:
        return VariationIcon.COMMON_CAUSE
    high = last.direction is Direction.HIGH
    match _assess(polarity, last.direction):
        case Assessment.IMPROVEMENT:
            return VariationIcon.IMPROVING_HIGH if high else VariationIcon.IMPROVING_LOW
        case Assessment.CONCERN:
            return VariationIcon.CONCERNING_HIGH if high else VariationIcon.CONCERNING_LOW
        case _:
            return VariationIcon.NEITHER_HIGH if high else VariationIcon.NEITHER_LOW


def _assurance(
    polarity: Polarity, target: float | None, upl: float, lpl: float
) -> AssuranceIcon | None:
    if target is None or polarity is Polarity.NEUTRAL:
        return None
    higher = polarity is Polarity.HIGHER_IS_BETTER
    if target > upl:
        return AssuranceIcon.CONSISTENTLY_FAILING if higher else AssuranceIcon.CONSISTENTLY_PASSING
    if target < lpl:
        return AssuranceIcon.CONSISTENTLY_PASSING if higher else AssuranceIcon.CONSISTENTLY_FAILING
    return AssuranceIcon.HIT_AND_MISS
