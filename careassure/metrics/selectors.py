"""Reads for the metrics dashboard. Every selector takes the organisation first."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from careassure.accounts.models import Organisation
from careassure.core.kpis import (
    KpiCatalogue,
    KpiDefinition,
    KpiValue,
    LocalityGroupings,
    load_kpi_catalogue,
    load_locality_groupings,
)
from careassure.metrics.models import (
    KpiThreshold,
    MetricsRun,
    MetricsSettings,
    PublishedAscofFigure,
    StoredAscofResult,
    StoredDqCount,
    StoredKpiValue,
)


def catalogue() -> KpiCatalogue:
    return load_kpi_catalogue()


def kpi_definition(kpi_id: str) -> KpiDefinition:
    """The catalogue entry for a KPI; Http404 for an unknown id."""
    try:
        return catalogue().get(kpi_id)
    except KeyError as exc:
        raise Http404("No such KPI") from exc


def format_number(value: Decimal | float | None, unit: str) -> str:
    """A KPI value as shown: 1 decimal place (trailing .0 dropped), % for percentages."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    if unit == "count":
        text = f"{number:,.0f}"
    else:
        text = f"{number:,.1f}"
        if text.endswith(".0"):
            text = text[:-2]
    return f"{text}%" if unit == "percent" else text


def settings_get(*, org: Organisation) -> MetricsSettings:
    """The council's metrics settings (unsaved defaults when it has none)."""
    return MetricsSettings.objects.filter(organisation=org).first() or MetricsSettings(
        organisation=org
    )


def locality_groupings(*, org: Organisation) -> LocalityGroupings:
    """The council's locality grouping, or the packaged coastal/inland default."""
    config = settings_get(org=org)
    if config.groups:
        return LocalityGroupings.model_validate(
            {
                "name": config.grouping_name or "council",
                "title": config.grouping_title,
                "groups": config.groups,
            }
        )
    return load_locality_groupings()


def run_list(*, org: Organisation) -> QuerySet[MetricsRun]:
    return MetricsRun.objects.filter(organisation=org).select_related("created_by")


def run_latest(*, org: Organisation) -> MetricsRun | None:
    return run_list(org=org).first()


def run_get(*, org: Organisation, run_id: UUID) -> MetricsRun:
    """One of the council's runs; Http404 for another council's run or an unknown id."""
    run = run_list(org=org).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such metrics run")
    return run


def run_matching(*, org: Organisation, sha256s: set[str], as_at: object) -> MetricsRun | None:
    """The council's latest run if it was made from exactly these files at this as-at date."""
    run = run_latest(org=org)
    if run is None or run.as_at != as_at:
        return None
    return run if {f.get("sha256") for f in run.files} == sha256s else None


def kpi_values(
    *,
    org: Organisation,
    run: MetricsRun,
    kpi_id: str | None = None,
    dimension: str | None = None,
) -> QuerySet[StoredKpiValue]:
    values = StoredKpiValue.objects.filter(organisation=org, run=run)
    if kpi_id is not None:
        values = values.filter(kpi_id=kpi_id)
    if dimension is not None:
        values = values.filter(dimension=dimension)
    return values


def kpi_series(
    *, org: Organisation, run: MetricsRun, kpi_id: str, dimension: str, dimension_value: str
) -> list[StoredKpiValue]:
    """One KPI's month-by-month values for one area, oldest first."""
    return list(
        kpi_values(org=org, run=run, kpi_id=kpi_id, dimension=dimension)
        .filter(dimension_value=dimension_value)
        .order_by("period")
    )


def core_values(
    values: QuerySet[StoredKpiValue] | list[StoredKpiValue], la_code: str
) -> list[KpiValue]:
    """Stored rows back as core KpiValue objects (for month_series, group_gaps, charts)."""
    return [
        KpiValue(
            kpi_id=v.kpi_id,
            la_code=la_code,
            period=v.period,
            period_end=v.period_end,
            dimension=v.dimension,
            dimension_value=v.dimension_value,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
        )
        for v in values
    ]


def kpi_value_at(
    *, org: Organisation, run: MetricsRun, kpi_id: str, dimension: str, dimension_value: str
) -> StoredKpiValue | None:
    """The value in the run's as-at month (None when the KPI has none that month)."""
    return (
        kpi_values(org=org, run=run, kpi_id=kpi_id, dimension=dimension)
        .filter(dimension_value=dimension_value, period=run.as_at.strftime("%Y-%m"))
        .first()
    )


def ascof_results(*, org: Organisation, run: MetricsRun) -> QuerySet[StoredAscofResult]:
    return StoredAscofResult.objects.filter(organisation=org, run=run)


@dataclass(frozen=True)
class Thresholds:
    kpi_id: str
    target: Decimal | None
    amber_threshold: Decimal | None
    red_threshold: Decimal | None
    is_default: bool


def thresholds_for(*, org: Organisation) -> dict[str, Thresholds]:
    """Each KPI's target and thresholds: the council's own, else the catalogue default (the
    default target is also the default amber threshold; there is no default red threshold)."""
    own = {t.kpi_id: t for t in KpiThreshold.objects.filter(organisation=org)}
    out: dict[str, Thresholds] = {}
    for kpi in catalogue().kpis:
        row = own.get(kpi.id)
        if row is not None:
            out[kpi.id] = Thresholds(
                kpi.id, row.target, row.amber_threshold, row.red_threshold, is_default=False
            )
        else:
            out[kpi.id] = Thresholds(kpi.id, kpi.target, kpi.target, None, is_default=True)
    return out


def dq_counts(*, org: Organisation, run: MetricsRun) -> QuerySet[StoredDqCount]:
    """The run's data-quality summary of its Client Level Data, in summary order."""
    return StoredDqCount.objects.filter(organisation=org, run=run).order_by("position")


# GSS codes of the English regions, by Organisation.region.
REGION_GSS_CODES = {
    "north_east": "E12000001",
    "north_west": "E12000002",
    "yorkshire": "E12000003",
    "east_midlands": "E12000004",
    "west_midlands": "E12000005",
    "east": "E12000006",
    "london": "E12000007",
    "south_east": "E12000008",
    "south_west": "E12000009",
}
ENGLAND_GSS_CODE = "E92000001"


def comparison_codes(*, org: Organisation) -> dict[str, str]:
    """The areas a council is compared with: {"england": code, "region": code, "council":
    code}; the region is left out when the council has none."""
    codes = {"england": ENGLAND_GSS_CODE, "council": org.ons_code}
    region = REGION_GSS_CODES.get(org.region)
    if region:
        codes["region"] = region
    return codes


def published_figures(*, org: Organisation) -> QuerySet[PublishedAscofFigure]:
    """Published ASCOF figures for England, the council's region and the council itself (the
    figures are shared reference data; a council sees only these three areas)."""
    codes = comparison_codes(org=org)
    return PublishedAscofFigure.objects.filter(
        geography_code__in=list(codes.values())
    ).select_related("source")
