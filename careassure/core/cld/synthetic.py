"""A reproducible synthetic county for demonstrations and benchmarks.

`generate_cld` draws people and their care journeys with NumPy from one seed and writes one CLD
file per financial year (2024/25 in Release 1 wording, 2025/26 in Release 2 wording). Every
file name starts `SYNTHETIC_` and a README in the output folder says the data are invented.

Journeys are chosen so that every CLD-derived ASCOF measure has data: reablement episodes with
each kind of sequel (2A), new residential and nursing admissions at 18-64 and 65+ (2B, 2C),
long-term community support at home (2E), and direct payments and managed budgets for clients
and carers (3D).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

from careassure.core.cld.spec import FIELDS, codelists

SYNTHETIC_LA_CODE = "999"
SYNTHETIC_LA_NAME = "Synthetic County Council"
SYNTHETIC_ONS_CODE = "E10999999"
EPOCH = dt.date(1970, 1, 1)
TIMELINE_START = dt.date(2023, 4, 1)
TIMELINE_END = dt.date(2026, 3, 31)
PERIODS = (
    (dt.date(2024, 4, 1), dt.date(2025, 3, 31), "R1"),
    (dt.date(2025, 4, 1), dt.date(2026, 3, 31), "R2"),
)
# name, coastal, postcode district (ZZ is not a real postcode area)
LOCALITIES = (
    ("Saltmarsh Bay", True, "ZZ1"),
    ("Gullhaven", True, "ZZ2"),
    ("Shingle Point", True, "ZZ3"),
    ("Cliffend", True, "ZZ4"),
    ("Harbourside", True, "ZZ5"),
    ("Oakridge", False, "ZZ6"),
    ("Millford Downs", False, "ZZ7"),
    ("Hopfield", False, "ZZ8"),
    ("Weald Cross", False, "ZZ9"),
    ("Orchard Vale", False, "ZZ10"),
    ("Chalkstone", False, "ZZ11"),
    ("Kingsmere", False, "ZZ12"),
)
FIRST_NAMES = ("Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Morgan", "Jamie", "Lee", "Kim")
LAST_NAMES = ("Example", "Sample", "Testperson", "Placeholder", "Fictional", "Madeup")
ETHNICITIES = (
    ("White: English, Welsh, Scottish, Northern Irish or British", 0.82),
    ("White: Any other White background", 0.05),
    ("Asian or Asian British: Indian", 0.03),
    ("Black, Black British, Caribbean or African: African", 0.02),
    ("Mixed or multiple ethnic groups: White and Asian", 0.02),
    ("White: Irish", 0.01),
    ("Other ethnic group: Any other ethnic group", 0.01),
    ("No data: Undeclared or not known", 0.04),
)
PSRS = (
    ("Physical support: Personal care support", 0.55),
    ("Support with memory and cognition", 0.15),
    ("Learning disability support", 0.12),
    ("Mental health support", 0.10),
    ("Physical support: Access and mobility only", 0.05),
    ("Sensory support: Support for visual impairment", 0.03),
)
NONE = -(10**8)  # a missing date in the day-number arrays


@dataclass
class _Events:
    """Column arrays for events; dates are day numbers since 1970-01-01, NONE when blank."""

    person: list[npt.NDArray[np.int64]]
    cols: dict[str, list[npt.NDArray[np.str_] | npt.NDArray[np.int64]]]

    def add(self, person: npt.NDArray[np.int64], **values: object) -> None:
        n = len(person)
        if n == 0:
            return
        self.person.append(person)
        for name in self.cols:
            value = values.get(name)
            if name in ("start", "end"):
                arr: npt.NDArray[np.int64] | npt.NDArray[np.str_] = (
                    np.full(n, NONE, dtype=np.int64)
                    if value is None
                    else np.asarray(value, dtype=np.int64)
                )
            else:
                arr = (
                    np.full(n, "" if value is None else value, dtype=object)
                    if (value is None or isinstance(value, str))
                    else np.asarray(value, dtype=object)
                )
            self.cols[name].append(arr)


def _days(d: dt.date) -> int:
    return (d - EPOCH).days


def _nhs_numbers(rng: np.random.Generator, n: int) -> npt.NDArray[np.str_]:
    """`n` distinct 10-digit NHS numbers that pass the Modulus-11 check."""
    # Distinct 8-digit prefixes keep the numbers distinct whatever the ninth digit becomes.
    prefix = 40_000_000 + rng.choice(59_999_999, size=n, replace=False).astype(np.int64)
    body = prefix * 10 + rng.integers(0, 10, n)
    weights = np.arange(10, 1, -1)
    for _ in range(10):
        digits = (body[:, None] // 10 ** np.arange(8, -1, -1)) % 10
        check = (11 - (digits * weights).sum(axis=1) % 11) % 11
        ok = check != 10
        if ok.all():
            break
        # A check digit of 10 is invalid: move on to the next ninth digit.
        body = np.where(ok, body, prefix * 10 + (body % 10 + 1) % 10)
    numbers: npt.NDArray[np.str_] = (body * 10 + check).astype(str)
    return numbers


def _pick(
    rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int
) -> npt.NDArray[np.object_]:
    values = np.array([o[0] for o in options], dtype=object)
    weights = np.array([o[1] for o in options])
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def generate_cld(
    people: int,
    seed: int,
    out_dir: Path,
    *,
    la_code: str = SYNTHETIC_LA_CODE,
    la_name: str = SYNTHETIC_LA_NAME,
) -> list[Path]:
    """Write the synthetic county's CLD files into `out_dir`; return their paths."""
    if people < 10:
        raise ValueError("people must be at least 10")
    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0, t1 = _days(TIMELINE_START), _days(TIMELINE_END)

    # People.
    pid = np.arange(people, dtype=np.int64)
    older = rng.random(people) < 0.7
    age_at_t0 = np.where(older, rng.integers(65, 100, people), rng.integers(24, 64, people))
    dob = t0 - age_at_t0 * 365 - rng.integers(0, 365, people)
    locality = rng.integers(0, len(LOCALITIES), people)
    postcode = np.array(
        [
            f"{LOCALITIES[i][2]} {d}{a}{b}"
            for i, d, a, b in zip(
                locality,
                rng.integers(1, 10, people),
                rng.choice(list("ABDEFGHJ"), people),
                rng.choice(list("ABDEFGHJ"), people),
                strict=True,
            )
        ],
        dtype=object,
    )
    person = {
        "NHS Number": _nhs_numbers(rng, people).astype(object),
        "LA Person Unique Identifier": np.char.add("SYN", np.char.zfill(pid.astype(str), 7)),
        "First Name": np.array(FIRST_NAMES, dtype=object)[rng.integers(0, 10, people)],
        "Last Name": np.array(LAST_NAMES, dtype=object)[rng.integers(0, 6, people)],
        "Gender": np.where(rng.random(people) < 0.58, "Female", "Male").astype(object),
        "Ethnicity": _pick(rng, ETHNICITIES, people),
        "Postcode": postcode,
        "Primary Support Reason": _pick(rng, PSRS, people),
    }
    dod = np.full(people, NONE, dtype=np.int64)
    accommodation = np.where(
        rng.random(people) < 0.6,
        "Owner occupier or shared ownership scheme",
        "Tenant: Local authority or other social housing provider",
    ).astype(object)

    # Journeys: 0 information only, 1 reablement, 2 community support, 3 care home, 4 carer,
    # 5 long-standing community or care-home support from before the timeline.
    journey = rng.choice(6, size=people, p=[0.22, 0.25, 0.2, 0.08, 0.1, 0.15])
    ev = _Events(
        [],
        {
            k: []
            for k in (
                "type",
                "start",
                "end",
                "outcome",
                "route",
                "atype",
                "method",
                "stype",
                "comp",
                "dm",
                "reason",
                "achieved",
                "method_rev",
                "ctype",
                "cost",
            )
        },
    )
    su_ctype = "Service user"

    def request(
        who: npt.NDArray[np.int64],
        start: npt.NDArray[np.int64],
        outcome: str,
        ctype: str = su_ctype,
    ) -> npt.NDArray[np.int64]:
        end = start + rng.integers(0, 10, len(who))
        route = np.where(
            rng.random(len(who)) < 0.3, "Discharge from Hospital", "Community / Other route"
        ).astype(object)
        if ctype != su_ctype:
            route = np.full(len(who), "Community / Other route", dtype=object)
        ev.add(who, type="Request", start=start, end=end, outcome=outcome, route=route, ctype=ctype)
        return end

    def assessment(
        who: npt.NDArray[np.int64], start: npt.NDArray[np.int64], method: str, ctype: str = su_ctype
    ) -> npt.NDArray[np.int64]:
        end = start + rng.integers(5, 30, len(who))
        ev.add(
            who,
            type="Assessment",
            start=start,
            end=end,
            atype="Long term assessment",
            method=method,
            outcome="Progress to support planning or services",
            ctype=ctype,
        )
        return end

    def service(
        who: npt.NDArray[np.int64],
        start: npt.NDArray[np.int64],
        end: npt.NDArray[np.int64],
        stype: str,
        comp: object,
        dm: object,
        outcome: object,
        ctype: str = su_ctype,
    ) -> None:
        ev.add(
            who,
            type="Service",
            start=start,
            end=end,
            stype=stype,
            comp=comp,
            dm=dm,
            outcome=outcome,
            ctype=ctype,
            cost="Y",
        )

    def reviews(
        who: npt.NDArray[np.int64], first: npt.NDArray[np.int64], until: npt.NDArray[np.int64]
    ) -> None:
        when = first.copy()
        for _ in range(8):
            due = when <= np.minimum(until, t1)
            if due.any():
                w = who[due]
                ev.add(
                    w,
                    type="Review",
                    start=when[due],
                    end=when[due] + rng.integers(0, 20, len(w)),
                    reason="Planned",
                    achieved="Fully Met",
                    method_rev="Service user only",
                    outcome="Continuation of support or services",
                    ctype=su_ctype,
                )
            when = when + 365

    def community(who: npt.NDArray[np.int64], start: npt.NDArray[np.int64]) -> None:
        n = len(who)
        ends = np.where(rng.random(n) < 0.6, NONE, start + rng.integers(60, 500, n))
        ends = np.where(ends > t1, NONE, ends)
        draw = rng.random(n)
        dm = np.where(
            draw < 0.25,
            "Direct payment",
            np.where(draw < 0.4, "CASSR managed personal budget", "CASSR commissioned support"),
        ).astype(object)
        comp = np.where(draw < 0.25, "Direct payment", "Home support or domiciliary care").astype(
            object
        )
        outcome = np.where(
            ends == NONE,
            "Continuation of support or services",
            "NFA: Support ended for other reason",
        ).astype(object)
        service(who, start, ends, "Long term support: Community", comp, dm, outcome)
        reviews(who, start + rng.integers(300, 400, n), np.where(ends == NONE, t1, ends))

    def care_home(who: npt.NDArray[np.int64], start: npt.NDArray[np.int64]) -> None:
        n = len(who)
        nursing = rng.random(n) < 0.3
        stype = np.where(
            nursing, "Long term support: Nursing care", "Long term support: Residential care"
        ).astype(object)
        comp = np.where(nursing, "Long term nursing care", "Long term residential care").astype(
            object
        )
        accommodation[who] = np.where(nursing, "Registered nursing home", "Registered care home")
        die = rng.random(n) < 0.25
        death = start + rng.integers(30, 700, n)
        die &= death <= t1
        dod[who[die]] = death[die]
        ends = np.where(die, death, NONE)
        outcome = np.where(die, "NFA: Deceased", "Continuation of support or services").astype(
            object
        )
        for flag in (True, False):
            sel = nursing == flag
            service(
                who[sel],
                start[sel],
                ends[sel],
                str(stype[sel][0]) if sel.any() else "",
                comp[sel],
                "CASSR commissioned support",
                outcome[sel],
            )
        reviews(who, start + rng.integers(300, 400, n), np.where(die, death, t1))

    # 0: information and advice.
    who = pid[journey == 0]
    request(who, rng.integers(t0, t1 - 20, len(who)), "NFA: Information and advice or signposting")
    # 1: reablement and its sequels.
    who = pid[journey == 1]
    n = len(who)
    req_end = request(who, rng.integers(t0, t1 - 120, n), "Progress to reablement/ST-Max")
    r_start = req_end + rng.integers(0, 4, n)
    r_end = r_start + rng.integers(14, 43, n)
    sequel = rng.choice(6, size=n, p=[0.5, 0.2, 0.1, 0.1, 0.05, 0.05])
    outcomes = np.array(
        [
            "NFA: Support ended as planned",
            "Progress to support planning or services",
            "Progress to support planning or services",
            "Admitted to hospital",
            "Progress to support planning or services",
            "NFA: Deceased",
        ],
        dtype=object,
    )
    service(
        who,
        r_start,
        r_end,
        "Short term support: ST-Max",
        "Reablement",
        "CASSR commissioned support",
        outcomes[sequel],
    )
    follow = r_end + rng.integers(0, 6, n)
    community(who[sequel == 1], follow[sequel == 1])
    low = sequel == 2
    service(
        who[low],
        follow[low],
        follow[low] + 90,
        "Short term support: Ongoing low level",
        "Equipment",
        "CASSR commissioned support",
        "NFA: Support ended as planned",
    )
    care_home(who[sequel == 4], follow[sequel == 4])
    dod[who[sequel == 5]] = r_end[sequel == 5]
    # 2: assessed, then long-term support at home.
    who = pid[journey == 2]
    req_end = request(
        who, rng.integers(t0, t1 - 90, len(who)), "Progress to assessment, review or reassessment"
    )
    a_end = assessment(who, req_end, "Service user only")
    community(who, a_end + rng.integers(1, 15, len(who)))
    # 3: assessed, then admitted to a care home.
    who = pid[journey == 3]
    req_end = request(
        who, rng.integers(t0, t1 - 90, len(who)), "Progress to assessment, review or reassessment"
    )
    a_end = assessment(who, req_end, "Service user and carer")
    care_home(who, a_end + rng.integers(1, 15, len(who)))
    # 4: unpaid carers.
    who = pid[journey == 4]
    n = len(who)
    carer_ctype = "Unpaid carer"
    req_end = request(
        who,
        rng.integers(t0, t1 - 90, n),
        "Progress to assessment, review or reassessment",
        carer_ctype,
    )
    a_end = assessment(who, req_end, "Carer only", carer_ctype)
    draw = rng.random(n)
    dp = draw < 0.35
    service(
        who,
        a_end + 7,
        np.where(rng.random(n) < 0.5, NONE, a_end + 200),
        "Unpaid carer support: Direct to unpaid carer",
        np.where(dp, "Direct payment", "Unpaid carer respite").astype(object),
        np.where(
            dp,
            "Direct payment",
            np.where(draw < 0.55, "CASSR managed personal budget", "CASSR commissioned support"),
        ).astype(object),
        "Continuation of support or services",
        carer_ctype,
    )
    person["Primary Support Reason"][who] = "Social support: Support to unpaid carer"
    # 5: long-standing support that began before the timeline.
    who = pid[journey == 5]
    start = rng.integers(_days(dt.date(2019, 4, 1)), t0 - 30, len(who))
    home = rng.random(len(who)) < 0.75
    community(who[home], start[home])
    care_home(who[~home], start[~home])

    person_idx = np.concatenate(ev.person)
    events: dict[str, npt.NDArray[np.object_]] = {
        k: np.concatenate(v).astype(object) for k, v in ev.cols.items()
    }

    paths = []
    for p_start, p_end, release in PERIODS:
        paths.append(
            _write_period(
                out_dir,
                rng,
                la_code,
                person,
                dob,
                dod,
                accommodation,
                person_idx,
                events,
                _days(p_start),
                _days(p_end),
                p_start,
                p_end,
                release,
            )
        )
    _write_readme(out_dir, people, seed, la_code, la_name, paths)
    return paths


