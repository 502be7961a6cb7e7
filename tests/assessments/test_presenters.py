"""Presenters: word differences, comparison tags, overall results and timeline rows."""

from __future__ import annotations

import datetime as dt

import pytest

from careassure.assessments import presenters
from careassure.core.calendar import CycleDates, build_timeline


def test_diff_words_marks_removed_and_added_words() -> None:
    left, right = presenters.diff_words("Waiting lists are long", "Waiting lists are shorter now")
    assert [(s.kind, s.text) for s in left] == [("equal", "Waiting lists are "), ("delete", "long")]
    assert [(s.kind, s.text) for s in right] == [
        ("equal", "Waiting lists are "),
        ("insert", "shorter now"),
    ]


def test_diff_of_identical_text_has_no_changes() -> None:
    left, right = presenters.diff_words("Same text", "Same text")
    assert {s.kind for s in left + right} == {"equal"}


@pytest.mark.parametrize(
    ("own", "cqc", "expected"),
    [
        pytest.param(2, 3, "CQC higher", id="kent_qs3"),
        pytest.param(3, 2, "CQC lower", id="lower"),
        pytest.param(2, 2, "Same", id="same"),
    ],
)
def test_difference_tag(own: int, cqc: int, expected: str) -> None:
    tag = presenters.difference_tag(own, cqc)
    assert tag is not None
    assert tag["text"] == expected


def test_difference_tag_needs_both_scores() -> None:
    assert presenters.difference_tag(None, 3) is None


def test_overall_for_kent_cqc_scores() -> None:
    # 2+2+3+2+2+2+2+2+3 = 20 of 36 = 55.56% -> 56%, Requires improvement.
    scores = {f"qs{i}": s for i, s in enumerate([2, 2, 3, 2, 2, 2, 2, 2, 3], start=1)}
    result = presenters.overall(scores)
    assert (result["percentage"], result["rating"], result["partial"]) == (
        56,
        "Requires improvement",
        False,
    )
    assert result["text"] == "56% – Requires improvement"


def test_overall_with_nothing_scored() -> None:
    assert presenters.overall({"qs1": None})["text"] == "No scores entered"


def test_score_text_uses_rating_word() -> None:
    assert presenters.score_text(3) == "3 (Good)"
    assert presenters.score_text(None) == "Not scored"


def test_timeline_rows_format_dates_and_rules() -> None:
    milestones = build_timeline(
        CycleDates(
            notification=dt.date(2024, 3, 18),
            on_site_start=dt.date(2024, 10, 1),
            on_site_end=dt.date(2024, 10, 3),
        ),
        today=dt.date(2024, 4, 9),
    )
    rows = {r.key: r for r in presenters.timeline_rows(milestones, cycle_id=7, owners={})}
    assert rows["information_return"].date_text == "8 April 2024"
    assert rows["information_return"].status_text == "Overdue"
    assert rows["information_return"].status_class == "govuk-tag--red"
    assert rows["information_return"].rule == "21 calendar days after notification"
    assert rows["information_return"].change_href == (
        "/assessment/cycles/7/milestones/information_return/"
    )
    assert rows["on_site"].date_text == "1 October 2024 to 3 October 2024"
    assert rows["on_site"].change_href == "/assessment/cycles/7/edit/"
