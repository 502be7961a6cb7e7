"""Public JSON API of the care cost calculator.

``POST /api/charging/estimate`` takes the same input as ``careassure charge --input`` and
returns the same JSON (``ChargingResult.model_dump_json``). The year comes from the body's
``financial_year`` or ``?year=``. Nothing is stored and no database query is made.

The estimate is the calculator's busiest request, so a JSON ``POST`` is answered by a plain
Django view function (``estimate_view``) with the same parsing, messages and status codes as REST
framework's ``JSONParser``; every other request to the URL (other methods, other content
types, an empty body, content negotiation) goes through the ``EstimateApi`` view,
and drf-spectacular documents the endpoint from ``EstimateApi``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.utils.json import strict_constant
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


def _estimate_response(body: object, year: str | None) -> HttpResponse:
    """The response to a parsed request body (any JSON value) and ``?year=``."""
    if not isinstance(body, dict):
        return _errors([(None, "The request body must be a JSON object of answers")])
    answers = dict(body)
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


# The headers REST framework's view adds to every response of this endpoint.
_ALLOW = "POST, OPTIONS"


def _plain_json_post(request: HttpRequest) -> bool:
    """Whether REST framework would parse this request's body with ``JSONParser`` and accept
    a JSON response: a POST with a non-empty ``application/json`` body, an ``Accept`` header
    that is absent or allows JSON, and no ``?format=``."""
    if request.method != "POST" or request.content_type != "application/json":
        return False
    if "format" in request.GET:
        return False
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) <= 0:
            return False
    except ValueError:
        return False
    accept = request.META.get("HTTP_ACCEPT")
    if not accept:
        return True
    accepted = {item.split(";", 1)[0].strip().lower() for item in accept.split(",")}
    return bool(accepted & {"*/*", "application/*", "application/json"})


def _parse_json_body(request: HttpRequest) -> object:
    """The body as ``JSONParser`` reads it: decoded with the request's charset, no NaN or
    Infinity. Raises ``ValueError`` with the parser's message."""
    encoding = request.encoding or settings.DEFAULT_CHARSET
    try:
        text = request.body.decode(encoding)
        return json.loads(text, parse_constant=strict_constant if JSONParser.strict else None)
    except ValueError as exc:
        raise ValueError(f"JSON parse error - {exc}") from None


def _fast_estimate(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    try:
        body = _parse_json_body(request)
    except ValueError as error:
        response = _errors([(None, f"The request body is not a JSON object: {error}")])
    else:
        response = _estimate_response(body, request.GET.get("year"))
    response["Allow"] = _ALLOW
    return response


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
        return _estimate_response(body, request.query_params.get("year"))


def estimate_view() -> Callable[..., HttpResponse]:
    """The view function for the estimate's URL: a JSON POST is answered directly by
    ``_fast_estimate``, anything else by ``EstimateApi`` through REST framework. It keeps the
    attributes REST framework and drf-spectacular read from a view (``cls``, ``initkwargs``), so
    the OpenAPI document describes ``EstimateApi``."""
    dispatch = EstimateApi.as_view()

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _plain_json_post(request):
            return _fast_estimate(request)
        response: HttpResponse = dispatch(request, *args, **kwargs)
        return response

    for name in ("cls", "initkwargs", "view_class", "view_initkwargs", "__doc__"):
        setattr(view, name, getattr(dispatch, name))
    for name in ("__name__", "__qualname__", "__module__"):
        setattr(view, name, getattr(EstimateApi, name))
    return csrf_exempt(view)


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
