"""ASCOF measures computed from Client Level Data, on DuckDB or PySpark (reference §5-§6)."""

from careassure.core.measures.engine import (
    HOSPITAL_DATA_MESSAGE,
    MeasureError,
    MeasureResult,
    compute_ascof,
    compute_ascof_spark,
    parse_period,
    round_value,
    year_ending,
)
from careassure.core.measures.hospital import (
    HospitalDataError,
    HospitalEpisode,
    load_hospital_episodes,
)
from careassure.core.measures.metadata import (
    MeasureDataError,
    MeasureInfo,
    MethodParameters,
    measure_catalogue,
    measure_info,
    method_parameters,
)
from careassure.core.measures.sql import ReportingYear

__all__ = [
    "HOSPITAL_DATA_MESSAGE",
    "HospitalDataError",
    "HospitalEpisode",
    "MeasureDataError",
    "MeasureError",
    "MeasureInfo",
    "MeasureResult",
    "MethodParameters",
    "ReportingYear",
    "compute_ascof",
    "compute_ascof_spark",
    "load_hospital_episodes",
    "measure_catalogue",
    "measure_info",
    "method_parameters",
    "parse_period",
    "round_value",
    "year_ending",
]
