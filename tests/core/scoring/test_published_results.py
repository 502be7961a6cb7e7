"""Parsing published results (reference §9.2-9.3) with the sample file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from careassure.core.scoring import Rating
from careassure.core.scoring.published import (
    PublishedResultsError,
    RowError,
    parse_published_results,
)

SAMPLE = Path("/work/shared/reference/published-results-sample.csv")
HEADER = "la_name,overall_rating,qs1,qs2,qs3,qs4,qs5,qs6,qs7,qs8,qs9"

# Worked by hand from the sample's scores: total / 36 x 100, rounded half up, then banded.
EXPECTED = {
    "Blackpool Council": (12, 33, Rating.INADEQUATE),  # 1,1,1,2,2,2,1,1,1
    "Gloucestershire County Council": (18, 50, Rating.REQUIRES_IMPROVEMENT),  # all 2
    "Kent County Council": (20, 56, Rating.REQUIRES_IMPROVEMENT),  # 55.56
    "London Borough of Barnet": (23, 64, Rating.GOOD),  # 63.89
    "London Borough of Brent": (22, 61, Rating.REQUIRES_IMPROVEMENT),  # 61.11
    "London Borough of Camden": (32, 89, Rating.OUTSTANDING),  # 88.89
    "Staffordshire County Council": (27, 75, Rating.GOOD),  # 75.00
    "Wokingham Borough Council": (29, 81, Rating.GOOD),  # 80.56
}


@pytest.fixture(scope="module")
def sample() -> dict[str, object]:
    if not SAMPLE.exists():
        pytest.skip("reference sample not available")
    return {r.la_name: r for r in parse_published_results(SAMPLE.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("name", list(EXPECTED), ids=list(EXPECTED))
def test_sample_council_recomputed(sample: dict[str, object], name: str) -> None:
    result = sample[name]
    total, percent, rating = EXPECTED[name]
    assert (result.total, result.max, result.percentage) == (total, 36, percent)  # type: ignore[attr-defined]
    assert result.recomputed_rating is rating  # type: ignore[attr-defined]
    assert result.rating is rating  # type: ignore[attr-defined]
    assert result.rating_mismatch is False  # type: ignore[attr-defined]
    assert result.figures_mismatch is False  # type: ignore[attr-defined]
    assert result.partial is False  # type: ignore[attr-defined]


def test_sample_has_ten_councils_in_file_order(sample: dict[str, object]) -> None:
    assert len(sample) == 10
    assert [r.line for r in sample.values()] == list(range(2, 12))  # type: ignore[attr-defined]


def test_nottingham_pilot_is_indicative_without_scores(sample: dict[str, object]) -> None:
    row = sample["Nottingham City Council"]
    assert row.rating is Rating.REQUIRES_IMPROVEMENT  # type: ignore[attr-defined]
    assert row.rating_qualifier == "indicative, pilot"  # type: ignore[attr-defined]
    assert (row.indicative, row.uncertain) == (True, False)  # type: ignore[attr-defined]
    assert (row.n_scored, row.total, row.percentage) == (0, None, None)  # type: ignore[attr-defined]
    assert (row.partial, row.has_scores, row.rating_mismatch) == (True, False, False)  # type: ignore[attr-defined]
    assert (row.published_year, row.published_month_number) == (2023, 11)  # type: ignore[attr-defined]


def test_barking_and_dagenham_month_is_uncertain(sample: dict[str, object]) -> None:
    row = sample["London Borough of Barking and Dagenham"]
    assert row.published_month == "2025 (between Oct and mid-Nov; UNCERTAIN)"  # type: ignore[attr-defined]
    assert (row.published_year, row.published_month_number) == (2025, None)  # type: ignore[attr-defined]
    assert row.published_month_uncertain is True  # type: ignore[attr-defined]
    assert row.rating is Rating.OUTSTANDING  # type: ignore[attr-defined]


def test_kent_fields(sample: dict[str, object]) -> None:
    kent = sample["Kent County Council"]
    assert kent.la_type == "County Council"  # type: ignore[attr-defined]
    assert (kent.published_year, kent.published_month_number) == (2025, 5)  # type: ignore[attr-defined]
    assert kent.scores == {"qs1": 2, "qs2": 2, "qs3": 3, "qs4": 2, "qs5": 2, "qs6": 2,  # type: ignore[attr-defined]
                           "qs7": 2, "qs8": 2, "qs9": 3}  # fmt: skip
    assert kent.imported_pct_exact == Decimal("55.6")  # type: ignore[attr-defined]
    assert kent.status_notes == "scores+rating confirmed by CQC press release (May 2025)"  # type: ignore[attr-defined]


def test_mislabelled_rating_is_flagged_not_fixed() -> None:
    # County Durham: "Not Rated" in the third-party source; 24/36 = 66.67 -> 67 -> Good.
    text = f"{HEADER},region\nDurham County Council,Not Rated,3,3,3,2,3,2,3,2,3,North East\n"
    (row,) = parse_published_results(text)
    assert row.rating is None
    assert row.uncertain is True
    assert (row.percentage, row.recomputed_rating) == (67, Rating.GOOD)
    assert row.rating_mismatch is True
    assert row.extra == {"region": "North East"}


def test_wrong_rating_word_is_flagged() -> None:
    # 2,2,2,2,2,3,3,3,3 = 22/36 = 61 -> RI, but the row says Good.
    (row,) = parse_published_results(f"{HEADER}\nBrent,Good,2,2,2,2,2,3,3,3,3\n")
    assert (row.rating, row.recomputed_rating, row.rating_mismatch) == (
        Rating.GOOD, Rating.REQUIRES_IMPROVEMENT, True)  # fmt: skip


def test_scores_as_words_and_number_word_forms() -> None:
    text = (
        f"{HEADER}\n"
        'X,Good (UNCERTAIN: check),3,Good,"2 - Requires improvement",'
        '"3 - Evidence shows a good standard","1 - Inadequate: Evidence shows significant '
        'shortfalls",outstanding,3,,3\n'
    )
    (row,) = parse_published_results(text)
    assert row.scores == {"qs1": 3, "qs2": 3, "qs3": 2, "qs4": 3, "qs5": 1, "qs6": 4,
                          "qs7": 3, "qs8": None, "qs9": 3}  # fmt: skip
    # 22 of 32 = 68.75 -> 69 -> Good; partial (8 scored)
    assert (row.total, row.max, row.percentage, row.partial) == (22, 32, 69, True)
    assert (row.rating_qualifier, row.uncertain, row.indicative) == (
        "UNCERTAIN: check",
        True,
        False,
    )


def test_all_errors_collected_with_line_numbers() -> None:
    text = (
        f"{HEADER}\n"
        "A,Good,3,3,3,3,3,3,3,3,5\n"
        "B,Fine,3,3,3,3,3,3,3,3,3\n"
        "a,Good,3,3,3,3,3,3,3,3,3\n"
        'C,Good,3,3,3,3,3,3,3,"2 - Good",3\n'
    )
    with pytest.raises(PublishedResultsError) as excinfo:
        parse_published_results(text, source="results.csv")
    assert excinfo.value.errors == [
        RowError(2, "qs9", "5", "a score must be a whole number from 1 to 4, or blank if not "
                 "scored"),
        RowError(3, "overall_rating", "Fine", "the rating must be Inadequate, Requires "
                 "improvement, Good, Outstanding or Not rated"),
        RowError(4, "la_name", "a", "the council is already on line 2"),
        RowError(5, "qs8", "2 - Good", "the number 2 and the words 'Good' disagree"),
    ]  # fmt: skip
    assert str(excinfo.value).splitlines()[0] == (
        "results.csv: line 2, column qs9, value '5': a score must be a whole number from 1 to 4, "
        "or blank if not scored"
    )


def test_missing_columns_and_empty_file() -> None:
    with pytest.raises(PublishedResultsError) as excinfo:
        parse_published_results("la_name,qs1\nA,3\n")
    assert [(e.row, e.column) for e in excinfo.value.errors] == [
        (1, "overall_rating"), *[(1, f"qs{n}") for n in range(2, 10)]]  # fmt: skip
    with pytest.raises(PublishedResultsError) as excinfo:
        parse_published_results("")
    assert excinfo.value.errors == [
        RowError(1, "", "", "the file is empty; the first line must be a header row")
    ]


def test_bom_and_upper_case_headers_accepted() -> None:
    text = "\ufeff" + HEADER.upper() + "\nKent,Requires improvement,2,2,3,2,2,2,2,2,3\n"
    (row,) = parse_published_results(text)
    assert (row.la_name, row.percentage) == ("Kent", 56)
