from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from careassure.evidence.models import EvidenceItem
from tests.evidence.conftest import PDF_BYTES, make_file_item, make_link_item, zip_bomb_bytes

FORM = {
    "title": "Carers strategy 2024",
    "qs_ids": ["qs2", "qs4"],
    "categories": ["processes"],
    "source": "information-return",
    "as_at_day": "31",
    "as_at_month": "3",
    "as_at_year": "2024",
    "owner": "",
    "tags": "carers, strategy",
    "description": "",
}


def test_list_shows_items_and_filters_by_qs(kent, contributor, client_for):
    make_link_item(kent, contributor, title="Survey", qs_ids=["qs1"])
    make_link_item(kent, contributor, title="Partnership board minutes", qs_ids=["qs5"])
    client = client_for(contributor)
    html = client.get(reverse("evidence:item-list")).content.decode()
    assert "Survey" in html
    assert "Partnership board minutes" in html
    html = client.get(reverse("evidence:item-list"), {"qs": "qs5"}).content.decode()
    assert "Partnership board minutes" in html
    assert "Survey" not in html
    assert "1 item match the filters" in html


def test_list_flags_stale_items(kent, contributor, client_for):
    with time_machine.travel(dt.datetime(2025, 6, 1, tzinfo=dt.UTC), tick=False):
        make_link_item(kent, contributor, title="Old survey", as_at=dt.date(2023, 1, 1))
        html = client_for(contributor).get(reverse("evidence:item-list"), {"stale": "yes"})
    text = html.content.decode()
    assert "Old survey" in text
    assert "Stale</strong>" in text


def test_upload_stores_the_item_and_redirects(kent, contributor, client_for):
    data = dict(FORM, file=SimpleUploadedFile("carers.pdf", PDF_BYTES))
    response = client_for(contributor).post(reverse("evidence:item-upload"), data)
    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:item-detail", args=[item.pk])
    assert item.as_at == dt.date(2024, 3, 31)
    assert sorted(item.tags.values_list("name", flat=True)) == ["carers", "strategy"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(
            SimpleUploadedFile("empty.pdf", b""), "The selected file is empty", id="empty"
        ),
        pytest.param(
            SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" * 10),
            "The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPEG",
            id="wrong-type",
        ),
        pytest.param(
            SimpleUploadedFile("bomb.docx", zip_bomb_bytes()),
            "The selected file cannot be accepted because it expands to too much data",
            id="zip-bomb",
        ),
    ],
)
def test_bad_uploads_show_a_govuk_error(kent, contributor, client_for, upload, message):
    response = client_for(contributor).post(
        reverse("evidence:item-upload"), dict(FORM, file=upload)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert message in html
    assert 'href="#id_file"' in html
    assert EvidenceItem.objects.count() == 0


def test_too_large_upload_is_refused(kent, contributor, client_for, settings):
    settings.CAREASSURE_EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b" " * 1024)
    response = client_for(contributor).post(
        reverse("evidence:item-upload"), dict(FORM, file=upload)
    )
    assert response.status_code == 400
    assert "The selected file must be smaller than 1 KB" in response.content.decode()
    assert EvidenceItem.objects.count() == 0


def test_missing_fields_are_listed_in_the_error_summary(kent, contributor, client_for):
    response = client_for(contributor).post(reverse("evidence:item-link"), {"url": "not a url"})
    html = response.content.decode()
    assert response.status_code == 400
    for message in [
        "Enter a web address in the correct format, like https://www.kent.gov.uk/",
        "Enter a title",
        "Select at least one quality statement",
        "Select at least one evidence category",
        "Select where the evidence comes from",
        "Enter the as-at date",
    ]:
        assert message in html


