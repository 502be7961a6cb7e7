"""A reproducible synthetic population, for the demo and for tests. Every person is invented."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence

from careassure.core.casetracking.population import COLUMN_NAMES, Person

KENT_LOCALITIES: tuple[str, ...] = (
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
)
PRIMARY_SUPPORT_REASONS: tuple[str, ...] = (
    "Physical support",
    "Sensory support",
    "Support with memory and cognition",
    "Learning disability support",
    "Mental health support",
    "Social support",
)
SETTINGS: tuple[str, ...] = ("Community", "Residential care", "Nursing care")
COMMUNITY_SERVICES: tuple[str, ...] = (
    "Home care",
    "Direct payment",
    "Day services",
    "Supported living",
    "Reablement",
)
GENDERS: tuple[str, ...] = ("Female", "Male")
ETHNICITIES: tuple[str, ...] = (
    "White British",
    "White other",
    "Asian or Asian British",
    "Black or Black British",
    "Mixed or multiple",
    "Other ethnic group",
)


def synthetic_population(
    n: int,
    *,
    seed: int,
    localities: Sequence[str] = KENT_LOCALITIES,
    extract_date: dt.date = dt.date(2024, 7, 1),
) -> list[Person]:
    """`n` invented people with ids SYN00001..; the same seed gives the same people."""
    rng = random.Random(seed)
    people = []
    for index in range(1, n + 1):
        transition = rng.random() < 0.04
        age = (
            rng.randint(18, 20)
            if transition
            else rng.choice(
                [rng.randint(18, 64), rng.randint(65, 84), rng.randint(65, 84), rng.randint(85, 99)]
            )
        )
        setting = rng.choices(SETTINGS, weights=(70, 20, 10))[0]
        service = rng.choice(COMMUNITY_SERVICES) if setting == "Community" else setting
        first = extract_date - dt.timedelta(days=rng.randint(60, 2000))
        assessed = first + dt.timedelta(days=rng.randint(1, 50))
        reviewed = (
            assessed + dt.timedelta(days=rng.randint(30, 400)) if rng.random() < 0.7 else None
        )
        if reviewed is not None and reviewed > extract_date:
            reviewed = None
        people.append(
            Person(
                person_id=f"SYN{index:05d}",
                age=age,
                gender=rng.choice(GENDERS),
                ethnicity=rng.choices(ETHNICITIES, weights=(80, 6, 6, 3, 3, 2))[0],
                primary_support_reason=rng.choices(
                    PRIMARY_SUPPORT_REASONS, weights=(45, 5, 15, 15, 15, 5)
                )[0],
                service_type=service,
                setting=setting,
                locality=rng.choice(localities),
                unpaid_carer=rng.random() < 0.35,
                transition=transition,
                safeguarding=rng.random() < 0.08,
                first_contact_date=first,
                assessment_date=assessed,
                last_review_date=reviewed,
            )
        )
    return people


def population_csv(people: Sequence[Person]) -> str:
    """The people as a CSV in the import format (docs/case-tracking.md)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    for p in people:
        writer.writerow(
            [
                p.person_id,
                p.age,
                p.gender,
                p.ethnicity,
                p.primary_support_reason,
                p.service_type,
                p.setting,
                p.locality,
                "yes" if p.unpaid_carer else "no",
                "yes" if p.transition else "no",
                "yes" if p.safeguarding else "no",
                p.first_contact_date.isoformat(),
                p.assessment_date.isoformat() if p.assessment_date else "",
                p.last_review_date.isoformat() if p.last_review_date else "",
            ]
        )
    return out.getvalue()
