"""SPC charts as Vega-Lite (built with altair), rendered to SVG and PNG with vl-convert.

Each chart carries a text alternative: a sentence summarising it (``alt_text``) and a table
of every point (``table``), so web pages and reports can offer the same information to
people who cannot see the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

import altair as alt
import vl_convert

from careassure.core.kpis.calculations import ALL, TOTAL, KpiValue, month_series
from careassure.core.kpis.config import KpiCatalogue, Unit, load_kpi_catalogue
from careassure.core.kpis.spc import Assessment, SpcResult, analyse

# Making Data Count colours: grey common cause, blue improvement, orange concern,
# purple special cause with no preferred direction; red dashed target.
COLOURS = {
    "Common cause": "#7B7D7D",
    "Improvement": "#289DE0",
    "Concern": "#FAB428",
    "Special cause": "#361475",
}
TARGET_COLOUR = "#DE1B1B"

_CATEGORY = {
    Assessment.IMPROVEMENT: "Improvement",
    Assessment.CONCERN: "Concern",
    Assessment.NEITHER: "Special cause",
}


def _fmt(value: float) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _month(d: date) -> str:
    return d.strftime("%B %Y")


@dataclass(frozen=True)
class Chart:
    """A rendered-on-demand SPC chart with its text alternative."""

    title: str
    vega_lite_spec: dict[str, Any]
    alt_text: str
    table_header: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = field(default=())

    def svg(self) -> str:
        """The chart as SVG, with the title and text alternative as <title> and <desc>."""
        svg = str(vl_convert.vegalite_to_svg(self.vega_lite_spec))
        head_end = svg.index(">") + 1
        opening = svg[:head_end].replace(
            "<svg ", f'<svg role="img" aria-label="{escape(self.title)}" ', 1
        )
        accessible = f"<title>{escape(self.title)}</title><desc>{escape(self.alt_text)}</desc>"
        return opening + accessible + svg[head_end:]

    def png(self, *, scale: float = 2.0) -> bytes:
        return bytes(vl_convert.vegalite_to_png(self.vega_lite_spec, scale=scale))


def describe(result: SpcResult, *, title: str, unit: str = "") -> str:
    """One paragraph summarising an SPC chart in words."""
    points = result.points
    suffix = unit if unit == "%" else f" {unit}" if unit else ""
    last = points[-1]
    special = sum(1 for p in points if p.special_cause)
    sentences = [
        f"SPC chart of {title}, {len(points)} months from {_month(points[0].period)} "
        f"to {_month(last.period)}.",
        f"The latest value is {_fmt(last.value)}{suffix} in {_month(last.period)}.",
        f"The mean is {_fmt(result.mean)}{suffix}; the process limits are "
        f"{_fmt(result.lower_process_limit)} to {_fmt(result.upper_process_limit)}{suffix}.",
        f"Variation: {result.variation.label}.",
    ]
    if special:
        sentences.append(f"{special} of {len(points)} points show special cause variation.")
    if result.target is not None:
        assurance = result.assurance.label if result.assurance else "not assessed"
        sentences.append(f"Target {_fmt(result.target)}{suffix}: {assurance}.")
    sentences.extend(result.warnings)
    return " ".join(sentences)


def spc_chart(
    series: Sequence[tuple[date, float]],
    result: SpcResult,
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 300,
) -> Chart:
    """Build an SPC chart for ``series`` analysed as ``result``."""
    if len(series) != len(result.points):
        raise ValueError("series and result have different numbers of points")
    rows: list[dict[str, Any]] = []
    for point in result.points:
        category = _CATEGORY[point.assessment] if point.assessment else "Common cause"
        rows.append(
            {
                "month": point.period.isoformat(),
                "value": point.value,
                "category": category,
                "rules": ", ".join(sorted(r.value for r in point.rules)) or "none",
                "mean": result.mean,
                "upl": result.upper_process_limit,
                "lpl": result.lower_process_limit,
            }
        )
    data = alt.Data(values=rows)  # type: ignore[no-untyped-call]
    y_title = f"{title} ({unit})" if unit else title
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y"))
    base = alt.Chart(data)
    line = base.mark_line(color=COLOURS["Common cause"]).encode(
        x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    )
    dots = base.mark_point(filled=True, size=60).encode(
        x=x,
        y="value:Q",
        color=alt.Color(
            "category:N",
            title="Variation",
            scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
        ),
        tooltip=[
            alt.Tooltip("month:T", format="%B %Y"),
            alt.Tooltip("value:Q"),
            alt.Tooltip("category:N"),
            alt.Tooltip("rules:N"),
        ],
    )
    mean = base.mark_line(color="#000000").encode(x=x, y="mean:Q")
    upl = base.mark_line(color="#7B7D7D", strokeDash=[6, 4]).encode(x=x, y="upl:Q")
    lpl = base.mark_line(color="#7B7D7D", strokeDash=[6, 4]).encode(x=x, y="lpl:Q")
    layers: list[Any] = [line, mean, upl, lpl, dots]
    if result.target is not None:
        target_data = alt.Data(values=[{"target": result.target}])  # type: ignore[no-untyped-call]
        layers.append(
            alt.Chart(target_data)
            .mark_rule(color=TARGET_COLOUR, strokeDash=[2, 2])
            .encode(y="target:Q")
        )
    alt_text = describe(result, title=title, unit=unit)
    chart = alt.layer(*layers).properties(
        title=title, width=width, height=height, description=alt_text
    )
    spec: dict[str, Any] = chart.to_dict()
    header = ("Month", "Value", "Variation", "Rules met")
    table = tuple(
        (_month(p.period), _fmt(p.value), str(r["category"]), str(r["rules"]))
        for p, r in zip(result.points, rows, strict=True)
    )
    return Chart(
        title=title, vega_lite_spec=spec, alt_text=alt_text, table_header=header, table=table
    )


_UNIT_LABEL = {Unit.PERCENT: "%", Unit.DAYS: "days", Unit.COUNT: ""}


def kpi_spc_chart(
    values: Sequence[KpiValue],
    kpi_id: str,
    *,
    la_code: str | None = None,
    dimension: str = TOTAL,
    dimension_value: str = ALL,
    catalogue: KpiCatalogue | None = None,
) -> tuple[SpcResult, Chart]:
    """Analyse and chart one KPI's month series, using its title, unit, polarity and target."""
    kpi = (catalogue or load_kpi_catalogue()).get(kpi_id)
    series = month_series(
        values, kpi_id, la_code=la_code, dimension=dimension, dimension_value=dimension_value
    )
    target = float(kpi.target) if kpi.target is not None else None
    result = analyse(series, polarity=kpi.polarity, target=target)
    title = kpi.title if dimension == TOTAL else f"{kpi.title}: {dimension_value}"
    return result, spc_chart(series, result, title=title, unit=_UNIT_LABEL[kpi.unit])
