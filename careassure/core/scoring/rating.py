"""Ratings, rating bands and whole-number rounding."""

from __future__ import annotations

import dataclasses
import enum
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

from careassure.core.scoring.errors import ScoringError

#: Rounding modes accepted for whole-number percentages. ROUND_HALF_UP is CQC's reading
#: (62.5 -> 63); the others exist to show or reproduce the traps.
ROUNDING_MODES = (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)


class Rating(enum.StrEnum):
    """An overall rating. The value is the lower-case word used in data and CLI output."""

    INADEQUATE = "inadequate"
    REQUIRES_IMPROVEMENT = "requires improvement"
    GOOD = "good"
    OUTSTANDING = "outstanding"

    @property
    def display(self) -> str:
        """The word as CQC prints it: ``Requires improvement``."""
        return self.value.capitalize()

    @property
    def score(self) -> int:
        """The 1-4 score that carries this rating word."""
        return list(Rating).index(self) + 1

    @classmethod
    def for_score(cls, score: int) -> Rating:
        """The rating word shown with a 1-4 score."""
        return list(cls)[score - 1]


@dataclasses.dataclass(frozen=True)
class Band:
    """A rating band on whole-number percentages, inclusive at both ends."""

    rating: Rating
    lower: int
    upper: int

    @property
    def midpoint_doubled(self) -> int:
        """Twice the band midpoint, kept whole (39-62 -> 101, i.e. 50.5)."""
        return self.lower + self.upper


#: CQC's rating bands, applied to the whole-number percentage.
BANDS: tuple[Band, ...] = (
    Band(Rating.INADEQUATE, 25, 38),
    Band(Rating.REQUIRES_IMPROVEMENT, 39, 62),
    Band(Rating.GOOD, 63, 87),
    Band(Rating.OUTSTANDING, 88, 100),
)


def _check_percentage(percentage: int) -> None:
    if isinstance(percentage, bool) or not isinstance(percentage, int):
        raise ScoringError(
            f"percentage must be a whole number (got {percentage!r}); round it first",
            value=percentage,
        )
    if not BANDS[0].lower <= percentage <= BANDS[-1].upper:
        raise ScoringError(
            f"percentage must be from {BANDS[0].lower} to {BANDS[-1].upper} (got {percentage})",
            value=percentage,
        )


def band_for_percentage(percentage: int) -> Band:
    """The band holding a whole-number percentage from 25 to 100."""
    _check_percentage(percentage)
    for band in BANDS:
        if band.lower <= percentage <= band.upper:
            return band
    raise AssertionError("BANDS cover 25-100 without gaps")  # pragma: no cover


def rating_for_percentage(percentage: int) -> Rating:
    """The overall rating for a whole-number percentage (25-38, 39-62, 63-87, 88-100)."""
    return band_for_percentage(percentage).rating


def check_rounding(rounding: str) -> str:
    """Return ``rounding`` if it is a supported :mod:`decimal` rounding mode."""
    if rounding not in ROUNDING_MODES:
        raise ScoringError(
            f"rounding must be one of {', '.join(ROUNDING_MODES)} (got {rounding!r})",
            value=rounding,
        )
    return rounding


def exact_percentage(total: int, maximum: int) -> Decimal:
    """``total / maximum * 100`` as a Decimal (28 significant digits)."""
    with localcontext() as context:
        context.prec = 28
        return Decimal(100 * total) / Decimal(maximum)


def is_exact_half(total: int, maximum: int) -> bool:
    """True when ``total / maximum * 100`` is exactly a whole number plus one half."""
    return (2 * 100 * total) % (2 * maximum) == maximum


def whole_percentage(total: int, maximum: int, rounding: str = ROUND_HALF_UP) -> int:
    """``total / maximum * 100`` rounded to a whole number, exactly, with the named mode.

    Integer arithmetic only: no float, ``round()`` or ``int()`` truncation of a float.
    """
    check_rounding(rounding)
    if maximum <= 0:
        raise ScoringError(f"maximum must be positive (got {maximum})", value=maximum)
    quotient, remainder = divmod(100 * total, maximum)
    if rounding == ROUND_DOWN or 2 * remainder < maximum:
        return quotient
    if 2 * remainder > maximum:
        return quotient + 1
    if rounding == ROUND_HALF_UP:
        return quotient + 1
    return quotient + (quotient % 2)  # ROUND_HALF_EVEN
