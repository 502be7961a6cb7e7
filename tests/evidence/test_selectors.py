from __future__ import annotations

import datetime as dt

import time_machine

from careassure.evidence.selectors import evidence_list, evidence_readiness_facts
from tests.evidence.conftest import make_link_item

TODAY = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def test_stale_means_past_review_by_or_older_than_365_days(kent, contributor):
    with time_machine.travel(TODAY, tick=False):
        # 1 June 2025 minus 365 days is 1 June 2024: as at 31 May 2024 is stale, 1 June is not.
        old = make_link_item(kent, contributor, title="Old", as_at=dt.date(2024, 5, 31))
        edge = make_link_item(kent, contributor, title="Edge", as_at=dt.date(2024, 6, 1))
        review = make_link_item(
            kent,
            contributor,
            title="Review due",
            as_at=dt.date(2025, 1, 1),
            review_by=dt.date(2025, 5, 31),
        )
        fresh = make_link_item(
            kent,
            contributor,
            title="Fresh",
            as_at=dt.date(2025, 5, 1),
            review_by=dt.date(2025, 6, 1),
        )
        stale = {i.title for i in evidence_list(org=kent, stale=True)}
        current = {i.title for i in evidence_list(org=kent, stale=False)}
    assert stale == {old.title, review.title}
    assert current == {edge.title, fresh.title}


def test_stale_age_is_configurable(kent, contributor, settings):
    settings.CAREASSURE_EVIDENCE_STALE_DAYS = 30
    with time_machine.travel(TODAY, tick=False):
        # 1 June 2025 minus 30 days is 2 May 2025.
        make_link_item(kent, contributor, title="A", as_at=dt.date(2025, 5, 1))
        make_link_item(kent, contributor, title="B", as_at=dt.date(2025, 5, 2))
        assert [i.title for i in evidence_list(org=kent, stale=True)] == ["A"]


def test_filters_by_qs_category_and_tag(kent, contributor):
    make_link_item(
        kent,
        contributor,
        title="Survey",
        qs_ids=["qs1"],
        categories=["people-experience"],
        tags=["survey"],
    )
    make_link_item(
        kent,
        contributor,
        title="Partners",
        qs_ids=["qs1", "qs5"],
        categories=["partners", "processes"],
        tags=["partners"],
    )
    assert [i.title for i in evidence_list(org=kent, qs_id="qs5")] == ["Partners"]
    assert [i.title for i in evidence_list(org=kent, qs_id="qs1")] == ["Partners", "Survey"]
    assert [i.title for i in evidence_list(org=kent, category_id="people-experience")] == ["Survey"]
    assert [i.title for i in evidence_list(org=kent, tag="partners")] == ["Partners"]


def test_list_never_shows_another_councils_items(
    kent, staffordshire, contributor, other_council_user
):
    make_link_item(staffordshire, other_council_user, title="Staffordshire strategy")
    assert list(evidence_list(org=kent)) == []


def test_readiness_facts_per_quality_statement(
    kent, staffordshire, contributor, other_council_user
):
    with time_machine.travel(TODAY, tick=False):
        # QS1: a current people's-experience survey and a stale partners item (as at 2023).
        make_link_item(
            kent,
            contributor,
            title="Survey",
            qs_ids=["qs1", "qs2"],
            categories=["people-experience"],
            as_at=dt.date(2025, 3, 1),
        )
        make_link_item(
            kent,
            contributor,
            title="Old partners",
            qs_ids=["qs1"],
            categories=["partners", "processes"],
            as_at=dt.date(2023, 1, 1),
        )
        # QS2: the survey above plus a current partners item.
        make_link_item(
            kent,
            contributor,
            title="Partners",
            qs_ids=["qs2"],
            categories=["partners"],
            as_at=dt.date(2025, 4, 1),
        )
        # Another council's item must not count.
        make_link_item(
            staffordshire,
            other_council_user,
            title="Elsewhere",
            qs_ids=["qs1"],
            categories=["people-experience"],
            as_at=dt.date(2025, 4, 1),
        )
        facts = evidence_readiness_facts(org=kent)
    assert sorted(facts) == [f"qs{n}" for n in range(1, 10)]
    qs1 = facts["qs1"]
    assert (qs1.total, qs1.stale) == (2, 1)
    assert qs1.counts_by_category == {
        "people-experience": 1,
        "staff-leaders": 0,
        "partners": 1,
        "processes": 1,
    }
    assert qs1.has_people_experience is True
    assert qs1.has_partner_feedback is False  # the only partners item is stale
    qs2 = facts["qs2"]
    assert (qs2.total, qs2.stale, qs2.has_people_experience, qs2.has_partner_feedback) == (
        2,
        0,
        True,
        True,
    )
    qs9 = facts["qs9"]
    assert (qs9.total, qs9.has_people_experience) == (0, False)
