"""Demo evidence for Kent: 64 synthetic items across the quality statements and categories,
some stored as generated files (a PDF made with WeasyPrint, CSVs), some links, some stale;
and the information return with evidence linked to each section. Safe to re-run."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils import timezone

from careassure.accounts.models import User
from careassure.common.demo import DemoContext
from careassure.evidence import information_return as ir
from careassure.evidence.models import EvidenceItem, InformationReturn
from careassure.evidence.services import (
    EvidenceMetadata,
    evidence_create_file,
    evidence_create_link,
)

DEMO_TAG = "synthetic demo"
SEED = 20240318

# (title, QS ids, categories, source, kind) - every title is invented for the demo.
TOPICS: list[tuple[str, list[str], list[str], str]] = [
    ("Front door and first contact review", ["qs1"], ["processes"], "information-return"),
    ("Assessment waiting times report", ["qs1"], ["processes"], "information-return"),
    ("Carers assessment audit", ["qs1", "qs3"], ["processes"], "information-return"),
    ("Feedback from people after assessment", ["qs1"], ["people-experience"], "information-return"),
    ("Practice quality assurance framework", ["qs1", "qs9"], ["staff-leaders"], "self-assessment"),
    ("Prevention strategy", ["qs2"], ["processes"], "information-return"),
    ("Community wellbeing partnership notes", ["qs2", "qs5"], ["partners"], "information-return"),
    ("Reablement outcomes summary", ["qs2"], ["processes"], "national-data"),
    ("Equipment service user survey", ["qs2"], ["people-experience"], "information-return"),
    ("Equality impact assessment of charging policy", ["qs3"], ["processes"], "information-return"),
    (
        "Seldom-heard groups engagement report",
        ["qs3"],
        ["people-experience", "partners"],
        "information-return",
    ),
    ("Interpreting and accessible information audit", ["qs3"], ["processes"], "information-return"),
    ("Market position statement", ["qs4"], ["processes"], "information-return"),
    ("Provider forum feedback", ["qs4", "qs5"], ["partners"], "information-return"),
    ("Home care capacity dashboard", ["qs4"], ["processes"], "information-return"),
    ("Market sustainability plan", ["qs4"], ["processes"], "information-return"),
    ("Integrated care board joint working agreement", ["qs5"], ["partners"], "information-return"),
    ("Voluntary sector grants review", ["qs5"], ["partners"], "information-return"),
    (
        "Hospital discharge pathway evaluation",
        ["qs6"],
        ["processes", "partners"],
        "information-return",
    ),
    ("Transitions protocol with children's services", ["qs6"], ["processes"], "information-return"),
    (
        "Stories from people moving between services",
        ["qs6"],
        ["people-experience"],
        "information-return",
    ),
    ("Safeguarding adults board annual report", ["qs7"], ["partners"], "information-return"),
    ("Section 42 enquiry timeliness report", ["qs7"], ["processes"], "information-return"),
    ("Making safeguarding personal feedback", ["qs7"], ["people-experience"], "information-return"),
    ("DoLS waiting list report", ["qs7"], ["processes"], "information-return"),
    ("Directorate governance structure", ["qs8"], ["staff-leaders"], "self-assessment"),
    ("Performance board minutes", ["qs8"], ["staff-leaders"], "information-return"),
    ("Workforce strategy", ["qs8", "qs9"], ["staff-leaders", "processes"], "information-return"),
    ("Staff survey results", ["qs8"], ["staff-leaders"], "information-return"),
    ("Co-production charter", ["qs9", "qs3"], ["people-experience"], "information-return"),
    (
        "Learning from complaints report",
        ["qs9"],
        ["people-experience", "processes"],
        "information-return",
    ),
    ("Innovation projects summary", ["qs9"], ["staff-leaders"], "self-assessment"),
]
LINK_BASE = "https://www.example.org/kent-demo/"


def _pdf(title: str) -> bytes:
    from weasyprint import HTML

    html = (
        "<html><body><h1>Synthetic demo document</h1>"
        f"<p>{title}</p><p>This document is invented for the CareAssure demo.</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def _csv(title: str, rng: random.Random) -> bytes:
    lines = ["month,measure,value (synthetic)"]
    for month in range(1, 13):
        lines.append(f"2024-{month:02d},{title},{rng.randint(20, 400)}")
    return ("\n".join(lines) + "\n").encode()


def seed_demo(context: DemoContext) -> None:
    org = context.organisation
    lead = context.users["assessment_lead"]
    admin = context.users["admin"]
    if not EvidenceItem.objects.filter(organisation=org, tags__name=DEMO_TAG).exists():
        _seed_items(context)
    ret = ir.information_return_get_or_create(org=org, cycle=ir.current_cycle(org=org), actor=admin)
    if not any(section.items.exists() for section in ret.sections.all()):
        _link_sections(ret, lead)


def _seed_items(context: DemoContext) -> None:
    org = context.organisation
    lead = context.users["assessment_lead"]
    owners = [context.users[r] for r in ("assessment_lead", "contributor", "admin")]
    rng = random.Random(SEED)
    today = timezone.localdate()
    pdf_bytes = _pdf("Synthetic evidence document")
    # Two items per topic: a current one and an older version or a companion, 64 in total.
    for index, (title, qs_ids, categories, source) in enumerate(TOPICS * 2):
        second = index >= len(TOPICS)
        label = f"{title} (synthetic){' – previous year' if second else ''}"
        stale = second and index % 3 == 0
        as_at = today - dt.timedelta(days=rng.randint(400, 700) if stale else rng.randint(10, 300))
        review_by = (
            today - dt.timedelta(days=rng.randint(5, 60))
            if second and index % 5 == 1
            else today + dt.timedelta(days=rng.randint(30, 300))
        )
        metadata = EvidenceMetadata(
            title=label,
            source=source,
            as_at=as_at,
            review_by=review_by,
            qs_ids=qs_ids,
            categories=categories,
            owner=owners[index % len(owners)],
            description="Synthetic demo evidence: invented for the CareAssure demo.",
            tags=[DEMO_TAG, "strategy" if "strategy" in title.lower() else "report"],
        )
        kind = index % 4
        if kind == 0:
            evidence_create_file(
                org=org,
                actor=lead,
                metadata=metadata,
                stream=io.BytesIO(pdf_bytes),
                size=len(pdf_bytes),
                filename=f"{title.lower().replace(' ', '-')}.pdf",
            )
        elif kind == 1:
            data = _csv(title, rng)
            evidence_create_file(
                org=org,
                actor=lead,
                metadata=metadata,
                stream=io.BytesIO(data),
                size=len(data),
                filename=f"{title.lower().replace(' ', '-')}.csv",
            )
        else:
            slug = title.lower().replace(" ", "-").replace("'", "")
            evidence_create_link(org=org, actor=lead, metadata=metadata, url=LINK_BASE + slug)


SECTION_KEYWORDS = {
    "self-assessment": ["governance", "quality assurance", "innovation"],
    "performance-data": ["dashboard", "timeliness", "outcomes", "report"],
    "waiting-lists": ["waiting"],
    "strategies-policies": ["strategy", "plan", "policy", "protocol", "charter", "statement"],
    "survey-results": ["survey", "feedback"],
    "staff-feedback": ["staff", "workforce"],
}


def _link_sections(ret: InformationReturn, actor: User) -> None:
    items = list(EvidenceItem.objects.filter(organisation=ret.organisation).order_by("title"))
    for section in ret.sections.all():
        words = SECTION_KEYWORDS.get(section.key, [])
        chosen = [
            str(i.pk)
            for i in items
            if "previous year" not in i.title and any(w in i.title.lower() for w in words)
        ][:12]
        if chosen:
            ir.section_set_items(section=section, actor=actor, item_ids=chosen)
