from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from careassure.accounts.models import Organisation, User
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.core.cld.synthetic import generate_cld
from careassure.core.measures import compute_ascof
from careassure.core.population import load_population
from careassure.evidence.models import EvidenceItem
from careassure.metrics import selectors
from careassure.metrics.models import KpiThreshold, MetricsRun, StoredAscofResult, StoredKpiValue
from careassure.metrics.services import (
    DEMO_POPULATION,
    ascof_file_as_evidence,
    file_sha256,
    kpi_file_as_evidence,
    kpi_threshold_set,
    metrics_refresh,
    metrics_settings_update,
)

AS_AT = dt.date(2026, 3, 31)


def _value(run: MetricsRun, kpi_id: str, period: str, dimension: str = "total",
           dimension_value: str = "all") -> StoredKpiValue:  # fmt: skip
    return StoredKpiValue.objects.get(
        run=run, kpi_id=kpi_id, period=period, dimension=dimension, dimension_value=dimension_value
    )


def test_refresh_stores_hand_worked_kpis(
    kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    # The as-at date defaults to the latest date in the extracts: snapshot 31 March 2026.
    assert run.as_at == AS_AT
    assert run.la_code == "886"
    assert run.is_synthetic is False
    # March: C3 and C4 screened within 24 hours (C4 at exactly 24 h counts), C5 not screened
    # and its 24 hours ran out on 21 March: 2 / 3 = 66.666... -> 66.7.
    march = _value(run, "sg_screened_within_24h_pct", "2026-03")
    assert (march.value, march.numerator, march.denominator) == (Decimal("66.7"), 2, 3)
    # February: C1 within, C2 took 48 hours: 1 / 2 = 50.0.
    assert _value(run, "sg_screened_within_24h_pct", "2026-02").value == Decimal("50.0")
    # Open at 31 March: C2 (received 3 Feb, 56 days) and C5 (received 20 Mar, 11 days):
    # count 2, median (56 + 11) / 2 = 33.5, oldest 56.
    assert _value(run, "sg_open_count", "2026-03").value == 2
    assert _value(run, "sg_open_median_age_days", "2026-03").value == Decimal("33.5")
    assert _value(run, "sg_open_max_age_days", "2026-03").value == Decimal("56")
    # Assessment list at 31 March: waits of 30 and 60 days; median 45; 90th percentile at
    # h = 0.9 x (2 - 1) = 0.9: 30 + 0.9 x 30 = 57.
    assert _value(run, "waiting_assessment_median_days", "2026-03").value == Decimal("45")
    assert _value(run, "waiting_assessment_p90_days", "2026-03").value == Decimal("57")
    # March contacts: 3 of 4 resolved without a full assessment = 75.0%.
    assert _value(run, "contacts_resolved_without_assessment_pct", "2026-03").value == 75
    # Hub and coastal/inland breakdowns: East hub (Bayview, coastal) had only C5 in March.
    assert _value(run, "sg_screened_within_24h_pct", "2026-03", "hub", "East hub").value == 0
    assert _value(run, "sg_screened_within_24h_pct", "2026-03", "group", "inland").value == 100
    assert run.kpi_value_count == StoredKpiValue.objects.filter(run=run).count()
    assert {f["name"] for f in run.files} == {
        "safeguarding_concerns.csv", "waiting_lists.csv", "contacts.csv", "hospital_discharges.csv"
    }  # fmt: skip
    concerns = next(f for f in run.files if f["name"] == "safeguarding_concerns.csv")
    assert concerns["sha256"] == file_sha256(extracts / "safeguarding_concerns.csv")
    assert concerns["rows"] == 5


def test_refresh_writes_audit_row(
    kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    event = AuditEvent.objects.get(object_id=str(run.pk))
    assert (event.event_type, event.actor, event.organisation) == (
        AuditEventType.METRICS_REFRESHED, assessment_lead, kent
    )  # fmt: skip
    assert event.after is not None
    assert event.after["as_at"] == "2026-03-31"
    assert event.after["la_code"] == "886"


def test_refresh_with_as_at_ignores_later_events(
    kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    run = metrics_refresh(
        org=kent, extracts_dir=extracts, actor=assessment_lead, as_at=dt.date(2026, 2, 28)
    )
    assert run.as_at == dt.date(2026, 2, 28)
    assert not StoredKpiValue.objects.filter(run=run, period="2026-03").exists()
    # At 28 February only C2 is open, 25 days old (28 Feb - 3 Feb).
    assert _value(run, "sg_open_max_age_days", "2026-02").value == 25


def test_viewer_cannot_refresh_and_nothing_is_stored(
    kent: Organisation, viewer: User, extracts: Path
) -> None:
    with pytest.raises(PermissionDeniedError, match="You do not have permission to do this."):
        metrics_refresh(org=kent, extracts_dir=extracts, actor=viewer)
    assert MetricsRun.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=AuditEventType.METRICS_REFRESHED).exists()


def test_member_of_another_council_cannot_refresh_kent(
    kent: Organisation, other_council_user: User, extracts: Path
) -> None:
    with pytest.raises(PermissionDeniedError):
        metrics_refresh(org=kent, extracts_dir=extracts, actor=other_council_user)
    assert MetricsRun.objects.count() == 0


def test_bad_extract_stores_nothing_and_names_file_row_column_value(
    kent: Organisation, assessment_lead: User, make_extracts: Callable[..., Path]
) -> None:
    bad = make_extracts(
        "bad",
        concerns="la_code,concern_id,received_at,screened_at,decision,enquiry_started,completed,"
        "hub,locality\n886,C1,05/09/2024 09:00,,,,,East hub,Bayview\n",
    )
    with pytest.raises(ApplicationError) as caught:
        metrics_refresh(org=kent, extracts_dir=bad, actor=assessment_lead)
    finding = caught.value.extra["findings"][0]
    assert "safeguarding_concerns.csv" in finding
    assert "row 2" in finding
    assert "received_at" in finding
    assert "05/09/2024 09:00" in finding
    assert MetricsRun.objects.count() == 0


def test_extracts_with_several_councils_need_the_code_in_settings(
    kent: Organisation, assessment_lead: User, make_extracts: Callable[..., Path]
) -> None:
    from tests.metrics.conftest import CONCERNS

    two = make_extracts(
        "two", concerns=CONCERNS + "887,Z1,2026-03-02T10:00,,,,,North hub,Elsewhere\n"
    )
    with pytest.raises(ApplicationError) as caught:
        metrics_refresh(org=kent, extracts_dir=two, actor=assessment_lead)
    assert caught.value.message == (
        "The extracts hold several councils (886, 887); "
        "enter your council's code in the metrics settings"
    )
    metrics_settings_update(
        org=kent, la_code="886", grouping_title="", groups={"coastal": ["Bayview"],
        "inland": ["Ashvale"]}, actor=assessment_lead,
    )  # fmt: skip
    run = metrics_refresh(org=kent, extracts_dir=two, actor=assessment_lead)
    assert run.la_code == "886"
    assert not StoredKpiValue.objects.filter(run=run, dimension_value="Elsewhere").exists()


def test_refresh_uses_the_councils_own_grouping(
    kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    metrics_settings_update(
        org=kent, la_code="", grouping_title="Towns", groups={"north": ["Bayview", "Ashvale"],
        "south": ["Nowhere"]}, actor=assessment_lead,
    )  # fmt: skip
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    # All three March concerns are in Bayview or Ashvale, both "north": 2 / 3 = 66.7.
    assert _value(run, "sg_screened_within_24h_pct", "2026-03", "group", "north").value == (
        Decimal("66.7")
    )
    assert run.groupings["groups"] == {"north": ["Bayview", "Ashvale"], "south": ["Nowhere"]}


def test_settings_refuse_a_locality_in_both_groups(
    kent: Organisation, assessment_lead: User
) -> None:
    with pytest.raises(ApplicationError) as caught:
        metrics_settings_update(
            org=kent, la_code="", grouping_title="", groups={"coastal": ["Bayview"],
            "inland": ["Bayview"]}, actor=assessment_lead,
        )  # fmt: skip
    assert caught.value.message == (
        "Bayview is in more than one group: put each locality in one group only"
    )


def test_settings_update_is_audited(kent: Organisation, assessment_lead: User) -> None:
    config = metrics_settings_update(
        org=kent, la_code=" 886 ", grouping_title="Coast", groups={"Coastal": ["Bayview"],
        "inland": ["Ashvale"]}, actor=assessment_lead,
    )  # fmt: skip
    assert (config.la_code, config.groups) == ("886", {"coastal": ["Bayview"],
                                                       "inland": ["Ashvale"]})  # fmt: skip
    event = AuditEvent.objects.get(event_type=AuditEventType.METRICS_SETTINGS_CHANGED)
    assert event.after == {"la_code": "886", "title": "Coast",
                           "groups": {"coastal": ["Bayview"], "inland": ["Ashvale"]}}  # fmt: skip


def test_threshold_set_and_defaults(kent: Organisation, assessment_lead: User) -> None:
    # Default: the catalogue target (95 for screening within 24 hours) is also the amber line.
    default = selectors.thresholds_for(org=kent)["sg_screened_within_24h_pct"]
    assert (default.target, default.amber_threshold, default.red_threshold) == (
        Decimal(95),
        Decimal(95),
        None,
    )
    kpi_threshold_set(
        org=kent, kpi_id="sg_screened_within_24h_pct", target=Decimal("90"),
        amber_threshold=Decimal("90"), red_threshold=Decimal("80"), actor=assessment_lead,
    )  # fmt: skip
    own = selectors.thresholds_for(org=kent)["sg_screened_within_24h_pct"]
    assert (own.target, own.red_threshold, own.is_default) == (Decimal(90), Decimal(80), False)
    event = AuditEvent.objects.get(event_type=AuditEventType.METRICS_THRESHOLD_CHANGED)
    assert event.after == {"target": "90", "amber_threshold": "90", "red_threshold": "80"}
    assert event.extra_data == {"kpi_id": "sg_screened_within_24h_pct"}


@pytest.mark.parametrize(
    ("kpi_id", "amber", "red", "message"),
    [
        pytest.param("sg_screened_within_24h_pct", "90", "95", "The red threshold must not be "
                     "higher than the amber threshold, because higher is better for this KPI",
                     id="higher_is_better_red_above_amber"),
        pytest.param("sg_open_count", "100", "50", "The red threshold must not be lower than "
                     "the amber threshold, because lower is better for this KPI",
                     id="lower_is_better_red_below_amber"),
        pytest.param("sg_screened_within_24h_pct", "101", None,
                     "Enter a percentage from 0 to 100", id="percentage_over_100"),
        pytest.param("sg_concerns_received", "10", None, "This KPI has no better direction, so "
                     "it cannot have a target or thresholds", id="neutral_kpi"),
    ],
)  # fmt: skip
def test_threshold_rules(
    kent: Organisation, assessment_lead: User, kpi_id: str, amber: str, red: str | None,
    message: str,
) -> None:  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        kpi_threshold_set(
            org=kent, kpi_id=kpi_id, target=None, amber_threshold=Decimal(amber),
            red_threshold=Decimal(red) if red else None, actor=assessment_lead,
        )  # fmt: skip
    assert caught.value.message == message
    assert not KpiThreshold.objects.exists()


def test_contributor_cannot_set_thresholds(kent: Organisation, contributor: User) -> None:
    with pytest.raises(PermissionDeniedError):
        kpi_threshold_set(
            org=kent, kpi_id="sg_open_count", target=None, amber_threshold=Decimal("5"),
            red_threshold=None, actor=contributor,
        )  # fmt: skip
    assert not KpiThreshold.objects.exists()


def test_file_kpi_as_evidence(kent: Organisation, assessment_lead: User, extracts: Path) -> None:
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    item = kpi_file_as_evidence(
        org=kent, run=run, kpi_id="sg_screened_within_24h_pct", dimension="total",
        dimension_value="all", actor=assessment_lead, page_url="https://example.org/metrics/",
    )  # fmt: skip
    assert item.organisation == kent
    assert item.as_at == AS_AT
    assert item.title == "Safeguarding concerns screened within 24 hours: 66.7% as at 31 March 2026"
    # The catalogue maps this KPI to QS7; filed in the processes category.
    assert list(item.statements.values_list("qs_id", flat=True)) == ["qs7"]
    assert list(item.categories.values_list("category_id", flat=True)) == ["processes"]
    content = item.file.read().decode()
    assert "sg_screened_within_24h_pct" in content
    assert ",66.7,percent,2,3,2026-03-31," in content
    event = AuditEvent.objects.get(event_type=AuditEventType.METRICS_EVIDENCE_FILED)
    assert event.extra_data["evidence_item"] == str(item.pk)


def test_contributor_can_file_evidence_but_viewer_cannot(
    kent: Organisation, assessment_lead: User, contributor: User, viewer: User, extracts: Path
) -> None:
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    kpi_file_as_evidence(org=kent, run=run, kpi_id="sg_open_count", dimension="hub",
                         dimension_value="East hub", actor=contributor)  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        kpi_file_as_evidence(org=kent, run=run, kpi_id="sg_open_count", dimension="total",
                             dimension_value="all", actor=viewer)  # fmt: skip
    assert EvidenceItem.objects.count() == 1


def test_cannot_file_another_councils_run(
    kent: Organisation, staffordshire: Organisation, assessment_lead: User,
    other_council_user: User, extracts: Path,
) -> None:  # fmt: skip
    run = metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    with pytest.raises(ApplicationError, match="This run belongs to another council"):
        kpi_file_as_evidence(org=staffordshire, run=run, kpi_id="sg_open_count",
                             dimension="total", dimension_value="all",
                             actor=other_council_user)  # fmt: skip
    assert EvidenceItem.objects.count() == 0


def test_refresh_with_cld_stores_ascof(
    kent: Organisation, assessment_lead: User, extracts: Path, tmp_path: Path
) -> None:
    import duckdb

    from careassure.core.cld.ingest import load_files

    cld = generate_cld(60, 3, tmp_path / "cld")
    # The synthetic CLD files are council 999; the KPI extracts are 886, so the council's code
    # decides: set 999 and give only the CLD files.
    run = metrics_refresh(org=kent, cld_files=cld, actor=assessment_lead)
    assert run.la_code == "999"
    assert run.is_synthetic is True
    # The files cover April 2024 to March 2026, so the ASCOF year is the 12 months to
    # 31 March 2026.
    assert (run.ascof_period_start, run.ascof_period_end) == (
        dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    )  # fmt: skip
    con = duckdb.connect()
    load_files(con, cld)
    expected = compute_ascof(
        con, population=load_population(DEMO_POPULATION), period="2025-04-01/2026-03-31"
    )
    stored = list(StoredAscofResult.objects.filter(run=run))
    assert [(s.measure, s.breakdown, s.numerator, s.denominator, s.value) for s in stored] == [
        (r.measure, r.breakdown, r.numerator, r.denominator, r.value) for r in expected
    ]
    # 2B's denominator is the 18-64 population of the demo population file (930,000).
    assert next(s for s in stored if s.measure == "2B").denominator == 930_000
    item = ascof_file_as_evidence(org=kent, run=run, measure="2A", actor=assessment_lead)
    assert list(item.statements.values_list("qs_id", flat=True)) == ["qs2"]
    assert "synthetic data" in list(item.tags.values_list("name", flat=True))
