"""Method A (older): score evidence categories, then derive the quality statement score."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from careassure.core.scoring.errors import ScoringError
from careassure.core.scoring.overall import checked_scores
from careassure.core.scoring.rating import (
    Rating,
    band_for_percentage,
    check_rounding,
    exact_percentage,
    is_exact_half,
    whole_percentage,
)


@dataclasses.dataclass(frozen=True)
class CategoryResult:
    """A quality statement score derived from evidence category scores (method A).

    ``needs_review`` is set when the exact percentage ends in .5: CQC published no rounding
    rule for this step, so such a score should be checked by a person.
    """

    category_scores: tuple[tuple[str, int | None], ...]
    total: int
    max: int
    n_scored: int
    percentage_exact: Decimal
    percentage: int
    rounding: str
    qs_score: int
    needs_review: bool
    review_reason: str | None

    @property
    def rating(self) -> Rating:
        """The rating word shown with the derived score."""
        return Rating.for_score(self.qs_score)


def score_quality_statement_from_categories(
    category_scores: Mapping[str, int | None] | Sequence[int | None],
    *,
    rounding: str = ROUND_HALF_UP,
) -> CategoryResult:
    """Derive a quality statement score from evidence category scores (method A).

    Percentage = total / (4 x categories scored) x 100, rounded to a whole number (half up by
    default), then 25-38 -> 1, 39-62 -> 2, 63-87 -> 3, over 87 -> 4. Categories given as a
    sequence are named ``category1``, ``category2``...; None means not scored.
    """
    check_rounding(rounding)
    named = checked_scores(category_scores, prefix="category")
    values = [score for _, score in named if score is not None]
    if not values:
        raise ScoringError("at least one evidence category must be scored")
    total = sum(values)
    maximum = 4 * len(values)
    percentage = whole_percentage(total, maximum, rounding)
    half = is_exact_half(total, maximum)
    exact = exact_percentage(total, maximum)
    qs_score = band_for_percentage(percentage).rating.score
    reason = None
    if half:
        reason = (
            f"The category percentage is exactly {exact.normalize():f}%; CQC published no "
            f"rounding rule for this step. Rounded with {rounding} to {percentage}."
        )
    return CategoryResult(
        category_scores=named,
        total=total,
        max=maximum,
        n_scored=len(values),
        percentage_exact=exact,
        percentage=percentage,
        rounding=rounding,
        qs_score=qs_score,
        needs_review=half,
        review_reason=reason,
    )
