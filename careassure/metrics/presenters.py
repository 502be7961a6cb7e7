"""Display values for the metrics pages: SPC and RAG tags as text, tiles, tables and charts.

Every table shown on a page is built here once as (header, rows) so the CSV and XLSX
downloads carry exactly the figures on the page."""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from careassure.accounts.models import Membership, Organisation
from careassure.common.exports import Table
from careassure.core.cld.dq import MODULES, RESULT_ORDER
from careassure.core.kpis import KpiDefinition, Polarity, group_gaps
from careassure.core.kpis.charts import Chart, spc_chart
from careassure.core.kpis.spc import (
    Assessment,
    AssuranceIcon,
    SpcResult,
    VariationIcon,
    analyse,
)
from careassure.core.measures import measure_catalogue
from careassure.metrics import selectors
from careassure.metrics.models import MetricsRun, PublishedAscofFigure, StoredKpiValue
from careassure.metrics.selectors import Thresholds, format_number

TOTAL, HUB, LOCALITY, GROUP = "total", "hub", "locality", "group"
DIMENSION_LABELS = {TOTAL: "Whole council", HUB: "Hub", LOCALITY: "Locality", GROUP: "Group"}
UNIT_LABELS = {"percent": "%", "days": "days", "count": ""}
LIST_TYPES = {
    "assessment": "Care Act assessment",
    "review": "Review",
    "occupational_therapy": "Occupational therapy or equipment",
    "carers_assessment": "Carer's assessment",
    "safeguarding": "Safeguarding enquiry",
    "all": "All lists",
}
HEADLINE_KPIS = (
    "sg_screened_within_24h_pct",
    "sg_open_count",
    "sg_open_median_age_days",
    "sg_open_max_age_days",
    "waiting_all_count",
    "contacts_resolved_without_assessment_pct",
    "discharge_delay_days_total",
    "hospital_ready_to_leave_people",
)


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str
    description: str = ""


def variation_tag(icon: VariationIcon | None) -> Tag:
    """The SPC variation icon as a text tag (Making Data Count colours)."""
    if icon is None:
        return Tag("Not enough data for SPC", "govuk-tag--grey", "Fewer than 2 months.")
    match icon:
        case VariationIcon.COMMON_CAUSE:
            return Tag("Common cause", "govuk-tag--grey", icon.label)
        case VariationIcon.IMPROVING_HIGH | VariationIcon.IMPROVING_LOW:
            return Tag("Special cause – improving", "govuk-tag--blue", icon.label)
        case VariationIcon.CONCERNING_HIGH | VariationIcon.CONCERNING_LOW:
            return Tag("Special cause – concerning", "govuk-tag--orange", icon.label)
        case _:
            return Tag("Special cause – neither", "govuk-tag--purple", icon.label)


def assurance_tag(icon: AssuranceIcon | None) -> Tag | None:
    """The SPC assurance icon as a text tag; None when there is no target."""
    match icon:
        case AssuranceIcon.CONSISTENTLY_PASSING:
            return Tag("Consistently passing target", "govuk-tag--blue", icon.label)
        case AssuranceIcon.CONSISTENTLY_FAILING:
            return Tag("Consistently failing target", "govuk-tag--orange", icon.label)
        case AssuranceIcon.HIT_AND_MISS:
            return Tag("Hit and miss target", "govuk-tag--grey", icon.label)
        case _:
            return None


def rag_status(
    value: Decimal, polarity: Polarity, amber: Decimal | None, red: Decimal | None
) -> str | None:
    """ "red", "amber" or "green" against the council's thresholds; None without thresholds or
    for a KPI with no better direction. A value equal to a threshold is not beyond it."""
    if polarity is Polarity.NEUTRAL or (amber is None and red is None):
        return None
    higher = polarity is Polarity.HIGHER_IS_BETTER

    def worse(threshold: Decimal) -> bool:
        return value < threshold if higher else value > threshold

    if red is not None and worse(red):
        return "red"
    if amber is not None and worse(amber):
        return "amber"
    return "green"


