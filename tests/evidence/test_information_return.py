from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from careassure.assessments.models import AssessmentCycle
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.evidence import information_return as ir
from careassure.evidence.models import InformationReturn, ReturnSection
from careassure.evidence.selectors import evidence_readiness_facts
from tests.evidence.conftest import PDF_BYTES, make_file_item, make_link_item


def test_default_sections_come_from_the_reference():
    sections = ir.load_default_sections()
    # Reference §5.2 step 2: self-assessment, performance data, strategies and policies; §3.2:
    # survey results and staff feedback; waiting lists are believed to be asked for [UNCERTAIN].
    assert [(s.key, s.uncertain) for s in sections] == [
        ("self-assessment", False),
        ("performance-data", False),
        ("waiting-lists", True),
        ("strategies-policies", False),
        ("survey-results", False),
        ("staff-feedback", False),
    ]


def test_a_broken_sections_file_names_the_problem(tmp_path: Path):
    path = tmp_path / "sections.yaml"
    path.write_text("sections:\n  - key: Bad Key\n    title: X\n    uncertain: false\n")
    with pytest.raises(ir.SectionDataError, match=r"sections.yaml: sections.0.key"):
        ir.load_default_sections(path)


def test_the_return_is_copied_for_the_council_once(kent, council_admin):
    first = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    again = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    assert first == again
    assert first.sections.count() == 6
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.INFORMATION_RETURN_CREATED).count() == 1
    )


def test_each_cycle_has_its_own_return(kent, council_admin):
    cycle = AssessmentCycle.objects.create(
        organisation=kent, name="CQC assessment 2024", notification_date=dt.date(2024, 3, 18)
    )
    with_cycle = ir.information_return_get_or_create(org=kent, cycle=cycle, actor=council_admin)
    without = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    assert with_cycle != without
    assert with_cycle.cycle == cycle


def test_admin_adds_renames_moves_and_removes_sections(kent, council_admin):
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    added = ir.section_create(ret=ret, actor=council_admin, title="DoLS data")
    assert added.position == 7
    ir.section_update(section=added, actor=council_admin, title="DoLS applications", description="")
    ir.section_move(section=added, actor=council_admin, direction="up")
    titles = list(ret.sections.order_by("position").values_list("title", flat=True))
    assert titles[-2:] == ["DoLS applications", "Staff feedback"]
    ir.section_delete(section=added, actor=council_admin)
    assert ret.sections.count() == 6
    types = list(
        AuditEvent.objects.filter(event_type__gte=211, event_type__lte=214)
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert types == [211, 212, 214, 213]


def test_only_admins_change_sections(kent, council_admin, assessment_lead):
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    with pytest.raises(PermissionDeniedError):
        ir.section_create(ret=ret, actor=assessment_lead, title="New")
    assert ret.sections.count() == 6


def test_completeness_and_readiness_count_linked_items(kent, council_admin, contributor):
    cycle = AssessmentCycle.objects.create(
        organisation=kent, name="CQC assessment 2024", notification_date=dt.date(2024, 3, 18)
    )
    ret = ir.information_return_get_or_create(org=kent, cycle=cycle, actor=council_admin)
    survey = make_link_item(
        kent, contributor, title="Survey", qs_ids=["qs1", "qs2"], categories=["people-experience"]
    )
    sa = ret.sections.get(key="self-assessment")
    ir.section_set_items(section=sa, actor=contributor, item_ids=[str(survey.pk)])
    result = ir.completeness(ret=ret)
    # 6 sections, 1 with evidence -> 5 empty; QS1 and QS2 each have 1 item.
    assert len(result.empty_sections) == 5
    counts = {r["qs_id"]: (r["count"], r["has_people_experience"]) for r in result.qs_rows}
    assert counts["qs1"] == (1, True)
    assert counts["qs3"] == (0, False)
    facts = evidence_readiness_facts(org=kent, cycle=cycle)
    assert (facts["qs1"].in_information_return, facts["qs3"].in_information_return) == (1, 0)


def test_cannot_link_another_councils_evidence(
    kent, staffordshire, council_admin, other_council_user
):
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    theirs = make_link_item(staffordshire, other_council_user)
    section = ret.sections.first()
    with pytest.raises(Exception, match="this council's library"):
        ir.section_set_items(section=section, actor=council_admin, item_ids=[str(theirs.pk)])
    assert section.items.count() == 0


def test_export_zip_has_files_and_an_index(kent, council_admin, contributor):
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    pdf = make_file_item(
        kent,
        contributor,
        title="Carers strategy",
        name="carers strategy.pdf",
        qs_ids=["qs2"],
        as_at=dt.date(2024, 2, 29),
    )
    link = make_link_item(
        kent,
        contributor,
        title="Annual report",
        qs_ids=["qs9"],
        categories=["staff-leaders"],
        as_at=dt.date(2024, 3, 31),
    )
    sections = {s.key: s for s in ret.sections.all()}
    ir.section_set_items(
        section=sections["strategies-policies"], actor=contributor, item_ids=[str(pdf.pk)]
    )
    ir.section_set_items(
        section=sections["performance-data"],
        actor=contributor,
        item_ids=[str(pdf.pk), str(link.pk)],
    )
    with time_machine.travel(dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        data = ir.information_return_export(ret=ret, actor=council_admin)
    archive = zipfile.ZipFile(io.BytesIO(data))
    file_name = f"files/{str(pdf.pk)[:8]}-carers strategy.pdf"
    assert sorted(archive.namelist()) == sorted(["index.csv", "index.html", file_name])
    assert archive.read(file_name) == PDF_BYTES
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    # Performance data (section 2) holds both items, A-Z by title; strategies (4) holds the PDF.
    assert [(r["Section number"], r["Title"]) for r in rows] == [
        ("2", "Annual report"),
        ("2", "Carers strategy"),
        ("4", "Carers strategy"),
    ]
    assert rows[1]["Quality statements"] == "QS2"
    assert rows[1]["As at"] == "2024-02-29"
    assert rows[1]["Evidence categories"] == "Processes"
    assert rows[1]["File in this ZIP"] == file_name
    assert rows[0]["Web address"] == "https://www.kent.gov.uk/strategy"
    assert rows[0]["Evidence categories"] == "Feedback from staff and leaders"
    html = archive.read("index.html").decode()
    assert "Carers strategy" in html
    assert "QS9" in html
    assert "2024-03-31" in html
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.INFORMATION_RETURN_EXPORTED).count()
        == 1
    )


