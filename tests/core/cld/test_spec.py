"""The CLD specification data: fields, headers and code lists (reference §2, §3)."""

from __future__ import annotations

import pytest

from careassure.core.cld.spec import FIELDS, HEADERS, codelists, loader_rules


def test_fifty_fields_in_submission_order() -> None:
    # Reference §2.1 lists 50 headers; the first three and the last are copied from the table.
    assert len(FIELDS) == 50
    assert HEADERS[:3] == ["LA Code", "Reporting Period Start Date", "Reporting Period End Date"]
    assert HEADERS[30] == "Request: Route of Access"
    assert HEADERS[-1] == "Planned units per week"
    assert [f.number for f in FIELDS] == list(range(1, 51))


@pytest.mark.parametrize(
    ("header", "column"),
    [
        pytest.param("LA Code", "la_code", id="la_code"),
        pytest.param("Autism Spectrum Disorder (ASD)", "autism_spectrum_disorder_asd", id="asd"),
        pytest.param("Request: Route of Access", "request_route_of_access", id="route"),
        pytest.param("No. of adults being cared for", "no_of_adults_being_cared_for", id="adults"),
        pytest.param("Cost Frequency (Unit Type)", "cost_frequency_unit_type", id="cost_freq"),
    ],
)
def test_snake_case_column_names(header: str, column: str) -> None:
    # The national name (§2.1) lower-cased, e.g. Autism_Spectrum_Disorder_ASD.
    assert {f.header: f.column for f in FIELDS}[header] == column


def test_only_gp_and_provider_names_are_optional_headers() -> None:
    # §2.3: GP Practice Name and Provider CQC Location Name may be absent.
    optional = [f.header for f in FIELDS if f.optional_header]
    assert optional == ["GP Practice Name", "Provider CQC Location Name"]


def test_personal_fields_are_the_ones_masked_in_findings() -> None:
    # §4.8: NHS number, names, date of birth, postcode, LA person id and linked ids are masked;
    # Event Description is never echoed (also flagged personal).
    personal = {f.header for f in FIELDS if f.personal}
    assert personal == {
        "NHS Number",
        "LA Person Unique Identifier",
        "First Name",
        "Last Name",
        "Date of Birth",
        "Postcode",
        "Event Description",
        "Adult 1 Linked Person_ID",
        "Adult 2 Linked Person_ID",
        "Adult 3 Linked Person_ID",
    }


@pytest.mark.parametrize(
    ("codelist", "r1_value", "r2_value"),
    [
        pytest.param("event_outcome", "NFA- Other", "NFA: Other", id="nfa_other"),
        pytest.param(
            "event_outcome",
            "No change in package",
            "Continuation of support or services",
            id="merged",
        ),
        pytest.param(
            "event_outcome",
            "Progress to End of Life Care",
            "Release 1 specification only: Not mapped",
            id="not_mapped",
        ),
        pytest.param("client_type", "Carer", "Unpaid carer", id="carer"),
        pytest.param("client_type", "Service User", "Service user", id="capitals_only"),
        pytest.param("ethnicity", "White - Roma", "White: Roma", id="ethnicity_separator"),
        pytest.param(
            "service_type",
            "Carer Support: Direct to Carer",
            "Unpaid carer support: Direct to unpaid carer",
            id="carer_support",
        ),
        pytest.param(
            "accommodation_status",
            "Tenant",
            "Tenant: Local authority or other social housing provider",
            id="tenant",
        ),
    ],
)
def test_release_1_values_map_to_release_2(codelist: str, r1_value: str, r2_value: str) -> None:
    # Mappings copied from the tables of §3.2, §3.3, §3.7, §3.9 and §3.12.
    assert codelists()[codelist].map_to_r2(r1_value) == r2_value


def test_r2_outcome_list_has_the_sixteen_values_of_section_3_7() -> None:
    # §3.7 R2 column: 4 progress/continuation values, Admitted to hospital, 11 NFA values.
    assert len(codelists()["event_outcome"].r2) == 16


def test_loader_parameters() -> None:
    rules = loader_rules()
    assert rules.r2_cutover_date.isoformat() == "2025-07-01"  # §4.4 C01
    assert rules.malformed_row_threshold == 0.01  # §4.2 F04
    assert rules.max_text_chars == 255  # §4.3 T06
