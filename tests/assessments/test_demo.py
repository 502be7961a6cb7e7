"""Kent's demo cycle (reference §5.5 and the CQC press release of 23 May 2025)."""

from __future__ import annotations

import datetime as dt

from careassure.assessments import presenters, selectors
from careassure.assessments.demo import seed_demo
from careassure.assessments.models import AssessmentCycle, SelfAssessmentVersion
from careassure.common.demo import demo_council_seed


def test_demo_seeds_kent_and_is_idempotent(db: None) -> None:
    context = demo_council_seed()
    seed_demo(context)
    seed_demo(context)
    org = context.organisation
    cycle = AssessmentCycle.objects.get(organisation=org)
    assert (cycle.notification_date, cycle.on_site_start_date, cycle.on_site_end_date) == (
        dt.date(2024, 3, 18),
        dt.date(2024, 10, 1),
        dt.date(2024, 10, 3),
    )
    assert cycle.publication_date == dt.date(2025, 5, 16)
    timeline = {
        m.key: m for m in selectors.cycle_timeline(org=org, cycle=cycle, today=dt.date(2025, 6, 1))
    }
    assert timeline["information_return"].date == dt.date(2024, 4, 8)
    requests = [r.requested_on for r in selectors.information_request_list(org=org, cycle=cycle)]
    assert requests == [dt.date(2024, 10, 15), dt.date(2024, 12, 13)]

    self_scores = selectors.self_scores(org=org, cycle=cycle)
    cqc = selectors.external_scores(org=org, cycle=cycle, source="cqc")
    assert [cqc[f"qs{i}"] for i in range(1, 10)] == [2, 2, 3, 2, 2, 2, 2, 2, 3]
    differing = sorted(qs for qs in cqc if cqc[qs] != self_scores[qs])
    assert differing == ["qs3", "qs9"]
    assert (self_scores["qs3"], self_scores["qs9"]) == (2, 2)
    # CQC: 20/36 = 55.56% -> 56%; self: 18/36 = 50%. Both Requires improvement.
    assert presenters.overall(cqc)["percentage"] == 56
    assert presenters.overall(self_scores)["percentage"] == 50

    statuses = {sa.qs_id: sa.status for sa in selectors.self_assessment_list(org=org, cycle=cycle)}
    assert "approved" in statuses.values()
    assert "in_review" in statuses.values()
    assert SelfAssessmentVersion.objects.filter(number=2).count() == 4
    assert all(
        v.strengths.startswith("Synthetic demo text.") for v in SelfAssessmentVersion.objects.all()
    )
    findings = selectors.key_findings(org=org, cycle=cycle)
    assert len(findings["strength"]) == 11
    assert len(findings["area_for_development"]) == 8
