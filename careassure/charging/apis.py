"""Public JSON API of the care cost calculator.

``POST /api/charging/estimate`` takes the same input as ``careassure charge --input`` and
returns the same JSON (``ChargingResult.model_dump_json``). The year comes from the body's
``financial_year`` or ``?year=``. Nothing is stored and no database query is made.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpResponse, JsonResponse
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from careassure.charging import calculator
from careassure.core.charging import (
    ChargingError,
    ChargingInput,
    ChargingInputError,
    ChargingResult,
    input_json_schema,
    output_json_schema,
    parse_input,
)


def openapi_30(node: Any) -> Any:
    """A pydantic (JSON Schema 2020-12) schema as OpenAPI 3.0: ``null`` alternatives become
    ``nullable``, ``const`` becomes a one-value ``enum``."""
    if isinstance(node, list):
        return [openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: openapi_30(value) for key, value in node.items() if key != "$schema"}
    if "const" in node:
        node["enum"] = [node.pop("const")]
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        node.pop("anyOf")
        node["nullable"] = True
        if len(rest) == 1 and "$ref" in rest[0]:
            node["allOf"] = rest
        elif len(rest) == 1:
            node.update(rest[0])
        else:
            node["anyOf"] = rest
    return node


# drf-spectacular's extension classes are untyped, hence the no-untyped-call ignores.
class _ChargingModelExtension(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """Describe the calculator's pydantic models in the OpenAPI 3.0 schema (the request in
    validation mode, so amounts may be numbers or text; the response as serialised)."""

    priority = 1

    def get_name(self, auto_schema: Any, direction: str) -> str:
        return str(self.target.__name__)

    def map_serializer(self, auto_schema: Any, direction: str) -> Any:
        mode = "validation" if direction == "request" else "serialization"
        schema = self.target.model_json_schema(
            ref_template="#/components/schemas/{model}", mode=mode
        )
        for name, sub_schema in schema.pop("$defs", {}).items():
            auto_schema.registry.register_on_missing(
                ResolvedComponent(  # type: ignore[no-untyped-call]
                    name=name,
                    type=ResolvedComponent.SCHEMA,
                    object=name,
                    schema=openapi_30(sub_schema),
                )
            )
        return openapi_30(schema)


class ChargingInputExtension(_ChargingModelExtension):  # type: ignore[no-untyped-call]
    target_class = "careassure.core.charging.models.ChargingInput"


class ChargingResultExtension(_ChargingModelExtension):  # type: ignore[no-untyped-call]
    target_class = "careassure.core.charging.models.ChargingResult"


ERRORS_SCHEMA = OpenApiResponse(
    description="The input is not usable, or the year has no rates for it",
    response={
        "type": "object",
        "properties": {
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string", "nullable": True},
                        "message": {"type": "string"},
                    },
                    "required": ["field", "message"],
                },
            }
        },
        "required": ["errors"],
    },
)


def _errors(problems: list[tuple[str | None, str]], status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": field, "message": message} for field, message in problems]},
        status=status,
    )


@cache
def _input_schema() -> dict[str, Any]:
    return input_json_schema()


@cache
def _output_schema() -> dict[str, Any]:
    return output_json_schema()


class EstimateApi(APIView):
    """Estimate a weekly charge for care. Amounts may be numbers or text (“£1,234.50”)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="charging_estimate",
        summary="Estimate the weekly charge for care (Care Act 2014 charging rules)",
        request=ChargingInput,
        parameters=[
            OpenApiParameter(
                "year",
                str,
                description="Financial year like 2025-26; overrides financial_year in the body",
                required=False,
            )
        ],
        responses={200: ChargingResult, 400: ERRORS_SCHEMA},
        tags=["charging"],
    )
    def post(self, request: Request) -> HttpResponse:
        try:
            body = request.data
        except APIException as error:
            return _errors(
                [(None, f"The request body is not a JSON object: {error.detail}")],
                status=error.status_code,
            )
        if not isinstance(body, dict):
            return _errors([(None, "The request body must be a JSON object of answers")])
        answers = dict(body)
        year = request.query_params.get("year")
        if year:
            answers["financial_year"] = year
        try:
            inp = parse_input(answers)
        except ChargingInputError as error:
            return _errors([(problem.field, problem.message) for problem in error.errors])
        try:
            result = calculator.estimate(inp)
        except ChargingError as error:
            return _errors([("financial_year", str(error))])
        return HttpResponse(result.model_dump_json(indent=2), content_type="application/json")


class InputSchemaApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        operation_id="charging_schema_input",
        summary="JSON Schema of the estimate's input",
        responses={200: OpenApiResponse(description="A JSON Schema (draft 2020-12)")},
        tags=["charging"],
    )
    def get(self, request: Request) -> JsonResponse:
        return JsonResponse(_input_schema())


class OutputSchemaApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        operation_id="charging_schema_output",
        summary="JSON Schema of the estimate's result",
        responses={200: OpenApiResponse(description="A JSON Schema (draft 2020-12)")},
        tags=["charging"],
    )
    def get(self, request: Request) -> JsonResponse:
        return JsonResponse(_output_schema())
