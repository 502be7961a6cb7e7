"""Evidence library and information return in Chromium: zero axe violations, and a journey."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from careassure.evidence import information_return as ir
from careassure.evidence.models import EvidenceItem
from tests.conftest import PASSWORD
from tests.evidence.conftest import PDF_BYTES, make_file_item, make_link_item
from tests.system.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def library(kent, council_admin, contributor) -> dict[str, EvidenceItem]:
    pdf = make_file_item(kent, contributor, title="Carers strategy (synthetic)")
    link = make_link_item(kent, contributor, title="Annual report (synthetic)", qs_ids=["qs9"])
    ret = ir.information_return_get_or_create(org=kent, cycle=None, actor=council_admin)
    ir.section_set_items(section=ret.sections.first(), actor=council_admin, item_ids=[str(pdf.pk)])
    return {"pdf": pdf, "link": link}


def _pages(library: dict[str, EvidenceItem]) -> list[str]:
    pdf = library["pdf"]
    section = pdf.return_sections.first()
    return [
        "/evidence/",
        "/evidence/?qs=qs1&stale=no",
        "/evidence/upload/",
        "/evidence/add-link/",
        f"/evidence/{pdf.pk}/",
        f"/evidence/{pdf.pk}/edit/",
        f"/evidence/{pdf.pk}/delete/",
        f"/evidence/{library['link'].pk}/",
        "/information-return/",
        "/information-return/sections/add/",
        f"/information-return/sections/{section.pk}/edit/",
        f"/information-return/sections/{section.pk}/evidence/",
    ]


@pytest.mark.slow
def test_evidence_pages_have_no_axe_violations(page: Page, live_server, council_admin, library):
    sign_in(page, live_server.url, council_admin.username, PASSWORD)
    for path in _pages(library):
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)


def test_upload_with_errors_then_success(page: Page, live_server, contributor, tmp_path: Path):
    sign_in(page, live_server.url, contributor.username, PASSWORD)
    page.goto(f"{live_server.url}/evidence/upload/")
    page.get_by_role("button", name="Upload evidence").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Select a file")).to_be_visible()
    assert_no_axe_violations(page)

    pdf = tmp_path / "carers.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("Upload a file").set_input_files(str(pdf))
    page.get_by_label("Title").fill("Carers strategy (synthetic)")
    page.get_by_label("QS2 Supporting people to live healthier lives").check()
    page.get_by_label("Processes").check()
    page.get_by_label("Where does it come from?").select_option("information-return")
    page.locator("#id_as_at_day").fill("31")
    page.locator("#id_as_at_month").fill("3")
    page.locator("#id_as_at_year").fill("2024")
    page.get_by_role("button", name="Upload evidence").click()
    expect(page.get_by_role("heading", name="Carers strategy (synthetic)")).to_be_visible()
    expect(page.get_by_text("31 March 2024", exact=True)).to_be_visible()
    assert EvidenceItem.objects.get().content_type == "application/pdf"
