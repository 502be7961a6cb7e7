from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careassure.casetracking.models import CaseEntry, CaseList
from careassure.core.casetracking import COLUMN_NAMES
from tests.casetracking.conftest import population_bytes


def test_list_page_shows_pseudonyms_and_coverage(case_list, viewer, client_for):
    html = client_for(viewer).get(reverse("casetracking:list-detail")).content.decode()
    entry = case_list.entries.first()
    assert entry.pseudonym in html
    assert "50" in html
    assert "people in the list, from 120" in html
    assert "Coverage" in html
    assert "Locality" in html
    assert "SYN0" not in html


def test_import_through_the_page(kent, assessment_lead, client_for):
    client = client_for(assessment_lead)
    response = client.post(
        reverse("casetracking:list-import"),
        {"file": SimpleUploadedFile("people.csv", population_bytes()), "size": "20", "seed": "7"},
    )
    assert response.status_code == 302
    case_list = CaseList.objects.get()
    assert (case_list.entries.count(), case_list.seed, case_list.target_size) == (20, 7, 20)


def test_import_errors_are_shown_as_a_table(kent, assessment_lead, client_for):
    header = ",".join(COLUMN_NAMES)
    bad = (
        f"{header}\n"
        "A1,200,Female,White British,Physical support,Home care,Community,Dover,"
        "yes,no,no,2023-01-05,,\n"
    )
    response = client_for(assessment_lead).post(
        reverse("casetracking:list-import"),
        {"file": SimpleUploadedFile("people.csv", bad.encode()), "size": "50"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The file has 1 error. Nothing was imported." in html
    assert "must be between 18 and 120" in html
    assert CaseList.objects.count() == 0


def test_missing_key_shows_a_clear_page(kent, assessment_lead, client_for, monkeypatch):
    monkeypatch.delenv("CAREASSURE_PSEUDONYM_KEY")
    response = client_for(assessment_lead).get(reverse("casetracking:list-import"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Case tracking is not set up" in html
    assert "CAREASSURE_PSEUDONYM_KEY" in html


def test_edit_an_entry(case_list, assessment_lead, client_for):
    entry = case_list.entries.first()
    response = client_for(assessment_lead).post(
        reverse("casetracking:entry-edit", args=[entry.pk]),
        {
            "selected_by_cqc": "yes",
            "consent_status": "given",
            "consent_by": "person",
            "contact_status": "contacted",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.selected_by_cqc, entry.consent_by) == (True, "person")


def test_other_council_gets_404_and_changes_nothing(case_list, other_council_user, client_for):
    entry = case_list.entries.first()
    client = client_for(other_council_user)
    url = reverse("casetracking:entry-edit", args=[entry.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "selected_by_cqc": "yes",
            "consent_status": "given",
            "consent_by": "person",
            "contact_status": "contacted",
        },
    )
    assert response.status_code == 404
    entry.refresh_from_db()
    assert (entry.selected_by_cqc, entry.consent_status) == (False, "not_asked")
    # Their own list page and download show nothing of Kent's list.
    html = client.get(reverse("casetracking:list-detail")).content.decode()
    assert entry.pseudonym not in html
    download = client.get(reverse("casetracking:list-export", args=["csv"]))
    assert download.status_code == 302
    assert CaseEntry.objects.filter(selected_by_cqc=True).count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads(case_list, assessment_lead, client_for, fmt):
    response = client_for(assessment_lead).get(reverse("casetracking:list-export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="case-tracking-list-')


def test_viewer_cannot_download_or_edit(case_list, viewer, client_for):
    client = client_for(viewer)
    entry = case_list.entries.first()
    assert client.get(reverse("casetracking:list-export", args=["csv"])).status_code == 403
    assert client.get(reverse("casetracking:entry-edit", args=[entry.pk])).status_code == 403


def test_reidentify_page_needs_permission(case_list, assessment_lead, council_admin, client_for):
    assert client_for(assessment_lead).get(reverse("casetracking:reidentify")).status_code == 403
    response = client_for(council_admin).post(
        reverse("casetracking:reidentify"), {"person_ids": "SYN00001, SYN00002\nSYN00003"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "of 3 IDs in the list" in html


def test_reidentify_from_an_uploaded_file(case_list, council_admin, client_for):
    from careassure.common.audit import AuditEventType
    from careassure.common.models import AuditEvent

    # The file the list was built from: 120 people, 50 of whom are in the list.
    upload = SimpleUploadedFile("people.csv", population_bytes())
    response = client_for(council_admin).post(reverse("casetracking:reidentify"), {"file": upload})
    html = response.content.decode()
    assert "50 of 120 IDs in the list" in html
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_REIDENTIFIED)
    assert event.extra_data["ids_entered"] == 120
    assert len(event.extra_data["matched_pseudonyms"]) == 50


def test_reidentify_needs_some_ids(case_list, council_admin, client_for):
    response = client_for(council_admin).post(reverse("casetracking:reidentify"), {})
    assert response.status_code == 400
    assert "Enter at least one person ID, or upload a file of them" in response.content.decode()
