from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from careassure.casetracking.models import CaseEntry, CaseList
from careassure.casetracking.services import (
    PopulationInvalid,
    PseudonymKeyMissing,
    case_entry_update,
    case_list_export,
    case_list_import,
    case_reidentify,
)
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.core.casetracking import COLUMN_NAMES, pseudonym
from tests.casetracking.conftest import KEY, population_bytes

SERVICE = "Physical support,Home care,Community,Dover"


def test_import_stores_50_pseudonymised_people_and_no_person_ids(case_list):
    entries = list(case_list.entries.all())
    assert len(entries) == 50
    assert case_list.population_size == 120
    assert all(e.pseudonym.startswith("CT-") and len(e.pseudonym) == 15 for e in entries)
    # The synthetic ids are SYN00001..SYN00120: none of them is stored anywhere on the entries.
    stored = " ".join(str(v) for e in CaseEntry.objects.values() for v in e.values())
    assert "SYN0" not in stored
    field_names = {f.name for f in CaseEntry._meta.get_fields()}
    assert not field_names & {"person_id", "age", "gender", "ethnicity"}


def test_pseudonym_is_the_hmac_of_the_person_id(case_list):
    expected = {pseudonym(f"SYN{i:05d}", KEY) for i in range(1, 121)}
    assert set(case_list.entries.values_list("pseudonym", flat=True)) <= expected


def test_same_file_and_seed_give_the_same_list(kent, assessment_lead, case_list):
    first = set(case_list.entries.values_list("pseudonym", flat=True))
    again = case_list_import(org=kent, actor=assessment_lead, data=population_bytes(), seed=42)
    assert set(again.entries.values_list("pseudonym", flat=True)) == first
    # The new list replaces the old one.
    assert list(CaseList.objects.all()) == [again]


def test_coverage_has_no_missing_groups(case_list):
    assert case_list.coverage
    assert [r for r in case_list.coverage if r["in_list"] == 0] == []
    assert {r["dimension"] for r in case_list.coverage} >= {"age_band", "locality"}


def test_import_is_audited_without_personal_data(case_list):
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_LIST_BUILT)
    assert event.extra_data == {
        "population_size": 120,
        "list_size": 50,
        "seed": 42,
        "missing_strata": 0,
        "replaced": [],
    }


def test_a_bad_file_imports_nothing_and_lists_every_error(kent, assessment_lead):
    header = ",".join(COLUMN_NAMES)
    bad = (
        f"{header}\n"
        "A1,16,Female,White British,"
        f"{SERVICE},yes,no,no,2023-01-05,,\n"
        "A2,70,Male,White British,"
        f"{SERVICE},yes,no,perhaps,2023-01-05,,\n"
    )
    with pytest.raises(PopulationInvalid) as exc:
        case_list_import(org=kent, actor=assessment_lead, data=bad.encode())
    assert exc.value.message == "The file has 2 errors. Nothing was imported."
    assert [(e.row, e.column, e.value) for e in exc.value.errors] == [
        (2, "age", "16"),
        (3, "safeguarding", "perhaps"),
    ]
    assert CaseList.objects.count() == 0


def test_missing_key_is_a_clear_error(kent, assessment_lead, monkeypatch):
    monkeypatch.delenv("CAREASSURE_PSEUDONYM_KEY")
    with pytest.raises(PseudonymKeyMissing) as exc:
        case_list_import(org=kent, actor=assessment_lead, data=population_bytes())
    assert "CAREASSURE_PSEUDONYM_KEY" in exc.value.message
    assert CaseList.objects.count() == 0


def test_contributors_cannot_build_the_list(kent, contributor):
    with pytest.raises(PermissionDeniedError):
        case_list_import(org=kent, actor=contributor, data=population_bytes())


def test_record_selection_consent_and_contact(case_list, assessment_lead):
    entry = case_list.entries.first()
    case_entry_update(
        entry=entry,
        actor=assessment_lead,
        selected_by_cqc=True,
        consent_status="given",
        consent_by="family_carer",
        contact_status="contacted",
    )
    entry.refresh_from_db()
    assert (entry.selected_by_cqc, entry.consent_status, entry.consent_by) == (
        True,
        "given",
        "family_carer",
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_ENTRY_UPDATED)
    assert event.before == {
        "selected_by_cqc": False,
        "consent_status": "not_asked",
        "consent_by": "",
        "contact_status": "not_contacted",
    }
    assert event.after["consent_by"] == "family_carer"


