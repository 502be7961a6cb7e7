import copy
import datetime as dt

import pytest

from careassure.core.improvement import (
    DateParseError,
    canonical_json,
    diff_snapshots,
    parse_uk_date,
    snapshot_hash,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("03/04/2025", dt.date(2025, 4, 3), id="day_first"),
        pytest.param("3/4/25", dt.date(2025, 4, 3), id="short_year"),
        pytest.param("31-07-2025", dt.date(2025, 7, 31), id="dashes"),
        pytest.param("31.07.2025", dt.date(2025, 7, 31), id="dots"),
        pytest.param("31 July 2025", dt.date(2025, 7, 31), id="words"),
        pytest.param("1st Sept 2025", dt.date(2025, 9, 1), id="ordinal_abbrev"),
        pytest.param("2025-07-31", dt.date(2025, 7, 31), id="iso"),
    ],
)
def test_uk_dates(text: str, expected: dt.date) -> None:
    assert parse_uk_date(text) == expected


def test_not_a_real_date() -> None:
    with pytest.raises(DateParseError, match="'31/02/2025' is not a real date"):
        parse_uk_date("31/02/2025")


def test_american_words_are_refused_with_the_formats() -> None:
    with pytest.raises(DateParseError, match="'July 31 2025' is not a date: use a format like"):
        parse_uk_date("July 31 2025")


BEFORE = {
    "schema": 1,
    "period": "2025-08",
    "as_at": "2025-08-31",
    "actions": [
        {
            "ref": "A01",
            "title": "Cut waiting lists",
            "status": "on_track",
            "rag": "green",
            "percent_complete": 20,
            "milestones": [
                {"title": "Triage team", "due_date": "2025-09-10", "status": "in_progress"}
            ],
            "kpis": [{"name": "Waiting", "value": "1200", "rag": "red"}],
        },
        {
            "ref": "A02",
            "title": "Old action",
            "status": "on_track",
            "rag": "green",
            "percent_complete": 0,
            "milestones": [],
            "kpis": [],
        },
    ],
}


def test_diff_finds_every_kind_of_change() -> None:
    after = copy.deepcopy(BEFORE)
    after["period"], after["as_at"] = "2025-09", "2025-09-30"
    a01 = after["actions"][0]
    a01.update(status="at_risk", rag="amber", percent_complete=35)
    a01["kpis"][0].update(value="1100", rag="amber")
    after["actions"] = [
        a01,
        {
            "ref": "A03",
            "title": "New action",
            "status": "not_started",
            "rag": "green",
            "percent_complete": 0,
            "milestones": [],
            "kpis": [],
        },
    ]
    diff = diff_snapshots(BEFORE, after)
    assert [a.ref for a in diff.added] == ["A03"]
    assert [a.ref for a in diff.removed] == ["A02"]
    assert [(c.field, c.before, c.after) for c in diff.changes] == [
        ("status", "on_track", "at_risk"),
        ("rag", "green", "amber"),
        ("percent_complete", 20, 35),
    ]
    # Triage team was due 10 Sep: not late at 31 Aug, late at 30 Sep.
    assert [(m.ref, m.milestone) for m in diff.new_late_milestones] == [("A01", "Triage team")]
    assert [(k.kpi, k.before, k.after, k.rag_after) for k in diff.kpi_moves] == [
        ("Waiting", "1200", "1100", "amber")
    ]
    assert not diff.is_empty


def test_diff_of_a_snapshot_with_itself_is_empty() -> None:
    assert diff_snapshots(BEFORE, BEFORE).is_empty


def test_hash_ignores_key_order_but_not_values() -> None:
    reordered = dict(reversed(list(BEFORE.items())))
    assert snapshot_hash(reordered) == snapshot_hash(BEFORE)
    changed = copy.deepcopy(BEFORE)
    changed["actions"][0]["percent_complete"] = 21
    assert snapshot_hash(changed) != snapshot_hash(BEFORE)
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
