"""Demo improvement plan for Kent County Council, built on the areas for development in CQC's
assessment (published 16 May 2025) and Kent's report to its Scrutiny Committee (16 July 2025).

The CQC scores, findings, strengths and governance are from those sources. The actions' detail,
owners, dates, KPI figures and six months of updates are SYNTHETIC, made up for the demo, and
every closed month is flagged synthetic. A few KPIs take their figures from the demo metrics
(the synthetic county's extracts, loaded before the plan) when those are there. Re-running
does nothing once the plan exists."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from careassure.common.demo import SYSTEM_ACTOR, DemoContext
from careassure.improvement import selectors, services
from careassure.improvement.models import Action, ImprovementPlan, KpiSource, MilestoneStatus
from careassure.improvement.periods import period_bounds, period_of, previous_period

PLAN_TITLE = "CQC assessment improvement plan"
CYCLE = "CQC local authority assessment, report published 16 May 2025"
MONTHS_OF_HISTORY = 6
SYNTHETIC = "[Synthetic] "

# Kent's CQC scores (CQC press release, 23 May 2025).
CQC_SCORES = [2, 2, 3, 2, 2, 2, 2, 2, 3]
# The committee paper says CQC rated QS3 and QS9 Good, higher than Kent's self-assessment, and
# that the other findings aligned with it: 2 everywhere is our reading [INFERRED].
SELF_SCORES = [2, 2, 2, 2, 2, 2, 2, 2, 2]
TARGET_SCORES = [3, 3, 3, 3, 3, 3, 3, 3, 3]  # synthetic target

REPORT_CONTENT: dict[str, list[str]] = {
    "background": [
        "The Health and Care Act 2022 gave the Care Quality Commission (CQC) new regulatory "
        "powers to undertake independent assessment of care at a local authority level.",
        "CQC's assessment of Kent County Council's adult social care functions under Part 1 of "
        "the Care Act 2014 began with notification on 18 March 2024, with CQC on site from "
        "1 to 3 October 2024. The report was published on 16 May 2025.",
        "CQC rated Kent County Council as requires improvement.",
    ],
    "strengths": [
        "People spoke of positive experiences of Care Act assessments that were person-centred "
        "and strength-based.",
        "Positive arrangements for co-production; people with lived experience sit on boards "
        "making strategic decisions.",
        "A focus on equality and diversity, with regard to the Public Sector Equality Duty.",
        "Integrated Transfer of Care Hubs improved joint planning for hospital discharge.",
        "Unpaid carers' needs were recognised as distinct, with separate assessments and reviews.",
        "Timely, independent advocacy support.",
        "72% of referrals were resolved through information, advice, community referral or minor "
        "equipment without a full assessment.",
        "The local authority learned from people's feedback and from staff and partners.",
    ],
    "areas_for_development": [
        "High demand for support, combined with shortages in frontline staffing, had led to "
        "waiting lists for assessments, reviews, equipment provision, and safeguarding enquiries.",
        "Significant transformation was still being embedded; there were notable "
        "inconsistencies in practice.",
        "Some partners and providers felt relationships were poor, with a lack of communication "
        "and engagement in joint priorities.",
        "Some people's experience of safeguarding enquiries was not positive, with outcomes not "
        "shared and concerns not closed in a timely manner.",
        "A lack of suitable, affordable care in some areas: a shortage of affordable care in North "
        "Kent and no nursing homes on the Isle of Sheppey.",
        "Quality monitoring was not consistent across all areas.",
        "A lack of support for people with mental health and substance misuse needs.",
        "Some staff reported low morale, capacity issues and a lack of specialist skills.",
    ],
    "governance": [
        "The plan is monitored monthly by the Adult Social Care Delivery Board, chaired by a "
        "person with lived experience of drawing on adult social care. Quarterly reports go to "
        "the Director of Adult Social Services through the Adult Social Care Assurance Board, "
        "with regular reporting to the Strategic Reset Programme Board.",
        "The stage 2 report is shared with the Department of Health and Social Care, with "
        "quarterly updates after that.",
    ],
    "recommendations": [
        "The Committee is asked to NOTE the local authority rating and the improvement activity "
        "identified.",
    ],
}

# (finding, QS, lead director, actions: (title, owner key, priority, start month, months, deps))
OPS = "Director of Adult Social Care Operations"
PARTNERS = "Director of Partnerships"
SAFE = "Director of Strategic Safeguarding"
FINDINGS: list[tuple[str, list[str], str, list[tuple[str, str, str, int, int, list[str]]]]] = [
    (
        "Waiting lists for assessments, reviews and equipment",
        ["qs1"],
        OPS,
        [
            (
                "Triage the Care Act assessment waiting list by risk",
                "contributor",
                "high",
                0,
                4,
                [],
            ),
            ("Clear the backlog of overdue annual reviews", "contributor", "high", 1, 10, ["A01"]),
            ("Cut waiting times for occupational therapy equipment", "admin", "medium", 0, 8, []),
            (
                "Publish waiting times for assessments each month",
                "assessment_lead",
                "low",
                2,
                3,
                ["A01"],
            ),
            (
                "Extend the trusted assessor scheme for minor equipment",
                "admin",
                "medium",
                3,
                9,
                ["A03"],
            ),
        ],
    ),
    (
        "Safeguarding enquiries waiting, outcomes not shared, concerns not closed on time",
        ["qs7"],
        SAFE,
        [
            (
                "Screen every safeguarding concern within 24 hours in all hubs",
                "contributor",
                "high",
                0,
                6,
                [],
            ),
            (
                "Reduce the number of safeguarding concerns awaiting completion",
                "contributor",
                "high",
                0,
                12,
                ["A06"],
            ),
            (
                "Tell people the outcome of every safeguarding enquiry",
                "assessment_lead",
                "high",
                1,
                6,
                [],
            ),
            ("Quality-assure closure of safeguarding concerns", "admin", "medium", 2, 8, ["A07"]),
            (
                "Make practice consistent across the locality safeguarding hubs",
                "contributor",
                "high",
                1,
                12,
                ["A06"],
            ),
            (
                "Reduce repeat safeguarding referrals for the same person",
                "admin",
                "medium",
                4,
                10,
                ["A07"],
            ),
        ],
    ),
    (
        "Inconsistent practice after transformation",
        ["qs8", "qs9"],
        OPS,
        [
            (
                "Practice framework for strengths-based assessments",
                "assessment_lead",
                "high",
                0,
                6,
                [],
            ),
            ("Monthly case file audits in every locality", "contributor", "medium", 1, 12, ["A12"]),
            ("Principal social worker practice forums", "assessment_lead", "low", 0, 12, []),
            ("Embed the new operating model in all teams", "admin", "high", 0, 9, []),
        ],
    ),
    (
        "Relationships with some partners and providers",
        ["qs5"],
        PARTNERS,
        [
            ("Provider engagement forum every quarter", "assessment_lead", "medium", 0, 12, []),
            ("Joint priorities agreed with NHS Kent and Medway", "admin", "high", 1, 6, []),
            (
                "Voluntary and community sector partnership charter",
                "assessment_lead",
                "medium",
                2,
                8,
                ["A16"],
            ),
            ("Spread East Kent joint working across the county", "admin", "high", 3, 12, ["A17"]),
        ],
    ),
    (
        "Affordable care in North Kent and no nursing homes on the Isle of Sheppey",
        ["qs4"],
        PARTNERS,
        [
            ("Market position statement for North Kent", "admin", "high", 0, 5, []),
            (
                "Commission nursing home capacity on the Isle of Sheppey",
                "admin",
                "high",
                2,
                18,
                ["A20"],
            ),
            (
                "Fair cost of care review for North Kent providers",
                "assessment_lead",
                "medium",
                1,
                7,
                ["A20"],
            ),
            (
                "Place people near their families when they need supported accommodation",
                "contributor",
                "medium",
                3,
                12,
                ["A21"],
            ),
            ("Locality place-based commissioning model", "admin", "high", 0, 12, []),
        ],
    ),
    (
        "Inconsistent quality monitoring",
        ["qs4"],
        PARTNERS,
        [
            (
                "Single quality monitoring framework for all areas",
                "assessment_lead",
                "high",
                0,
                6,
                [],
            ),
            ("Risk-based provider visit schedule", "contributor", "medium", 2, 8, ["A25"]),
            (
                "Share quality intelligence with the NHS and CQC",
                "assessment_lead",
                "medium",
                3,
                9,
                ["A25"],
            ),
        ],
    ),
    (
        "Support for people with mental health and substance misuse needs",
        ["qs5", "qs2"],
        PARTNERS,
        [
            (
                "Joint pathway with mental health and substance misuse services",
                "admin",
                "high",
                1,
                10,
                [],
            ),
            ("Train staff in co-occurring conditions", "contributor", "medium", 2, 6, ["A28"]),
            ("Commission community support for dual diagnosis", "admin", "medium", 4, 12, ["A28"]),
        ],
    ),
    (
        "Staff morale, capacity and specialist skills",
        ["qs8", "qs9"],
        OPS,
        [
            (
                "Workforce plan for social work and occupational therapy",
                "assessment_lead",
                "high",
                0,
                6,
                [],
            ),
            ("Recruit to frontline vacancies", "admin", "high", 1, 12, ["A31"]),
            (
                "Specialist skills programme (autism, learning disability, mental health)",
                "contributor",
                "medium",
                2,
                10,
                [],
            ),
            (
                "Staff wellbeing offer and regular pulse surveys",
                "assessment_lead",
                "medium",
                0,
                12,
                [],
            ),
            ("Career pathway for practitioners", "admin", "low", 3, 9, ["A31"]),
        ],
    ),
    (
        "Transitions from children's to adult services",
        ["qs6"],
        OPS,
        [
            (
                "Joint transitions protocol with children's services",
                "contributor",
                "high",
                0,
                6,
                [],
            ),
            ("Preparing for adulthood team from age 14", "contributor", "medium", 2, 12, ["A36"]),
        ],
    ),
    (
        "Accessible information, direct payments and support for unpaid carers",
        ["qs2", "qs1"],
        OPS,
        [
            (
                "Easy-read and offline information about care and support",
                "assessment_lead",
                "medium",
                0,
                6,
                [],
            ),
            ("Simpler set-up for direct payments", "admin", "medium", 1, 8, []),
            ("Carers' information and support offer", "contributor", "medium", 1, 9, []),
        ],
    ),
]

# KPIs: action ref -> (name, unit, target, red, amber, polarity, start value, monthly change)
KPIS: dict[str, tuple[str, str, str, str, str, str, float, float]] = {
    "A01": (
        "People waiting for a Care Act assessment",
        "",
        "600",
        "1500",
        "1000",
        "lower_is_better",
        1800.0,
        -120.0,
    ),
    "A02": ("Annual reviews overdue", "", "500", "2500", "1500", "lower_is_better", 3100.0, -190.0),
    "A06": (
        "Safeguarding concerns screened within 24 hours",
        "%",
        "95",
        "70",
        "90",
        "higher_is_better",
        62.0,
        4.5,
    ),
    "A07": (
        "Safeguarding concerns awaiting completion",
        "",
        "150",
        "400",
        "250",
        "lower_is_better",
        517.0,
        -38.0,
    ),
    "A08": (
        "Enquiries where the outcome was shared",
        "%",
        "95",
        "60",
        "85",
        "higher_is_better",
        48.0,
        6.0,
    ),
    "A21": (
        "Nursing home places on the Isle of Sheppey",
        "",
        "60",
        "1",
        "30",
        "higher_is_better",
        0.0,
        0.0,
    ),
    "A32": ("Frontline vacancy rate", "%", "8", "18", "12", "lower_is_better", 19.5, -0.6),
}


# Demo KPIs that take their figures from the metrics engine when the demo metrics (loaded
# before the plan) have them: the synthetic county's KPI for the whole council.
LINKED_KPIS = {
    "A01": "waiting_assessment_count",
    "A06": "sg_screened_within_24h_pct",
    "A07": "sg_open_count",
}


def _month_end(period: str) -> dt.date:
    return period_bounds(period)[1]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def seed_demo(context: DemoContext) -> None:
    org = context.organisation
    if ImprovementPlan.objects.filter(organisation=org, title=PLAN_TITLE).exists():
        return
    lead = context.users["assessment_lead"]
    users = context.users
    today = timezone.localdate()
    current = period_of(today)
    periods = [current]
    for _ in range(MONTHS_OF_HISTORY):
        periods.insert(0, previous_period(periods[0]))
    history, first = periods[:-1], period_bounds(periods[0])[0]

    plan = services.plan_create(org=org, title=PLAN_TITLE, cycle=CYCLE, actor=lead)
    plan.qs_scores = {
        key: {f"qs{i}": s for i, s in enumerate(scores, start=1)}
        for key, scores in (("self", SELF_SCORES), ("cqc", CQC_SCORES), ("target", TARGET_SCORES))
    }
    plan.report_content = REPORT_CONTENT
    plan.save(update_fields=["qs_scores", "report_content", "updated_at"])

    rng = random.Random(20250516)
    actions: dict[str, Action] = {}
    plans: dict[str, dict[str, Any]] = {}
    number = 0
    for finding, qs, director, rows in FINDINGS:
        for title, owner_key, priority, start_month, months, deps in rows:
            number += 1
            ref = f"A{number:02d}"
            start = _add_months(first, start_month)
            due = _add_months(start, months)
            action = services.action_create(
                plan=plan, actor=lead, ref=ref, title=title, due_date=due,
                quality_statements=qs, finding=finding, owner=users[owner_key],
                lead_director=director, start_date=start, priority=priority,
                description=SYNTHETIC + f"{title}, in answer to CQC's finding: {finding.lower()}.",
                resources=SYNTHETIC + rng.choice(
                    ["Existing team", "Two fixed-term posts", "Improvement fund", "Partner funding"]
                ),
            )  # fmt: skip
            actions[ref] = action
            for step, label in enumerate(("Plan agreed", "Pilot in one locality", "Rolled out")):
                services.milestone_add(
                    action=action, title=label,
                    due_date=start + (due - start) * (step + 1) // 3, actor=lead,
                )  # fmt: skip
            if rng.random() < 0.6:
                services.risk_add(
                    action=action, actor=lead,
                    description=SYNTHETIC + rng.choice([
                        "Not enough staff to deliver alongside day-to-day work",
                        "Partners cannot commit the time",
                        "Funding is not confirmed beyond this year",
                        "Demand keeps rising faster than capacity",
                    ]),
                    likelihood=rng.randint(2, 5), impact=rng.randint(2, 5),
                    mitigation=SYNTHETIC + "Monitored monthly by the Delivery Board",
                )  # fmt: skip
            plans[ref] = {
                "start": start, "due": due, "deps": deps,
                "pace": rng.uniform(0.7, 1.3), "trouble": rng.random() < 0.25,
            }  # fmt: skip
    for ref, info in plans.items():
        for dep in info["deps"]:
            services.action_dependency_add(action=actions[ref], depends_on=actions[dep], actor=lead)
    kpis = {}
    for ref, (name, unit, target, red, amber, polarity, _, _) in KPIS.items():
        link: dict[str, str] = {}
        metric = LINKED_KPIS.get(ref)
        if metric and selectors.metric_exists(
            org=org, source=KpiSource.METRICS_KPI, code=metric, dimension="total", value="all"
        ):
            link = {"source": KpiSource.METRICS_KPI, "metric_code": metric,
                    "metric_dimension": "total", "metric_dimension_value": "all"}  # fmt: skip
        kpi = services.kpi_add(
            action=actions[ref], name=name, unit=unit, target=Decimal(target),
            red_threshold=Decimal(red), amber_threshold=Decimal(amber), polarity=polarity,
            actor=lead, **link,
        )  # fmt: skip
        if not link:
            kpis[ref] = kpi  # figures entered by hand each month below

    for index, period in enumerate([*history, current]):
        month_end = _month_end(period)
        is_current = period == current
        update_day = min(period_bounds(period)[0] + dt.timedelta(days=19), today)
        for ref, action in actions.items():
            info = plans[ref]
            if info["start"] > month_end or action.status in ("complete", "closed"):
                continue
            if rng.random() < (0.45 if is_current else 0.1):
                continue  # no update this month (owners are asked, and reminded)
            action = Action.objects.get(pk=action.pk)
            span = max((info["due"] - info["start"]).days, 1)
            elapsed = (month_end - info["start"]).days
            percent = min(
                100, int(100 * elapsed / span * info["pace"] * (0.6 if info["trouble"] else 1))
            )
            if percent >= 100 and not info["trouble"]:
                status = "complete"
            elif info["trouble"] and index >= 2:
                status = "off_track" if rng.random() < 0.5 else "at_risk"
            else:
                status = "on_track" if rng.random() > 0.15 else "at_risk"
            milestones = {
                m.pk: MilestoneStatus.COMPLETE
                for m in action.milestones.all()
                if m.due_date <= month_end and (not info["trouble"] or rng.random() < 0.4)
            }
            services.action_update_submit(
                action=action, actor=action.owner or lead, version=action.version, period=period,
                commentary=SYNTHETIC + rng.choice([
                    "Progress as planned this month.",
                    "Recruitment is slower than hoped; interim cover in place.",
                    "Partners have agreed the approach; pilot under way.",
                    "Data shows early improvement; keeping under review.",
                    "Waiting on a decision from the programme board.",
                ]),
                status=status, percent_complete=min(percent, 100), milestone_changes=milestones,
                now=_at(update_day),
            )  # fmt: skip
        for ref, kpi in kpis.items():
            _, unit, *_, start_value, change = KPIS[ref]
            value = max(start_value + change * index * plans[ref]["pace"] + rng.uniform(-2, 2), 0)
            # Percentages to one decimal place; counts (no unit) in whole numbers.
            figure = Decimal(f"{value:.1f}") if unit == "%" else Decimal(round(value))
            services.kpi_value_record(
                kpi=kpi, value=figure, actor=lead,
                as_at=min(month_end, today),
            )  # fmt: skip
        if not is_current:
            services.period_close(
                plan=plan, period=period, system_actor=SYSTEM_ACTOR, synthetic=True,
                now=_at(month_end + dt.timedelta(days=3)),
            )  # fmt: skip
