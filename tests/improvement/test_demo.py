import datetime as dt
import time
from decimal import Decimal

import time_machine

from careassure.common.demo import demo_council_seed
from careassure.core.improvement import find_cycle, snapshot_hash
from careassure.improvement import selectors
from careassure.improvement.demo import seed_demo
from careassure.improvement.models import (
    Action,
    ActionUpdate,
    ImprovementPlan,
    Kpi,
    KpiValue,
    Snapshot,
)
from tests.improvement.factories import store_metrics_run


def test_demo_builds_the_kent_plan_idempotently_and_fast(db) -> None:
    with time_machine.travel(dt.datetime(2025, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        context = demo_council_seed()
        started = time.perf_counter()
        seed_demo(context)
        elapsed = time.perf_counter() - started
        seed_demo(context)
    plan = ImprovementPlan.objects.get(organisation=context.organisation)
    assert ImprovementPlan.objects.count() == 1
    assert Action.objects.filter(plan=plan).count() == 40
    snapshots = list(Snapshot.objects.filter(plan=plan).order_by("period"))
    # Six closed months before December 2025: June to November.
    assert [s.period for s in snapshots] == [
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
    ]
    assert all(s.synthetic and s.sha256 == snapshot_hash(s.document) for s in snapshots)
    assert ActionUpdate.objects.filter(action__plan=plan).count() > 150
    graph = {a.ref: [d.depends_on.ref for d in a.dependencies.all()] for a in plan.actions.all()}
    assert find_cycle(graph) is None
    # Kent's CQC scores from the press release.
    assert [plan.qs_scores["cqc"][f"qs{i}"] for i in range(1, 10)] == [2, 2, 3, 2, 2, 2, 2, 2, 3]
    assert elapsed < 60  # about 3 s on an idle 2-core machine; generous for shared CI


def test_demo_links_kpis_to_the_demo_metrics_when_they_are_loaded(db) -> None:
    with time_machine.travel(dt.datetime(2025, 12, 10, 12, tzinfo=dt.UTC), tick=False):
        context = demo_council_seed()
        store_metrics_run(
            context.organisation,
            created_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
            kpi_values=[
                ("waiting_assessment_count", "total", "all", "2025-11", "1190"),
                ("sg_screened_within_24h_pct", "total", "all", "2025-11", "88.1"),
                ("sg_open_count", "total", "all", "2025-11", "482"),
            ],
        )
        seed_demo(context)
        seed_demo(context)
    kpis = {k.action.ref: k for k in Kpi.objects.select_related("action")}
    assert len(kpis) == 7
    linked = {ref: (k.source, k.metric_code) for ref, k in kpis.items() if k.is_linked}
    assert linked == {
        "A01": ("metrics_kpi", "waiting_assessment_count"),
        "A06": ("metrics_kpi", "sg_screened_within_24h_pct"),
        "A07": ("metrics_kpi", "sg_open_count"),
    }
    assert not KpiValue.objects.filter(kpi__in=[kpis[r] for r in linked]).exists()
    # The other KPIs have a figure entered for each of the seven months.
    assert KpiValue.objects.filter(kpi=kpis["A02"]).count() == 7
    # 482 open concerns is beyond the demo's red threshold of 400.
    assert selectors.kpi_current(kpis["A07"]) == (dt.date(2025, 11, 30), Decimal("482.00"))
    november = Snapshot.objects.get(period="2025-11").document
    [a07] = [a for a in november["actions"] if a["ref"] == "A07"]
    assert (a07["kpis"][0]["value"], a07["kpis"][0]["rag"]) == ("482.00", "red")
