"""Operational KPIs: extracts, calculations, statistical process control and charts.

The public entry point is :func:`compute_kpis`; SPC lives in :mod:`careassure.core.kpis.spc`,
charts in :mod:`careassure.core.kpis.charts` and synthetic demo data in
:mod:`careassure.core.kpis.synthetic`.
"""

from careassure.core.kpis.calculations import (
    KpiGap,
    KpiValue,
    compute_kpis,
    compute_kpis_from_connection,
    group_gaps,
    latest_extract_date,
    month_series,
)
from careassure.core.kpis.config import (
    KpiCatalogue,
    KpiDefinition,
    LocalityGroupings,
    Polarity,
    load_kpi_catalogue,
    load_locality_groupings,
)
from careassure.core.kpis.errors import (
    ExtractFinding,
    KpiConfigError,
    KpiError,
    KpiExtractError,
    SpcError,
)
from careassure.core.kpis.extracts import EXTRACTS, LoadedExtracts, load_extracts

__all__ = [
    "EXTRACTS",
    "ExtractFinding",
    "KpiCatalogue",
    "KpiConfigError",
    "KpiDefinition",
    "KpiError",
    "KpiExtractError",
    "KpiGap",
    "KpiValue",
    "LoadedExtracts",
    "LocalityGroupings",
    "Polarity",
    "SpcError",
    "compute_kpis",
    "compute_kpis_from_connection",
    "group_gaps",
    "latest_extract_date",
    "load_extracts",
    "load_kpi_catalogue",
    "load_locality_groupings",
    "month_series",
]
