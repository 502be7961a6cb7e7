"""Tiny hand-made operational extracts for the KPI tests (worked examples in the tests)."""

from __future__ import annotations

from pathlib import Path

SAFEGUARDING_CSV = """\
la_code,concern_id,received_at,screened_at,decision,enquiry_started,completed,hub,locality
T01,C1,2025-01-05T09:00,2025-01-05T15:00,s42_enquiry,2025-01-06,2025-01-20,North,Bayview
T01,C2,2025-01-10T10:00,2025-01-14T10:00,no_further_action,,2025-01-14,North,Ashvale
T01,C3,2025-01-31T08:00,2025-02-01T08:00,other_enquiry,2025-02-03,,South,Bayview
T01,C4,2025-02-09T12:00,,,,,South,Ashvale
T01,C5,2025-02-10T09:00,,,,,South,Ashvale
T01,C6,2024-09-01T10:00,2024-09-01T11:00,s42_enquiry,2024-09-02,,North,Bayview
T01,C7,2025-02-12T09:00,,,,,North,Ashvale
"""

WAITING_CSV = """\
la_code,snapshot_date,person_ref,list_type,date_added,locality,priority
T01,2025-01-15,P9,assessment,2025-01-01,Ashvale,high
T01,2025-01-31,P1,assessment,2025-01-01,Bayview,high
T01,2025-01-31,P2,assessment,2024-12-01,Bayview,medium
T01,2025-01-31,P3,assessment,2025-01-21,Ashvale,
T01,2025-01-31,P4,assessment,2025-01-11,Ashvale,low
T01,2025-01-31,P1,review,2024-10-31,Ashvale,low
"""

CONTACTS_CSV = """\
la_code,contact_id,contact_date,locality,outcome
T01,K1,2025-01-02,Bayview,information_and_advice
T01,K2,2025-01-03,Bayview,signposted_to_community
T01,K3,2025-01-04,Ashvale,minor_equipment
T01,K4,2025-01-05,Ashvale,referred_for_full_assessment
T01,K5,2025-01-06,Ashvale,other
T01,K6,2025-01-07,Ashvale,Information_And_Advice
"""

DISCHARGES_CSV = """\
la_code,person_ref,ready_to_leave_date,discharge_date,pathway,locality
T01,P1,2025-01-03,2025-01-03,0,Bayview
T01,P2,2025-01-05,2025-01-12,1,Bayview
T01,P3,2025-01-20,2025-02-02,2,Ashvale
T01,P4,2025-01-25,,3,Ashvale
T01,P5,2025-01-28,2025-01-31,1,Ashvale
"""

FILES = {
    "safeguarding_concerns.csv": SAFEGUARDING_CSV,
    "waiting_lists.csv": WAITING_CSV,
    "contacts.csv": CONTACTS_CSV,
    "hospital_discharges.csv": DISCHARGES_CSV,
}


def write_extracts(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
