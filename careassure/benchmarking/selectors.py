"""Reads of published results. Published results are public data: no organisation scoping."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean, median

from django.db.models import F, QuerySet

from careassure.benchmarking.models import PublishedResult, Rating

SORTABLE = {
    "name": "la_name",
    "region": "region",
    "type": "org_type",
    "published": "published_year",
    "rating": "percent",
    "percent": "percent",
    **{f"qs{i}": f"qs{i}" for i in range(1, 10)},
}


def published_result_list(
    *,
    rating: str = "",
    region: str = "",
    org_type: str = "",
    sort: str = "name",
    descending: bool = False,
) -> QuerySet[PublishedResult]:
    qs = PublishedResult.objects.all()
    if rating:
        qs = qs.filter(rating=rating)
    if region:
        qs = qs.filter(region=region)
    if org_type:
        qs = qs.filter(org_type=org_type)
    field = SORTABLE.get(sort, "la_name")
    expr = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return qs.order_by(expr, "la_name")


def published_result_get(*, result_id: int) -> PublishedResult | None:
    return PublishedResult.objects.filter(pk=result_id).first()


@dataclass(frozen=True)
class RatingCount:
    rating: str
    label: str
    count: int
    flagged: int


def rating_counts() -> list[RatingCount]:
    """Councils per published rating; `flagged` counts indicative or uncertain ones."""
    results = list(PublishedResult.objects.exclude(rating=""))
    counts = []
    for value, label in Rating.choices:
        rows = [r for r in results if r.rating == value]
        counts.append(
            RatingCount(
                rating=value,
                label=label,
                count=len(rows),
                flagged=sum(1 for r in rows if r.indicative or r.uncertain),
            )
        )
    return counts


def score_distribution() -> list[dict[str, object]]:
    """For each QS, how many comparable councils scored 1, 2, 3 and 4, and the mean score."""
    results = [r for r in PublishedResult.objects.all() if r.comparable]
    rows = []
    for i in range(1, 10):
        scores = [getattr(r, f"qs{i}") for r in results]
        rows.append(
            {
                "qs": f"qs{i}",
                "counts": {s: scores.count(s) for s in (1, 2, 3, 4)},
                "mean": mean(scores) if scores else None,
                "n": len(scores),
            }
        )
    return rows


@dataclass(frozen=True)
class Position:
    council: PublishedResult
    national_n: int
    national_rank: int
    national_median: float
    national_mean: float
    type_n: int
    type_rank: int | None
    type_median: float | None
    qs_means: list[float | None]


def council_position(*, council: PublishedResult) -> Position | None:
    """Where one scored council stands: rank (1 = highest %) nationally and among its type."""
    if council.percent is None:
        return None
    comparable = [r for r in PublishedResult.objects.all() if r.comparable]
    if council not in comparable:
        comparable.append(council)
    pcts = sorted((r.percent for r in comparable if r.percent is not None), reverse=True)
    same_type = [r for r in comparable if r.org_type and r.org_type == council.org_type]
    type_pcts = sorted((r.percent for r in same_type if r.percent is not None), reverse=True)
    qs_means: list[float | None] = []
    for i in range(1, 10):
        scores = [getattr(r, f"qs{i}") for r in comparable if getattr(r, f"qs{i}") is not None]
        qs_means.append(mean(scores) if scores else None)
    return Position(
        council=council,
        national_n=len(pcts),
        national_rank=pcts.index(council.percent) + 1,
        national_median=float(median(pcts)),
        national_mean=float(mean(pcts)),
        type_n=len(type_pcts),
        type_rank=type_pcts.index(council.percent) + 1 if council.org_type else None,
        type_median=float(median(type_pcts)) if type_pcts else None,
        qs_means=qs_means,
    )
