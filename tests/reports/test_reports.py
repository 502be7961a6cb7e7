import datetime as dt
import io
import subprocess
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.improvement import services as plan_services
from careassure.improvement.models import Action, Snapshot
from careassure.reports import rendering, services
from careassure.reports.models import ReportTemplate
from tests.improvement.factories import make_action, make_plan

SEP_05 = dt.datetime(2025, 9, 5, 10, 0, tzinfo=dt.UTC)
OCT_03 = dt.datetime(2025, 10, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def snapshot(kent, assessment_lead) -> Snapshot:
    plan = make_plan(kent, assessment_lead)
    plan.qs_scores = {
        # Kent's CQC scores (press release, 23 May 2025): 2,2,3,2,2,2,2,2,3.
        "cqc": {f"qs{i}": s for i, s in enumerate([2, 2, 3, 2, 2, 2, 2, 2, 3], start=1)},
        "target": {f"qs{i}": 3 for i in range(1, 10)},
    }
    plan.save()
    a01 = make_action(plan, assessment_lead, "A01", title="Reduce waiting lists for assessments")
    make_action(
        plan,
        assessment_lead,
        "A02",
        title="Close safeguarding concerns on time",
        quality_statements=["qs7"],
        due_date=dt.date(2025, 8, 1),
    )
    plan_services.risk_add(
        action=a01,
        description="Recruitment",
        likelihood=4,
        impact=5,
        mitigation="Agency cover",
        actor=assessment_lead,
    )
    plan_services.period_close(plan=plan, period="2025-08", actor=assessment_lead, now=SEP_05)
    plan_services.action_status_change(
        action=Action.objects.get(pk=a01.pk), to="on_track", actor=assessment_lead, version=1
    )
    return plan_services.period_close(
        plan=plan, period="2025-09", actor=assessment_lead, now=OCT_03
    )


def test_html_has_language_title_and_the_figures(snapshot) -> None:
    report = services.render_report(
        snapshot=snapshot, kind="delivery_board", fmt="html", today=dt.date(2025, 10, 3)
    )
    html = report.content.decode()
    assert '<html lang="en-GB">' in html
    assert "<title>Monthly Delivery Board pack: September 2025</title>" in html
    # A02 was due 1 August 2025 and is not complete: overdue, so red. A01 is green.
    assert '<span class="tag tag-red">Red</span>' in html
    assert "What changed since August 2025" in html
    assert "<td>Not started → On track</td>" in html
    # RAG by theme: A01 (QS1, theme T1) green; A02 (QS7, theme T3) red.
    cells = '<td class="num">0</td><td class="num">0</td><td class="num">1</td>'
    assert f'<th scope="row">Working with people</th>{cells}' in html
    assert '<th scope="row">Ensuring safety</th><td class="num">1</td>' in html
    assert 'alt="Bar chart of actions by RAG status in each theme: ' in html


def test_pdf_is_a_tagged_pdf_with_title_and_language(snapshot, tmp_path) -> None:
    report = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="pdf")
    assert report.content.startswith(b"%PDF-")
    assert report.filename == "delivery-board-2025-09.pdf"
    path = tmp_path / report.filename
    path.write_bytes(report.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Title:           Monthly Delivery Board pack: September 2025" in info.stdout
    assert "Tagged:          yes" in info.stdout
    html = rendering.document_html(title="T", body="<h1>T</h1>")
    raw = rendering.render_pdf(html, uncompressed=True)
    assert b"/Lang (en-GB)" in raw


def test_docx_is_accessible(snapshot) -> None:
    report = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="docx")
    document = Document(io.BytesIO(report.content))
    assert document.core_properties.title == "Monthly Delivery Board pack: September 2025"
    assert document.core_properties.language == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Monthly Delivery Board pack: September 2025"
    assert "Exceptions: red and amber actions" in headings
    xml = zipfile.ZipFile(io.BytesIO(report.content)).read("word/document.xml").decode()
    assert '<w:tblHeader w:val="true"/>' in xml
    assert 'descr="Bar chart of actions by RAG status in each theme: ' in xml
    styles = zipfile.ZipFile(io.BytesIO(report.content)).read("word/styles.xml").decode()
    assert 'w:val="en-GB"' in styles