def rag_tag(status: str | None) -> Tag | None:
    match status:
        case "red":
            return Tag("Red", "govuk-tag--red", "Worse than the red threshold")
        case "amber":
            return Tag("Amber", "govuk-tag--yellow", "Worse than the amber threshold")
        case "green":
            return Tag("Green", "govuk-tag--green", "Within the thresholds")
        case _:
            return None


def month_label(period: str) -> str:
    return date.fromisoformat(period + "-01").strftime("%B %Y")


def govuk_date(day: date | None) -> str:
    return "" if day is None else day.strftime("%-d %B %Y")


def _series(values: list[StoredKpiValue]) -> list[tuple[date, float]]:
    return sorted((date.fromisoformat(v.period + "-01"), float(v.value)) for v in values)


def spc_for(
    values: list[StoredKpiValue], kpi: KpiDefinition, thresholds: Thresholds
) -> SpcResult | None:
    series = _series(values)
    if len(series) < 2:
        return None
    target = float(thresholds.target) if thresholds.target is not None else None
    return analyse(series, polarity=kpi.polarity, target=target)


@dataclass
class KpiStatus:
    """One KPI in one area: its latest value and what SPC and the thresholds say about it."""

    kpi: KpiDefinition
    dimension: str
    dimension_value: str
    latest: StoredKpiValue | None
    spc: SpcResult | None
    thresholds: Thresholds
    href: str
    tags: list[Tag] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        unit = str(self.kpi.unit)
        return format_number(self.latest.value if self.latest else None, unit)

    @property
    def unit_text(self) -> str:
        return UNIT_LABELS[str(self.kpi.unit)] if str(self.kpi.unit) == "days" else ""

    @property
    def period_text(self) -> str:
        return month_label(self.latest.period) if self.latest else "No value this month"


def kpi_status(
    *,
    kpi: KpiDefinition,
    values: list[StoredKpiValue],
    run: MetricsRun,
    thresholds: Thresholds,
    dimension: str = TOTAL,
    dimension_value: str = "all",
) -> KpiStatus:
    as_at_period = run.as_at.strftime("%Y-%m")
    latest = next((v for v in values if v.period == as_at_period), None)
    spc = spc_for(values, kpi, thresholds)
    query = {} if dimension == TOTAL else {"dimension": dimension, "value": dimension_value}
    href = reverse("metrics:kpi-detail", args=[kpi.id])
    if query:
        href += "?" + urlencode(query)
    tags = [variation_tag(spc.variation if spc else None)]
    assurance = assurance_tag(spc.assurance if spc else None)
    if assurance:
        tags.append(assurance)
    if latest is not None:
        rag = rag_tag(
            rag_status(
                latest.value, kpi.polarity, thresholds.amber_threshold, thresholds.red_threshold
            )
        )
        if rag:
            tags.append(rag)
    return KpiStatus(kpi, dimension, dimension_value, latest, spc, thresholds, href, tags)


def _grouped(values: list[StoredKpiValue]) -> dict[tuple[str, str, str], list[StoredKpiValue]]:
    out: dict[tuple[str, str, str], list[StoredKpiValue]] = defaultdict(list)
    for v in values:
        out[(v.kpi_id, v.dimension, v.dimension_value)].append(v)
    return out


def kpi_statuses(*, org: Organisation, run: MetricsRun) -> dict[str, KpiStatus]:
    """Every KPI's council-wide status, in catalogue order (KPIs with no values left out)."""
    thresholds = selectors.thresholds_for(org=org)
    grouped = _grouped(list(selectors.kpi_values(org=org, run=run, dimension=TOTAL)))
    out: dict[str, KpiStatus] = {}
    for kpi in selectors.catalogue().kpis:
        values = grouped.get((kpi.id, TOTAL, "all"))
        if values:
            out[kpi.id] = kpi_status(kpi=kpi, values=values, run=run, thresholds=thresholds[kpi.id])
    return out


def _cell(value: Decimal | int | None) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


