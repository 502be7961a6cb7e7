"""One planted fault per file gives exactly one finding with the right rule and column."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from careassure.core.cld import validate_files

CORPUS = Path(__file__).resolve().parents[2] / "data" / "cld"


def _corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()
FIN = {"Event Type": "Assessment", "Assessment Type": "Financial assessment",
       "Event End Date": "2025-08-10", "Service Type": "", "Service Component": "",
       "Delivery Mechanism": ""}  # fmt: skip
CKBA = {"Client Type": "Unpaid carer known by association", "Client Funding Status": "",
        "Event Type": "", "Event Start Date": "", "Event Outcome": "", "Service Type": "",
        "Service Component": "", "Delivery Mechanism": ""}  # fmt: skip

CASES = [
    # (id, changes to the second data row (line 3), expected (rule, column))
    ("C07_outcome_on_financial_assessment", {**FIN, "Event Outcome": "NFA: Other"},
     ("C07", "Event Outcome")),
    ("financial_assessment_without_outcome_is_valid", {**FIN, "Event Outcome": ""}, None),
    ("C08_self_funder_metering", {"Delivery Mechanism": "Self-Funder Metering Only",
                                   "Unit Cost": "1.00", "Cost Frequency (Unit Type)": "Weekly",
                                   "Planned units per week": "1.00"},
     ("C08", "Delivery Mechanism")),
    ("A01_ckba_with_event_fields", {**CKBA, "Event Reference": "E2"}, ("A01", None)),
    ("ckba_without_event_fields_is_valid", {**CKBA, "Event Reference": ""}, None),
    ("X01_route_on_service", {"Request: Route of Access": "Prison"},
     ("X01", "Request: Route of Access")),
    ("D07_death_on_open_service", {"Date of Death": "2025-09-01"}, ("D07", "Event End Date")),
    ("D09_service_ends_after_death", {"Date of Death": "2025-09-01",
                                       "Event End Date": "2025-09-05",
                                       "Event Outcome": "NFA: Deceased"},
     ("D09", "Event End Date")),
    # Cost rule: Direct payment on a long-term service makes the three cost fields mandatory;
    # all three blank gives M01 on each, so fill two and leave Unit Cost blank.
    ("M01_cost_rule", {"Delivery Mechanism": "Direct payment",
                       "Cost Frequency (Unit Type)": "Weekly", "Planned units per week": "2.00"},
     ("M01", "Unit Cost")),
    ("M01_employment_for_ld_18_to_64", {"Date of Birth": "1990-01-01",
                                         "Primary Support Reason": "Learning disability support"},
     ("M01", "Employment Status")),
    ("T03_adults_cared_for", {"Client Type": "Unpaid carer", "Client Funding Status": "",
                              "No. of adults being cared for": "two",
                              "Service Type": "Unpaid carer support: Direct to unpaid carer",
                              "Service Component": "Unpaid carer respite",
                              "Unit Cost": "1.00", "Cost Frequency (Unit Type)": "Weekly",
                              "Planned units per week": "1.00"},
     ("T03", "No. of adults being cared for")),
    ("T05_postcode", {"Postcode": "NOT A POSTCODE"}, ("T05", "Postcode")),
    ("T07_formula", {"Event Reference": "=HYPERLINK(1)"}, ("T07", "Event Reference")),
    ("D11_dummy_birth_date", {"Date of Birth": "1900-01-01"}, ("D11", "Date of Birth")),
    ("D05_starts_after_period", {"Event Start Date": "2026-07-05"},
     ("D05", "Event Start Date")),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "expected"), [pytest.param(c, e, id=i) for i, c, e in CASES])
def test_single_fault_gives_single_finding(
    tmp_path: Path, changes: dict[str, str], expected: tuple[str, str | None] | None
) -> None:
    rows = [corpus.person(i) for i in range(1, 4)]
    rows[1].update(changes)
    path = tmp_path / "one_fault.csv"
    path.write_text(corpus.render(rows), encoding="utf-8")
    got = [(f.row, f.rule, f.column) for f in validate_files([path])]
    assert got == ([] if expected is None else [(3, *expected)])
