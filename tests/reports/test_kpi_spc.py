"""KPI histories frozen in snapshots and the SPC charts, tables and limits in reports."""

import copy
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from careassure.improvement import services as plan_services
from careassure.improvement.models import Kpi, Snapshot
from careassure.reports import context as report_context
from careassure.reports import rendering, services
from careassure.reports.context import RAG_LABELS, build_context
from careassure.reports.kpis import SPC_MIN_POINTS, kpi_entry
from tests.improvement.factories import make_action, make_plan

OCT_03 = dt.datetime(2025, 10, 3, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 10, 3)

# Fifteen monthly figures, August 2024 to September 2025. Worked by hand:
#   sum 193, so the mean is 193 / 15 = 12.8667;
#   moving ranges 4 3 2 1 2 4 3 2 1 2 4 3 2 12, sum 45, mean 45 / 14 = 3.2143;
#   2.66 x 45 / 14 = 8.55, so the process limits are 4.3167 and 21.4167;
#   2 sigma = 8.55 x 2 / 3 = 5.7: lines at 7.1667 and 18.5667, only 25 is beyond one;
#   no run of 7 on one side of the mean (longest is 2) and no run of 7 rising or falling.
#   25 is above the upper limit: special cause, and higher is better, so improvement. It is
#   the latest point, so the variation icon is "improvement (higher values)". The target 22
#   is above the upper limit and higher is better: consistently failing the target.
VALUES = [10, 14, 11, 13, 12, 10, 14, 11, 13, 12, 10, 14, 11, 13, 25]
MONTH_ENDS = [
    dt.date(2024, 7, 31), dt.date(2024, 8, 31), dt.date(2024, 9, 30), dt.date(2024, 10, 31),
    dt.date(2024, 11, 30), dt.date(2024, 12, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 28),
    dt.date(2025, 3, 31), dt.date(2025, 4, 30), dt.date(2025, 5, 31), dt.date(2025, 6, 30),
    dt.date(2025, 7, 31), dt.date(2025, 8, 31), dt.date(2025, 9, 30),
]  # fmt: skip


def _kpi_document(values: list[int], *, target: str | None = "22.00") -> dict:
    return {
        "name": "People reviewed on time",
        "unit": "%",
        "target": target,
        "polarity": "higher_is_better",
        "value": f"{values[-1]}.00",
        "as_at": MONTH_ENDS[len(values) - 1].isoformat(),
        "rag": None,
        "series": [[d.isoformat(), f"{v}.00"] for d, v in zip(MONTH_ENDS, values, strict=False)],
    }


def test_spc_figures_worked_by_hand() -> None:
    entry, result = kpi_entry(
        action={"ref": "A01", "rag": "green"}, kpi=_kpi_document(VALUES), rag_labels=RAG_LABELS
    )
    assert result is not None
    spc = entry["spc"]
    assert (spc["mean"], spc["lower"], spc["upper"]) == ("12.9", "4.3", "21.4")
    assert round(spc["mean_value"], 4) == 12.8667
    assert round(spc["lower_value"], 4) == 4.3167
    assert round(spc["upper_value"], 4) == 21.4167
    assert spc["variation"] == "Special cause variation: improvement (higher values)"
    assert spc["assurance"] == "Consistently failing the target"
    assert spc["special_points"] == 1
    assert [r["variation"] for r in spc["rows"]] == ["Common cause"] * 14 + [
        "Improvement: outside the process limits"
    ]
    assert entry["variation"] == "Improvement (higher)"


def test_target_inside_the_limits_is_hit_and_miss_and_no_target_is_not_assessed() -> None:
    action = {"ref": "A01", "rag": "green"}
    entry, _ = kpi_entry(action=action, kpi=_kpi_document(VALUES, target="20.00"),
                         rag_labels=RAG_LABELS)  # fmt: skip
    # 4.3167 <= 20 <= 21.4167
    assert entry["spc"]["assurance"].startswith("Hit and miss")
    entry, _ = kpi_entry(action=action, kpi=_kpi_document(VALUES, target=None),
                         rag_labels=RAG_LABELS)  # fmt: skip
    assert entry["spc"]["assurance"] == "Not assessed: the KPI has no target"