def test_download_is_an_attachment_with_nosniff(kent, contributor, viewer, client_for):
    item = make_file_item(kent, contributor, name="strategy.pdf")
    response = client_for(viewer).get(reverse("evidence:item-download", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="strategy.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_requires_sign_in(kent, contributor, client):
    item = make_file_item(kent, contributor)
    response = client.get(reverse("evidence:item-download", args=[item.pk]))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


@pytest.mark.parametrize("name", ["item-detail", "item-download", "item-edit"])
def test_another_council_gets_404_by_id_guessing(
    kent, contributor, other_council_user, client_for, name
):
    item = make_file_item(kent, contributor)
    response = client_for(other_council_user).get(reverse(f"evidence:{name}", args=[item.pk]))
    assert response.status_code == 404


def test_another_council_cannot_change_or_delete(kent, contributor, other_council_user, client_for):
    item = make_file_item(kent, contributor)
    client = client_for(other_council_user)
    edit = client.post(reverse("evidence:item-edit", args=[item.pk]), dict(FORM, title="Hacked"))
    delete = client.post(reverse("evidence:item-delete", args=[item.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    item.refresh_from_db()
    assert item.title == "Adult social care strategy 2024"


def test_a_viewer_cannot_upload(kent, viewer, client_for):
    response = client_for(viewer).post(
        reverse("evidence:item-upload"), dict(FORM, file=SimpleUploadedFile("a.pdf", PDF_BYTES))
    )
    assert response.status_code == 403
    assert EvidenceItem.objects.count() == 0


def test_edit_saves_and_shows_the_new_details(kent, contributor, client_for):
    item = make_link_item(kent, contributor)
    client = client_for(contributor)
    form = client.get(reverse("evidence:item-edit", args=[item.pk])).content.decode()
    assert 'name="as_at_day" type="text" value="1"' in form
    assert 'name="as_at_year" type="text" value="2024"' in form
    response = client.post(
        reverse("evidence:item-edit", args=[item.pk]),
        dict(FORM, url="https://www.kent.gov.uk/carers"),
    )
    assert response.status_code == 302
    detail = client.get(reverse("evidence:item-detail", args=[item.pk])).content.decode()
    assert "Carers strategy 2024" in detail
    assert "QS2 Supporting people to live healthier lives" in detail
    assert "31 March 2024" in detail
    assert "https://www.kent.gov.uk/carers" in detail


def test_delete_asks_first_then_deletes(kent, contributor, client_for):
    item = make_link_item(kent, contributor)
    client = client_for(contributor)
    url = reverse("evidence:item-delete", args=[item.pk])
    page = client.get(url)
    assert "Are you sure you want to delete this evidence?" in page.content.decode()
    assert EvidenceItem.objects.count() == 1
    response = client.post(url)
    assert response.status_code == 302
    assert EvidenceItem.objects.count() == 0


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        pytest.param(("", "", ""), "Enter the as-at date", id="blank"),
        pytest.param(("31", "", "2024"), "The as-at date must include a month", id="no-month"),
        pytest.param(("", "", "2024"), "The as-at date must include a day and month", id="year"),
        pytest.param(("30", "2", "2024"), "The as-at date must be a real date", id="30-feb"),
        pytest.param(("1", "3", "24"), "The as-at date must be a real date", id="2-digit-year"),
    ],
)
def test_as_at_date_errors_follow_govuk_patterns(kent, contributor, client_for, parts, message):
    day, month, year = parts
    data = dict(
        FORM, as_at_day=day, as_at_month=month, as_at_year=year, url="https://www.kent.gov.uk/x"
    )
    response = client_for(contributor).post(reverse("evidence:item-link"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'href="#id_as_at_day"' in html


def test_review_by_must_not_be_before_as_at(kent, contributor, client_for):
    data = dict(
        FORM,
        review_by_day="1",
        review_by_month="1",
        review_by_year="2024",
        url="https://www.kent.gov.uk/x",
    )
    response = client_for(contributor).post(reverse("evidence:item-link"), data)
    assert "The review-by date must be the same as or after the as-at date" in (
        response.content.decode()
    )
    assert EvidenceItem.objects.count() == 0
