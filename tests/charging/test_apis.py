"""The calculator's JSON API: the public worked examples to the penny, errors, schemas."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries
from pytest_django import Settings as SettingsWrapper
from typer.testing import CliRunner

from careassure.cli.main import app
from careassure.core.charging import input_json_schema, output_json_schema
from tests.charging.conftest import TEST_DATA

ESTIMATE = "/api/charging/estimate"
EXAMPLES = TEST_DATA / "examples"


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def post(client: Client, body: object, query: str = "") -> Any:
    return client.post(ESTIMATE + query, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("filename", "policy", "charge", "contribution"),
    [
        # 167.96 + 108.55 − 35.90 (night element, no night care) = 240.61 counted;
        # − DRE 12.60 (6.42 + 6.18) − MIG 160.30 (87.65 + 48.80 + 23.85) = 67.71;
        # council 391.95 − 67.71 = 324.24.
        pytest.param(
            "example-1-knowsley-home-care.json", "knowsley-example", "67.71", "324.24", id="1"
        ),
        # 225.45 + 101.75 = 327.20; − housing 17.27 − DRE 28.08 − MIG 171.75 = 110.10;
        # council 454.00 − 110.10 = 343.90.
        pytest.param("example-2-devon-community.json", "devon-example", "110.10", "343.90", id="2"),
        # Tariff ceil(2,800.91 / 250) = 12; 227.55 + 7.25 + 12 = 246.80; − PEA 30.15
        # − savings disregard min(7.25, 6.95) = 209.70; council 685.37 − 209.70 = 475.67.
        pytest.param(
            "example-3-knowsley-care-home.json", "knowsley-example", "209.70", "475.67", id="3"
        ),
        # 209.67 + 25.81 = 235.48; − PEA 30.15 = 205.33; council 694.00 − 205.33 = 488.67.
        pytest.param("example-4-leeds-care-home.json", "kent", "205.33", "488.67", id="4"),
        # Joint savings 9,500 → 4,750 each, no tariff; 122.00 + 60.00 + 55.10 = 237.10;
        # − 25.00 − local MIG 148.47 = 63.63 (no cost of care entered).
        pytest.param(
            "example-5-appendix-2016-17.json",
            "appendix-council-example",
            "63.63",
            None,
            id="5-2016-17",
        ),
        # 125.05 + 61.50 + 55.65 = 242.20; − 25.00 − 148.47 = 68.73.
        pytest.param(
            "example-5-appendix-2017-18.json",
            "appendix-council-example",
            "68.73",
            None,
            id="5-2017-18",
        ),
    ],
)
def test_worked_examples_to_the_penny_through_the_api(
    client: Client,
    council: SettingsWrapper,
    filename: str,
    policy: str,
    charge: str,
    contribution: str | None,
) -> None:
    council.CAREASSURE_CHARGING_POLICY = policy
    response = post(client, example(filename))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "charge"
    assert Decimal(body["weekly_charge"]) == Decimal(charge)
    assert body["weekly_charge"] == charge
    assert body["council_contribution"] == contribution


def test_output_is_the_same_json_as_the_cli(client: Client, council: SettingsWrapper) -> None:
    council.CAREASSURE_CHARGING_POLICY = "knowsley-example"
    path = EXAMPLES / "example-1-knowsley-home-care.json"
    cli = CliRunner().invoke(
        app,
        [
            "charge",
            "--input",
            str(path),
            "--data-dir",
            str(council.CAREASSURE_CHARGING_DATA_DIR),
            "--policy",
            "knowsley-example",
            "--format",
            "json",
        ],
    )
    assert cli.exit_code == 0, cli.output
    response = post(client, example("example-1-knowsley-home-care.json"))
    assert response.json() == json.loads(cli.output)
    assert response.content.decode() == cli.output.rstrip("\n")


def test_year_in_the_query_overrides_the_body(client: Client) -> None:
    # Example 4 with 2023-24 rates: PEA £28.25, so 235.48 − 28.25 = 207.23.
    response = post(client, example("example-4-leeds-care-home.json"), query="?year=2023-24")
    assert response.status_code == 200
    assert response.json()["financial_year"] == "2023-24"
    assert response.json()["weekly_charge"] == "207.23"


def test_monthly_income_is_made_weekly(client: Client) -> None:
    # Example 4 with the private pension as 111.84 a month: × 12 ÷ 52 = 25.8092… → 25.80;
    # 209.67 + 25.80 − PEA 30.15 = 205.32.
    body = example("example-4-leeds-care-home.json")
    body["income"] |= {"private_pensions": "111.84", "periods": {"private_pensions": "month"}}
    response = post(client, body)
    assert response.status_code == 200, response.content
    assert response.json()["weekly_charge"] == "205.32"


def test_bad_input_lists_every_problem_with_its_field(client: Client) -> None:
    body = {
        "financial_year": "2024-25",
        "care_setting": "home_care",
        "age": 40,
        "reached_pension_credit_age": False,
        "capital": {"savings": "-5"},
        "income": {"state_pension": "lots"},
    }
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {"field": "capital.savings", "message": "Your savings must be £0 or more"},
            {
                "field": "income.state_pension",
                "message": "Enter your State Pension as an amount of money, like 1500 or 1500.50",
            },
        ]
    }


def test_missing_answers_are_named(client: Client) -> None:
    response = post(client, {"financial_year": "2024-25"})
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["care_setting"] == "Select where you get, or will get, care"
    assert errors["age"] == "Enter your age as a whole number, like 67"


def test_a_year_with_no_rates_is_a_clear_error(client: Client) -> None:
    body = example("example-4-leeds-care-home.json") | {"financial_year": "2030-31"}
    response = post(client, body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "financial_year"
    assert error["message"].startswith(
        "There are no charging rates for the financial year 2030-31. Years with rates: "
    )


def test_a_missing_rate_for_the_year_is_a_clear_error(client: Client) -> None:
    # 2026-27 holds only the MIG for a single person at Pension Credit age.
    body = example("example-4-leeds-care-home.json") | {"financial_year": "2026-27"}
    response = post(client, body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "financial_year"
    assert error["message"].startswith("The 2026-27 rates have no usable value for")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param("[1, 2]", 400, id="not-an-object"),
        pytest.param("{not json", 400, id="not-json"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    client: Client, body: str, status: int
) -> None:
    response = client.post(ESTIMATE, data=body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] is None


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        pytest.param(
            '{"age": NaN}',
            "application/json",
            400,
            "JSON parse error - Out of range float values are not JSON compliant: 'NaN'",
            id="nan",
        ),
        pytest.param(
            b'{"age": "\xff"}',
            "application/json",
            400,
            "JSON parse error - 'utf-8' codec can't decode byte 0xff in position 9: "
            "invalid start byte",
            id="not-utf-8",
        ),
        pytest.param(
            "{}", "text/plain", 415, 'Unsupported media type "text/plain" in request.', id="text"
        ),
        pytest.param("{}", "", 415, 'Unsupported media type "" in request.', id="no-type"),
    ],
)
def test_a_body_the_json_parser_refuses_gets_its_message(
    client: Client, body: str | bytes, content_type: str, status: int, message: str
) -> None:
    response = client.post(ESTIMATE, data=body, content_type=content_type)
    assert response.status_code == status
    assert response.json() == {
        "errors": [{"field": None, "message": f"The request body is not a JSON object: {message}"}]
    }


def test_an_empty_body_is_an_empty_set_of_answers(client: Client) -> None:
    response = client.post(ESTIMATE, data="", content_type="application/json")
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["care_setting"] == "Select where you get, or will get, care"


def test_other_methods_and_accept_headers_get_rest_frameworks_answers(client: Client) -> None:
    response = client.get(ESTIMATE)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}
    response = post(client, example("example-4-leeds-care-home.json"))
    assert response["Allow"] == "POST, OPTIONS"
    response = client.post(
        ESTIMATE, data="{}", content_type="application/json", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 406


def test_the_estimate_keeps_the_security_headers_and_sets_no_cookie(client: Client) -> None:
    response = post(client, example("example-4-leeds-care-home.json"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert not response.cookies


@pytest.mark.django_db
def test_the_estimate_makes_no_database_query_and_needs_no_sign_in(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client.post(ESTIMATE, data="{}", content_type="application/json")  # warm the caches
    with django_assert_num_queries(0):
        response = post(client, example("example-4-leeds-care-home.json"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_schemas_are_served(client: Client) -> None:
    assert client.get("/api/charging/schema/input").json() == input_json_schema()
    assert client.get("/api/charging/schema/output").json() == output_json_schema()


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_estimate(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    operation = schema["paths"]["/api/charging/estimate"]["post"]
    assert operation["operationId"] == "charging_estimate"
    assert "ChargingInput" in schema["components"]["schemas"]
    assert "ChargingResult" in schema["components"]["schemas"]
    assert "/api/charging/schema/input" in schema["paths"]
    # OpenAPI 3.0: a nullable amount, not JSON Schema's {"type": "null"} alternative.
    weekly_charge = schema["components"]["schemas"]["ChargingResult"]["properties"]["weekly_charge"]
    assert weekly_charge == {"nullable": True, "type": "string", "title": "Weekly Charge"}