def test_fewer_than_the_minimum_points_gives_no_spc() -> None:
    entry, result = kpi_entry(
        action={"ref": "A01", "rag": "green"},
        kpi=_kpi_document(VALUES[: SPC_MIN_POINTS - 1]),
        rag_labels=RAG_LABELS,
    )
    assert result is None
    assert entry["spc"] is None
    assert entry["variation"] == "Too few points (14)"
    assert len(entry["history"]) == 14


def _plan_with_kpi(kent, lead, values: list[int]) -> tuple[Snapshot, Kpi]:
    plan = make_plan(kent, lead)
    action = make_action(plan, lead, "A01", title="Review people on time")
    kpi = plan_services.kpi_add(
        action=action, actor=lead, name="People reviewed on time", unit="%",
        target=Decimal(22), polarity="higher_is_better",
    )  # fmt: skip
    for day, value in zip(MONTH_ENDS, values, strict=False):
        plan_services.kpi_value_record(kpi=kpi, value=Decimal(value), as_at=day, actor=lead)
    snapshot = plan_services.period_close(plan=plan, period="2025-09", actor=lead, now=OCT_03)
    return snapshot, kpi


@pytest.fixture
def spc_snapshot(kent, assessment_lead) -> tuple[Snapshot, Kpi]:
    return _plan_with_kpi(kent, assessment_lead, VALUES)


def test_snapshot_freezes_the_kpi_series(spc_snapshot) -> None:
    snapshot, _ = spc_snapshot
    kpi = snapshot.document["actions"][0]["kpis"][0]
    assert kpi["series"][0] == ["2024-07-31", "10.00"]
    assert kpi["series"][-1] == ["2025-09-30", "25.00"]
    assert len(kpi["series"]) == 15


def test_pack_has_the_spc_chart_with_alt_text_and_table(spc_snapshot) -> None:
    snapshot, _ = spc_snapshot
    for kind in ("delivery_board", "assurance_board"):
        html = services.render_report(
            snapshot=snapshot, kind=kind, fmt="html", today=TODAY
        ).content.decode()
        assert "<h3>People reviewed on time (A01)</h3>" in html
        assert (
            "Variation: Special cause variation: improvement (higher values). "
            "Assurance: Consistently failing the target." in html
        )
        assert "Mean 12.9; process limits 4.3 to 21.4; 1 of 15 points show special cause" in html
        assert 'alt="SPC chart of People reviewed on time, 15 months from July 2024' in html
        assert "<caption>Table: People reviewed on time, figure by figure</caption>" in html
        assert (
            '<th scope="row">30 September 2025</th><td class="num">25.00</td>'
            "<td>Improvement: outside the process limits</td>" in html
        )
        assert f"needs at least {SPC_MIN_POINTS} figures" in html
    docx = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="docx")
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert 'descr="SPC chart of People reviewed on time, 15 months' in xml
    document = Document(io.BytesIO(docx.content))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Table: People reviewed on time, figure by figure" in captions
    # The chart and its table no longer share one caption.
    assert captions.count("Chart: Actions by RAG status and theme") == 1
    assert captions.count("Table: Actions by RAG status and theme") == 1
    pdf = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="pdf")
    assert pdf.content.startswith(b"%PDF-")


