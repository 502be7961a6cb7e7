"""Overall percentage, rating and position (reference cqc-assessment.md §4.5-4.8, §10)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careassure.core.scoring import (
    BANDS,
    EdgeMarginRule,
    MidpointRule,
    Position,
    Rating,
    ScoringError,
    band_for_percentage,
    enter_quality_statement_score,
    rating_for_percentage,
    score_overall,
    whole_percentage,
)

INAD, RI, G, OUTS = (
    Rating.INADEQUATE,
    Rating.REQUIRES_IMPROVEMENT,
    Rating.GOOD,
    Rating.OUTSTANDING,
)


def nine_scores_totalling(total: int) -> list[int]:
    """Nine scores from 1 to 4 adding up to ``total`` (9..36): fill with 4s from the left."""
    scores = [1] * 9
    extra = total - 9
    for index in range(9):
        step = min(3, extra)
        scores[index] += step
        extra -= step
    assert sum(scores) == total
    return scores


# §4.5 full lookup for 9 QS: total -> (exact % to 2 dp, half-up %, rating).
# Exact % = total / 36 x 100; e.g. 14/36 = 38.888... -> 38.89 -> 39 (truncation would give 38).
LOOKUP_9 = [
    (9, "25.00", 25, INAD),
    (10, "27.78", 28, INAD),
    (11, "30.56", 31, INAD),
    (12, "33.33", 33, INAD),
    (13, "36.11", 36, INAD),
    (14, "38.89", 39, RI),
    (15, "41.67", 42, RI),
    (16, "44.44", 44, RI),
    (17, "47.22", 47, RI),
    (18, "50.00", 50, RI),
    (19, "52.78", 53, RI),
    (20, "55.56", 56, RI),
    (21, "58.33", 58, RI),
    (22, "61.11", 61, RI),
    (23, "63.89", 64, G),
    (24, "66.67", 67, G),
    (25, "69.44", 69, G),
    (26, "72.22", 72, G),
    (27, "75.00", 75, G),
    (28, "77.78", 78, G),
    (29, "80.56", 81, G),
    (30, "83.33", 83, G),
    (31, "86.11", 86, G),
    (32, "88.89", 89, OUTS),
    (33, "91.67", 92, OUTS),
    (34, "94.44", 94, OUTS),
    (35, "97.22", 97, OUTS),
    (36, "100.00", 100, OUTS),
]


@pytest.mark.parametrize(
    ("total", "exact", "percent", "rating"), LOOKUP_9, ids=[f"total_{row[0]}" for row in LOOKUP_9]
)
def test_nine_qs_lookup_table(total: int, exact: str, percent: int, rating: Rating) -> None:
    result = score_overall(nine_scores_totalling(total))
    assert (result.total, result.max, result.n_scored) == (total, 36, 9)
    assert result.percentage_exact.quantize(Decimal("0.01")) == Decimal(exact)
    assert result.percentage == percent
    assert result.rating is rating
    assert result.partial is False


@pytest.mark.parametrize(
    ("total", "rating"),
    [(13, INAD), (14, RI), (22, RI), (23, G), (31, G), (32, OUTS)],
    ids=["13_inadequate", "14_ri", "22_ri", "23_good", "31_good", "32_outstanding"],
)
def test_rating_changes_between_totals_13_14_22_23_31_32(total: int, rating: Rating) -> None:
    assert score_overall(nine_scores_totalling(total)).rating is rating


@pytest.mark.parametrize(
    ("percentage", "rating"),
    [(25, INAD), (38, INAD), (39, RI), (62, RI), (63, G), (87, G), (88, OUTS), (100, OUTS)],
    ids=["25", "38", "39", "62", "63", "87", "88", "100"],
)
def test_rating_for_whole_number_band_edges(percentage: int, rating: Rating) -> None:
    assert rating_for_percentage(percentage) is rating


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (24, "percentage must be from 25 to 100 (got 24)"),
        (101, "percentage must be from 25 to 100 (got 101)"),
        (62.5, "percentage must be a whole number (got 62.5); round it first"),
        (True, "percentage must be a whole number (got True); round it first"),
    ],
    ids=["below_25", "above_100", "unrounded", "bool"],
)
def test_rating_for_percentage_refuses_bad_values(value: object, message: str) -> None:
    with pytest.raises(ScoringError) as excinfo:
        rating_for_percentage(value)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("scores", "exact", "percent", "rating"),
    [
        # 8 QS: 3,3,3,3,2,2,2,2 = 20/32 = 62.5 -> half up 63 -> Good (round() gives 62: wrong)
        ([3, 3, 3, 3, 2, 2, 2, 2, None], "62.5", 63, G),
        # 8 QS: 4,4,4,4,3,3,3,3 = 28/32 = 87.5 -> 88 -> Outstanding (int() gives 87: wrong)
        ([4, 4, 4, 4, 3, 3, 3, 3], "87.5", 88, OUTS),
        # 8 QS: 12/32 = 37.5 -> 38 -> Inadequate
        ([2, 2, 2, 2, 1, 1, 1, 1, None], "37.5", 38, INAD),
        # 7 QS: 3,3,3,3,3,2,2 = 19/28 = 67.857... -> 68 -> Good
        ([3, 3, 3, 3, 3, 2, 2, None, None], "67.86", 68, G),
        # 7 QS: 2,2,2,2,2,2,1 = 13/28 = 46.428... -> 46 -> Requires improvement
        ([2, 2, 2, 2, 2, 2, 1], "46.43", 46, RI),
    ],
    ids=["20_of_32", "28_of_32", "12_of_32", "19_of_28", "13_of_28"],
)
def test_partial_assessments_use_four_times_number_scored(
    scores: list[int | None], exact: str, percent: int, rating: Rating
) -> None:
    result = score_overall(scores)
    assert result.max == 4 * result.n_scored
    assert result.percentage_exact.quantize(Decimal(exact)) == Decimal(exact)
    assert (result.percentage, result.rating, result.partial) == (percent, rating, True)


def test_exact_half_is_flagged_and_rounds_up_by_default() -> None:
    result = score_overall({"qs1": 3, "qs2": 3, "qs3": 3, "qs4": 3, "qs5": 2, "qs6": 2,
                            "qs7": 2, "qs8": 2, "qs9": None})  # fmt: skip
    assert result.exact_half is True
    assert result.percentage_exact == Decimal("62.5")
    assert result.not_scored == ("qs9",)


@pytest.mark.parametrize(
    ("rounding", "percent", "rating"),
    [(ROUND_HALF_EVEN, 62, RI), (ROUND_DOWN, 62, RI)],
    ids=["half_even", "truncate"],
)
def test_other_rounding_modes_show_the_trap(rounding: str, percent: int, rating: Rating) -> None:
    # 20/32 = 62.5: half-even and truncation both give 62 (Requires improvement).
    result = score_overall([3, 3, 3, 3, 2, 2, 2, 2], rounding=rounding)
    assert (result.percentage, result.rating) == (percent, rating)


def test_truncation_puts_14_of_36_in_the_wrong_band() -> None:
    # 14/36 = 38.89: half up 39 (RI); truncation 38 (Inadequate), the §10 trap.
    assert whole_percentage(14, 36) == 39
    assert whole_percentage(14, 36, ROUND_DOWN) == 38


def test_unknown_rounding_mode_is_refused() -> None:
    with pytest.raises(ScoringError) as excinfo:
        score_overall([3], rounding="ROUND_CEILING")
    assert str(excinfo.value) == (
        "rounding must be one of ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN (got 'ROUND_CEILING')"
    )


def test_kent_worked_example() -> None:
    # 2,2,3,2,2,2,2,2,3 = 20/36 = 55.56 -> 56 -> RI; band 39-62, midpoint 50.5 -> upper half;
    # 56 - 39 = 17 above the lower threshold, 62 - 56 = 6 below the top, 63 - 56 = 7 below Good.
    result = score_overall([2, 2, 3, 2, 2, 2, 2, 2, 3])
    assert (result.total, result.max, result.percentage) == (20, 36, 56)
    assert result.percentage_exact.quantize(Decimal("0.01")) == Decimal("55.56")
    assert result.rating is Rating.REQUIRES_IMPROVEMENT
    assert result.rating.value == "requires improvement"
    assert result.rating.display == "Requires improvement"
    assert (result.lower_threshold, result.upper_threshold) == (39, 62)
    assert result.points_above_lower == 17
    assert result.points_below_top == 6
    assert (result.next_threshold, result.points_below_next) == (63, 7)
    assert result.position is Position.NEARER_UPPER
    assert result.position.value == "nearer upper"


def test_staffordshire_75_is_the_middle_of_good() -> None:
    # All 3s: 27/36 = 75 exactly; Good band 63-87 has midpoint 75 -> tie -> middle.
    result = score_overall([3] * 9)
    assert (result.percentage, result.rating, result.position) == (75, G, Position.MIDDLE)


def test_midpoint_tie_rule_is_configurable() -> None:
    result = score_overall([3] * 9, position_rule=MidpointRule(tie=Position.NEARER_UPPER))
    assert result.position is Position.NEARER_UPPER


@pytest.mark.parametrize(
    ("percentage", "position"),
    [
        # Inadequate 25-38, midpoint 31.5
        (31, Position.NEARER_LOWER),
        (32, Position.NEARER_UPPER),
        # Requires improvement 39-62, midpoint 50.5
        (50, Position.NEARER_LOWER),
        (51, Position.NEARER_UPPER),
        # Good 63-87, midpoint 75
        (74, Position.NEARER_LOWER),
        (75, Position.MIDDLE),
        (76, Position.NEARER_UPPER),
        # Outstanding 88-100, midpoint 94
        (93, Position.NEARER_LOWER),
        (94, Position.MIDDLE),
        (95, Position.NEARER_UPPER),
    ],
    ids=["31", "32", "50", "51", "74", "75", "76", "93", "94", "95"],
)
def test_midpoint_rule_per_band(percentage: int, position: Position) -> None:
    assert MidpointRule().position(percentage, band_for_percentage(percentage)) is position


def test_outstanding_has_no_next_threshold_and_inadequate_nothing_below() -> None:
    # Camden 3,3,4,3,4,4,3,4,4 = 32/36 = 88.89 -> 89: 1 above 88, nearer lower (88-93).
    camden = score_overall([3, 3, 4, 3, 4, 4, 3, 4, 4])
    assert (camden.percentage, camden.points_above_lower) == (89, 1)
    assert (camden.next_threshold, camden.points_below_next) == (None, None)
    assert camden.position is Position.NEARER_LOWER
    # Blackpool 1,1,1,2,2,2,1,1,1 = 12/36 = 33.33 -> 33: 6 below 39, upper half of 25-38.
    blackpool = score_overall([1, 1, 1, 2, 2, 2, 1, 1, 1])
    assert (blackpool.percentage, blackpool.points_below_next) == (33, 6)
    assert blackpool.has_rating_below is False
    assert blackpool.position is Position.NEARER_UPPER


@pytest.mark.parametrize(
    ("percentage", "position"),
    [(63, Position.NEARER_LOWER), (67, Position.NEARER_LOWER), (68, Position.MIDDLE),
     (82, Position.MIDDLE), (83, Position.NEARER_UPPER), (87, Position.NEARER_UPPER)],
    ids=["63", "67", "68", "82", "83", "87"],
)  # fmt: skip
def test_edge_margin_rule_in_good(percentage: int, position: Position) -> None:
    # Within 5 points of an edge of 63-87: 63..67 lower, 83..87 upper, 68..82 middle.
    assert EdgeMarginRule(5).position(percentage, band_for_percentage(percentage)) is position


def test_mapping_and_sequence_give_the_same_result() -> None:
    mapping = {f"qs{n}": s for n, s in enumerate([2, 2, 3, 2, 2, 2, 2, 2, 3], start=1)}
    assert score_overall(mapping).percentage == score_overall(list(mapping.values())).percentage


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([2, 0, 3], "qs2: 0 is not a score; a score must be a whole number from 1 to 4, or blank "
                    "if not scored (got 0)"),
        ([5], "qs1: a score must be a whole number from 1 to 4, or blank if not scored (got 5)"),
        ([3, 2.5], "qs2: a score must be a whole number from 1 to 4, or blank if not scored "
                   "(got 2.5)"),
        ([3, 3, "x"], "qs3: a score must be a whole number from 1 to 4, or blank if not scored "
                      "(got 'x')"),
        ([True], "qs1: a score must be a whole number from 1 to 4, or blank if not scored "
                 "(got True)"),
        ({"qs7": "3"}, "qs7: a score must be a whole number from 1 to 4, or blank if not scored "
                       "(got '3')"),
        ([None, None], "at least one quality statement must be scored"),
        ([], "at least one quality statement must be scored"),
        ([3] * 10, "10 scores given, but there are only 9 quality statements"),
        ("2232", "scores must be a mapping or a sequence of scores (got str)"),
    ],
    ids=["zero", "five", "half", "text", "bool", "digit_text", "none_scored", "empty",
         "too_many", "string"],
)  # fmt: skip
def test_bad_scores_raise_scoring_error_naming_the_item(scores: object, message: str) -> None:
    with pytest.raises(ScoringError) as excinfo:
        score_overall(scores)  # type: ignore[arg-type]
    assert str(excinfo.value) == message


def test_method_b_score_is_entered_not_calculated() -> None:
    assert enter_quality_statement_score(3, item="qs4") == 3
    with pytest.raises(ScoringError) as excinfo:
        enter_quality_statement_score(None, item="qs4")
    assert str(excinfo.value) == "qs4: enter a score from 1 to 4"


def test_bands_cover_25_to_100_without_gaps() -> None:
    covered = [p for band in BANDS for p in range(band.lower, band.upper + 1)]
    assert covered == list(range(25, 101))


score_or_none = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
nine = st.lists(score_or_none, min_size=9, max_size=9).filter(lambda s: any(s))


@given(nine, st.integers(min_value=0, max_value=8))
def test_raising_one_score_never_lowers_the_percentage(scores: list[int | None], i: int) -> None:
    before = score_overall(scores)
    current = scores[i]
    if current is None or current == 4:
        return
    raised = [*scores[:i], current + 1, *scores[i + 1 :]]
    after = score_overall(raised)
    assert after.percentage >= before.percentage
    assert after.percentage_exact > before.percentage_exact


@given(nine)
def test_percentage_within_25_to_100_and_rating_matches_bands(scores: list[int | None]) -> None:
    result = score_overall(scores)
    assert 25 <= result.percentage <= 100
    assert result.band.lower <= result.percentage <= result.band.upper
    expected = (
        INAD if result.percentage <= 38 else RI if result.percentage <= 62 else
        G if result.percentage <= 87 else OUTS
    )  # fmt: skip
    assert result.rating is expected
    # Half up: the whole number is at most 0.5 above the exact value and less than 0.5 below
    # it (37.5 -> 38 is -0.5; nothing rounds down by 0.5).
    difference = result.percentage_exact - result.percentage
    assert Decimal("-0.5") <= difference < Decimal("0.5")


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=100))
def test_whole_percentage_matches_decimal_half_up(total: int, maximum: int) -> None:
    expected = (Decimal(100 * total) / Decimal(maximum)).quantize(
        Decimal(1), rounding="ROUND_HALF_UP"
    )
    assert whole_percentage(total, maximum) == int(expected)