def test_xlsx_has_the_tables(snapshot) -> None:
    report = services.render_report(snapshot=snapshot, kind="assurance_board", fmt="xlsx")
    book = load_workbook(io.BytesIO(report.content))
    assert book.sheetnames[:4] == ["Actions", "RAG by theme", "Status over time", "QS scores"]
    qs = list(book["QS scores"].iter_rows(values_only=True))
    assert qs[1] == ("QS1", "Assessing needs", "How local authorities work with people", None, 2, 3)
    risks = list(book["Risks"].iter_rows(values_only=True))
    assert risks[1][:5] == ("A01", "Recruitment", 4, 5, 20)


@pytest.mark.parametrize("kind", ["assurance_board", "dhsc_stage2", "dhsc_quarterly", "committee"])
def test_every_report_renders_its_sections(snapshot, kind) -> None:
    html = services.render_report(snapshot=snapshot, kind=kind, fmt="html").content.decode()
    assert "<h1>" in html
    if kind in ("assurance_board", "dhsc_stage2", "committee"):
        # 20 of 36 = 55.56%, rounded half up to 56%: Requires improvement.
        assert "CQC overall: 20 out of 36, 56%, Requires improvement." in html
    if kind == "committee":
        assert "<h2>6. Recommendations</h2>" in html


def test_report_made_again_after_plan_edits_shows_the_frozen_figures(
    snapshot, assessment_lead
) -> None:
    before = services.render_report(
        snapshot=snapshot, kind="delivery_board", fmt="html", today=dt.date(2025, 10, 3)
    ).content
    action = Action.objects.get(plan=snapshot.plan, ref="A01")
    plan_services.action_edit(
        action=action,
        actor=assessment_lead,
        version=action.version,
        changes={"title": "Changed after the month closed"},
    )
    after = services.render_report(
        snapshot=snapshot, kind="delivery_board", fmt="html", today=dt.date(2025, 10, 3)
    ).content
    assert after == before


def test_council_template_replaces_the_default(snapshot, kent, assessment_lead) -> None:
    services.template_save(
        org=kent,
        kind="delivery_board",
        actor=assessment_lead,
        version=None,
        body="<h1>{{ council }} pack</h1><p>{{ total }} actions</p>",
        sample=snapshot,
    )
    html = services.render_report(snapshot=snapshot, kind="delivery_board", fmt="html").content
    assert b"<h1>Kent County Council pack</h1><p>2 actions</p>" in html
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_TEMPLATE_SAVED).count() == 1


def test_template_cannot_reach_python_internals(snapshot, kent, assessment_lead) -> None:
    with pytest.raises(ApplicationError, match="The report template has an error"):
        services.template_save(
            org=kent,
            kind="committee",
            actor=assessment_lead,
            version=None,
            sample=snapshot,
            body="{{ council.__class__.__mro__[1].__subclasses__() }}",
        )
    assert not ReportTemplate.objects.exists()


def test_broken_template_is_refused_with_the_line(snapshot, kent, assessment_lead) -> None:
    with pytest.raises(ApplicationError, match="error on line 2"):
        services.template_save(
            org=kent,
            kind="committee",
            actor=assessment_lead,
            version=None,
            sample=snapshot,
            body="<h1>x</h1>\n{% for a in actions %}",
        )


def test_viewer_cannot_generate(snapshot, viewer) -> None:
    with pytest.raises(PermissionDeniedError):
        services.report_generate(snapshot=snapshot, kind="delivery_board", fmt="html", actor=viewer)


def test_board_member_can_generate_and_it_is_audited(snapshot, board_member) -> None:
    services.report_generate(
        snapshot=snapshot, kind="delivery_board", fmt="xlsx", actor=board_member
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.REPORT_GENERATED)
    assert event.extra_data["kind"] == "delivery_board"
    assert event.extra_data["format"] == "xlsx"


def test_reports_without_scores_leave_out_the_scores_chart(kent, assessment_lead) -> None:
    plan = make_plan(kent, assessment_lead, title="No scores")
    make_action(plan, assessment_lead, "A01")
    snapshot = plan_services.period_close(
        plan=plan, period="2025-08", actor=assessment_lead, now=SEP_05
    )
    report = services.render_report(snapshot=snapshot, kind="assurance_board", fmt="docx")
    xml = zipfile.ZipFile(io.BytesIO(report.content)).read("word/document.xml").decode()
    assert "Bar chart of scores" not in xml
    assert 'descr="Bar chart of actions by RAG status in each theme: ' in xml


def test_html_report_page_allows_only_its_own_inline_styles(
    snapshot, client_for, board_member
) -> None:
    import base64
    import hashlib
    import re

    response = client_for(board_member).get(f"/reports/snapshots/{snapshot.pk}/delivery_board.html")
    html = response.content.decode()
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]  # default-src 'none' applies
