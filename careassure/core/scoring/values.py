"""Checking and parsing individual 1-4 scores."""

from __future__ import annotations

import re

from careassure.core.scoring.errors import ScoringError
from careassure.core.scoring.rating import Rating

SCORE_RULE = "a score must be a whole number from 1 to 4, or blank if not scored"

#: CQC's descriptor for each score (as printed in reports, §4.1 of the reference).
DESCRIPTORS: dict[int, str] = {
    1: "Evidence shows significant shortfalls",
    2: "Evidence shows some shortfalls",
    3: "Evidence shows a good standard",
    4: "Evidence shows an exceptional standard",
}

_NUMBER_FIRST = re.compile(r"^([0-9]+)\s*(?:[-\u2013\u2014:]\s*(.*))?$", re.DOTALL)
_SPACES = re.compile(r"\s+")


def check_score(value: object, item: str) -> int | None:
    """Return a valid score (1-4) or None for "not scored"; raise :class:`ScoringError` otherwise.

    ``None`` means not scored (never 0). Booleans, floats, Decimals and strings are refused,
    even when they look like a whole number.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if 1 <= value <= 4:
            return value
        if value == 0:
            rule = f"0 is not a score; {SCORE_RULE}"
            raise ScoringError(f"{item}: {rule} (got 0)", item=item, value=value, rule=rule)
    raise ScoringError(
        f"{item}: {SCORE_RULE} (got {value!r})", item=item, value=value, rule=SCORE_RULE
    )


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _score_for_words(words: str) -> int | None:
    """The score named by a rating word, a descriptor or "word: descriptor"."""
    folded = _fold(words)
    for rating in Rating:
        word = rating.value
        descriptor = _fold(DESCRIPTORS[rating.score])
        if folded in (word, descriptor):
            return rating.score
        for separator in (":", " -", " \u2013"):
            if folded.startswith(word + separator) and _fold(
                folded[len(word) + len(separator) :]
            ) in ("", descriptor):
                return rating.score
    return None


def parse_score_text(text: str, item: str) -> int | None:
    """Parse a score as written in a file: ``3``, ``Good``, ``3 - Good`` or ``2 - Evidence shows
    some shortfalls``, ``1 - Inadequate: Evidence shows significant shortfalls``.

    A blank value means not scored (None). Anything else raises :class:`ScoringError` naming
    ``item`` and the value.
    """
    stripped = text.strip()
    if not stripped:
        return None
    match = _NUMBER_FIRST.fullmatch(stripped)
    if match:
        number = int(match.group(1))
        try:
            score = check_score(number, item)
        except ScoringError as exc:
            raise ScoringError(
                f"{item}: {exc.rule} (got {text!r})", item=item, value=text, rule=exc.rule
            ) from None
        words = (match.group(2) or "").strip()
        if words:
            named = _score_for_words(words)
            if named is None:
                rule = f"{words!r} is not a rating word or descriptor"
                raise ScoringError(
                    f"{item}: {rule} (got {text!r})", item=item, value=text, rule=rule
                )
            if named != score:
                rule = f"the number {number} and the words {words!r} disagree"
                raise ScoringError(
                    f"{item}: {rule} (got {text!r})", item=item, value=text, rule=rule
                )
        return score
    named = _score_for_words(stripped)
    if named is None:
        raise ScoringError(
            f"{item}: {SCORE_RULE} (got {text!r})", item=item, value=text, rule=SCORE_RULE
        )
    return named


def enter_quality_statement_score(value: object, *, item: str = "score") -> int:
    """Method B: a quality statement score is entered as judged, never calculated.

    Returns the score after checking it is a whole number from 1 to 4.
    """
    score = check_score(value, item)
    if score is None:
        raise ScoringError(f"{item}: enter a score from 1 to 4", item=item, value=value)
    return score