def _write_period(
    out_dir: Path,
    rng: np.random.Generator,
    la_code: str,
    person: dict[str, npt.NDArray[np.object_]],
    dob: npt.NDArray[np.int64],
    dod: npt.NDArray[np.int64],
    accommodation: npt.NDArray[np.object_],
    person_idx: npt.NDArray[np.int64],
    events: dict[str, npt.NDArray[np.object_]],
    ps: int,
    pe: int,
    p_start: dt.date,
    p_end: dt.date,
    release: str,
) -> Path:
    start = events["start"].astype(np.int64)
    end = events["end"].astype(np.int64)
    is_service = events["type"] == "Service"
    keep = np.where(
        is_service, (start <= pe) & ((end == NONE) | (end >= ps)), (end >= ps) & (end <= pe)
    )
    idx = np.nonzero(keep)[0]
    who = person_idx[idx]
    s_end = end[idx]
    open_now = (s_end > pe) | (s_end == NONE)
    outcome = np.where(
        open_now & is_service[idx], "Continuation of support or services", events["outcome"][idx]
    ).astype(object)
    s_end = np.where(open_now, NONE, s_end)
    death = dod[who]
    death = np.where(death > pe, NONE, death)
    carer = events["ctype"][idx] != "Service user"
    su = ~carer
    svc = is_service[idx]
    n = len(idx)
    age_end = (pe - dob[who]) / 365.25
    employment = np.where(su & (age_end < 65), "Unknown", "").astype(object)
    costed = svc & (events["dm"][idx] != "CASSR commissioned support")
    present = np.unique(person["LA Person Unique Identifier"][who[su]])
    linked_ids = np.where(carer, present[rng.integers(0, len(present), n)], "").astype(object)
    cols: dict[str, object] = {
        "LA Code": la_code,
        "Reporting Period Start Date": p_start.isoformat(),
        "Reporting Period End Date": p_end.isoformat(),
        "NHS Number": person["NHS Number"][who],
        "LA Person Unique Identifier": person["LA Person Unique Identifier"][who],
        "First Name": person["First Name"][who],
        "Last Name": person["Last Name"][who],
        "GP Practice Name": "",
        "GP Practice Code": "",
        "Gender": person["Gender"][who],
        "Ethnicity": person["Ethnicity"][who],
        "Date of Birth": dob[who],
        "Date of Death": death,
        "Client Type": events["ctype"][idx],
        "Primary Support Reason": person["Primary Support Reason"][who],
        "Postcode": person["Postcode"][who],
        "Accommodation Status": np.where(
            carer, "Owner occupier or shared ownership scheme", accommodation[who]
        ).astype(object),
        "Employment Status": employment,
        "Has Unpaid Carer": np.where(su, "No", "Unknown").astype(object),
        "Autism Spectrum Disorder (ASD)": "",
        "Visual Impairment": "",
        "Hearing Impairment": "",
        "Dementia": "",
        "Client Funding Status": np.where(su, "Fully social care funded", "").astype(object),
        "Event Type": events["type"][idx],
        "Event Reference": np.char.add("SYN-EV-", idx.astype(str)).astype(object),
        "Event Start Date": start[idx],
        "Event End Date": s_end,
        "Event Description": "",
        "Event Outcome": outcome,
        "Request: Route of Access": events["route"][idx],
        "Assessment Type": events["atype"][idx],
        "Eligible Needs Identified": "",
        "Method of Assessment": events["method"][idx],
        "Total Hrs Caring per week": "",
        "No. of adults being cared for": np.where(carer, "1", "").astype(object),
        "Adult 1 Linked Person_ID": linked_ids,
        "Adult 2 Linked Person_ID": "",
        "Adult 3 Linked Person_ID": "",
        "Service Type": events["stype"][idx],
        "Service Component": events["comp"][idx],
        "Delivery Mechanism": events["dm"][idx],
        "Provider CQC Location Name": "",
        "Provider CQC Location ID": "",
        "Review Reason": events["reason"][idx],
        "Review Outcomes Achieved": events["achieved"][idx],
        "Method of Review": events["method_rev"][idx],
        "Unit Cost": np.where(costed, "250.00", "").astype(object),
        "Cost Frequency (Unit Type)": np.where(costed, "Weekly", "").astype(object),
        "Planned units per week": np.where(costed, "1.00", "").astype(object),
    }
    if release == "R1":
        cols = _to_release_1(cols)
    data: dict[str, npt.NDArray[np.object_] | npt.NDArray[np.int64]] = {}
    for i, spec in enumerate(FIELDS):
        value = cols[spec.header]
        data[f"c{i}"] = (
            np.full(n, value, dtype=object) if isinstance(value, str) else np.asarray(value)
        )
    data["order_person"] = who
    data["order_start"] = start[idx]
    select = []
    for i, spec in enumerate(FIELDS):
        column = f"c{i}"
        if data[column].dtype.kind in "iu":
            expr = (
                f"CASE WHEN {column} <= {NONE} THEN NULL ELSE "
                f"strftime(DATE '1970-01-01' + {column}::INTEGER, '%Y-%m-%d') END"
            )
        else:
            expr = f"nullif({column}, '')"
        select.append(f'{expr} AS "{spec.header}"')
    name = f"SYNTHETIC_CLD_{la_code}_{p_start:%Y%m%d}_{p_end:%Y%m%d}.csv"
    path = out_dir / name
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("events_table", data)
        con.execute(
            f"COPY (SELECT {', '.join(select)} FROM events_table ORDER BY order_person, "
            f"order_start) TO '{path}' (HEADER, DELIMITER ',')"
        )
    finally:
        con.close()
    return path


