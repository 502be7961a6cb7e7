"""One planted fault per file gives exactly one finding with the right rule and column."""

from __future__ import annotations

import hashlib
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


def _mask(value: str) -> str:
    """The masked form of a personal value with the default salt (reference §4.8)."""
    digest = hashlib.sha256(("careassure-cld" + value).encode("utf-8")).hexdigest()
    return f"#{digest[:4]}…({len(value)})"


CARER = {"Client Type": "Unpaid carer", "Client Funding Status": "",
         "No. of adults being cared for": "2",
         "Service Type": "Unpaid carer support: Direct to unpaid carer",
         "Service Component": "Unpaid carer respite", "Unit Cost": "1.00",
         "Cost Frequency (Unit Type)": "Weekly", "Planned units per week": "1.00"}  # fmt: skip
REVIEW = {"Event Type": "Review", "Event Start Date": "2025-09-01",
          "Event End Date": "2025-09-10", "Review Reason": "Planned",
          "Review Outcomes Achieved": "Fully Met", "Method of Review": "Service user only",
          "Service Type": "", "Service Component": "", "Delivery Mechanism": ""}  # fmt: skip
ENDED = {"Event End Date": "2026-04-20", "Event Outcome": "NFA: Support ended as planned"}

# Reference §4.7. The file holds P0001 (line 2), P0002 (line 3, changed as given) and P0003
# (line 4), then any extra rows. Every row is an open service unless changed; the reporting
# period is 2025-07-01 to 2026-06-30, so with open_service_stale_years = 5 (rules.yaml) R05 needs
# a start before 2026-06-30 - 5 years = 2021-06-30.
CROSS_ROW_CASES = [
    # (id, changes to line 3, extra rows, expected (line, rule, column, value))
    ("R02_second_link_not_in_file",
     {**CARER, "Adult 1 Linked Person_ID": "P0001", "Adult 2 Linked Person_ID": "P0404"}, [],
     [(3, "R02", "Adult 2 Linked Person_ID", _mask("P0404"))]),
    ("R02_third_link_not_in_file",
     {**CARER, "Adult 3 Linked Person_ID": "P0005"}, [],
     [(3, "R02", "Adult 3 Linked Person_ID", _mask("P0005"))]),
    ("links_to_people_in_the_file_are_valid",
     {**CARER, "Adult 1 Linked Person_ID": "P0001", "Adult 2 Linked Person_ID": "P0003"}, [],
     []),
    ("R05_open_service_started_2021_06_29", {"Event Start Date": "2021-06-29"}, [],
     [(3, "R05", "Event Start Date", "2021-06-29")]),
    ("open_service_started_exactly_5_years_before_is_valid",
     {"Event Start Date": "2021-06-30"}, [], []),
    ("stale_open_service_of_a_person_with_a_review_is_valid",
     {"Event Start Date": "2019-03-04"}, [corpus.person(2, **REVIEW)], []),
    ("stale_service_that_ended_is_valid", {"Event Start Date": "2019-03-04", **ENDED}, [], []),
    ("R06_open_service_starting_1_april", {"Event Start Date": "2026-04-01"}, [],
     [(3, "R06", "Event Start Date", "2026-04-01")]),
    ("service_starting_1_april_that_ended_is_valid",
     {"Event Start Date": "2026-04-01", **ENDED}, [], []),
    ("open_service_starting_2_april_is_valid", {"Event Start Date": "2026-04-02"}, [], []),
    # 2020-04-01 is before 2021-06-30 and a 1 April: both rules, in rule order.
    ("R05_and_R06_on_one_row", {"Event Start Date": "2020-04-01"}, [],
     [(3, "R05", "Event Start Date", "2020-04-01"), (3, "R06", "Event Start Date", "2020-04-01")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "extra", "expected"),
    [pytest.param(c, x, e, id=i) for i, c, x, e in CROSS_ROW_CASES],
)
def test_cross_row_rules_r02_r05_r06(
    tmp_path: Path,
    changes: dict[str, str],
    extra: list[dict[str, str]],
    expected: list[tuple[int, str, str, str]],
) -> None:
    rows = [corpus.person(i) for i in range(1, 4)]
    rows[1].update(changes)
    path = tmp_path / "cross_row.csv"
    path.write_text(corpus.render([*rows, *extra]), encoding="utf-8")
    got = [(f.row, f.rule, f.column, f.value) for f in validate_files([path])]
    assert got == expected
