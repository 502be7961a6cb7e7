"""SPC (Making Data Count) rules and icons on small hand-worked series."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from careassure.core.kpis import Polarity, SpcError
from careassure.core.kpis.spc import (
    AssuranceIcon,
    Direction,
    SpcRule,
    VariationIcon,
    analyse,
)


def monthly(values: Sequence[float]) -> list[tuple[date, float]]:
    return [(date(2024 + (i // 12), i % 12 + 1, 1), v) for i, v in enumerate(values)]


def flagged(values: Sequence[float], polarity: str = "neutral") -> dict[int, set[SpcRule]]:
    result = analyse(monthly(values), polarity=polarity)
    return {i: set(p.rules) for i, p in enumerate(result.points) if p.rules}


# 10, 12 alternating: mean 11, every moving range 2, mean moving range 2.
ALTERNATING = [10, 12, 10, 12, 10, 12, 10, 12]


def test_mean_moving_ranges_and_limits_worked_by_hand() -> None:
    result = analyse(monthly(ALTERNATING), polarity="higher_is_better")
    assert result.mean == pytest.approx(11)
    assert result.moving_ranges == (2, 2, 2, 2, 2, 2, 2)
    assert result.mean_moving_range == pytest.approx(2)
    # 11 +/- 2.66 x 2 = 16.32 and 5.68; 2 sigma = 11 +/- (2 / 3) x 2.66 x 2 = 11 +/- 3.5467.
    assert result.upper_process_limit == pytest.approx(16.32)
    assert result.lower_process_limit == pytest.approx(5.68)
    assert result.upper_two_sigma == pytest.approx(14.546667, abs=1e-6)
    assert result.lower_two_sigma == pytest.approx(7.453333, abs=1e-6)
    assert result.points[0].moving_range is None
    assert flagged(ALTERNATING) == {}
    assert result.variation is VariationIcon.COMMON_CAUSE


def test_point_beyond_a_limit_is_special_cause() -> None:
    # Sum 138 -> mean 13.8. Moving ranges 2,2,2,2,30,30,2,2,2 = 74 / 9 = 8.222.
    # UPL = 13.8 + 2.66 x 8.222 = 35.67: the 40 is beyond it. 2 sigma upper = 28.38: only the
    # 40 is beyond it, so two-of-three does not fire; runs above/below are at most 5 long.
    values = [10, 12, 10, 12, 10, 40, 10, 12, 10, 12]
    assert flagged(values) == {5: {SpcRule.OUTSIDE_LIMITS}}
    result = analyse(monthly(values), polarity="lower_is_better")
    assert result.upper_process_limit == pytest.approx(35.6711, abs=1e-4)
    assert result.points[5].direction is Direction.HIGH
    # The latest point (12) is common cause.
    assert result.variation is VariationIcon.COMMON_CAUSE


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Mean (83 + 57) / 14 = 10; all moving ranges 2; limits 4.68 to 15.32. Seven above
        # the mean (11,13,...,11) then seven below (9,7,...,9): every point is in a run of 7.
        pytest.param(
            [11, 13, 11, 13, 11, 13, 11, 9, 7, 9, 7, 9, 7, 9],
            {i: {SpcRule.SHIFT} for i in range(14)},
            id="run-of-7-above-then-below",
        ),
        # Mean (72 + 48) / 12 = 10; moving ranges sum 24 / 11 = 2.18; limits 4.20 to 15.80;
        # 2 sigma 6.13 to 13.87. Runs of 6 above and 6 below: no signal.
        pytest.param([11, 13, 11, 13, 11, 13, 9, 7, 9, 7, 9, 7], {}, id="run-of-6-is-not-a-shift"),
    ],
)
def test_shift_rule(values: list[float], expected: dict[int, set[SpcRule]]) -> None:
    assert flagged(values) == expected


def test_a_point_on_the_mean_breaks_a_run() -> None:
    # 11+13+11+10+13+11+13+11 = 93 and 9+7+9+7+9+7+9+10 = 67: mean 160 / 16 = 10.
    # Above the mean: indices 0-2 and 4-7, split by the 10 (on the mean) at index 3.
    # Below: indices 8-14, seven points, so a shift there only. Moving ranges sum 29 / 15 =
    # 1.93: limits 4.86 to 15.14, 2 sigma 6.57 to 13.43, so no other rule fires.
    values = [11, 13, 11, 10, 13, 11, 13, 11, 9, 7, 9, 7, 9, 7, 9, 10]
    assert flagged(values) == {i: {SpcRule.SHIFT} for i in range(8, 15)}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Mean 143 / 11 = 13; moving ranges 6,6,6,6,1,1,1,1,1,1 -> 3; limits 5.02 to 20.98;
        # 2 sigma 7.68 to 18.32. 10,11,...,16 (indices 4-10) rise 7 times in a row.
        pytest.param(
            [10, 16, 10, 16, 10, 11, 12, 13, 14, 15, 16],
            {i: {SpcRule.TREND} for i in range(4, 11)},
            id="seven-rising",
        ),
        # Mean 133 / 10 = 13.3; moving ranges 28 / 9 = 3.11; limits 5.02 to 21.58; 2 sigma
        # 7.78 to 18.82. Only 6 rising points (11 to 16): no signal.
        pytest.param([10, 16, 10, 16, 11, 12, 13, 14, 15, 16], {}, id="six-rising-is-not-a-trend"),
        # An equal value breaks a trend: 10,11,12,12,13,14,15,16 never rises 7 in a row.
        pytest.param([10, 16, 10, 16, 10, 11, 12, 12, 13, 14, 15], {}, id="tie-breaks-trend"),
    ],
)
def test_trend_rule(values: list[float], expected: dict[int, set[SpcRule]]) -> None:
    assert flagged(values) == expected


def test_falling_trend_points_count_as_low() -> None:
    values = [16, 10, 16, 10, 16, 15, 14, 13, 12, 11, 10]
    result = analyse(monthly(values), polarity="higher_is_better")
    assert {i for i, p in enumerate(result.points) if SpcRule.TREND in p.rules} == set(range(4, 11))
    assert result.points[-1].direction is Direction.LOW
    assert result.variation is VariationIcon.CONCERNING_LOW


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Base 11,12,13,12 four times (sum 192, moving ranges all 1) then 17,12,17,12,11,12.
        # Sum 273 / 22 = 12.409; moving ranges 15 + 5+5+5+5+1+1 = 37 / 21 = 1.762;
        # UPL 12.409 + 2.66 x 1.762 = 17.096 (17 inside); 2 sigma upper 12.409 + 3.124 =
        # 15.533. Indices 16 and 18 (17 and 17) are beyond 2 sigma within three points.
        # Runs: 12s and 11s are below the mean, in runs of 3 at most.
        pytest.param(
            [11, 12, 13, 12] * 4 + [17, 12, 17, 12, 11, 12],
            {16: {SpcRule.TWO_OF_THREE}, 18: {SpcRule.TWO_OF_THREE}},
            id="two-of-three-high",
        ),
        # Same base then 17,12,11,17,12,11: sum 272 / 22 = 12.364; moving ranges 15 + 23 =
        # 38 / 21 = 1.810; UPL 17.177; 2 sigma upper 15.572. The two 17s (indices 16 and 19)
        # are four points apart, never two in three: no signal.
        pytest.param(
            [11, 12, 13, 12] * 4 + [17, 12, 11, 17, 12, 11],
            {},
            id="two-beyond-but-not-within-three",
        ),
    ],
)
def test_two_of_three_rule(values: list[float], expected: dict[int, set[SpcRule]]) -> None:
    assert flagged(values) == expected


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("higher_is_better", VariationIcon.IMPROVING_HIGH),
        ("lower_is_better", VariationIcon.CONCERNING_HIGH),
        ("neutral", VariationIcon.NEITHER_HIGH),
    ],
)
def test_variation_icon_follows_the_latest_point_and_polarity(
    polarity: str, expected: VariationIcon
) -> None:
    # Seven points above the mean at the end: mean (8+12+8+12+8+12+12+14+12+14+12+14+12)
    # = 150 / 13 = 11.54; indices 5-12 are all above it (a run of 8); moving ranges
    # 4,4,4,4,4,0,2,2,2,2,2,2 = 32 / 12 = 2.67; limits 4.45 to 18.63, 2 sigma 6.81 to 16.27.
    values = [8, 12, 8, 12, 8, 12, 12, 14, 12, 14, 12, 14, 12]
    result = analyse(monthly(values), polarity=polarity)
    assert {i for i, p in enumerate(result.points) if p.rules} == set(range(5, 13))
    assert result.variation is expected


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        # Limits of ALTERNATING are 5.68 to 16.32.
        ("higher_is_better", 20, AssuranceIcon.CONSISTENTLY_FAILING),
        ("higher_is_better", 5, AssuranceIcon.CONSISTENTLY_PASSING),
        ("higher_is_better", 11, AssuranceIcon.HIT_AND_MISS),
        ("lower_is_better", 20, AssuranceIcon.CONSISTENTLY_PASSING),
        ("lower_is_better", 5, AssuranceIcon.CONSISTENTLY_FAILING),
        ("lower_is_better", 16.32, AssuranceIcon.HIT_AND_MISS),
        ("neutral", 20, None),
        ("higher_is_better", None, None),
    ],
)
def test_assurance_icon_compares_target_with_limits(
    polarity: str, target: float | None, expected: AssuranceIcon | None
) -> None:
    result = analyse(monthly(ALTERNATING), polarity=polarity, target=target)
    assert result.assurance is expected


def test_baseline_fixes_the_limits_on_the_first_points() -> None:
    # First 4 points 10, 12, 10, 12: mean 11, moving ranges 2 -> limits 5.68 to 16.32;
    # the later 30 is judged against them.
    result = analyse(monthly([10, 12, 10, 12, 11, 30]), polarity="neutral", baseline=4)
    assert result.mean == pytest.approx(11)
    assert result.upper_process_limit == pytest.approx(16.32)
    assert SpcRule.OUTSIDE_LIMITS in result.points[5].rules
    assert result.warnings == (
        "The limits rest on 4 points; Making Data Count advises at least 15 before relying "
        "on them.",
    )


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ([(date(2024, 1, 1), 1.0)], "an SPC chart needs at least 2 points"),
        (
            [(date(2024, 2, 1), 1.0), (date(2024, 1, 1), 2.0)],
            "the series must be in date order with no repeated period",
        ),
    ],
    ids=["one-point", "out-of-order"],
)
def test_unusable_series_is_refused(series: list[tuple[date, float]], message: str) -> None:
    with pytest.raises(SpcError, match=message):
        analyse(series, polarity=Polarity.NEUTRAL)
