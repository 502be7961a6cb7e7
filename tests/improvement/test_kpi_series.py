"""KPI figures: entered by hand or taken from the metrics engine, as one series per KPI."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from careassure.common.exceptions import ApplicationError
from careassure.improvement import selectors, services
from careassure.improvement.documents import plan_document
from careassure.improvement.models import ImprovementPlan, Kpi, KpiValue
from careassure.metrics.models import KpiThreshold
from tests.improvement.factories import make_action, make_plan, store_metrics_run

AUG_1 = dt.datetime(2025, 8, 1, 9, tzinfo=dt.UTC)
OCT_1 = dt.datetime(2025, 10, 1, 9, tzinfo=dt.UTC)
NOV_1 = dt.datetime(2025, 11, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def plan(kent, assessment_lead) -> ImprovementPlan:
    return make_plan(kent, assessment_lead)


@pytest.fixture
def open_concerns_runs(kent, staffordshire) -> None:
    """Two Kent runs (the later one revises August and September and adds October) and a
    Staffordshire run with the same KPI, which a Kent KPI must never read."""
    store_metrics_run(
        kent,
        created_at=OCT_1,
        kpi_values=[
            ("sg_open_count", "total", "all", "2025-08", "500"),
            ("sg_open_count", "total", "all", "2025-09", "480"),
        ],
    )
    store_metrics_run(
        kent,
        created_at=NOV_1,
        kpi_values=[
            ("sg_open_count", "total", "all", "2025-08", "510"),
            ("sg_open_count", "total", "all", "2025-09", "470"),
            ("sg_open_count", "total", "all", "2025-10", "430"),
            ("sg_open_count", "hub", "East hub", "2025-10", "200"),
        ],
    )
    store_metrics_run(
        staffordshire,
        created_at=NOV_1 + dt.timedelta(days=1),
        kpi_values=[("sg_open_count", "total", "all", "2025-10", "90")],
    )


def _linked(plan, actor, ref: str = "A01", **kwargs) -> Kpi:
    action = plan.actions.filter(ref=ref).first() or make_action(plan, actor, ref)
    fields = {
        "name": "Open concerns",
        "polarity": "lower_is_better",
        "red_threshold": Decimal(400),
        "amber_threshold": Decimal(250),
        "source": "metrics_kpi",
        "metric_code": "sg_open_count",
        "metric_dimension": "total",
        "metric_dimension_value": "all",
    }
    fields.update(kwargs)
    return services.kpi_add(action=action, actor=actor, **fields)


def test_manual_series_keeps_the_latest_entry_per_date_up_to_as_of(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    kpi = services.kpi_add(action=action, name="Reviews overdue", actor=assessment_lead)
    for value, as_at in [
        (50, dt.date(2025, 9, 30)),
        (40, dt.date(2025, 8, 31)),
        (55, dt.date(2025, 9, 30)),  # a correction for September, entered later
        (60, dt.date(2025, 10, 31)),
    ]:
        services.kpi_value_record(kpi=kpi, value=Decimal(value), as_at=as_at, actor=assessment_lead)

    assert selectors.kpi_series(kpi) == [
        (dt.date(2025, 8, 31), Decimal(40)),
        (dt.date(2025, 9, 30), Decimal(55)),
        (dt.date(2025, 10, 31), Decimal(60)),
    ]
    assert selectors.kpi_series(kpi, as_of=dt.date(2025, 10, 15)) == [
        (dt.date(2025, 8, 31), Decimal(40)),
        (dt.date(2025, 9, 30), Decimal(55)),
    ]
    assert selectors.kpi_series(kpi, as_of=dt.date(2025, 8, 30)) == []
    assert KpiValue.objects.filter(kpi=kpi).count() == 4  # history is kept


def test_linked_kpi_series_is_the_latest_runs_months_for_its_own_council_and_area(
    plan, assessment_lead, open_concerns_runs
) -> None:
    kpi = _linked(plan, assessment_lead)
    assert selectors.kpi_series(kpi) == [
        (dt.date(2025, 8, 31), Decimal("510.00")),
        (dt.date(2025, 9, 30), Decimal("470.00")),
        (dt.date(2025, 10, 31), Decimal("430.00")),
    ]
    assert selectors.kpi_series(kpi, as_of=dt.date(2025, 10, 30)) == [
        (dt.date(2025, 8, 31), Decimal("510.00")),
        (dt.date(2025, 9, 30), Decimal("470.00")),
    ]
    east = _linked(
        plan,
        assessment_lead,
        name="Open concerns, East hub",
        metric_dimension="hub",
        metric_dimension_value="East hub",
    )
    assert selectors.kpi_series(east) == [(dt.date(2025, 10, 31), Decimal("200.00"))]


def test_ascof_series_has_one_point_per_period_from_the_latest_run(
    kent, plan, assessment_lead
) -> None:
    store_metrics_run(
        kent, created_at=AUG_1, ascof_period_end=dt.date(2024, 3, 31),
        ascof=[("2A", "total", "60.5"), ("2A", "65+", "58.0")],
    )  # fmt: skip
    store_metrics_run(
        kent, created_at=OCT_1, ascof_period_end=dt.date(2025, 3, 31),
        ascof=[("2A", "total", "62.0")],
    )  # fmt: skip
    store_metrics_run(  # the same period again, revised
        kent, created_at=NOV_1, ascof_period_end=dt.date(2025, 3, 31),
        ascof=[("2A", "total", "63.1"), ("2A", "65+", None)],
    )  # fmt: skip
    action = make_action(plan, assessment_lead, "A01")
    kpi = services.kpi_add(
        action=action, name="", actor=assessment_lead, source="ascof", metric_code="2A",
        metric_dimension_value="total",
    )  # fmt: skip
    assert kpi.name == "ASCOF 2A: Reablement with no further request for ongoing support"
    assert kpi.unit == "%"
    assert selectors.kpi_series(kpi) == [
        (dt.date(2024, 3, 31), Decimal("60.50")),
        (dt.date(2025, 3, 31), Decimal("63.10")),
    ]
    assert selectors.kpi_series(kpi, as_of=dt.date(2025, 1, 1)) == [
        (dt.date(2024, 3, 31), Decimal("60.50"))
    ]
    older = services.kpi_add(
        action=action, name="2A, 65 and over", actor=assessment_lead, source="ascof",
        metric_code="2A", metric_dimension_value="65+",
    )  # fmt: skip
    # The latest run could not work the 65+ figure out: the older run's period is kept.
    assert selectors.kpi_series(older) == [(dt.date(2024, 3, 31), Decimal("58.00"))]


def test_rag_and_snapshot_use_the_last_point_of_the_series(
    plan, assessment_lead, open_concerns_runs
) -> None:
    kpi = _linked(plan, assessment_lead)
    action = selectors.action_list(org=plan.organisation, plan=plan).get(pk=kpi.action_id)
    rules = selectors.plan_rules(plan)
    # On 5 November the October figure, 430, is beyond the red threshold of 400.
    rag = selectors.action_rag(action, rules=rules, today=dt.date(2025, 11, 5))
    assert (rag.rag, rag.reasons) == (
        "red",
        ("KPI 'Open concerns' is 430, beyond its red threshold of 400",),
    )
    # On 15 October the latest figure is September's, 470: also red.
    document = plan_document(plan=plan, period="2025-10", as_at=dt.date(2025, 10, 15))
    [row] = document["actions"]
    assert row["kpis"][0]["value"] == "470.00"
    assert row["kpis"][0]["as_at"] == "2025-09-30"
    assert row["kpis"][0]["rag"] == "red"


def test_linking_fills_blanks_from_the_metrics_engine(
    kent, plan, assessment_lead, open_concerns_runs
) -> None:
    store_metrics_run(
        kent, created_at=NOV_1 + dt.timedelta(hours=1),
        kpi_values=[("sg_screened_within_24h_pct", "total", "all", "2025-10", "88.1")],
    )  # fmt: skip
    action = make_action(plan, assessment_lead, "A01")
    screened = services.kpi_add(
        action=action, name="", actor=assessment_lead, polarity="higher_is_better",
        source="metrics_kpi", metric_code="sg_screened_within_24h_pct",
        metric_dimension="total", metric_dimension_value="all",
    )  # fmt: skip
    # The catalogue's default target of 95 is also its amber threshold; no red by default.
    assert (screened.name, screened.unit) == ("Safeguarding concerns screened within 24 hours", "%")
    assert (screened.target, screened.amber_threshold, screened.red_threshold) == (
        Decimal(95),
        Decimal(95),
        None,
    )
    KpiThreshold.objects.create(
        organisation=kent, kpi_id="sg_open_count", target=Decimal(150),
        amber_threshold=Decimal(250), red_threshold=Decimal(400),
    )  # fmt: skip
    opened = services.kpi_add(
        action=action, name="", actor=assessment_lead, polarity="lower_is_better",
        source="metrics_kpi", metric_code="sg_open_count", metric_dimension="total",
        metric_dimension_value="all",
    )  # fmt: skip
    assert (opened.name, opened.target, opened.amber_threshold, opened.red_threshold) == (
        "Safeguarding concerns awaiting completion",
        Decimal(150),
        Decimal(250),
        Decimal(400),
    )


def test_a_metric_the_council_has_no_figures_for_is_refused(
    staffordshire, plan, assessment_lead, other_council_user
) -> None:
    store_metrics_run(
        staffordshire,
        created_at=NOV_1,
        kpi_values=[("sg_open_count", "total", "all", "2025-10", "90")],
    )
    with pytest.raises(ApplicationError) as excinfo:
        _linked(plan, assessment_lead)
    assert excinfo.value.message == (
        "The metrics engine has no figures for ‘Safeguarding concerns awaiting completion’ "
        "(Whole council): choose another area or breakdown"
    )
    assert not Kpi.objects.exists()


def test_polarity_must_match_the_metric(plan, assessment_lead, open_concerns_runs) -> None:
    with pytest.raises(ApplicationError) as excinfo:
        _linked(plan, assessment_lead, polarity="higher_is_better", red_threshold=None)
    assert excinfo.value.message == (
        "For ‘Safeguarding concerns awaiting completion’ lower is better in the metrics engine: "
        "select ‘Lower is better’"
    )


def test_figures_cannot_be_entered_for_a_linked_kpi(
    plan, assessment_lead, open_concerns_runs
) -> None:
    kpi = _linked(plan, assessment_lead)
    with pytest.raises(ApplicationError, match="come from the metrics engine"):
        services.kpi_value_record(
            kpi=kpi, value=Decimal(1), as_at=dt.date(2025, 10, 31), actor=assessment_lead
        )
    assert not KpiValue.objects.exists()


def test_metric_choices_come_from_the_latest_runs(kent, open_concerns_runs) -> None:
    store_metrics_run(
        kent, created_at=AUG_1, ascof_period_end=dt.date(2025, 3, 31),
        ascof=[("2A", "total", "62.0"), ("2A", "18-64", None)],
    )  # fmt: skip
    choices = selectors.metric_choices(org=kent)
    assert choices.metrics == [
        ("kpi:sg_open_count", "Safeguarding concerns awaiting completion"),
        ("ascof:2A", "ASCOF 2A: Reablement with no further request for ongoing support"),
    ]
    assert choices.areas == [
        ("total:all", "Whole council"),
        ("hub:East hub", "Hub: East hub"),
        ("breakdown:total", "Breakdown: total"),
    ]


def test_series_for_a_snapshot_month_ignores_later_figures(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    kpi = services.kpi_add(action=action, name="Vacancy rate", actor=assessment_lead)
    with time_machine.travel(dt.datetime(2025, 11, 3, tzinfo=dt.UTC), tick=False):
        services.kpi_value_record(
            kpi=kpi, value=Decimal(19), as_at=dt.date(2025, 10, 31), actor=assessment_lead
        )
        services.kpi_value_record(
            kpi=kpi, value=Decimal(18), as_at=dt.date(2025, 11, 3), actor=assessment_lead
        )
    assert selectors.kpi_current(kpi, as_of=dt.date(2025, 10, 31)) == (
        dt.date(2025, 10, 31),
        Decimal(19),
    )
