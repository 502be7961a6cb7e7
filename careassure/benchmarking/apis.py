"""Public JSON API: score calculation and published results (both public information)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from careassure.benchmarking import selectors
from careassure.core.scoring import ScoringError, score_overall


class ScoreInputSerializer(serializers.Serializer[Any]):
    scores = serializers.ListField(
        child=serializers.JSONField(allow_null=True),
        min_length=1,
        max_length=9,
        help_text="Up to nine quality statement scores in order qs1..qs9; null = not scored.",
    )


SCORE_OUTPUT_SCHEMA = inline_serializer(
    name="ScoreOutput",
    fields={
        "total": serializers.IntegerField(),
        "max": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
        "percent_exact": serializers.CharField(),
        "rating": serializers.CharField(),
        "position": serializers.CharField(),
        "partial": serializers.BooleanField(),
    },
)


class ScoreApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=ScoreInputSerializer, responses=SCORE_OUTPUT_SCHEMA)
    def post(self, request: Request) -> Response:
        serializer = ScoreInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = score_overall(serializer.validated_data["scores"])
        except ScoringError as error:
            return Response({"scores": [str(error)]}, status=400)
        return Response(
            {
                "total": result.total,
                "max": result.max,
                "percent": result.percentage,
                "percent_exact": str(result.percentage_exact),
                "rating": str(result.rating.value),
                "position": str(result.position),
                "partial": result.partial,
            }
        )


PUBLISHED_RESULTS_SCHEMA = inline_serializer(
    name="PublishedResult",
    many=True,
    fields={
        "la_name": serializers.CharField(),
        "ons_code": serializers.CharField(),
        "region": serializers.CharField(),
        "org_type": serializers.CharField(),
        "published_month": serializers.CharField(),
        "rating": serializers.CharField(),
        "indicative": serializers.BooleanField(),
        "uncertain": serializers.BooleanField(),
        "scores": serializers.ListField(child=serializers.IntegerField(allow_null=True)),
        "total": serializers.IntegerField(allow_null=True),
        "max_total": serializers.IntegerField(allow_null=True),
        "percent": serializers.IntegerField(allow_null=True),
        "computed_rating": serializers.CharField(),
        "rating_mismatch": serializers.BooleanField(),
        "partial": serializers.BooleanField(),
    },
)


class PublishedResultListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=PUBLISHED_RESULTS_SCHEMA)
    def get(self, request: Request) -> Response:
        results = selectors.published_result_list(
            rating=request.query_params.get("rating", ""),
            region=request.query_params.get("region", ""),
            org_type=request.query_params.get("org_type", ""),
        )
        fields = [
            "la_name",
            "ons_code",
            "region",
            "org_type",
            "published_month",
            "rating",
            "indicative",
            "uncertain",
            "total",
            "max_total",
            "percent",
            "computed_rating",
            "rating_mismatch",
            "partial",
        ]
        return Response(
            [{**{f: getattr(r, f) for f in fields}, "scores": r.scores} for r in results]
        )