def test_consent_needs_who_gave_it(case_list, assessment_lead):
    entry = case_list.entries.first()
    with pytest.raises(ApplicationError) as exc:
        case_entry_update(
            entry=entry,
            actor=assessment_lead,
            selected_by_cqc=False,
            consent_status="refused",
            consent_by="",
            contact_status="attempted",
        )
    assert exc.value.message == "Select who gave or refused consent"


def test_cqc_selects_at_most_10(case_list, assessment_lead):
    entries = list(case_list.entries.all())
    for entry in entries[:10]:
        case_entry_update(
            entry=entry,
            actor=assessment_lead,
            selected_by_cqc=True,
            consent_status="not_asked",
            consent_by="",
            contact_status="not_contacted",
        )
    with pytest.raises(ApplicationError) as exc:
        case_entry_update(
            entry=entries[10],
            actor=assessment_lead,
            selected_by_cqc=True,
            consent_status="not_asked",
            consent_by="",
            contact_status="not_contacted",
        )
    assert exc.value.message == (
        "CQC selects 10 people and 10 are already marked. Unmark one before marking another"
    )


def test_export_csv_and_xlsx_hold_no_person_ids(case_list, assessment_lead):
    data = case_list_export(case_list=case_list, actor=assessment_lead, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Pseudonym", "Age band", "Primary support reason"]
    assert len(rows) == 51
    assert "SYN0" not in data.decode("utf-8-sig")
    workbook = load_workbook(
        io.BytesIO(case_list_export(case_list=case_list, actor=assessment_lead, fmt="xlsx"))
    )
    sheet = workbook.active
    assert sheet.max_row == 51
    assert sheet["A1"].value == "Pseudonym"
    assert sheet["A2"].value == rows[1][0]
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_EXPORTED).count() == 2


def test_reidentify_needs_the_separate_permission(case_list, assessment_lead):
    with pytest.raises(PermissionDeniedError):
        case_reidentify(case_list=case_list, actor=assessment_lead, person_ids=["SYN00001"])
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_REIDENTIFIED).exists()


def test_reidentify_matches_and_audits_without_the_ids(case_list, council_admin):
    listed = set(case_list.entries.values_list("pseudonym", flat=True))
    inside = next(f"SYN{i:05d}" for i in range(1, 121) if pseudonym(f"SYN{i:05d}", KEY) in listed)
    outside = next(
        f"SYN{i:05d}" for i in range(1, 121) if pseudonym(f"SYN{i:05d}", KEY) not in listed
    )
    matches = case_reidentify(
        case_list=case_list, actor=council_admin, person_ids=[inside, outside]
    )
    assert matches == {pseudonym(inside, KEY): inside}
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_REIDENTIFIED)
    assert event.actor == council_admin
    assert event.extra_data == {"ids_entered": 2, "matched_pseudonyms": [pseudonym(inside, KEY)]}
    assert "SYN" not in str(event.extra_data)


def test_reidentify_refuses_a_changed_key(case_list, council_admin, monkeypatch):
    monkeypatch.setenv("CAREASSURE_PSEUDONYM_KEY", "a-different-key-entirely-123")
    with pytest.raises(ApplicationError) as exc:
        case_reidentify(case_list=case_list, actor=council_admin, person_ids=["SYN00001"])
    assert exc.value.message.startswith("The pseudonym key has changed since this list was built")


def test_export_neutralises_spreadsheet_formulas(kent, assessment_lead):
    header = ",".join(COLUMN_NAMES)
    data = (
        f"{header}\n"
        'A1,70,Male,White British,Physical support,Home care,Community,"=HYPERLINK(""x"")",'
        "no,no,no,2023-01-05,,\n"
    )
    case_list = case_list_import(org=kent, actor=assessment_lead, data=data.encode(), seed=1)
    exported = case_list_export(case_list=case_list, actor=assessment_lead, fmt="csv")
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[1][5] == '\'=HYPERLINK("x")'


def test_age_bands_are_configurable(kent, assessment_lead, settings):
    settings.CAREASSURE_CASE_TRACKING_AGE_BANDS = [(18, "18 to 64"), (65, "65 and over")]
    case_list = case_list_import(org=kent, actor=assessment_lead, data=population_bytes(), seed=3)
    assert set(case_list.entries.values_list("age_band", flat=True)) == {"18 to 64", "65 and over"}
    bands = [r["value"] for r in case_list.coverage if r["dimension"] == "age_band"]
    assert bands == ["18 to 64", "65 and over"]