def test_kpi_figure_added_after_the_month_closed_does_not_change_the_report(
    spc_snapshot, assessment_lead
) -> None:
    snapshot, kpi = spc_snapshot
    before = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="html",
                                    today=TODAY).content  # fmt: skip
    # A correction to August and a figure dated inside September, both entered after the
    # month was closed: the live series changes, the snapshot's does not.
    plan_services.kpi_value_record(
        kpi=kpi, value=Decimal(40), as_at=dt.date(2025, 8, 31), actor=assessment_lead
    )
    plan_services.kpi_value_record(
        kpi=kpi, value=Decimal(3), as_at=dt.date(2025, 9, 15), actor=assessment_lead
    )
    after = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="html",
                                   today=TODAY).content  # fmt: skip
    assert after == before
    snapshot.refresh_from_db()
    assert len(snapshot.document["actions"][0]["kpis"][0]["series"]) == 15
    xlsx = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content))["KPI series"].iter_rows(values_only=True))
    assert rows[0] == ("Action", "KPI", "Date", "Figure", "Mean", "Lower process limit",
                       "Upper process limit", "Variation (SPC)")  # fmt: skip
    assert len(rows) == 16
    assert rows[14][3] == 13.0  # August 2025 as frozen, not the later correction
    assert rows[15] == ("A01", "People reviewed on time", "2025-09-30", 25.0, 12.8667, 4.3167,
                        21.4167, "Improvement: outside the process limits")  # fmt: skip


def test_few_points_show_a_plain_table(kent, assessment_lead) -> None:
    snapshot, _ = _plan_with_kpi(kent, assessment_lead, [10, 14, 11])
    html = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="html",
                                  today=TODAY).content.decode()  # fmt: skip
    assert (
        f"3 figures so far: too few for an SPC chart, which needs at least {SPC_MIN_POINTS}."
        in html
    )
    assert "<caption>Table: People reviewed on time, figures to date</caption>" in html
    assert "SPC chart of People reviewed on time" not in html
    assert "<td>Too few points (3)</td>" in html


def test_snapshot_from_before_series_were_kept_still_renders(spc_snapshot) -> None:
    snapshot, _ = spc_snapshot
    old = copy.deepcopy(snapshot.document)
    for action in old["actions"]:
        for kpi in action["kpis"]:
            del kpi["series"]
    context = build_context(snapshot_document=old, history=[old], report_title="Old pack",
                            generated_on=TODAY, image_format="png")  # fmt: skip
    body = rendering.render_body("delivery_board", context)
    assert "No KPI history in this snapshot" in body
    # The latest figure is still shown in the KPI table.
    assert '<td class="num">25.00%</td><td class="num">22.00%</td>' in body
    docx = rendering.render_docx(title="Old pack", body_html=body)
    assert Document(io.BytesIO(docx)).core_properties.title == "Old pack"


def test_long_lists_stop_with_a_line_pointing_to_the_xlsx(kent, assessment_lead, monkeypatch):
    plan = make_plan(kent, assessment_lead)
    for n in range(1, 4):  # all overdue at the month end, so red
        make_action(plan, assessment_lead, f"A0{n}", due_date=dt.date(2025, 8, n))
    snapshot = plan_services.period_close(
        plan=plan, period="2025-09", actor=assessment_lead, now=OCT_03
    )
    monkeypatch.setitem(report_context.LIMITS, "exceptions", 2)
    html = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="html",
                                  today=TODAY).content.decode()  # fmt: skip
    assert "The first 2 of 3 red and amber actions (red first, then by due date)" in html
    assert (
        "And 1 more red or amber actions: see the ‘Actions’ sheet of the Excel tables (XLSX) "
        "download of this report." in html
    )
    # Each action appears once: A01 and A02 (earliest due) as exceptions, A03 in the register.
    exceptions = html.split("<h2>Exceptions: red and amber actions</h2>")[1].split("<h2>")[0]
    register = html.split("<h2>Other actions</h2>")[1]
    assert "A01 Action A01" in exceptions
    assert "A02 Action A02" in exceptions
    assert "A03 Action A03" not in exceptions
    assert '<th scope="row">A03 Action A03</th>' in register
    assert "A01 Action A01" not in register
    xlsx = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="xlsx")
    actions = list(load_workbook(io.BytesIO(xlsx.content))["Actions"].iter_rows(values_only=True))
    assert [row[0] for row in actions[1:]] == ["A01", "A02", "A03"]
