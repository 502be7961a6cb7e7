"""Small hand-built extracts (council code 886) whose KPIs are worked out by hand in the tests.

Safeguarding concerns (as at 31 March 2026):
  C1 received 2 Feb 09:00, screened 2 Feb 15:00 (6 h: within 24 h), completed 3 Feb, East hub
  C2 received 3 Feb 09:00, screened 5 Feb 09:00 (48 h: late), still open, East hub
  C3 received 2 Mar 10:00, screened 2 Mar 12:00 (within), completed 3 Mar, West hub
  C4 received 10 Mar 10:00, screened 11 Mar 10:00 (24 h exactly: within), completed 12 Mar,
     West hub
  C5 received 20 Mar 10:00, not screened (its 24 h ran out on 21 Mar), still open, East hub
Localities: East hub concerns are in Bayview (coastal), West hub ones in Ashvale (inland),
matching the packaged coastal/inland grouping.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import LazySettings

CONCERNS = (
    "la_code,concern_id,received_at,screened_at,decision,enquiry_started,completed,hub,locality\n"
    """886,C1,2026-02-02T09:00,2026-02-02T15:00,no_further_action,,2026-02-03,East hub,Bayview
886,C2,2026-02-03T09:00,2026-02-05T09:00,s42_enquiry,2026-02-05,,East hub,Bayview
886,C3,2026-03-02T10:00,2026-03-02T12:00,no_further_action,,2026-03-03,West hub,Ashvale
886,C4,2026-03-10T10:00,2026-03-11T10:00,no_further_action,,2026-03-12,West hub,Ashvale
886,C5,2026-03-20T10:00,,,,,East hub,Bayview
"""
)

WAITING = """la_code,snapshot_date,person_ref,list_type,date_added,locality,priority
886,2026-02-28,P2,assessment,2026-01-30,Ashvale,
886,2026-03-31,P1,assessment,2026-03-01,Bayview,high
886,2026-03-31,P2,assessment,2026-01-30,Ashvale,
886,2026-03-31,P3,review,2026-03-21,Ashvale,
"""

CONTACTS = """la_code,contact_id,contact_date,locality,outcome
886,F1,2026-02-03,Bayview,information_and_advice
886,F2,2026-02-04,Ashvale,referred_for_full_assessment
886,F3,2026-03-03,Bayview,information_and_advice
886,F4,2026-03-04,Bayview,signposted_to_community
886,F5,2026-03-05,Ashvale,minor_equipment
886,F6,2026-03-06,Ashvale,referred_for_full_assessment
"""

DISCHARGES = """la_code,person_ref,ready_to_leave_date,discharge_date,pathway,locality
886,H1,2026-02-10,2026-02-12,1,Bayview
886,H2,2026-03-01,2026-03-05,1,Bayview
886,H3,2026-03-10,2026-03-10,0,Ashvale
886,H4,2026-03-25,,3,Ashvale
"""


def write_extracts(folder: Path, *, concerns: str = CONCERNS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "safeguarding_concerns.csv").write_text(concerns, encoding="utf-8")
    (folder / "waiting_lists.csv").write_text(WAITING, encoding="utf-8")
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (folder / "hospital_discharges.csv").write_text(DISCHARGES, encoding="utf-8")
    return folder


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    return write_extracts(tmp_path / "extracts")


@pytest.fixture
def make_extracts(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, **kwargs: str) -> Path:
        return write_extracts(tmp_path / name, **kwargs)

    return make


@pytest.fixture(autouse=True)
def _media(settings: LazySettings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