def _tag_text(tags: list[Tag], kinds: tuple[str, ...]) -> str:
    return "; ".join(t.text for t in tags if any(k in t.classes for k in kinds))


def summary_table(statuses: dict[str, KpiStatus]) -> Table:
    header = [
        "KPI", "Title", "Unit", "Month", "Value", "Numerator", "Denominator", "Target",
        "Amber threshold", "Red threshold", "Variation", "Assurance", "RAG",
    ]  # fmt: skip
    rows = []
    for s in statuses.values():
        variation = s.tags[0].text
        assurance = assurance_tag(s.spc.assurance if s.spc else None)
        rag = next((t.text for t in s.tags if t.text in ("Red", "Amber", "Green")), "")
        rows.append(
            [
                s.kpi.id, s.kpi.title, str(s.kpi.unit),
                s.latest.period if s.latest else "",
                _cell(s.latest.value if s.latest else None),
                _cell(s.latest.numerator if s.latest else None),
                _cell(s.latest.denominator if s.latest else None),
                _cell(s.thresholds.target), _cell(s.thresholds.amber_threshold),
                _cell(s.thresholds.red_threshold), variation,
                assurance.text if assurance else "", rag,
            ]
        )  # fmt: skip
    return header, rows


def waiting_table(statuses: dict[str, KpiStatus]) -> Table:
    header = ["List", "People waiting", "Median wait (days)", "90th percentile wait (days)",
              "Variation in people waiting"]  # fmt: skip
    rows = []
    for key, label in LIST_TYPES.items():
        count = statuses.get(f"waiting_{key}_count")
        if count is None:
            continue
        median = statuses.get(f"waiting_{key}_median_days")
        p90 = statuses.get(f"waiting_{key}_p90_days")
        rows.append(
            [
                label,
                _cell(count.latest.value if count.latest else None),
                _cell(median.latest.value if median and median.latest else None),
                _cell(p90.latest.value if p90 and p90.latest else None),
                count.tags[0].text,
            ]
        )
    return header, rows


def waiting_rows(statuses: dict[str, KpiStatus]) -> list[dict[str, Any]]:
    rows = []
    for key, label in LIST_TYPES.items():
        count = statuses.get(f"waiting_{key}_count")
        if count is None:
            continue
        median = statuses.get(f"waiting_{key}_median_days")
        p90 = statuses.get(f"waiting_{key}_p90_days")
        rows.append({"label": label, "count": count, "median": median, "p90": p90})
    return rows


def headline_tiles(statuses: dict[str, KpiStatus]) -> list[KpiStatus]:
    return [statuses[k] for k in HEADLINE_KPIS if k in statuses]


def chart_for(
    *, kpi: KpiDefinition, values: list[StoredKpiValue], spc: SpcResult, title: str
) -> tuple[Chart, str]:
    """The SPC chart and its SVG as a data URI for an <img>."""
    chart = spc_chart(_series(values), spc, title=title, unit=UNIT_LABELS[str(kpi.unit)])
    uri = "data:image/svg+xml;base64," + base64.b64encode(chart.svg().encode()).decode("ascii")
    return chart, uri


_ASSESSMENT_TEXT = {
    Assessment.IMPROVEMENT: "Special cause – improving",
    Assessment.CONCERN: "Special cause – concerning",
    Assessment.NEITHER: "Special cause – neither",
}


def series_table(kpi: KpiDefinition, values: list[StoredKpiValue], spc: SpcResult | None) -> Table:
    header = ["Month", "Value", "Numerator", "Denominator", "Variation", "Rules met"]
    points = {p.period.strftime("%Y-%m"): p for p in spc.points} if spc else {}
    rows = []
    for v in sorted(values, key=lambda x: x.period):
        point = points.get(v.period)
        if point is None or not point.special_cause:
            variation = "Common cause" if point else ""
        else:
            variation = _ASSESSMENT_TEXT[point.assessment] if point.assessment else ""
        rules = ", ".join(sorted(r.value for r in point.rules)) if point else ""
        rows.append(
            [month_label(v.period), _cell(v.value), _cell(v.numerator), _cell(v.denominator),
             variation, rules or ("none" if point else "")]
        )  # fmt: skip
    return header, rows


