"""Synthetic operational extracts for a large two-tier county (demo and tests only).

Everything here is synthetic: the council code, locality and hub names, identifiers
(``SYN-...``) and every event. The data is shaped after the findings of CQC's assessment
of Kent (seeds/cqc-press-release-kent-2025-05-23.txt) so the demo shows them:

* one safeguarding hub (``East hub``, coastal) where screening that should take 24 hours
  takes up to about 10 days, and gets worse over the last months;
* a few hundred safeguarding concerns awaiting completion at the end date, most of them a
  few days old and a long tail of over 200 days;
* waiting lists for assessment, review, occupational therapy, carers' assessments and
  safeguarding, with longer waits in coastal localities than inland ones;
* about 72% of front-door contacts resolved without a full assessment;
* hundreds of people in hospital after the day they were ready to leave.

Volumes scale with ``people`` (the number of people in the synthetic county's adult social
care records, from whom pseudonymous references are drawn); the shapes above hold at the
default scale of 10,000. The same arguments always give byte-identical files.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from careassure.core.cld.synthetic import SYNTHETIC_LA_CODE
from careassure.core.kpis.extracts import (
    CONTACTS,
    HOSPITAL_DISCHARGES,
    SAFEGUARDING,
    WAITING_LISTS,
    ExtractSpec,
)

# The same synthetic council as the synthetic CLD files, over the last 18 months of their
# timeline (April 2023 to March 2026).
DEFAULT_LA_CODE = SYNTHETIC_LA_CODE
DEFAULT_END = date(2026, 3, 31)
REFERENCE_PEOPLE = 10_000


@dataclass(frozen=True, slots=True)
class _Locality:
    name: str
    coastal: bool
    hub: str
    weight: float


LOCALITIES: tuple[_Locality, ...] = (
    _Locality("Bayview", True, "East hub", 1.1),
    _Locality("Cliffport", True, "East hub", 1.0),
    _Locality("Harbourside", True, "South hub", 0.9),
    _Locality("Saltmarsh", True, "North hub", 0.8),
    _Locality("Ashvale", False, "South hub", 1.2),
    _Locality("Downsmere", False, "West hub", 1.0),
    _Locality("Oakfield", False, "West hub", 1.1),
    _Locality("Riverbridge", False, "North hub", 0.9),
)
SLOW_HUB = "East hub"

# Daily volumes at the reference scale (REFERENCE_PEOPLE people).
CONCERNS_PER_DAY = 110.0
CONTACTS_PER_DAY = 60.0
READY_TO_LEAVE_PER_DAY = 50.0
# list type -> (new entries per day, mean wait in days inland; coastal waits are longer)
WAITING = {
    "assessment": (12.0, 75.0),
    "review": (10.0, 90.0),
    "occupational_therapy": (6.0, 60.0),
    "carers_assessment": (3.0, 50.0),
    "safeguarding": (2.0, 30.0),
}
COASTAL_WAIT_FACTOR = 1.5
# Contact outcomes and their probabilities (72% resolved without a full assessment).
CONTACT_OUTCOMES = (
    ("information_and_advice", 0.34),
    ("signposted_to_community", 0.24),
    ("minor_equipment", 0.14),
    ("referred_for_full_assessment", 0.25),
    ("other", 0.03),
)
# pathway -> (share, mean days from ready to leave to discharge)
PATHWAYS = {0: (0.45, 0.5), 1: (0.27, 5.0), 2: (0.16, 15.0), 3: (0.12, 28.0)}


def generate_operational(
    *,
    people: int,
    seed: int,
    out_dir: Path,
    la_code: str = DEFAULT_LA_CODE,
    months: int = 18,
    end: date = DEFAULT_END,
) -> list[Path]:
    """Write the four synthetic extracts into ``out_dir`` and return their paths.

    The extracts cover ``months`` whole calendar months ending with the month of ``end``;
    KPIs are meant to be read as at ``end`` (default 31 March 2026).
    """
    if people < 10:
        raise ValueError("people must be at least 10")
    if months < 1:
        raise ValueError("months must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    scale = people / REFERENCE_PEOPLE
    start = _month_start(end, months - 1)
    gen = _Generator(random.Random(seed), people, scale, la_code, start, end)
    written = []
    for spec, rows in (
        (SAFEGUARDING, gen.concerns()),
        (WAITING_LISTS, gen.waiting_lists()),
        (CONTACTS, gen.contacts()),
        (HOSPITAL_DISCHARGES, gen.discharges()),
    ):
        written.append(_write(out_dir / spec.file_name, spec, rows))
    return written


def _month_start(d: date, back: int) -> date:
    index = d.year * 12 + d.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _write(path: Path, spec: ExtractSpec, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([c.name for c in spec.columns])
        writer.writerows(rows)
    return path


class _Generator:
    def __init__(
        self, rng: random.Random, people: int, scale: float, la: str, start: date, end: date
    ) -> None:
        self.rng = rng
        self.people = people
        self.scale = scale
        self.la = la
        self.start = start
        self.end = end
        self.days = (end - start).days + 1
        self.weights = [loc.weight for loc in LOCALITIES]

    def _locality(self) -> _Locality:
        return self.rng.choices(LOCALITIES, weights=self.weights)[0]

    def _person(self) -> str:
        return f"SYN-P{self.rng.randrange(self.people):06d}"

    def _poisson(self, mean: float) -> int:
        # Knuth's method for small means; normal approximation above 30.
        if mean > 30:
            return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def concerns(self) -> list[list[str]]:
        rows: list[list[str]] = []
        number = 0
        for day_index in range(self.days):
            day = self.start + timedelta(days=day_index)
            progress = day_index / max(1, self.days - 1)
            for _ in range(self._poisson(CONCERNS_PER_DAY * self.scale)):
                number += 1
                loc = self._locality()
                received = datetime.combine(day, time(0, 0)) + timedelta(
                    minutes=self.rng.randrange(8 * 60, 18 * 60)
                )
                if loc.hub == SLOW_HUB and self.rng.random() < 0.2 + 0.25 * progress:
                    screen_hours = self.rng.uniform(24.5, 239.0)
                else:
                    screen_hours = self.rng.expovariate(1 / 5.0)
                screened: datetime | None = received + timedelta(minutes=round(screen_hours * 60))
                roll = self.rng.random()
                decision = (
                    "no_further_action"
                    if roll < 0.55
                    else "s42_enquiry"
                    if roll < 0.85
                    else "other_enquiry"
                )
                if self.rng.random() < 0.008:
                    close_days = self.rng.uniform(20, 260)
                else:
                    close_days = self.rng.expovariate(1 / 2.5)
                assert screened is not None
                completed: date | None = (screened + timedelta(days=close_days)).date()
                enquiry: date | None = None
                if decision != "no_further_action":
                    enquiry = screened.date() + timedelta(days=self.rng.randrange(0, 4))
                cutoff = datetime.combine(self.end, time(23, 59))
                if screened > cutoff:
                    screened, decision, enquiry = None, "", None
                if enquiry is not None and enquiry > self.end:
                    enquiry = None
                if completed is not None and completed > self.end:
                    completed = None
                rows.append(
                    [
                        self.la,
                        f"SYN-C{number:07d}",
                        received.isoformat(timespec="minutes"),
                        screened.isoformat(timespec="minutes") if screened else "",
                        decision,
                        enquiry.isoformat() if enquiry else "",
                        completed.isoformat() if completed else "",
                        loc.hub,
                        loc.name,
                    ]
                )
        return rows

    def waiting_lists(self) -> list[list[str]]:
        # Simulate entries from a year before the first month so the first snapshot is full.
        lead_in = 365
        entries: list[tuple[str, str, date, date, str, str]] = []
        for day_index in range(-lead_in, self.days):
            day = self.start + timedelta(days=day_index)
            growth = 1 + 0.25 * max(0, day_index) / self.days
            for list_type, (per_day, mean_wait) in WAITING.items():
                for _ in range(self._poisson(per_day * self.scale * growth)):
                    loc = self._locality()
                    wait = mean_wait * (COASTAL_WAIT_FACTOR if loc.coastal else 1.0)
                    leaves = day + timedelta(days=1 + int(self.rng.expovariate(1 / wait)))
                    priority = self.rng.choices(("high", "medium", "low"), weights=(0.2, 0.5, 0.3))[
                        0
                    ]
                    entries.append((self._person(), list_type, day, leaves, loc.name, priority))
        rows: list[list[str]] = []
        snapshot = _month_start(self.start, -1) - timedelta(days=1)
        while snapshot <= self.end:
            seen: set[tuple[str, str]] = set()
            for person, list_type, added, leaves, locality, priority in entries:
                if added <= snapshot < leaves and (person, list_type) not in seen:
                    seen.add((person, list_type))
                    rows.append(
                        [
                            self.la,
                            snapshot.isoformat(),
                            person,
                            list_type,
                            added.isoformat(),
                            locality,
                            priority,
                        ]
                    )
            snapshot = _month_start(snapshot, -2) - timedelta(days=1)
        return rows

    def contacts(self) -> list[list[str]]:
        outcomes = [o for o, _ in CONTACT_OUTCOMES]
        weights = [w for _, w in CONTACT_OUTCOMES]
        rows: list[list[str]] = []
        number = 0
        for day_index in range(self.days):
            day = self.start + timedelta(days=day_index)
            for _ in range(self._poisson(CONTACTS_PER_DAY * self.scale)):
                number += 1
                loc = self._locality()
                outcome = self.rng.choices(outcomes, weights=weights)[0]
                rows.append([self.la, f"SYN-K{number:07d}", day.isoformat(), loc.name, outcome])
        return rows

    def discharges(self) -> list[list[str]]:
        pathways = list(PATHWAYS)
        shares = [PATHWAYS[p][0] for p in pathways]
        rows: list[list[str]] = []
        seen: set[tuple[str, date]] = set()
        for day_index in range(self.days):
            day = self.start + timedelta(days=day_index)
            for _ in range(self._poisson(READY_TO_LEAVE_PER_DAY * self.scale)):
                loc = self._locality()
                pathway = self.rng.choices(pathways, weights=shares)[0]
                mean = PATHWAYS[pathway][1] * (1.4 if loc.coastal else 1.0)
                delay = int(self.rng.expovariate(1 / mean))
                left: date | None = day + timedelta(days=delay)
                if left is not None and left > self.end:
                    left = None
                person = self._person()
                if (person, day) in seen:
                    continue
                seen.add((person, day))
                rows.append(
                    [
                        self.la,
                        person,
                        day.isoformat(),
                        left.isoformat() if left else "",
                        str(pathway),
                        loc.name,
                    ]
                )
        return rows
