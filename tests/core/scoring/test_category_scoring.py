"""Method A: evidence category scores -> QS percentage -> QS score (reference §4.2)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

import pytest

from careassure.core.scoring import (
    Rating,
    ScoringError,
    score_quality_statement_from_categories,
)


@pytest.mark.parametrize(
    ("categories", "exact", "percent", "qs_score", "review"),
    [
        # 3,3,2,2 = 10/16 = 62.5 -> half up 63 -> QS score 3 (round() would give 62 -> 2)
        ([3, 3, 2, 2], "62.5", 63, 3, True),
        # 4,3 = 7/8 = 87.5 -> 88 ("over 87") -> 4
        ([4, 3], "87.5", 88, 4, True),
        # 3,3,2,3 = 11/16 = 68.75 -> 69 -> 3
        ([3, 3, 2, 3], "68.75", 69, 3, False),
        # 3,2 = 5/8 = 62.5 -> 63 -> 3
        ([3, 2], "62.5", 63, 3, True),
        # 1,2,1,1 = 5/16 = 31.25 -> 31 -> 1
        ([1, 2, 1, 1], "31.25", 31, 1, False),
        # 4,4,4,4 = 100 -> 4
        ([4, 4, 4, 4], "100", 100, 4, False),
    ],
    ids=["3322", "43", "3323", "32", "1211", "4444"],
)
def test_category_scores_give_qs_score(
    categories: list[int], exact: str, percent: int, qs_score: int, review: bool
) -> None:
    result = score_quality_statement_from_categories(categories)
    assert result.percentage_exact == Decimal(exact)
    assert (result.percentage, result.qs_score, result.needs_review) == (percent, qs_score, review)
    assert result.max == 4 * len(categories)


def test_exact_half_gives_a_review_reason() -> None:
    result = score_quality_statement_from_categories({"people-experience": 3, "processes": 2})
    assert result.review_reason == (
        "The category percentage is exactly 62.5%; CQC published no rounding rule for this "
        "step. Rounded with ROUND_HALF_UP to 63."
    )
    assert result.rating is Rating.GOOD


@pytest.mark.parametrize(
    ("rounding", "categories", "qs_score"),
    [
        (ROUND_HALF_EVEN, [3, 3, 2, 2], 2),  # 62.5 -> 62 -> 2
        (ROUND_DOWN, [3, 3, 2, 2], 2),  # 62.5 -> 62 -> 2
        (ROUND_HALF_EVEN, [4, 3], 4),  # 87.5 -> 88 -> 4 (half-even also rounds up here)
        (ROUND_DOWN, [4, 3], 3),  # 87.5 -> 87 -> 3: only truncation gets it wrong
    ],
    ids=["half_even_62_5", "truncate_62_5", "half_even_87_5", "truncate_87_5"],
)
def test_rounding_is_configurable(rounding: str, categories: list[int], qs_score: int) -> None:
    result = score_quality_statement_from_categories(categories, rounding=rounding)
    assert result.qs_score == qs_score


def test_unscored_categories_are_left_out() -> None:
    # 3, blank, 3, 2 -> 8/12 = 66.67 -> 67 -> 3 (the blank is not counted as 0)
    result = score_quality_statement_from_categories([3, None, 3, 2])
    assert (result.total, result.max, result.percentage, result.qs_score) == (8, 12, 67, 3)


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        ([None], "at least one evidence category must be scored"),
        ([3, 5], "category2: a score must be a whole number from 1 to 4, or blank if not scored "
                 "(got 5)"),
        ({"partners": 2.5}, "partners: a score must be a whole number from 1 to 4, or blank if "
                            "not scored (got 2.5)"),
    ],
    ids=["none", "five", "half"],
)  # fmt: skip
def test_bad_category_scores(categories: object, message: str) -> None:
    with pytest.raises(ScoringError) as excinfo:
        score_quality_statement_from_categories(categories)  # type: ignore[arg-type]
    assert str(excinfo.value) == message
