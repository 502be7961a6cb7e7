"""Building the case-tracking list: a stratified, reproducible sample of the population.

Strata are (dimension, value) pairs. For the categorical dimensions (age band, primary support
reason, setting, locality) every value present in the population is a stratum; for the flags
(unpaid carer, transition, safeguarding) the stratum is "yes". The list is built in two passes:

1. cover: repeatedly take the person who covers the most strata not yet in the list, so every
   stratum the population has is present (as long as the list is big enough to hold them);
2. fill: take people whose strata are least represented so far, to spread the rest of the list.

Ties are broken by a seeded shuffle of the people sorted by person id, so the same population
and seed always give the same list, whatever order the rows came in.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from careassure.core.casetracking.errors import SamplingError
from careassure.core.casetracking.population import Person

DEFAULT_LIST_SIZE = 50
DEFAULT_CQC_SELECTS = 10

# (lower age, label), youngest first; the last band is open-ended.
DEFAULT_AGE_BANDS: tuple[tuple[int, str], ...] = (
    (18, "18 to 24"),
    (25, "25 to 64"),
    (65, "65 to 74"),
    (75, "75 to 84"),
    (85, "85 and over"),
)


def age_band(age: int, bands: Sequence[tuple[int, str]] = DEFAULT_AGE_BANDS) -> str:
    """The label of the band the age falls in."""
    if not bands or age < bands[0][0]:
        raise SamplingError(f"age {age} is below the youngest age band")
    label = bands[0][1]
    for lower, band_label in bands:
        if age >= lower:
            label = band_label
    return label


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    value: Callable[[Person], str | None]


def default_dimensions(
    bands: Sequence[tuple[int, str]] = DEFAULT_AGE_BANDS,
) -> tuple[Dimension, ...]:
    def flag(attr: str) -> Callable[[Person], str | None]:
        return lambda p: "yes" if getattr(p, attr) else None

    return (
        Dimension("age_band", "Age band", lambda p: age_band(p.age, bands)),
        Dimension(
            "primary_support_reason", "Primary support reason", lambda p: p.primary_support_reason
        ),
        Dimension("setting", "Setting", lambda p: p.setting),
        Dimension("locality", "Locality", lambda p: p.locality),
        Dimension("unpaid_carer", "Has an unpaid carer", flag("unpaid_carer")),
        Dimension("transition", "In transition from children's services", flag("transition")),
        Dimension("safeguarding", "Safeguarding involvement", flag("safeguarding")),
    )


@dataclass(frozen=True)
class StratumCoverage:
    dimension: str
    dimension_title: str
    value: str
    in_population: int
    in_list: int

    @property
    def covered(self) -> bool:
        return self.in_list > 0


@dataclass(frozen=True)
class CaseListResult:
    people: tuple[Person, ...]
    coverage: tuple[StratumCoverage, ...]
    population_size: int
    seed: int

    @property
    def missing(self) -> tuple[StratumCoverage, ...]:
        return tuple(c for c in self.coverage if not c.covered)


def _strata(person: Person, dimensions: Sequence[Dimension]) -> frozenset[tuple[str, str]]:
    pairs = set()
    for dim in dimensions:
        value = dim.value(person)
        if value is not None:
            pairs.add((dim.key, value))
    return frozenset(pairs)


def build_case_list(
    people: Sequence[Person],
    *,
    seed: int,
    size: int = DEFAULT_LIST_SIZE,
    dimensions: Sequence[Dimension] | None = None,
) -> CaseListResult:
    """Choose `size` people (all of them if there are fewer) covering every stratum."""
    if size < 1:
        raise SamplingError("the list size must be at least 1")
    ids = [p.person_id for p in people]
    if len(ids) != len(set(ids)):
        raise SamplingError("person ids must be unique")
    dims = tuple(dimensions) if dimensions is not None else default_dimensions()
    order = sorted(people, key=lambda p: p.person_id)
    random.Random(seed).shuffle(order)
    strata = {p.person_id: _strata(p, dims) for p in order}
    population_counts: Counter[tuple[str, str]] = Counter()
    for pairs in strata.values():
        population_counts.update(pairs)

    chosen: list[Person] = []
    remaining = list(order)
    uncovered = set(population_counts)
    # Pass 1: greedy set cover, first in shuffled order wins ties.
    while uncovered and len(chosen) < size and remaining:
        best_index, best_gain = -1, 0
        for index, person in enumerate(remaining):
            gain = len(strata[person.person_id] & uncovered)
            if gain > best_gain:
                best_index, best_gain = index, gain
        if best_index < 0:
            break
        person = remaining.pop(best_index)
        chosen.append(person)
        uncovered -= strata[person.person_id]
    # Pass 2: spread the rest, favouring people from the least represented strata.
    list_counts: Counter[tuple[str, str]] = Counter()
    for person in chosen:
        list_counts.update(strata[person.person_id])
    while len(chosen) < size and remaining:
        best_index, best_score = 0, -1.0
        for index, person in enumerate(remaining):
            pairs = strata[person.person_id]
            score = sum(1.0 / (1 + list_counts[pair]) for pair in pairs) / max(len(pairs), 1)
            if score > best_score:
                best_index, best_score = index, score
        person = remaining.pop(best_index)
        chosen.append(person)
        list_counts.update(strata[person.person_id])

    titles = {d.key: d.title for d in dims}
    dim_order = {d.key: i for i, d in enumerate(dims)}
    coverage = tuple(
        StratumCoverage(
            dimension=key,
            dimension_title=titles[key],
            value=value,
            in_population=population_counts[(key, value)],
            in_list=list_counts[(key, value)],
        )
        for key, value in sorted(population_counts, key=lambda kv: (dim_order[kv[0]], kv[1]))
    )
    return CaseListResult(
        people=tuple(chosen), coverage=coverage, population_size=len(people), seed=seed
    )
