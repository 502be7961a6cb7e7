from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careassure.accounts.models import Organisation
from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent
from careassure.metrics.models import MetricsRun


def test_metrics_refresh_command_loads_extracts(kent: Organisation, extracts: Path) -> None:
    out = io.StringIO()
    call_command(
        "metrics_refresh", "--org", "E10000016", "--extracts", str(extracts),
        "--as-at", "2026-03-31", stdout=out,
    )  # fmt: skip
    run = MetricsRun.objects.get(organisation=kent)
    assert (run.system_actor, run.created_by) == ("cli:metrics-refresh", None)
    assert out.getvalue().startswith(f"Kent County Council: {run.kpi_value_count} KPI values")
    event = AuditEvent.objects.get(event_type=AuditEventType.METRICS_REFRESHED)
    assert event.system_actor == "cli:metrics-refresh"


def test_metrics_refresh_command_reports_bad_input(kent: Organisation, tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text(
        "la_code,contact_id,contact_date,locality,outcome\n886,F1,2026-02-30,Bayview,other\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"contacts\.csv, row 2, column contact_date"):
        call_command("metrics_refresh", "--org", "E10000016", "--extracts", str(tmp_path))
    assert MetricsRun.objects.count() == 0


def test_metrics_refresh_command_needs_a_known_council(db: None, extracts: Path) -> None:
    with pytest.raises(CommandError, match="No council with ONS code E99999999"):
        call_command("metrics_refresh", "--org", "E99999999", "--extracts", str(extracts))
