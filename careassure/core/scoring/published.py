"""Parse CSV files of published CQC results (shaped like ``published-results-sample.csv``).

Every row is recomputed from its scores. Disagreements with the imported rating or figures
are flagged (``rating_mismatch``, ``figures_mismatch``), never silently fixed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict

from careassure.core.scoring._csv import CsvRow, fold_name, read_csv
from careassure.core.scoring.errors import PublishedResultsError, RowError, ScoringError
from careassure.core.scoring.overall import FULL_ASSESSMENT_COUNT, score_overall
from careassure.core.scoring.rating import Rating
from careassure.core.scoring.values import parse_score_text

__all__ = [
    "KNOWN_COLUMNS",
    "REQUIRED_COLUMNS",
    "PublishedResult",
    "PublishedResultsError",
    "RowError",
    "parse_published_results",
]

SCORE_COLUMNS = tuple(f"qs{number}" for number in range(1, FULL_ASSESSMENT_COUNT + 1))
REQUIRED_COLUMNS = ("la_name", "overall_rating", *SCORE_COLUMNS)
KNOWN_COLUMNS = (
    *REQUIRED_COLUMNS,
    "la_type",
    "published_month",
    "total_of_36",
    "pct_exact",
    "pct_rounded",
    "status_notes",
)

_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
_QUALIFIED = re.compile(r"^(?P<main>[^()]*?)\s*(?:\((?P<qualifier>[^()]*)\))?\s*$")
_MONTH_YEAR = re.compile(r"^(?P<month>[A-Za-z]+)\.?\s+(?P<year>[0-9]{4})$")
_YEAR = re.compile(r"\b(?P<year>(?:19|20)[0-9]{2})\b")
_WHOLE = re.compile(r"^[0-9]+$")
_NOT_RATED = "not rated"


class PublishedResult(BaseModel):
    """One council's published result, with the figures recomputed from its scores.

    ``line`` is the row's line number in the file (header = 1). ``partial`` is true when
    fewer than 9 quality statements have scores (including rows with none: see
    ``has_scores``). Unknown extra columns (``region``, ``ons_code``...) are kept in ``extra``.
    """

    model_config = ConfigDict(frozen=True)

    line: int
    la_name: str
    la_type: str | None
    published_month: str | None
    published_year: int | None
    published_month_number: int | None
    published_month_uncertain: bool
    overall_rating: str
    rating: Rating | None
    rating_qualifier: str | None
    indicative: bool
    uncertain: bool
    qs1: int | None
    qs2: int | None
    qs3: int | None
    qs4: int | None
    qs5: int | None
    qs6: int | None
    qs7: int | None
    qs8: int | None
    qs9: int | None
    n_scored: int
    total: int | None
    max: int | None
    percentage_exact: Decimal | None
    percentage: int | None
    recomputed_rating: Rating | None
    rating_mismatch: bool
    imported_total: int | None
    imported_pct_exact: Decimal | None
    imported_pct_rounded: int | None
    figures_mismatch: bool
    status_notes: str | None
    extra: dict[str, str]

    @property
    def scores(self) -> dict[str, int | None]:
        """The nine scores by quality statement id."""
        return {column: getattr(self, column) for column in SCORE_COLUMNS}

    @property
    def has_scores(self) -> bool:
        """True when at least one quality statement has a score."""
        return self.n_scored > 0

    @property
    def partial(self) -> bool:
        """Fewer than 9 quality statements scored (benchmark these apart, or not at all)."""
        return self.n_scored < FULL_ASSESSMENT_COUNT


def _optional(row: CsvRow, column: str) -> str | None:
    value = row.values.get(column, "").strip()
    return value or None


def _parse_rating(
    text: str, line: int, errors: list[RowError]
) -> tuple[Rating | None, str | None, bool, bool]:
    """Split ``Requires improvement (indicative, pilot)`` into rating, qualifier and flags."""
    match = _QUALIFIED.fullmatch(text.strip())
    if not match or not match.group("main"):
        errors.append(
            RowError(line, "overall_rating", text, "enter a rating, with any qualifier in brackets")
        )
        return None, None, False, False
    qualifier = match.group("qualifier")
    qualifier = qualifier.strip() if qualifier is not None else None
    folded_qualifier = (qualifier or "").casefold()
    indicative = "indicative" in folded_qualifier
    uncertain = "uncertain" in folded_qualifier
    word = fold_name(match.group("main"))
    if word == _NOT_RATED:
        return None, qualifier, indicative, True
    for rating in Rating:
        if word == rating.value:
            return rating, qualifier, indicative, uncertain
    errors.append(
        RowError(
            line,
            "overall_rating",
            text,
            "the rating must be Inadequate, Requires improvement, Good, Outstanding or Not rated",
        )
    )
    return None, qualifier, indicative, uncertain


def _parse_month(text: str | None) -> tuple[int | None, int | None, bool]:
    """Year and month number from ``May 2025`` or ``Nov 2023``; year only from other text."""
    if text is None:
        return None, None, False
    uncertain = "uncertain" in text.casefold()
    match = _MONTH_YEAR.fullmatch(text.strip())
    if match:
        prefix = match.group("month")[:3].casefold()
        if prefix in _MONTHS and len(match.group("month")) >= 3:
            return int(match.group("year")), _MONTHS.index(prefix) + 1, uncertain
    year = _YEAR.search(text)
    return (int(year.group("year")) if year else None), None, uncertain


def _parse_whole(row: CsvRow, column: str, errors: list[RowError]) -> int | None:
    value = _optional(row, column)
    if value is None:
        return None
    if not _WHOLE.fullmatch(value):
        errors.append(RowError(row.line, column, value, "must be a whole number"))
        return None
    return int(value)


def _parse_decimal(row: CsvRow, column: str, errors: list[RowError]) -> Decimal | None:
    value = _optional(row, column)
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        errors.append(RowError(row.line, column, value, "must be a number"))
        return None
    return number


def _parse_row(row: CsvRow, errors: list[RowError]) -> PublishedResult | None:
    before = len(errors)
    name = row.values["la_name"].strip()
    if not name:
        errors.append(RowError(row.line, "la_name", "", "enter the council name"))
    rating_text = row.values["overall_rating"].strip()
    if rating_text:
        rating, qualifier, indicative, uncertain = _parse_rating(rating_text, row.line, errors)
    else:
        errors.append(RowError(row.line, "overall_rating", "", "enter the overall rating"))
        rating, qualifier, indicative, uncertain = None, None, False, False
    scores: dict[str, int | None] = {}
    for column in SCORE_COLUMNS:
        cell = row.values[column]
        try:
            scores[column] = parse_score_text(cell, column)
        except ScoringError as exc:
            errors.append(RowError(row.line, column, cell, exc.rule))
    imported_total = _parse_whole(row, "total_of_36", errors)
    imported_pct_exact = _parse_decimal(row, "pct_exact", errors)
    imported_pct_rounded = _parse_whole(row, "pct_rounded", errors)
    if len(errors) > before:
        return None

    published_month = _optional(row, "published_month")
    year, month, month_uncertain = _parse_month(published_month)
    scored = [score for score in scores.values() if score is not None]
    total = maximum = percentage = None
    percentage_exact = None
    recomputed = None
    if scored:
        result = score_overall(scores)
        total, maximum, percentage = result.total, result.max, result.percentage
        percentage_exact, recomputed = result.percentage_exact, result.rating
    rating_mismatch = recomputed is not None and rating != recomputed
    figures_mismatch = (imported_total is not None and imported_total != total) or (
        imported_pct_rounded is not None and imported_pct_rounded != percentage
    )
    extra = {column: value for column, value in row.values.items() if column not in KNOWN_COLUMNS}
    return PublishedResult(
        line=row.line,
        la_name=name,
        la_type=_optional(row, "la_type"),
        published_month=published_month,
        published_year=year,
        published_month_number=month,
        published_month_uncertain=month_uncertain,
        overall_rating=rating_text,
        rating=rating,
        rating_qualifier=qualifier,
        indicative=indicative,
        uncertain=uncertain,
        **scores,
        n_scored=len(scored),
        total=total,
        max=maximum,
        percentage_exact=percentage_exact,
        percentage=percentage,
        recomputed_rating=recomputed,
        rating_mismatch=rating_mismatch,
        imported_total=imported_total,
        imported_pct_exact=imported_pct_exact,
        imported_pct_rounded=imported_pct_rounded,
        figures_mismatch=figures_mismatch,
        status_notes=_optional(row, "status_notes"),
        extra=extra,
    )


def parse_published_results(text: str, *, source: str = "") -> list[PublishedResult]:
    """Parse published results, one :class:`PublishedResult` per council in file order.

    Required columns: ``la_name``, ``overall_rating`` and ``qs1``...``qs9`` (matched
    case-insensitively). Scores may be written as numbers, words or both ("2 - Requires
    improvement"); blank means not scored. All problems are collected and raised together
    as :class:`PublishedResultsError`; a council name that appears twice is a problem.
    """
    errors: list[RowError] = []
    table = read_csv(text, errors)
    if table is None:
        raise PublishedResultsError(errors, source=source)
    for column in REQUIRED_COLUMNS:
        if column not in table.columns:
            errors.append(
                RowError(1, column, table.header_text, f"the header has no {column} column")
            )
    if errors:
        raise PublishedResultsError(errors, source=source)
    results: list[PublishedResult] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        name = row.values["la_name"].strip()
        if name:
            folded = fold_name(name)
            if folded in first_line:
                errors.append(
                    RowError(
                        row.line,
                        "la_name",
                        name,
                        f"the council is already on line {first_line[folded]}",
                    )
                )
            first_line.setdefault(folded, row.line)
        parsed = _parse_row(row, errors)
        if parsed is not None:
            results.append(parsed)
    if errors:
        raise PublishedResultsError(errors, source=source)
    return results