def test_return_pages(kent, council_admin, contributor, viewer, client_for):
    item = make_link_item(kent, contributor, title="Survey")
    admin = client_for(council_admin)
    html = admin.get(reverse("evidence:return-detail")).content.decode()
    assert "Waiting list data" in html
    assert "Not confirmed by CQC" in html
    assert "6 sections have no evidence" in html
    section = ReturnSection.objects.get(key="self-assessment")
    response = client_for(contributor).post(
        reverse("evidence:return-section-items", args=[section.pk]), {"items": [str(item.pk)]}
    )
    assert response.status_code == 302
    assert list(section.items.all()) == [item]
    response = admin.post(reverse("evidence:return-section-add"), {"title": "", "description": ""})
    assert response.status_code == 400
    assert "Enter a section title" in response.content.decode()
    assert client_for(viewer).get(reverse("evidence:return-section-add")).status_code == 403
    download = client_for(viewer).get(reverse("evidence:return-export"))
    assert download["Content-Type"] == "application/zip"


def test_other_council_cannot_touch_sections(kent, council_admin, other_council_user, client_for):
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    section = ret.sections.first()
    client = client_for(other_council_user)
    for name in ["return-section-edit", "return-section-items"]:
        assert client.get(reverse(f"evidence:{name}", args=[section.pk])).status_code == 404
    assert (
        client.post(reverse("evidence:return-section-delete", args=[section.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("evidence:return-section-move", args=[section.pk]), {"direction": "down"}
        ).status_code
        == 404
    )
    section.refresh_from_db()
    assert (section.title, section.position) == ("Self-assessment", 1)
    assert InformationReturn.objects.filter(organisation=kent).count() == 1


def test_unticking_every_item_clears_the_section(kent, council_admin, contributor, client_for):
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    item = make_link_item(kent, contributor)
    section = ret.sections.first()
    ir.section_set_items(section=section, actor=contributor, item_ids=[str(item.pk)])
    url = reverse("evidence:return-section-items", args=[section.pk])
    response = client_for(contributor).post(url, {})
    assert response.status_code == 302
    assert section.items.count() == 0
