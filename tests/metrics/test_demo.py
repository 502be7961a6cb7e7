from __future__ import annotations

import json
from pathlib import Path

import pytest

from careassure.accounts.models import Organisation
from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent
from careassure.metrics.demo import DEMO_AS_AT, PARAMS_FILE, demo_figures_load
from careassure.metrics.models import MetricsRun


@pytest.mark.slow
def test_demo_figures_are_synthetic_stored_once_and_files_reused(
    kent: Organisation, tmp_path: Path
) -> None:
    run = demo_figures_load(org=kent, out_dir=tmp_path, people=60, seed=7)
    assert run.is_synthetic is True
    assert (run.as_at, run.la_code, run.system_actor) == (DEMO_AS_AT, "999", "cli:demo-seed")
    assert run.kpi_value_count > 0
    assert run.ascof_results.exists()
    params = json.loads((tmp_path / PARAMS_FILE).read_text(encoding="utf-8"))
    assert (params["people"], params["seed"]) == (60, 7)
    extract = tmp_path / "extracts" / "contacts.csv"
    written = extract.stat().st_mtime_ns

    again = demo_figures_load(org=kent, out_dir=tmp_path, people=60, seed=7)
    assert again.pk == run.pk
    assert MetricsRun.objects.count() == 1
    assert extract.stat().st_mtime_ns == written  # same size and seed: files not rewritten
    assert AuditEvent.objects.filter(event_type=AuditEventType.METRICS_REFRESHED).count() == 1

    other = demo_figures_load(org=kent, out_dir=tmp_path, people=80, seed=7)
    assert other.pk != run.pk
    assert json.loads((tmp_path / PARAMS_FILE).read_text(encoding="utf-8"))["people"] == 80
