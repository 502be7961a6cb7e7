"""Linked KPIs in reports: each KPI's history as frozen in the snapshot and, when it has enough
points, what statistical process control (SPC) says about it, the way NHS England's "Making
Data Count" does (``careassure.core.kpis.spc``: XmR chart, process limits at the mean ± 2.66 ×
the mean moving range, special-cause rules, variation and assurance icons).

Only the snapshot is read, never the live plan or the metrics engine, so a report made later
from the same month shows the same history. Snapshots made before series were frozen have no
``series`` key; their KPIs show their latest figure only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from careassure.core.kpis.charts import spc_chart
from careassure.core.kpis.errors import SpcError
from careassure.core.kpis.spc import (
    DEFAULT_MIN_POINTS,
    Assessment,
    SpcResult,
    SpcRule,
    VariationIcon,
    analyse,
)

# Making Data Count advises at least 15 points before relying on the process limits; a KPI
# with fewer is shown as a plain table of its figures instead of an SPC chart.
SPC_MIN_POINTS = DEFAULT_MIN_POINTS

VARIATION_SHORT = {
    VariationIcon.COMMON_CAUSE: "Common cause",
    VariationIcon.IMPROVING_HIGH: "Improvement (higher)",
    VariationIcon.IMPROVING_LOW: "Improvement (lower)",
    VariationIcon.CONCERNING_HIGH: "Concern (higher)",
    VariationIcon.CONCERNING_LOW: "Concern (lower)",
    VariationIcon.NEITHER_HIGH: "Special cause (higher)",
    VariationIcon.NEITHER_LOW: "Special cause (lower)",
}
ASSESSMENT_TEXT = {
    Assessment.IMPROVEMENT: "Improvement",
    Assessment.CONCERN: "Concern",
    Assessment.NEITHER: "Special cause",
}
RULE_TEXT = {
    SpcRule.OUTSIDE_LIMITS: "outside the process limits",
    SpcRule.SHIFT: "shift",
    SpcRule.TREND: "trend",
    SpcRule.TWO_OF_THREE: "two of three near a limit",
}
_RAG_RANK = {"red": 0, "amber": 1, "green": 2}


def number_text(value: float) -> str:
    """One decimal place with thousands separators, a whole number without ``.0``."""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def frozen_series(kpi: dict[str, Any]) -> list[tuple[dt.date, Decimal]] | None:
    """The KPI's figures frozen in the snapshot, oldest first; None for a snapshot made before
    series were frozen."""
    raw = kpi.get("series")
    if raw is None:
        return None
    points = []
    for day, value in raw:
        try:
            points.append((dt.date.fromisoformat(day), Decimal(value)))
        except (ValueError, InvalidOperation):
            continue
    return sorted(points)


def spc_of(
    series: Sequence[tuple[dt.date, Decimal]], *, polarity: str, target: str | None
) -> SpcResult | None:
    """The SPC analysis of a series with at least SPC_MIN_POINTS points, else None."""
    if len(series) < SPC_MIN_POINTS:
        return None
    try:
        return analyse(
            [(day, float(value)) for day, value in series],
            polarity=polarity,
            target=None if target is None else float(target),
        )
    except (SpcError, ValueError):
        return None


def _point_variation(result: SpcResult, index: int) -> str:
    point = result.points[index]
    if not point.special_cause:
        return "Common cause"
    kind = ASSESSMENT_TEXT[point.assessment] if point.assessment else "Special cause"
    rules = ", ".join(RULE_TEXT[r] for r in SpcRule if r in point.rules)
    return f"{kind}: {rules}"


def assurance_text(result: SpcResult) -> str:
    if result.assurance is not None:
        return result.assurance.label
    if result.target is None:
        return "Not assessed: the KPI has no target"
    return "Not assessed: neither higher nor lower is better"


def kpi_entry(
    *, action: dict[str, Any], kpi: dict[str, Any], rag_labels: dict[str, str]
) -> tuple[dict[str, Any], SpcResult | None]:
    """One KPI for a report (latest figure, RAG, the frozen history and its SPC summary) and
    its SPC analysis when it has enough points."""
    series = frozen_series(kpi)
    result = spc_of(series or [], polarity=kpi.get("polarity") or "", target=kpi.get("target"))
    unit = kpi.get("unit", "")
    if series is None:
        variation = "–"
    elif result is None:
        variation = f"Too few points ({len(series)})" if series else "No figures"
    else:
        variation = VARIATION_SHORT[result.variation]
    entry: dict[str, Any] = {
        "ref": action["ref"], "action_rag_key": action["rag"], "name": kpi["name"],
        "value": kpi["value"] or "–", "unit": unit, "target": kpi["target"] or "–",
        "as_at": _date_text(dt.date.fromisoformat(kpi["as_at"])) if kpi.get("as_at") else "",
        "rag": rag_labels[kpi["rag"]] if kpi.get("rag") else "–", "rag_key": kpi.get("rag"),
        "polarity": kpi.get("polarity") or "", "variation": variation,
        "history": None if series is None else [
            {"date": _date_text(day), "iso": day.isoformat(), "value": str(value)}
            for day, value in series
        ],
        "spc": None, "chart": None,
    }  # fmt: skip
    if result is not None and series is not None:
        entry["spc"] = {
            "points": len(result.points),
            "mean": number_text(result.mean),
            "mean_value": result.mean,
            "lower_value": result.lower_process_limit,
            "upper_value": result.upper_process_limit,
            "lower": number_text(result.lower_process_limit),
            "upper": number_text(result.upper_process_limit),
            "variation": result.variation.label,
            "variation_short": VARIATION_SHORT[result.variation],
            "assurance": assurance_text(result),
            "assurance_key": result.assurance.value if result.assurance else None,
            "special_points": sum(1 for p in result.points if p.special_cause),
            "rows": [
                {
                    "date": _date_text(day),
                    "iso": day.isoformat(),
                    "value": str(value),
                    "variation": _point_variation(result, i),
                }
                for i, (day, value) in enumerate(series)
            ],  # fmt: skip
        }
    return entry, result


def priority(entry: dict[str, Any], rag_order: Sequence[str]) -> tuple[int, int, str, str]:
    """KPIs of red actions first, then amber and so on; then the KPI's own RAG (red first)."""
    action_rank = (
        rag_order.index(entry["action_rag_key"])
        if entry["action_rag_key"] in rag_order
        else len(rag_order)
    )
    return (action_rank, _RAG_RANK.get(entry["rag_key"] or "", 3), entry["ref"], entry["name"])


