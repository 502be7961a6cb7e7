"""Demo data: Kent County Council's 2024 CQC assessment cycle.

Dates, CQC's published scores and the key findings are Kent's real ones (CQC press release,
23 May 2025, and Kent's Scrutiny Committee report, 16 July 2025). The self-assessment
narratives are synthetic and say so. The self-scores equal CQC's except QS3 and QS9, which
Kent scored lower than CQC did (Scrutiny Committee report, 3.3-3.4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from careassure.accounts.models import User
from careassure.accounts.roles import Role
from careassure.assessments import selectors, services
from careassure.assessments.models import AssessmentCycle, ScoreSource
from careassure.common.demo import DemoContext

CYCLE_NAME = "CQC local authority assessment 2024"
SYNTHETIC = "Synthetic demo text."

# CQC press release, 23 May 2025.
KENT_CQC_SCORES = {
    "qs1": 2,
    "qs2": 2,
    "qs3": 3,
    "qs4": 2,
    "qs5": 2,
    "qs6": 2,
    "qs7": 2,
    "qs8": 2,
    "qs9": 3,
}
# Kent scored itself below CQC on QS3 and QS9 only.
KENT_SELF_SCORES = {**KENT_CQC_SCORES, "qs3": 2, "qs9": 2}

# Kent Scrutiny Committee report, 16 July 2025, section 4.1.
KENT_STRENGTHS = [
    "People spoke of positive experiences of Care Act assessments, with packages of support "
    "meeting their needs which were person-centred and strength-based, reflecting people's "
    "right to choice, and built on their strengths and assets to meet their chosen outcomes.",
    "Positive arrangements are in place for co-production, working with local people to "
    "understand the care and support needs of people and communities, with access to diverse "
    "local support options. People felt they had choice over their support services and "
    "control over their daily lives. People with lived experience of care and support were "
    "included on boards making strategic decision, they felt listened to and that their "
    "impact had made a difference.",
    "There was a focus on equality and diversity, and KCC had regard to its Public Sector "
    "Equality Duty (Equality Act 2010) in the way it delivered its Care Act functions, working "
    "to reduce inequalities and to improve the experiences and outcomes for people who were "
    "more likely to have poor care.",
    "KCC had implemented integrated Transfer of Care Hubs across Kent which had improved joint "
    "planning for hospital discharge. The Home First approach was fundamental to ensuring "
    "people left hospital on the correct discharge 'pathway' and were able to return home, or "
    "to an appropriate placement, as soon, and as safely as possible. Demonstrating good "
    "partnership working with shared goals.",
    "The needs of unpaid carers were recognised as distinct from the person with support "
    "needs, and carers' assessments, support plans and reviews for unpaid carers were "
    "undertaken separately.",
    "KCC provided timely, independent advocacy support to help people participate fully in "
    "Care Act assessments and the care planning processes. People said they were always asked "
    "if they would like an advocate present, whether this was a family member, friend, or "
    "professional independent advocate.",
    "KCC worked with people, partners, and local communities to commission a range of "
    "preventative services to promote independence, and to prevent, delay or reduce the need "
    "for care and support. KCC worked collaboratively with people and partners to actively "
    "promote and support innovative and new ways of working which improved people's social "
    "care experiences and outcomes.",
    "People told us they could easily access information and advice on their rights under the "
    "Care Act 2014. This included unpaid carers and people who funded or arranged their own "
    "care and support.",
    "Frontline teams used technologies, including telecare and telehealth, direct payments, "
    "personal health budgets, care packages and social prescribing, to support people to "
    "achieve their goals and live the life they want in a place called home.",
    "Safety was a priority for everyone. KCC understood the risks to people across their care "
    "journeys. Risks were identified and managed through proactive risk management, overview, "
    "and scrutiny. Where the presenting risks were considered low, frontline staff applied a "
    "proportionate approach to assessments and ensured risk assessments were 'suitable and "
    "sufficient' for the person receiving support.",
    "The local authority learned from people's feedback about their experiences of care and "
    "support, and feedback from staff and partners. This informed strategy, improvement "
    "activity and decision making.",
]

# Kent Scrutiny Committee report, 16 July 2025, section 4.2.
KENT_AREAS_FOR_DEVELOPMENT = [
    "High demand for support, combined with shortages in frontline staffing had led to waiting "
    "lists for assessments, reviews, equipment provision, and safeguarding enquiries.",
    "The local authority has undergone significant transformation over the last few years and "
    "changes were still being embedded. There were notable inconsistencies in practice.",
    "Some partners and providers felt relationships were poor and there was a lack of "
    "communication and engagement in joint priorities.",
    "Some people told CQC their experience of safeguarding enquiries was not always positive, "
    "with outcomes not shared and concerns not being closed in a timely manner.",
    "Some people told CQC there was a lack of suitable, affordable care provision in certain "
    "areas of Kent. This meant when people needed supported accommodation, they were often "
    "placed in different areas away from loved ones.",
    "Quality monitoring wasn't consistent across all areas leading to varied experiences for "
    "people using services.",
    "Some partners told CQC they were concerned about a lack of support available for people "
    "with mental health and substance misuse needs, leading to poor outcomes",
    "Some staff reported low morale, capacity issues and that they lacked the skills needed to "
    "effectively support people with specialist needs",
]

# Synthetic narratives: (what we do well, areas for development, what we are doing about it).
NARRATIVES: dict[str, tuple[str, str, str]] = {
    "qs1": (
        "Most people tell us their assessment was person-centred and strength-based, and "
        "carers' assessments are done separately from the person they care for.",
        "Waiting lists for assessments and reviews are too long in several localities.",
        "We are recruiting assessors and piloting trusted assessors for minor equipment.",
    ),
    "qs2": (
        "Our front door resolves most contacts through information, advice, community "
        "referrals or minor equipment.",
        "Online and written information is not accessible to everyone, and setting up direct "
        "payments takes too long.",
        "We are rewriting our information offer with people who draw on care and support.",
    ),
    "qs3": (
        "We use data to find groups we are not reaching, such as communities in coastal areas, "
        "and work with seldom-heard groups.",
        "Outcomes still differ between inland and coastal communities.",
        "We are setting equality measures for each locality and reviewing them quarterly.",
    ),
    "qs4": (
        "There are enough care home places overall and our commissioning is locality based.",
        "Availability and affordability vary by area, and quality monitoring is inconsistent.",
        "We are introducing one quality monitoring framework across all areas.",
    ),
    "qs5": (
        "We work closely with housing, children's services and the voluntary sector.",
        "Some partners and providers say communication on joint priorities is poor.",
        "We have set up a provider forum and a shared partnership plan.",
    ),
    "qs6": (
        "Transfer of Care Hubs have improved joint planning for hospital discharge.",
        "Transitions from children's to adult services are not always well managed.",
        "We are creating a joint transitions panel with children's services.",
    ),
    "qs7": (
        "Safety is a priority and risks are managed proportionately.",
        "Some safeguarding concerns wait too long for screening, and practice varies between "
        "locality hubs.",
        "We are adding screening capacity and auditing consistency across the hubs monthly.",
    ),
    "qs8": (
        "We have an established leadership team and a clear adult social care strategy.",
        "Recent changes are still being embedded and some staff report low morale.",
        "We are running a workforce plan covering capacity, skills and wellbeing.",
    ),
    "qs9": (
        "We learn from people's feedback and from audits, and support new ways of working.",
        "Learning is not yet shared consistently between teams.",
        "We are setting up a practice learning programme open to all staff.",
    ),
}

# Quality statements updated before the site visit (a second version is saved).
UPDATED_BEFORE_VISIT = {"qs1", "qs3", "qs7", "qs9"}
APPROVED = {"qs1", "qs2", "qs4", "qs5", "qs6", "qs8"}
IN_REVIEW = {"qs3", "qs7"}


def _text(body: str) -> str:
    return f"{SYNTHETIC} {body}"


@transaction.atomic
def seed_demo(context: DemoContext) -> None:
    org = context.organisation
    if selectors.cycle_list(org=org).filter(name=CYCLE_NAME).exists():
        return
    lead = context.user(Role.ASSESSMENT_LEAD)
    admin = context.user(Role.ADMIN)
    contributor = context.user(Role.CONTRIBUTOR)
    cycle = services.cycle_create(
        org=org,
        actor=lead,
        name=CYCLE_NAME,
        notification_date=dt.date(2024, 3, 18),
        framework_version="cqc-la-2023",
        assessment_method="formal-qs-scoring",
        on_site_start_date=dt.date(2024, 10, 1),
        on_site_end_date=dt.date(2024, 10, 3),
        publication_date=dt.date(2025, 5, 16),
    )
    _seed_timeline(cycle, lead=lead, contributor=contributor)
    _seed_self_assessment(cycle, lead=lead, admin=admin, contributor=contributor)
    services.external_scores_save(
        cycle=cycle, actor=lead, source=ScoreSource.CQC.value, scores=KENT_CQC_SCORES
    )
    services.key_findings_save(
        cycle=cycle,
        actor=lead,
        strengths=KENT_STRENGTHS,
        areas_for_development=KENT_AREAS_FOR_DEVELOPMENT,
    )


def _seed_timeline(cycle: AssessmentCycle, *, lead: User, contributor: User) -> None:
    # Information return and self-assessment were returned by the 8 April 2024 deadline.
    for key in ("information_return", "self_assessment"):
        services.milestone_update(
            cycle=cycle, actor=lead, key=key, owner=lead, done_on=dt.date(2024, 4, 8)
        )
    for title, requested in (
        ("First request", dt.date(2024, 10, 15)),
        ("Second request", dt.date(2024, 12, 13)),
    ):
        services.information_request_create(
            cycle=cycle, actor=lead, title=title, requested_on=requested, owner=contributor
        )


def _seed_self_assessment(
    cycle: AssessmentCycle, *, lead: User, admin: User, contributor: User
) -> None:
    org = cycle.organisation
    for qs_id, (strengths, areas, actions) in NARRATIVES.items():
        sa = selectors.self_assessment_get(org=org, cycle=cycle, qs_id=qs_id)
        services.self_assessment_owner_set(self_assessment=sa, actor=lead, owner=contributor)
        score = KENT_SELF_SCORES[qs_id]
        services.self_assessment_save(
            self_assessment=sa,
            actor=contributor,
            based_on_version=0,
            strengths=_text(strengths),
            areas_for_development=_text(areas),
            actions=_text(actions),
            score=score,
            score_rationale=_text(f"Our evidence supports a score of {score} in April 2024."),
        )
        author = contributor
        if qs_id in UPDATED_BEFORE_VISIT:
            services.self_assessment_save(
                self_assessment=sa,
                actor=lead,
                based_on_version=1,
                strengths=_text(strengths + " Updated before the site visit."),
                areas_for_development=_text(areas),
                actions=_text(actions + " Progress reviewed in September 2024."),
                score=score,
                score_rationale=_text(
                    f"Updated in September 2024; the evidence still supports {score}."
                ),
            )
            author = lead
        if qs_id in APPROVED or qs_id in IN_REVIEW:
            services.self_assessment_status_change(self_assessment=sa, actor=author, to="in_review")
        if qs_id in APPROVED:
            approver = admin if author == lead else lead
            services.self_assessment_status_change(
                self_assessment=sa, actor=approver, to="approved"
            )
