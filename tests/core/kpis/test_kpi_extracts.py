"""Extract validation: every bad row is reported exactly, and nothing is loaded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kpi_extract_data import FILES, SAFEGUARDING_CSV, write_extracts

from careassure.core.kpis import ExtractFinding, KpiExtractError, compute_kpis, load_extracts

HEADER = SAFEGUARDING_CSV.splitlines()[0]


def _findings(tmp_path: Path, name: str, text: str) -> list[ExtractFinding]:
    files = dict(FILES)
    files[name] = text
    folder = write_extracts(tmp_path / "bad", files)
    with pytest.raises(KpiExtractError) as caught:
        compute_kpis(folder, as_at=date(2025, 2, 10))
    return caught.value.findings


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            "T01,C1,2025-13-01T09:00,,,,,North,Bayview",
            ExtractFinding(
                "safeguarding_concerns.csv",
                2,
                "received_at",
                "2025-13-01T09:00",
                "must be a real date and time (YYYY-MM-DDTHH:MM[:SS])",
            ),
            id="impossible-month",
        ),
        pytest.param(
            "T01,C1,05/01/2025 09:00,,,,,North,Bayview",
            ExtractFinding(
                "safeguarding_concerns.csv",
                2,
                "received_at",
                "05/01/2025 09:00",
                "must be a date and time in the form YYYY-MM-DDTHH:MM[:SS]",
            ),
            id="uk-date-format",
        ),
        pytest.param(
            "T01,C1,2025-01-05T09:00,2025-01-05T08:00,no_further_action,,,North,Bayview",
            ExtractFinding(
                "safeguarding_concerns.csv",
                2,
                "screened_at",
                "2025-01-05T08:00",
                "must not be before received_at",
            ),
            id="screened-before-received",
        ),
        pytest.param(
            "T01,C1,2025-01-05T09:00,2025-01-05T10:00,refer,,,North,Bayview",
            ExtractFinding(
                "safeguarding_concerns.csv",
                2,
                "decision",
                "refer",
                "must be one of: s42_enquiry, other_enquiry, no_further_action",
            ),
            id="unknown-decision",
        ),
        pytest.param(
            "T01,C1,2025-01-05T09:00,,,,,,Bayview",
            ExtractFinding("safeguarding_concerns.csv", 2, "hub", "", "required: enter a value"),
            id="missing-hub",
        ),
        pytest.param(
            "T01,C1,2025-01-05T09:00,2025-01-05T10:00,no_further_action,2025-01-06,,North,Bayview",
            ExtractFinding(
                "safeguarding_concerns.csv",
                2,
                "enquiry_started",
                "2025-01-06",
                "enquiry_started needs decision s42_enquiry or other_enquiry",
            ),
            id="enquiry-without-enquiry-decision",
        ),
        pytest.param(
            "T01,C1,2025-01-05T09:00,,,,,North",
            ExtractFinding(
                "safeguarding_concerns.csv",
                2,
                "",
                "T01,C1,2025-01-05T09:00,,,,,North",
                "has 8 fields; the header has 9",
            ),
            id="short-row",
        ),
    ],
)
def test_bad_safeguarding_row_gives_exact_finding(
    tmp_path: Path, row: str, expected: ExtractFinding
) -> None:
    assert _findings(tmp_path, "safeguarding_concerns.csv", f"{HEADER}\n{row}\n") == [expected]


def test_every_finding_in_every_file_is_reported(tmp_path: Path) -> None:
    files = dict(FILES)
    files["contacts.csv"] = (
        "la_code,contact_id,contact_date,locality,outcome\n"
        "T01,K1,2025-01-02,Bayview,information_and_advice\n"
        "T01,K1,2025-01-03,Bayview,other\n"
        "T01,K3,2025-02-30,Ashvale,assessment\n"
    )
    files["hospital_discharges.csv"] = (
        "la_code,person_ref,ready_to_leave_date,discharge_date,pathway,locality\n"
        "T01,P1,2025-01-10,2025-01-09,4,Bayview\n"
    )
    folder = write_extracts(tmp_path / "bad", files)
    with pytest.raises(KpiExtractError) as caught:
        load_extracts(folder)
    assert caught.value.findings == [
        ExtractFinding(
            "contacts.csv",
            3,
            "contact_id",
            "K1",
            "duplicate of row 2 (unique key: la_code, contact_id)",
        ),
        ExtractFinding(
            "contacts.csv",
            4,
            "contact_date",
            "2025-02-30",
            "must be a real calendar date (YYYY-MM-DD)",
        ),
        ExtractFinding(
            "contacts.csv",
            4,
            "outcome",
            "assessment",
            "must be one of: information_and_advice, signposted_to_community, minor_equipment, "
            "referred_for_full_assessment, other",
        ),
        ExtractFinding(
            "hospital_discharges.csv", 2, "pathway", "4", "must be a whole number from 0 to 3"
        ),
    ]
    message = str(caught.value)
    assert message.startswith("4 problem(s) found in the extracts; nothing was loaded:")
    assert "contacts.csv, row 3, column contact_id, value 'K1'" in message


def test_row_rules_run_once_the_cells_parse(tmp_path: Path) -> None:
    text = (
        "la_code,person_ref,ready_to_leave_date,discharge_date,pathway,locality\n"
        "T01,P1,2025-01-10,2025-01-09,1,Bayview\n"
    )
    assert _findings(tmp_path, "hospital_discharges.csv", text) == [
        ExtractFinding(
            "hospital_discharges.csv",
            2,
            "discharge_date",
            "2025-01-09",
            "must not be before ready_to_leave_date",
        )
    ]


def test_header_problems_are_reported_on_row_1(tmp_path: Path) -> None:
    text = (
        "la_code,snapshot_date,person,list_type,date_added,locality,priority\n"
        "T01,2025-01-31,P1,assessment,2025-01-01,Bayview,high\n"
    )
    assert _findings(tmp_path, "waiting_lists.csv", text) == [
        ExtractFinding("waiting_lists.csv", 1, "person_ref", "", "required column missing"),
        ExtractFinding("waiting_lists.csv", 1, "person", "person", "unknown column"),
    ]


def test_waiting_date_added_after_snapshot_is_refused(tmp_path: Path) -> None:
    text = (
        "la_code,snapshot_date,person_ref,list_type,date_added,locality,priority\n"
        "T01,2025-01-31,P1,assessment,2025-02-01,Bayview,high\n"
    )
    assert _findings(tmp_path, "waiting_lists.csv", text) == [
        ExtractFinding(
            "waiting_lists.csv", 2, "date_added", "2025-02-01", "must not be after snapshot_date"
        )
    ]


def test_folder_without_extracts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KpiExtractError) as caught:
        load_extracts(tmp_path)
    assert caught.value.findings[0].rule.startswith("holds none of the extracts:")


def test_valid_extracts_load_with_row_counts(tiny_extracts: Path) -> None:
    loaded = load_extracts(tiny_extracts)
    assert loaded.row_counts == {
        "safeguarding_concerns": 7,
        "waiting_lists": 6,
        "contacts": 6,
        "hospital_discharges": 5,
    }
    # Codes are stored in their canonical lower-case spelling; blanks are NULL.
    row = loaded.connection.execute(
        "SELECT outcome FROM contacts WHERE contact_id = 'K6'"
    ).fetchone()
    assert row == ("information_and_advice",)
    blank = loaded.connection.execute(
        "SELECT priority FROM waiting WHERE person_ref = 'P3'"
    ).fetchone()
    assert blank == (None,)
