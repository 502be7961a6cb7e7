from __future__ import annotations

import datetime as dt

from django.utils import timezone

from careassure.casetracking import demo as casetracking_demo
from careassure.casetracking.models import CaseList
from careassure.common.demo import demo_council_seed
from careassure.evidence import demo as evidence_demo
from careassure.evidence.models import EvidenceItem, EvidenceKind, ReturnSection
from careassure.evidence.selectors import evidence_list


def test_demo_seeds_evidence_return_and_case_list_and_can_run_again(db):
    context = demo_council_seed()
    evidence_demo.seed_demo(context)
    casetracking_demo.seed_demo(context)
    evidence_demo.seed_demo(context)
    casetracking_demo.seed_demo(context)
    kent = context.organisation
    items = EvidenceItem.objects.filter(organisation=kent)
    # 32 topics, each seeded twice.
    assert items.count() == 64
    assert items.filter(kind=EvidenceKind.FILE).count() == 32
    assert items.filter(kind=EvidenceKind.LINK).count() == 32
    assert items.filter(content_type="application/pdf").count() == 16
    assert evidence_list(org=kent, stale=True).count() > 0
    statements = set(items.values_list("statements__qs_id", flat=True))
    assert statements == {f"qs{n}" for n in range(1, 10)}
    assert ReturnSection.objects.filter(items__isnull=False).distinct().count() == 6
    case_list = CaseList.objects.get(organisation=kent)
    assert (case_list.population_size, case_list.entries.count()) == (400, 50)
    assert case_list.entries.filter(selected_by_cqc=True).count() == 10
    assert case_list.entries.filter(consent_status="given").count() == 5
    assert all(item.as_at <= timezone.localdate() + dt.timedelta(days=0) for item in items)