def chart_spec(entry: dict[str, Any], result: SpcResult) -> tuple[dict[str, Any], str]:
    """The Vega-Lite spec of the KPI's SPC chart and its text alternative (one paragraph)."""
    series = tuple((p.period, p.value) for p in result.points)
    return _chart_spec(entry["name"], entry["unit"], series, result)


@lru_cache(maxsize=128)
def _chart_spec(
    title: str, unit: str, series: tuple[tuple[dt.date, float], ...], result: SpcResult
) -> tuple[dict[str, Any], str]:
    # Building and validating the spec takes about 0.15 s; a snapshot never changes, so the
    # same KPI in the same month (the HTML, PDF and Word of one pack) gives the same chart.
    chart = spc_chart(series, result, title=title, unit=unit, width=520, height=200)
    return chart.vega_lite_spec, chart.alt_text


def spc_table_rows(entries: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """Every frozen point of every KPI, with the SPC figures where there are enough points:
    Action, KPI, Date, Value, Mean, Lower process limit, Upper process limit, Variation."""
    rows: list[list[Any]] = []
    for entry in entries:
        spc = entry["spc"]
        if spc:
            limits = [round(spc[k], 4) for k in ("mean_value", "lower_value", "upper_value")]
            for row in spc["rows"]:
                rows.append([entry["ref"], entry["name"], row["iso"], float(row["value"]),
                             *limits, row["variation"]])  # fmt: skip
            continue
        for point in entry["history"] or []:
            rows.append([entry["ref"], entry["name"], point["iso"], float(point["value"]),
                         "", "", "", f"Fewer than {SPC_MIN_POINTS} points: no SPC"])  # fmt: skip
    return rows


__all__ = [
    "SPC_MIN_POINTS",
    "assurance_text",
    "chart_spec",
    "kpi_entry",
    "number_text",
    "priority",
    "spc_of",
    "spc_table_rows",
]
