import datetime as dt
import time

import time_machine

from careassure.common.demo import demo_council_seed
from careassure.core.improvement import find_cycle, snapshot_hash
from careassure.improvement.demo import seed_demo
from careassure.improvement.models import Action, ActionUpdate, ImprovementPlan, Snapshot


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