def _to_release_1(cols: dict[str, object]) -> dict[str, object]:
    """Translate R2 code values to their R1 wording where the R1 list has one."""
    lists = codelists()
    out = dict(cols)
    for spec in FIELDS:
        if spec.codelist is None:
            continue
        cl = lists[spec.codelist]
        reverse: dict[str, str] = {}
        for r1 in cl.r1:
            r2 = cl.map_to_r2(r1)
            if r2 is not None and r2 not in reverse:
                reverse[r2] = r1
        reverse.setdefault("Continuation of support or services", "Provision of service")
        value = out[spec.header]
        if isinstance(value, str):
            out[spec.header] = reverse.get(value, value)
        else:
            arr = np.asarray(value, dtype=object)
            uniques, inverse = np.unique(arr.astype(str), return_inverse=True)
            mapped = np.array([reverse.get(u, u) for u in uniques], dtype=object)
            out[spec.header] = mapped[inverse]
    return out


def _write_readme(
    out_dir: Path, people: int, seed: int, la_code: str, la_name: str, paths: list[Path]
) -> None:
    lines = [
        f"# SYNTHETIC DATA: {la_name} ({la_code})",
        "",
        "Every file in this folder is invented by `careassure demo generate`. No row describes",
        "a real person, council or provider. Names, NHS numbers (valid check digit, random),",
        "postcodes (area ZZ, which does not exist) and localities are made up.",
        "",
        f"- people: {people}",
        f"- seed: {seed} (the same seed and size give byte-identical files)",
        "- localities: "
        + ", ".join(f"{n} ({'coastal' if c else 'inland'}, {d})" for n, c, d in LOCALITIES),
        "",
        "Files:",
        "",
        *[f"- {p.name}" for p in paths],
        "",
    ]
    (out_dir / "README.md").write_text("\n".join(lines), encoding="utf-8")
    with (out_dir / "localities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["locality", "coastal", "postcode_district"])
        for locality, coastal, district in LOCALITIES:
            writer.writerow([locality, "yes" if coastal else "no", district])
