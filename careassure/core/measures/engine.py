"""Run the ASCOF measure SQL on DuckDB or Spark and turn the counts into results."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from careassure.core.measures.dialect import DUCKDB, SPARK, Dialect
from careassure.core.measures.hospital import HospitalEpisode
from careassure.core.measures.metadata import (
    MeasureInfo,
    MethodParameters,
    measure_catalogue,
    method_parameters,
)
from careassure.core.measures.sql import DaySpans, ReportingYear, SqlBuilder, Steps
from careassure.core.population import Population

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import SparkSession

HOSPITAL_DATA_MESSAGE = (
    "ASCOF 2D not computed: it needs hospital inpatient data (SUS Admitted Patient Care) "
    "linked to CLD by NHS number, and none was supplied."
)


class MeasureError(Exception):
    """The measures cannot be computed from the data given (for example a missing population)."""


@dataclass(frozen=True)
class MeasureResult:
    """One ASCOF figure for one council and breakdown.

    `value` is a percentage or a rate per 100,000 population, rounded half away from zero to
    the measure's decimal places (1, or 2 for 2D). It is 0 when the denominator is 0. A measure
    that could not be computed has `numerator`, `denominator` and `value` of None and a
    `message` saying why. `period_start`/`period_end` are the reporting year and `method` the
    method version, death source and blank-component mode that produced the figure.
    """

    la_code: str
    measure: str
    breakdown: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    message: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    method: str = ""


Row = tuple[Any, ...]

HOSPITAL_COLUMNS = (
    ("nhs", "STRING"),
    ("spell_id", "STRING"),
    ("last_ep", "BOOLEAN"),
    ("adm", "DATE"),
    ("dis", "DATE"),
    ("birth_year", "INT"),
    ("birth_month", "INT"),
    ("sex", "STRING"),
    ("res_la", "STRING"),
    ("adm_method", "STRING"),
    ("dis_method", "STRING"),
    ("dis_dest", "STRING"),
    ("mgmt", "STRING"),
    ("tfc", "STRING"),
)
HOSPITAL_COLUMNS_SQL = ", ".join(f"{name} {kind}" for name, kind in HOSPITAL_COLUMNS)


def _row(e: HospitalEpisode) -> Row:
    return (
        e.nhs_number,
        e.spell_id,
        e.last_episode_in_spell,
        e.admission_date,
        e.discharge_date,
        e.birth_year,
        e.birth_month,
        e.sex,
        e.la_code,
        e.admission_method,
        e.discharge_method,
        e.discharge_destination,
        e.management_type,
        e.treatment_function_code,
    )


def parse_period(period: str) -> ReportingYear:
    """`2024-25` (financial year) or `YYYY-MM-DD/YYYY-MM-DD` (inclusive dates)."""
    fy = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if fy:
        first = int(fy.group(1))
        if (first + 1) % 100 != int(fy.group(2)):
            raise MeasureError(f"Period {period!r}: the second year must follow the first")
        return ReportingYear(date(first, 4, 1), date(first + 1, 3, 31))
    span = re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", period)
    if span:
        try:
            start, end = date.fromisoformat(span.group(1)), date.fromisoformat(span.group(2))
        except ValueError as exc:
            raise MeasureError(f"Period {period!r}: {exc}") from exc
        if start > end:
            raise MeasureError(f"Period {period!r}: the start is after the end")
        return ReportingYear(start, end)
    raise MeasureError(
        f"Period {period!r} is not a financial year such as 2024-25 "
        "or a date range such as 2024-04-01/2025-03-31"
    )


def year_ending(end: date) -> ReportingYear:
    """The 12 months ending on `end` (for example 2024-04-01 to 2025-03-31)."""
    after = end + timedelta(days=1)
    day = min(after.day, calendar.monthrange(after.year - 1, after.month)[1])
    return ReportingYear(date(after.year - 1, after.month, day), end)


def round_value(numerator: int, denominator: int, scale: int, places: int) -> Decimal:
    """scale x numerator / denominator, rounded half away from zero; 0 when denominator is 0."""
    if denominator == 0:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    exact = Decimal(numerator * scale) / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _selected(measures: Sequence[str] | None) -> list[MeasureInfo]:
    catalogue = measure_catalogue()
    if measures is None:
        return list(catalogue)
    known = {m.id: m for m in catalogue}
    unknown = [m for m in measures if m not in known]
    if unknown:
        raise MeasureError(f"Unknown ASCOF measure {unknown[0]!r}; choose from {', '.join(known)}")
    return [m for m in catalogue if m.id in set(measures)]


def discharge_window(year: ReportingYear, lag_months: int) -> ReportingYear:
    """The 2D discharge period: the reporting year moved `lag_months` earlier."""

    def shift(day: date) -> date:
        months = day.year * 12 + day.month - 1 - lag_months
        y, m = divmod(months, 12)
        return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))

    return ReportingYear(shift(year.start), shift(year.end + timedelta(days=1)) - timedelta(1))


def _run(
    dialect: Dialect,
    materialise: Callable[[str, str], None],
    discard: Callable[[str], None],
    fetch: Callable[[str], list[Row]],
    load_hospital: Callable[[Sequence[HospitalEpisode]], None],
    *,
    hospital: Sequence[HospitalEpisode] | None,
    population: Population,
    period: str | None,
    measures: Sequence[str] | None,
    params: MethodParameters | None,
) -> list[MeasureResult]:
    chosen = _selected(measures)
    params = params or method_parameters()
    probe = SqlBuilder(dialect, params, ReportingYear(date(2000, 1, 1), date(2000, 12, 31)))
    la_codes = sorted(str(r[0]) for r in fetch(probe.la_codes_query()))
    if period is not None:
        year = parse_period(period)
    else:
        latest = fetch(probe.period_end_query())[0][0]
        if latest is None:
            raise MeasureError(
                "No reporting period: the CLD data has no valid Reporting Period End Date; "
                "give the period explicitly"
            )
        year = year_ending(latest)
    ids = {m.id for m in chosen}
    if ids & {"2B", "2C"}:
        missing = [code for code in la_codes if code not in population]
        if missing:
            raise MeasureError(
                f"Population file {population.source} has no row for LA code {missing[0]}; "
                "2B and 2C need the population of every council in the CLD data"
            )

    sql = SqlBuilder(dialect, params, year)
    materialise("ascof_codes", sql.codes())
    materialise("ascof_outcomes", sql.outcomes())
    materialise("ascof_values", sql.values())
    materialise("ascof_loads", sql.loads())
    materialise("ascof_clean", sql.clean())
    materialise("ascof_events", sql.events())
    discard("ascof_clean")  # the largest table; nothing reads it once events are built
    spans = DaySpans.from_row(fetch(sql.date_spans_query())[0])
    materialise("ascof_people", sql.people(spans))

    queries: list[Steps] = []
    if "2A" in ids:
        queries.append(sql.measure_2a())
    if ids & {"2B", "2C"}:
        queries.append(sql.measure_2b_2c())
    if ids & {"2E", "2E.LD"}:
        queries.append(sql.measure_2e())
    if ids & {"3D.1a", "3D.2a"}:
        queries.append(sql.measure_3d_clients())
    if ids & {"3D.1b", "3D.2b"}:
        queries.append(sql.measure_3d_carers())
    if ids & {"2D.1", "2D.2"} and hospital is not None:
        load_hospital(hospital)
        queries.append(sql.measure_2d(discharge_window(year, params.discharge_lag_months)))
    counts: dict[tuple[str, str, str], tuple[int, int | None]] = {}
    for steps in queries:
        for name, query in steps.tables:
            materialise(name, query)
        for la_code, measure, breakdown, numerator, denominator in fetch(steps.final):
            counts[(str(la_code), str(measure), str(breakdown))] = (
                int(numerator),
                None if denominator is None else int(denominator),
            )
    method = (
        f"{params.method_version} (deaths: {params.death_source}; "
        f"blank components: {params.blank_component_mode})"
    )
    return _assemble(chosen, la_codes, counts, population, year, method, hospital is not None)


def _assemble(
    chosen: Iterable[MeasureInfo],
    la_codes: list[str],
    counts: dict[tuple[str, str, str], tuple[int, int | None]],
    population: Population,
    year: ReportingYear,
    method: str,
    has_hospital: bool,
) -> list[MeasureResult]:
    results: list[MeasureResult] = []
    for info in chosen:
        for la_code in la_codes:
            for breakdown in info.breakdowns:
                if info.needs_hospital_data and not has_hospital:
                    results.append(
                        MeasureResult(
                            la_code,
                            info.id,
                            breakdown,
                            None,
                            None,
                            None,
                            HOSPITAL_DATA_MESSAGE,
                            year.start,
                            year.end,
                            method,
                        )
                    )
                    continue
                numerator, counted = counts.get((la_code, info.id, breakdown), (0, 0))
                if info.unit == "per 100,000 population":
                    council = population[la_code]
                    denominator = (
                        council.population_18_64 if info.id == "2B" else council.population_65_plus
                    )
                    scale = 100_000
                else:
                    denominator, scale = counted or 0, 100
                value = round_value(numerator, denominator, scale, info.decimal_places)
                results.append(
                    MeasureResult(
                        la_code,
                        info.id,
                        breakdown,
                        numerator,
                        denominator,
                        value,
                        None,
                        year.start,
                        year.end,
                        method,
                    )
                )
    return results


def compute_ascof(
    con: duckdb.DuckDBPyConnection,
    *,
    population: Population,
    period: str | None = None,
    measures: Sequence[str] | None = None,
    params: MethodParameters | None = None,
    hospital: Sequence[HospitalEpisode] | None = None,
) -> list[MeasureResult]:
    """Compute the CLD-derived ASCOF measures from the table `cld_raw` in a DuckDB connection.

    `period` is a financial year (`2024-25`) or `YYYY-MM-DD/YYYY-MM-DD`; by default the 12
    months ending at the latest Reporting Period End Date in the data. `measures` limits the
    output to some measure ids (`2A`, `2B`, `2C`, `2D.1`, `2D.2`, `2E`, `2E.LD`, `3D.1a`,
    `3D.2a`, `3D.1b`, `3D.2b`). Results are ordered by measure, council and breakdown.
    """

    def materialise(name: str, query: str) -> None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {query}")

    def discard(name: str) -> None:
        con.execute(f"DROP TABLE IF EXISTS {name}")

    def fetch(query: str) -> list[Row]:
        return con.execute(query).fetchall()

    def load_hospital(episodes: Sequence[HospitalEpisode]) -> None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE ascof_hospital ({HOSPITAL_COLUMNS_SQL})")
        if episodes:
            marks = ", ".join("?" for _ in HOSPITAL_COLUMNS)
            con.executemany(
                f"INSERT INTO ascof_hospital VALUES ({marks})", [_row(e) for e in episodes]
            )

    return _run(
        DUCKDB,
        materialise,
        discard,
        fetch,
        load_hospital,
        hospital=hospital,
        population=population,
        period=period,
        measures=measures,
        params=params,
    )


def compute_ascof_spark(
    spark: SparkSession,
    *,
    population: Population,
    period: str | None = None,
    measures: Sequence[str] | None = None,
    params: MethodParameters | None = None,
    hospital: Sequence[HospitalEpisode] | None = None,
) -> list[MeasureResult]:
    """As `compute_ascof`, on a Spark session with a table or view named `cld_raw`."""

    def materialise(name: str, query: str) -> None:
        # A local checkpoint cuts the lineage, so later queries plan against a leaf table
        # (Spark would otherwise re-analyse the whole pipeline under every reference).
        spark.sql(query).localCheckpoint(eager=True).createOrReplaceTempView(name)

    def discard(name: str) -> None:
        spark.catalog.dropTempView(name)

    def fetch(query: str) -> list[Row]:
        return [tuple(row) for row in spark.sql(query).collect()]

    def load_hospital(episodes: Sequence[HospitalEpisode]) -> None:
        frame = spark.createDataFrame([_row(e) for e in episodes], schema=HOSPITAL_COLUMNS_SQL)
        frame.createOrReplaceTempView("ascof_hospital")

    return _run(
        SPARK,
        materialise,
        discard,
        fetch,
        load_hospital,
        hospital=hospital,
        population=population,
        period=period,
        measures=measures,
        params=params,
    )