def breakdown_statuses(
    *, org: Organisation, run: MetricsRun, kpi: KpiDefinition, dimension: str
) -> list[KpiStatus]:
    thresholds = selectors.thresholds_for(org=org)[kpi.id]
    grouped = _grouped(list(selectors.kpi_values(org=org, run=run, kpi_id=kpi.id,
                                                 dimension=dimension)))  # fmt: skip
    return [
        kpi_status(
            kpi=kpi,
            values=vals,
            run=run,
            thresholds=thresholds,
            dimension=dimension,
            dimension_value=dv,
        )  # fmt: skip
        for (_, _, dv), vals in sorted(grouped.items())
    ]


def breakdown_table(statuses: list[KpiStatus], dimension: str) -> Table:
    header = [DIMENSION_LABELS[dimension], "Month", "Value", "Numerator", "Denominator",
              "Variation"]  # fmt: skip
    rows = [
        [s.dimension_value, s.latest.period if s.latest else "",
         _cell(s.latest.value if s.latest else None),
         _cell(s.latest.numerator if s.latest else None),
         _cell(s.latest.denominator if s.latest else None), s.tags[0].text]
        for s in statuses
    ]  # fmt: skip
    return header, rows


def group_names(run: MetricsRun) -> tuple[str, str] | None:
    groupings = run.groupings or {}
    names = list(groupings.get("order") or groupings.get("groups", {}))
    return (names[0], names[1]) if len(names) >= 2 else None


def gap_table(*, org: Organisation, run: MetricsRun, kpi: KpiDefinition) -> Table | None:
    names = group_names(run)
    if names is None:
        return None
    values = selectors.core_values(
        list(selectors.kpi_values(org=org, run=run, kpi_id=kpi.id, dimension=GROUP)), run.la_code
    )
    gaps = sorted(group_gaps(values, group_a=names[0], group_b=names[1]), key=lambda g: g.period)
    header = ["Month", names[0].capitalize(), names[1].capitalize(),
              f"Gap ({names[0]} minus {names[1]})"]  # fmt: skip
    rows = [[month_label(g.period), _cell(g.value_a), _cell(g.value_b), _cell(g.gap)] for g in gaps]
    return header, rows


def ascof_text(value: Decimal | None, unit: str, decimal_places: int) -> str:
    """An ASCOF value to the measure's published decimal places, with its unit."""
    if value is None:
        return ""
    shown = value.quantize(Decimal(1).scaleb(-decimal_places))
    return f"{shown}%" if unit == "percent" else f"{shown} per 100,000"


