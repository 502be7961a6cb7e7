"""DHSC's data-quality summary (reference §4.9) of a tiny hand-made CLD file.

The file is a Release 2 file (period 2025-07-01 to 2026-06-30, council 999) with eight rows.
Every row × field status below is read from the matrix of reference §4.5 and every result
from the rule that fires (§4.3-§4.5), written out by hand:

- line 2: a long-term community service, CASSR commissioned support, for a service user born
  1940 (86 at the period end); Gender "female" (C03 warning: still valid) and Unit Cost "£5"
  (T02 error: invalid; costs are optional here because the support is commissioned);
- line 3: the same service paid as a Direct payment, with a Date of Death and no end date:
  the cost rule makes Unit Cost, Cost Frequency and Planned units mandatory (Planned units is
  blank: M01) and the death makes Event End Date mandatory (blank: D07);
- line 4: a request with a blank Route of Access (M01), a blank Primary Support Reason (optional
  on requests) and a Delivery Mechanism, which does not apply to requests (X01 warning: valid);
- line 5: a financial assessment: no outcome or method needed, Client Funding Status mandatory
  and blank (M01); Accommodation Status "Tenant" is a Release 1 value in a Release 2 file (C04);
- line 6: an unpaid carer known by association linked to the person on line 2, no event fields;
- line 7: a client type that is not in the list ("Client", C05) on a service whose start date
  is not a calendar date (T01): every field that depends on the client type is Undetermined;
- line 8: a service user's row with a blank Event Type (M01): fields that differ between event
  types are Undetermined;
- line 9: a planned review for a service user aged 31 with Learning Disability Support: blank
  Employment Status (M01) and blank Review Outcomes Achieved (M01).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from careassure.core.cld import CldError, load_files
from careassure.core.cld.dq import FIELD_MODULES, MODULES, dq_summary, dq_values
from careassure.core.cld.spec import FIELDS

CORPUS = Path(__file__).resolve().parents[2] / "data" / "cld"


def _corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()

STATUS = {"M": "Mandatory", "O": "Applicable but not mandatory", "NA": "Not applicable",
          "U": "Undetermined"}  # fmt: skip
RESULT = {"V": "Passed: Valid", "BN": "Passed: Blank (Not Mandatory)",
          "BM": "Failed: Blank (Mandatory)", "I": "Failed: Invalid",
          "R1": "Failed: Release 1"}  # fmt: skip
NO_SERVICE = {"Service Type": "", "Service Component": "", "Delivery Mechanism": ""}
COSTS = ("Unit Cost", "Cost Frequency (Unit Type)", "Planned units per week")
CARER_FIELDS = ("Total Hrs Caring per week", "No. of adults being cared for",
                "Adult 1 Linked Person_ID", "Adult 2 Linked Person_ID",
                "Adult 3 Linked Person_ID")  # fmt: skip
SU_FIELDS = ("Autism Spectrum Disorder (ASD)", "Visual Impairment", "Hearing Impairment",
             "Dementia")  # fmt: skip
REVIEW_FIELDS = ("Review Reason", "Review Outcomes Achieved", "Method of Review")
ASSESSMENT_FIELDS = ("Assessment Type", "Eligible Needs Identified", "Method of Assessment")
SERVICE_FIELDS = ("Service Type", "Service Component", "Delivery Mechanism",
                  "Provider CQC Location Name", "Provider CQC Location ID")  # fmt: skip

# A service user's long-term community service (corpus.BASE), field by field (§4.5, "Svc").
SERVICE_ROW = {
    "LA Code": "M V", "Reporting Period Start Date": "M V", "Reporting Period End Date": "M V",
    "NHS Number": "M V", "LA Person Unique Identifier": "M V",
    "First Name": "U V", "Last Name": "U V",  # not in the matrix
    "GP Practice Name": "O BN", "GP Practice Code": "O BN",
    "Gender": "M V", "Ethnicity": "M V", "Date of Birth": "M V", "Date of Death": "O BN",
    "Client Type": "M V", "Primary Support Reason": "M V", "Postcode": "M V",
    "Accommodation Status": "M V",
    "Employment Status": "O BN",  # aged 86: condition 1 not met
    "Has Unpaid Carer": "M V",
    **dict.fromkeys(SU_FIELDS, "O BN"),
    "Client Funding Status": "M V",
    "Event Type": "M V", "Event Reference": "O V", "Event Start Date": "M V",
    "Event End Date": "O BN",  # open service, no Date of Death
    "Event Description": "O BN", "Event Outcome": "M V",
    "Request: Route of Access": "NA BN",
    **dict.fromkeys(ASSESSMENT_FIELDS, "NA BN"),
    **dict.fromkeys(CARER_FIELDS, "NA BN"),
    "Service Type": "M V", "Service Component": "M V", "Delivery Mechanism": "O V",
    "Provider CQC Location Name": "O BN", "Provider CQC Location ID": "O BN",
    **dict.fromkeys(REVIEW_FIELDS, "NA BN"),
    **dict.fromkeys(COSTS, "O BN"),  # CASSR commissioned support: the cost rule does not apply
}  # fmt: skip

NOT_A_SERVICE = {**dict.fromkeys(SERVICE_FIELDS, "NA BN"), **dict.fromkeys(COSTS, "NA BN")}

ROWS: list[tuple[dict[str, str], dict[str, str]]] = [
    # line 2
    (
        {"Gender": "female", "Unit Cost": "£5"},
        {"Unit Cost": "O I"},
    ),
    # line 3
    (
        {"Delivery Mechanism": "Direct payment", "Unit Cost": "12.50",
         "Cost Frequency (Unit Type)": "Weekly", "Date of Death": "2026-01-10"},
        {"Date of Death": "O V", "Event End Date": "M BM", "Unit Cost": "M V",
         "Cost Frequency (Unit Type)": "M V", "Planned units per week": "M BM"},
    ),
    # line 4
    (
        {"Event Type": "Request", "Event End Date": "2025-09-05",
         "Event Outcome": "NFA: Information and advice or signposting",
         "Primary Support Reason": "", "Client Funding Status": "", **NO_SERVICE,
         "Delivery Mechanism": "Direct payment"},
        {**NOT_A_SERVICE, "Primary Support Reason": "O BN", "Client Funding Status": "O BN",
         "Event End Date": "M V", "Request: Route of Access": "M BM",
         "Delivery Mechanism": "NA V"},
    ),
    # line 5
    (
        {"Event Type": "Assessment", "Assessment Type": "Financial assessment",
         "Event End Date": "2025-08-10", "Event Outcome": "", "Client Funding Status": "",
         "Accommodation Status": "Tenant", **NO_SERVICE},
        {**NOT_A_SERVICE, "Accommodation Status": "M R1", "Client Funding Status": "M BM",
         "Event End Date": "M V", "Event Outcome": "O BN", "Assessment Type": "M V",
         "Eligible Needs Identified": "O BN", "Method of Assessment": "O BN"},
    ),
    # line 6
    (
        {"Client Type": "Unpaid carer known by association",
         "Primary Support Reason": "Social support: Support to unpaid carer",
         "Client Funding Status": "", "Event Type": "", "Event Reference": "",
         "Event Start Date": "", "Event Outcome": "", **NO_SERVICE,
         "No. of adults being cared for": "1", "Adult 1 Linked Person_ID": "P0001"},
        {**NOT_A_SERVICE, **dict.fromkeys(SU_FIELDS, "NA BN"), "Client Funding Status": "NA BN",
         "Employment Status": "O BN", "Event Type": "NA BN", "Event Reference": "NA BN",
         "Event Start Date": "NA BN", "Event End Date": "NA BN", "Event Description": "NA BN",
         "Event Outcome": "NA BN", "Request: Route of Access": "NA BN",
         "Total Hrs Caring per week": "O BN", "No. of adults being cared for": "O V",
         "Adult 1 Linked Person_ID": "O V", "Adult 2 Linked Person_ID": "O BN",
         "Adult 3 Linked Person_ID": "O BN"},
    ),
    # line 7
    (
        {"Client Type": "Client", "Event Start Date": "2025-02-30"},
        {"Client Type": "M I", "Event Start Date": "M I", **dict.fromkeys(SU_FIELDS, "U BN"),
         "Employment Status": "U BN", "Client Funding Status": "U V",
         **dict.fromkeys(CARER_FIELDS, "U BN")},
    ),
    # line 8
    (
        {"Event Type": ""},
        {"Event Type": "M BM",
         "Primary Support Reason": "U V",  # O on requests, M on the other events
         "Client Funding Status": "U V",  # O on requests and other assessments, M on services
         "Event End Date": "U BN",  # M on requests, assessments, reviews; O on this service
         "Request: Route of Access": "U BN", **dict.fromkeys(ASSESSMENT_FIELDS, "U BN"),
         "Service Type": "U V", "Service Component": "U V", "Delivery Mechanism": "U V",
         "Provider CQC Location Name": "U BN", "Provider CQC Location ID": "U BN",
         **dict.fromkeys(REVIEW_FIELDS, "U BN"), **dict.fromkeys(COSTS, "U BN")},
    ),
    # line 9
    (
        {"Event Type": "Review", "Review Reason": "Planned", "Method of Review":
         "Service user only", "Event End Date": "2025-09-01", "Date of Birth": "1995-06-01",
         "Primary Support Reason": "Learning disability support", **NO_SERVICE},
        {**NOT_A_SERVICE, "Employment Status": "M BM", "Event End Date": "M V",
         "Review Reason": "M V", "Review Outcomes Achieved": "M BM", "Method of Review": "M V"},
    ),
]  # fmt: skip
IMPORTED = "2026-07-02 23:30:00+00"  # 00:30 on 3 July in London: the UTC date is 2 July


def expected_cells() -> dict[tuple[int, str], tuple[str, str]]:
    out = {}
    for line, (_changes, overrides) in enumerate(ROWS, start=2):
        cells = {**SERVICE_ROW, **overrides}
        assert set(cells) == {f.header for f in FIELDS}
        for header, text in cells.items():
            status, result = text.split()
            out[(line, header)] = (STATUS[status], RESULT[result])
    return out


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    rows = []
    for i, (changes, _expected) in enumerate(ROWS, start=1):
        row = corpus.person(i)
        row.update(changes)
        rows.append(row)
    path = tmp_path / "CLD_999_dq.csv"
    path.write_text(corpus.render(rows), encoding="utf-8")
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'Europe/London'")
    load_files(connection, [path], today=dt.date(2026, 7, 1))
    connection.execute(f"UPDATE cld_loads SET loaded_at = '{IMPORTED}'")
    yield connection  # type: ignore[misc]
    connection.close()


def test_findings_of_the_file(con: duckdb.DuckDBPyConnection) -> None:
    """The findings the results rest on (so the file is what the docstring says)."""
    findings = con.execute(
        'SELECT "row", rule, "column" FROM cld_findings ORDER BY "row", rule, "column"'
    ).fetchall()
    assert findings == [
        (2, "C03", "Gender"),
        (2, "T02", "Unit Cost"),
        (3, "D07", "Event End Date"),
        (3, "M01", "Planned units per week"),
        (4, "M01", "Request: Route of Access"),
        (4, "X01", "Delivery Mechanism"),
        (5, "C04", "Accommodation Status"),
        (5, "M01", "Client Funding Status"),
        (7, "C05", "Client Type"),
        (7, "T01", "Event Start Date"),
        (8, "M01", "Event Type"),
        (9, "M01", "Employment Status"),
        (9, "M01", "Review Outcomes Achieved"),
    ]


def test_every_row_and_field(con: duckdb.DuckDBPyConnection) -> None:
    values = dq_values(con)
    assert len(values) == 8 * 50
    got = {(v.row, v.field): (v.field_status, v.result) for v in values}
    expected = expected_cells()
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert wrong == {}
    assert {v.file for v in values} == {"CLD_999_dq.csv"}
    assert {v.import_date for v in values} == {dt.date(2026, 7, 2)}
    assert {(v.field, v.module) for v in values} == {
        (f.header, FIELD_MODULES[f.column]) for f in FIELDS
    }


def test_summary_counts(con: duckdb.DuckDBPyConnection) -> None:
    summary = dq_summary(con)
    got = {(c.module, c.field, c.field_status, c.result): c.count for c in summary}
    expected = Counter(
        (FIELD_MODULES[f.column], f.header, *expected_cells()[(line, f.header)])
        for line in range(2, 10)
        for f in FIELDS
    )
    assert got == dict(expected)
    assert {(c.la_code, c.import_date) for c in summary} == {("999", dt.date(2026, 7, 2))}
    # A few counts read straight off the table in the docstring:
    assert got[("Person details", "Client Type", "Mandatory", "Passed: Valid")] == 7
    assert got[("Person details", "Client Type", "Mandatory", "Failed: Invalid")] == 1
    assert got[("Events (all)", "Event End Date", "Mandatory", "Passed: Valid")] == 3
    assert got[("Events (all)", "Event End Date", "Applicable but not mandatory",
                "Passed: Blank (Not Mandatory)")] == 2  # fmt: skip
    assert got[("Person details", "Accommodation Status", "Mandatory", "Failed: Release 1")] == 1
    by_result = Counter()
    for c in summary:
        by_result[c.result] += c.count
    # Blank mandatory: lines 3 (x2), 4, 5, 8, 9 (x2); the same cells as the M01 and D07 findings.
    assert by_result["Failed: Blank (Mandatory)"] == 7
    assert by_result["Failed: Invalid"] == 3  # Unit Cost (2), Client Type and Start Date (7)
    assert by_result["Failed: Release 1"] == 1
    assert sum(by_result.values()) == 400
    # Ordered by module, then field in specification order.
    modules = [c.module for c in summary]
    assert modules == sorted(modules, key=MODULES.index)


def test_modules_are_the_six_of_the_reference() -> None:
    sizes = Counter(FIELD_MODULES.values())
    assert sizes == {
        "Submission information": 3,
        "Person details": 21,
        "Events (all)": 6,
        "Events (requests / assessments / services / reviews only)": 12,
        "Carers and linked service users": 5,
        "Costs (services only)": 3,
    }


def test_filters_by_council_and_load(con: duckdb.DuckDBPyConnection) -> None:
    assert dq_summary(con, la_code="888") == []
    load_id = con.execute("SELECT load_id FROM cld_loads").fetchone()[0]
    assert sum(c.count for c in dq_summary(con, load_ids=[load_id])) == 400
    assert dq_summary(con, load_ids=[]) == []


def test_a_database_without_cld_is_an_error() -> None:
    with pytest.raises(CldError, match="no loaded Client Level Data"):
        dq_summary(duckdb.connect())
