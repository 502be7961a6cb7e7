from __future__ import annotations

import datetime as dt
import random

import pytest

from careassure.core.casetracking import Person, SamplingError, age_band, build_case_list
from careassure.core.casetracking.synthetic import synthetic_population


def person(pid: str, age: int, psr: str, setting: str, locality: str, **flags: bool) -> Person:
    return Person(
        person_id=pid,
        age=age,
        gender="Female",
        ethnicity="White British",
        primary_support_reason=psr,
        service_type="Home care",
        setting=setting,
        locality=locality,
        unpaid_carer=flags.get("carer", False),
        transition=flags.get("transition", False),
        safeguarding=flags.get("safeguarding", False),
        first_contact_date=dt.date(2023, 1, 1),
        assessment_date=None,
        last_review_date=None,
    )


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (18, "18 to 24"),
        (24, "18 to 24"),
        (25, "25 to 64"),
        (64, "25 to 64"),
        (65, "65 to 74"),
        (84, "75 to 84"),
        (85, "85 and over"),
        (104, "85 and over"),
    ],
)
def test_age_bands(age: int, band: str) -> None:
    assert age_band(age) == band


def test_age_below_the_youngest_band_is_refused() -> None:
    with pytest.raises(SamplingError):
        age_band(17)


def test_hand_worked_small_population() -> None:
    # 10 strata: ages 25-64 and 85+, PSR physical and mental health, community and residential,
    # Ashford and Dover, carer and safeguarding. P1 and P3 cover 5 each; P2 and P4 cover 4, all
    # already covered by P1/P3. Greedy picks P1 or P3 first (seeded tie), then the other.
    people = [
        person("P1", 30, "Physical support", "Community", "Ashford", carer=True),
        person("P2", 31, "Physical support", "Community", "Ashford"),
        person("P3", 90, "Mental health support", "Residential care", "Dover", safeguarding=True),
        person("P4", 91, "Mental health support", "Residential care", "Dover"),
    ]
    for seed in range(5):
        result = build_case_list(people, seed=seed, size=2)
        assert sorted(p.person_id for p in result.people) == ["P1", "P3"]
        assert result.missing == ()
    coverage = {(c.dimension, c.value): (c.in_population, c.in_list) for c in result.coverage}
    assert coverage[("locality", "Ashford")] == (2, 1)
    assert coverage[("unpaid_carer", "yes")] == (1, 1)
    assert len(coverage) == 10


def test_same_seed_same_list_whatever_the_row_order() -> None:
    people = synthetic_population(400, seed=7)
    shuffled = list(people)
    random.Random(99).shuffle(shuffled)
    first = build_case_list(people, seed=2024, size=50)
    again = build_case_list(shuffled, seed=2024, size=50)
    assert [p.person_id for p in first.people] == [p.person_id for p in again.people]
    other = build_case_list(people, seed=2025, size=50)
    assert {p.person_id for p in other.people} != {p.person_id for p in first.people}


def test_every_stratum_in_the_population_is_in_the_list() -> None:
    people = synthetic_population(400, seed=11)
    # One person in a locality nobody else lives in, and the only transition case.
    people = [p for p in people if not p.transition]
    people.append(
        person("RARE1", 19, "Sensory support", "Nursing care", "Isle of Sheppey", transition=True)
    )
    result = build_case_list(people, seed=1, size=50)
    assert len(result.people) == 50
    assert len({p.person_id for p in result.people}) == 50
    assert result.missing == ()
    assert "RARE1" in {p.person_id for p in result.people}
    dims = {c.dimension for c in result.coverage}
    assert dims == {
        "age_band",
        "primary_support_reason",
        "setting",
        "locality",
        "unpaid_carer",
        "transition",
        "safeguarding",
    }
    # All 12 Kent districts plus the extra locality are covered.
    assert sum(1 for c in result.coverage if c.dimension == "locality") == 13


def test_smaller_population_than_list_size_takes_everyone() -> None:
    people = synthetic_population(12, seed=3)
    result = build_case_list(people, seed=1, size=50)
    assert len(result.people) == 12


def test_list_too_small_to_cover_everything_reports_missing_strata() -> None:
    people = [person(f"P{i}", 30, "Physical support", "Community", f"Town {i}") for i in range(5)]
    result = build_case_list(people, seed=1, size=2)
    assert len(result.people) == 2
    assert len(result.missing) == 3
    assert {c.dimension for c in result.missing} == {"locality"}


def test_bad_settings_are_refused() -> None:
    with pytest.raises(SamplingError, match="at least 1"):
        build_case_list([], seed=1, size=0)
    p = person("P1", 30, "Physical support", "Community", "Ashford")
    with pytest.raises(SamplingError, match="unique"):
        build_case_list([p, p], seed=1)