@dataclass(frozen=True)
class AscofRow:
    measure: str
    title: str
    breakdown: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    unit: str
    qs: str
    message: str
    decimal_places: int = 1
    england: Decimal | None = None
    region: Decimal | None = None
    published: Decimal | None = None

    def round_value(self, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        return value.quantize(Decimal(1).scaleb(-self.decimal_places))

    @property
    def rounded(self) -> Decimal | None:
        """The value to the measure's published decimal places (1, or 2 for 2D)."""
        return self.round_value(self.value)

    @property
    def value_text(self) -> str:
        return ascof_text(self.value, self.unit, self.decimal_places)

    @property
    def england_text(self) -> str:
        return ascof_text(self.england, self.unit, self.decimal_places) or "–"

    @property
    def region_text(self) -> str:
        return ascof_text(self.region, self.unit, self.decimal_places) or "–"

    @property
    def published_text(self) -> str:
        return ascof_text(self.published, self.unit, self.decimal_places) or "–"


def ascof_rows(*, org: Organisation, run: MetricsRun) -> list[AscofRow]:
    info = {m.id: m for m in measure_catalogue()}
    rows = []
    for r in selectors.ascof_results(org=org, run=run):
        m = info.get(r.measure)
        rows.append(
            AscofRow(
                measure=r.measure,
                title=m.title if m else r.measure,
                breakdown=r.breakdown,
                numerator=r.numerator,
                denominator=r.denominator,
                value=r.value,
                unit=m.unit if m else "",
                qs=", ".join(q.upper() for q in m.qs) if m else "",
                message=r.message,
                decimal_places=m.decimal_places if m else 1,
            )
        )
    return rows


def financial_year(start: date) -> str:
    """The financial year starting in `start`'s year as published: 2024-25."""
    return f"{start.year}-{(start.year + 1) % 100:02d}"


ILLUSTRATIVE = "Illustrative sample, not published figures"


@dataclass(frozen=True)
class AscofComparison:
    """Published figures for England, the council's region and the council, for one year."""

    period: str
    own_period: str
    region_name: str
    illustrative: bool
    has_council: bool
    figures: dict[tuple[str, str, str], PublishedAscofFigure]

    @property
    def same_period(self) -> bool:
        return self.period == self.own_period

    @property
    def source_text(self) -> str:
        return ILLUSTRATIVE if self.illustrative else "Published figures"

    def value(self, level: str, measure: str, breakdown: str) -> Decimal | None:
        figure = self.figures.get((level, measure, breakdown))
        return figure.value if figure is not None else None


def ascof_comparison(*, org: Organisation, run: MetricsRun) -> AscofComparison | None:
    """The published figures to show beside the council's ASCOF values: those for the same
    financial year, else for the latest earlier year that has any; None when there are none."""
    if run.ascof_period_start is None:
        return None
    own = financial_year(run.ascof_period_start)
    figures = list(selectors.published_figures(org=org).filter(period__lte=own))
    if not figures:
        return None
    period = max(f.period for f in figures)
    chosen = [f for f in figures if f.period == period]
    codes = selectors.comparison_codes(org=org)
    level_of = {code: level for level, code in codes.items()}
    by_key = {
        (level_of[f.geography_code], f.measure, f.breakdown): f
        for f in chosen
        if f.geography_code in level_of
    }
    region_names = [f.geography_name for f in chosen if level_of.get(f.geography_code) == "region"]
    return AscofComparison(
        period=period,
        own_period=own,
        region_name=region_names[0] if region_names else org.get_region_display(),
        illustrative=any(f.is_illustrative for f in by_key.values()),
        has_council=any(level == "council" for level, _, _ in by_key),
        figures=by_key,
    )


def with_comparison(rows: list[AscofRow], comparison: AscofComparison | None) -> list[AscofRow]:
    """The rows with England's, the region's and the council's published figures filled in."""
    if comparison is None:
        return rows
    return [
        replace(
            r,
            england=comparison.value("england", r.measure, r.breakdown),
            region=comparison.value("region", r.measure, r.breakdown),
            published=comparison.value("council", r.measure, r.breakdown),
        )
        for r in rows
    ]


def ascof_table(rows: list[AscofRow], comparison: AscofComparison | None = None) -> Table:
    header = ["Measure", "Title", "Breakdown", "Numerator", "Denominator", "Value", "Unit",
              "Quality statements", "Note"]  # fmt: skip
    data = [
        [r.measure, r.title, r.breakdown, _cell(r.numerator), _cell(r.denominator),
         _cell(r.rounded), r.unit, r.qs, r.message]
        for r in rows
    ]  # fmt: skip
    if comparison is None:
        return header, data
    header += ["Comparison year", "England", f"Region ({comparison.region_name})",
               "Council (published)", "Comparison figures"]  # fmt: skip
    for row, r in zip(data, rows, strict=True):
        row += [comparison.period, _cell(r.round_value(r.england)), _cell(r.round_value(r.region)),
                _cell(r.round_value(r.published)), comparison.source_text]  # fmt: skip
    return header, data


def _dq_rows(org: Organisation, run: MetricsRun) -> list[Any]:
    return list(selectors.dq_counts(org=org, run=run))


def dq_detail_table(*, org: Organisation, run: MetricsRun) -> Table:
    """DHSC's data-quality summary, one row per council, import date, module, field, field
    status and result, as `careassure metrics dq` gives it."""
    header = ["Council", "Import date", "Module", "Field", "Field status", "Result", "Count"]
    return header, [
        [c.la_code, c.import_date.isoformat(), c.module, c.field, c.field_status, c.result,
         c.count]
        for c in _dq_rows(org, run)
    ]  # fmt: skip


def dq_module_table(*, org: Organisation, run: MetricsRun) -> Table:
    """Row × field counts by module (rows, in DHSC's order) and result (columns), with totals."""
    results = [r.value for r in RESULT_ORDER]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for c in _dq_rows(org, run):
        counts[(c.module, c.result)] += c.count
    if not counts:
        return ["Module", *results, "Total"], []
    rows: list[list[Any]] = []
    for module in (*MODULES, "All modules"):
        cells = [
            sum(n for (m, r), n in counts.items() if r == result and module in (m, "All modules"))
            for result in results
        ]
        rows.append([module, *cells, sum(cells)])
    return ["Module", *results, "Total"], rows


def loaded_text(run: MetricsRun) -> str:
    """When the run was loaded, in local time: "24 November 2026 at 19:09"."""
    return timezone.localtime(run.created_at).strftime("%-d %B %Y at %H:%M")


def run_rows(run: MetricsRun) -> list[dict[str, str]]:
    """Summary-list rows describing a run."""
    who = (
        str(run.created_by.get_full_name() or run.created_by.username)
        if run.created_by
        else run.system_actor
    )
    rows = [
        {"key": "As at", "value": govuk_date(run.as_at)},
        {"key": "Loaded", "value": loaded_text(run)},
        {"key": "Loaded by", "value": who},
        {"key": "Council code in the extracts", "value": run.la_code},
        {"key": "Source", "value": "Synthetic data" if run.is_synthetic else "Council extracts"},
    ]
    if run.source_label:
        rows.append({"key": "Description", "value": run.source_label})
    if run.ascof_period_start and run.ascof_period_end:
        rows.append(
            {
                "key": "ASCOF period",
                "value": f"{govuk_date(run.ascof_period_start)} to "
                f"{govuk_date(run.ascof_period_end)}",
            }
        )
    return rows


def _findings_text(info: dict[str, Any]) -> str:
    if info.get("kind") != "cld":
        return "None (the extracts passed every rule)"
    errors, warnings = int(info.get("errors", 0)), int(info.get("warnings", 0))
    return f"{errors:,} row errors, {warnings:,} warnings"


def file_rows(run: MetricsRun) -> Table:
    header = ["File", "Kind", "Rows", "Data quality findings", "SHA-256"]
    return header, [
        [f.get("name", ""), "CLD" if f.get("kind") == "cld" else "Operational extract",
         f.get("rows", ""), _findings_text(f), f.get("sha256", "")]
        for f in run.files
    ]  # fmt: skip


def metrics_dashboard_card(org: Organisation, membership: Membership) -> dict[str, Any] | None:
    """Dashboard card: safeguarding screening within 24 hours, from the latest run."""
    run = selectors.run_latest(org=org)
    href = reverse("metrics:dashboard")
    if run is None:
        return {"title": "Metrics", "href": href, "value": "No figures",
                "text": "No KPI extracts have been loaded yet."}  # fmt: skip
    latest = selectors.kpi_value_at(
        org=org, run=run, kpi_id="sg_screened_within_24h_pct", dimension=TOTAL,
        dimension_value="all",
    )  # fmt: skip
    synthetic = " Synthetic data." if run.is_synthetic else ""
    return {
        "title": "Metrics",
        "href": href,
        "value": format_number(latest.value, "percent") if latest else "–",
        "text": f"Safeguarding concerns screened within 24 hours, "
        f"{month_label(run.as_at.strftime('%Y-%m'))}.{synthetic}",
    }
