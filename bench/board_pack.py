"""Benchmark: the monthly Delivery Board pack for a plan of 200 actions with 12 months of
updates (never a test).

Builds the plan in a throwaway SQLite database (every tenth action has a KPI with monthly
figures from a year before the plan starts, so the last month has 24 of them and the pack
draws its SPC charts), closes twelve months (one snapshot each), then
times the pack from the last snapshot: the HTML alone (context, charts and template), the PDF
(the same HTML through WeasyPrint) and the DOCX (the same HTML through python-docx, with PNG
charts), each the median of REPEATS runs (wall clock, and this process's CPU time, which does
not count waiting for a core on a busy machine), and reports each format's time as a ratio of
the HTML's. Writes ``bench/results/board_pack.json``.
``python -m bench.run board_pack`` or ``python -m bench.board_pack``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
ACTIONS = 200
MONTHS = 12
KPI_EVERY = 10  # one KPI on every tenth action
KPI_BASELINE_MONTHS = 12  # figures recorded before the plan's first month
REPEATS = 3


def _setup_django(db_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careassure.config.settings.test")
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _build_plan() -> Any:
    import random
    from decimal import Decimal

    from careassure.accounts.models import Membership, Organisation, User
    from careassure.improvement import services
    from careassure.improvement.models import Action, ActionUpdate, ImprovementPlan, KpiValue
    from careassure.improvement.periods import period_bounds, period_of, previous_period

    org = Organisation.objects.create(
        name="Bench County Council", ons_code="E10099999", region="south_east", org_type="county"
    )
    lead = User.objects.create_user(username="bench.lead", email="lead@example.org",
                                    first_name="Bench", last_name="Lead")  # fmt: skip
    Membership.objects.create(user=lead, organisation=org, role="assessment_lead")
    plan = services.plan_create(org=org, title="Bench plan", cycle="Synthetic", actor=lead)
    plan.qs_scores = {"cqc": {f"qs{i}": 2 for i in range(1, 10)},
                      "target": {f"qs{i}": 3 for i in range(1, 10)}}  # fmt: skip
    plan.save()
    rng = random.Random(7)
    kpi_rng = random.Random(11)  # its own generator: the actions and updates stay as before
    periods = [period_of(dt.datetime.now(dt.UTC).date())]
    for _ in range(MONTHS):
        periods.insert(0, previous_period(periods[0]))
    periods = periods[:-1]
    start = period_bounds(periods[0])[0]
    actions = []
    for n in range(1, ACTIONS + 1):
        action = services.action_create(
            plan=plan, actor=lead, ref=f"A{n:03d}", title=f"Synthetic action {n}",
            due_date=start + dt.timedelta(days=rng.randint(60, 720)),
            quality_statements=[f"qs{rng.randint(1, 9)}"], start_date=start, owner=lead,
            description="Synthetic benchmark action.",
        )  # fmt: skip
        for m in range(3):
            services.milestone_add(
                action=action,
                title=f"Milestone {m + 1}",
                due_date=start + dt.timedelta(days=90 * (m + 1)),
                actor=lead,
            )
        if n > 1 and rng.random() < 0.4:
            depends_on = actions[rng.randrange(len(actions))]
            services.action_dependency_add(action=action, depends_on=depends_on, actor=lead)
        if rng.random() < 0.5:
            services.risk_add(
                action=action, description="Synthetic risk", likelihood=rng.randint(1, 5),
                impact=rng.randint(1, 5), mitigation="Synthetic", actor=lead,
            )  # fmt: skip
        if n % KPI_EVERY == 0:
            kpi = services.kpi_add(
                action=action, actor=lead, name=f"Synthetic KPI {n}", unit="%",
                target=Decimal(60), red_threshold=Decimal(40), amber_threshold=Decimal(50),
            )  # fmt: skip
            months = [previous_period(periods[0])]
            for _ in range(KPI_BASELINE_MONTHS - 1):
                months.insert(0, previous_period(months[0]))
            value, rows = kpi_rng.uniform(35, 65), []
            for month in [*months, *periods]:
                value = min(max(value + kpi_rng.uniform(-4, 5), 0), 100)
                rows.append(KpiValue(kpi=kpi, value=Decimal(f"{value:.1f}"), created_by=lead,
                                     as_at=period_bounds(month)[1]))  # fmt: skip
            KpiValue.objects.bulk_create(rows)
        actions.append(action)
    statuses = ["on_track", "at_risk", "off_track"]
    for period in periods:
        end = period_bounds(period)[1]
        rows = []
        for action in Action.objects.filter(plan=plan):
            status = rng.choice(statuses)
            Action.objects.filter(pk=action.pk).update(
                status=status, percent_complete=rng.randint(0, 99)
            )
            rows.append(ActionUpdate(
                action=action, period=period, commentary="Synthetic monthly update.",
                status=status, rag="green", percent_complete=rng.randint(0, 99),
                action_version=action.version, created_by=lead,
                created_at=dt.datetime(end.year, end.month, 20, tzinfo=dt.UTC),
            ))  # fmt: skip
        ActionUpdate.objects.bulk_create(rows)
        snapshot = services.period_close(
            plan=ImprovementPlan.objects.get(pk=plan.pk), period=period, actor=lead,
            now=dt.datetime(end.year, end.month, end.day, 18, tzinfo=dt.UTC), synthetic=True,
        )  # fmt: skip
    return snapshot


CPU_SECONDS: dict[str, float] = {}
FIRST_RUN: dict[str, dict[str, float]] = {}


def _time(fn: Any, name: str = "") -> tuple[float, Any]:
    """Median wall-clock seconds of REPEATS runs; the median CPU seconds of this process go to
    CPU_SECONDS[name] (on a shared machine the wall clock also counts waiting for a core), and
    the first run's wall and CPU seconds to FIRST_RUN[name] (chart images are drawn then and
    reused by later runs in the same process)."""
    runs, cpu, result = [], [], None
    for _ in range(REPEATS):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    if name:
        CPU_SECONDS[name] = round(statistics.median(cpu), 3)
        FIRST_RUN[name] = {"wall": round(runs[0], 3), "cpu": round(cpu[0], 3)}
    return statistics.median(runs), result


def _pages(pdf: bytes) -> int | None:
    """The PDF's page count from poppler's pdfinfo, when it is installed."""
    import shutil
    import subprocess

    if shutil.which("pdfinfo") is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        out.write(pdf)
        out.flush()
        info = subprocess.run(["pdfinfo", out.name], capture_output=True, text=True, check=False)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(Path(tmp) / "bench.sqlite3")
        import logging

        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        from careassure.reports import rendering
        from careassure.reports.services import render_report, report_context

        started = time.perf_counter()
        snapshot = _build_plan()
        build_seconds = time.perf_counter() - started
        kind = "delivery_board"

        load_at_start = [round(x, 2) for x in os.getloadavg()]

        def report(fmt: str) -> Any:
            return render_report(snapshot=snapshot, kind=kind, fmt=fmt)

        html_s, html = _time(lambda: report(fmt="html"), "html")
        pdf_s, pdf = _time(lambda: report(fmt="pdf"), "pdf")
        docx_s, docx = _time(lambda: report(fmt="docx"), "docx")
        # The PDF and Word versions carry PNG charts (the web page SVG): convert that HTML.
        png_context = report_context(snapshot=snapshot, kind=kind, image_format="png")
        body = rendering.render_body(kind, png_context)
        pdf_html = rendering.document_html(title=png_context["report_title"], body=body)
        pdf_only_s, _ = _time(lambda: rendering.render_pdf(pdf_html), "pdf_conversion_only")
        docx_only_s, _ = _time(
            lambda: rendering.render_docx(title=png_context["report_title"], body_html=body),
            "docx_conversion_only",
        )
    result = {
        "benchmark": "board_pack",
        "report": "Monthly Delivery Board pack",
        "actions": ACTIONS,
        "months_of_updates": MONTHS,
        "repeats": REPEATS,
        "statistic": "median seconds",
        "setup_seconds": round(build_seconds, 2),
        "html_seconds": round(html_s, 3),
        "pdf_seconds": round(pdf_s, 3),
        "docx_seconds": round(docx_s, 3),
        "pdf_to_html_ratio": round(pdf_s / html_s, 1),
        "docx_to_html_ratio": round(docx_s / html_s, 1),
        "pdf_conversion_only_seconds": round(pdf_only_s, 3),
        "docx_conversion_only_seconds": round(docx_only_s, 3),
        "cpu_seconds": CPU_SECONDS,
        "first_run_seconds": FIRST_RUN,
        "kpis": ACTIONS // KPI_EVERY,
        "kpi_points_in_last_month": KPI_BASELINE_MONTHS + MONTHS,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "html_bytes": len(html.content),
        "pdf_bytes": len(pdf.content),
        "docx_bytes": len(docx.content),
        "pdf_pages": _pages(pdf.content),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },  # fmt: skip
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "board_pack.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"board pack, {ACTIONS} actions x {MONTHS} months: HTML {html_s:.2f}s, "
        f"PDF {pdf_s:.2f}s ({result['pdf_to_html_ratio']}x), "
        f"DOCX {docx_s:.2f}s ({result['docx_to_html_ratio']}x); CPU seconds {CPU_SECONDS}"
    )
    return result


if __name__ == "__main__":
    main()
