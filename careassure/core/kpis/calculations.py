"""Operational KPI calculations in DuckDB SQL.

Every KPI is worked out per council (``la_code``) and calendar month, for the whole council
and broken down by safeguarding hub (safeguarding KPIs only), by locality and by locality
group (when a :class:`LocalityGroupings` is given).

* ``monthly`` KPIs count events dated in the month, up to and including the as-at date.
* ``snapshot`` KPIs are measured at the period end: the last day of the month, or the as-at
  date for the as-at month. Waiting-list KPIs use the latest snapshot taken in the month.

Percentiles (medians and 90th percentiles) are continuous percentiles with linear
interpolation between the two nearest values (DuckDB ``quantile_cont``), the method DHSC uses
for its CLD waiting-time medians (cld-ascof.md section 8.2). Values are rounded once, with
ROUND_HALF_UP: percentages and days to 1 decimal place, counts to whole numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from careassure.core.kpis.config import (
    KpiCatalogue,
    LocalityGroupings,
    Unit,
    load_kpi_catalogue,
)
from careassure.core.kpis.extracts import load_extracts

TOTAL = "total"
HUB = "hub"
LOCALITY = "locality"
GROUP = "group"
ALL = "all"
DIMENSIONS = (TOTAL, HUB, LOCALITY, GROUP)


@dataclass(frozen=True, slots=True)
class KpiValue:
    """One KPI value for a council, month and dimension.

    ``period`` is the month (``YYYY-MM``); ``period_end`` is the last day counted (the month
    end, or the as-at date in the as-at month). ``dimension`` is ``total``, ``hub``,
    ``locality`` or ``group``; ``dimension_value`` is ``all`` for the total, otherwise the
    hub, locality or group name. For a percentage, ``numerator`` / ``denominator`` are the
    counts it is worked from; for a median, percentile or maximum, ``denominator`` is the
    number of items; for a mean, the total and the number of items.
    """

    kpi_id: str
    la_code: str
    period: str
    period_end: date
    dimension: str
    dimension_value: str
    value: Decimal
    numerator: int | None
    denominator: int | None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "kpi_id": self.kpi_id,
            "la_code": self.la_code,
            "period": self.period,
            "period_end": self.period_end.isoformat(),
            "dimension": self.dimension,
            "dimension_value": self.dimension_value,
            "value": str(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
        }


_QUANTUM = {Unit.PERCENT: Decimal("0.1"), Unit.DAYS: Decimal("0.1"), Unit.COUNT: Decimal("1")}


def round_value(value: Decimal | int | float, unit: Unit) -> Decimal:
    """Round a KPI value for its unit, ROUND_HALF_UP (floats go through their shortest repr)."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return exact.quantize(_QUANTUM[unit], rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator as a percentage to 1 decimal place, ROUND_HALF_UP."""
    return round_value(Decimal(numerator * 100) / Decimal(denominator), Unit.PERCENT)


_DIMENSION_SQL = f"""
    CASE WHEN GROUPING(hub) = 0 THEN '{HUB}'
         WHEN GROUPING(locality) = 0 THEN '{LOCALITY}'
         WHEN GROUPING(grp) = 0 THEN '{GROUP}'
         ELSE '{TOTAL}' END AS dimension,
    CASE WHEN GROUPING(hub) = 0 THEN hub
         WHEN GROUPING(locality) = 0 THEN locality
         WHEN GROUPING(grp) = 0 THEN grp
         ELSE '{ALL}' END AS dimension_value
"""


def _grouped(facts: str, aggregates: str, keys: str = "la_code, month_start, period_end") -> str:
    """Aggregate ``facts`` for the total and by hub, locality and group."""
    return f"""
        SELECT {keys}, {_DIMENSION_SQL}, {aggregates}
        FROM ({facts}) AS f
        GROUP BY GROUPING SETS (({keys}), ({keys}, hub), ({keys}, locality), ({keys}, grp))
    """


def _prepare(
    con: duckdb.DuckDBPyConnection, as_at: date, groupings: LocalityGroupings | None
) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE loc_groups (locality VARCHAR, grp VARCHAR)")
    if groupings is not None:
        pairs = sorted(groupings.group_of().items())
        if pairs:
            con.executemany("INSERT INTO loc_groups VALUES (?, ?)", [list(p) for p in pairs])
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE periods AS
        WITH dated AS (
            SELECT la_code, CAST(received_at AS DATE) AS d FROM concerns
            UNION ALL SELECT la_code, snapshot_date FROM waiting
            UNION ALL SELECT la_code, contact_date FROM contacts
            UNION ALL SELECT la_code, ready_to_leave_date FROM discharges
        ),
        bounds AS (
            SELECT la_code, min(d) AS first_d FROM dated WHERE d <= $as_at GROUP BY la_code
        ),
        months AS (
            SELECT la_code,
                   unnest(generate_series(date_trunc('month', first_d),
                                          date_trunc('month', $as_at),
                                          INTERVAL 1 MONTH)) AS m
            FROM bounds
        )
        SELECT la_code, CAST(m AS DATE) AS month_start,
               least(CAST(last_day(m) AS DATE), $as_at) AS period_end
        FROM months
        """,
        {"as_at": as_at},
    )


def _concern_monthly_sql(standard_hours: int) -> str:
    facts = f"""
        SELECT c.la_code, p.month_start, p.period_end, c.hub, c.locality, g.grp,
               CASE WHEN c.screened_at < p.cutoff THEN
                    epoch(c.screened_at - c.received_at) / 86400.0 END AS screen_days,
               (c.screened_at < p.cutoff
                AND c.screened_at - c.received_at <= INTERVAL {standard_hours} HOUR) AS on_time,
               (c.received_at + INTERVAL {standard_hours} HOUR < p.cutoff) AS deadline_passed
        FROM concerns AS c
        JOIN (SELECT *, CAST($as_at AS TIMESTAMP) + INTERVAL 1 DAY AS cutoff FROM periods) AS p
          ON p.la_code = c.la_code
         AND date_trunc('month', c.received_at) = p.month_start
         AND CAST(c.received_at AS DATE) <= p.period_end
        LEFT JOIN loc_groups AS g ON g.locality = c.locality
    """
    return _grouped(
        facts,
        """count(*) AS received,
           count(*) FILTER (WHERE on_time) AS on_time,
           count(*) FILTER (WHERE on_time OR deadline_passed) AS known,
           count(screen_days) AS screened,
           quantile_cont(screen_days, 0.5) AS screen_median,
           max(screen_days) AS screen_max""",
    )


_CONCERN_SNAPSHOT_SQL = _grouped(
    """
    SELECT c.la_code, p.month_start, p.period_end, c.hub, c.locality, g.grp,
           p.period_end - CAST(c.received_at AS DATE) AS age
    FROM periods AS p
    JOIN concerns AS c
      ON c.la_code = p.la_code
     AND CAST(c.received_at AS DATE) <= p.period_end
     AND (c.completed IS NULL OR c.completed > p.period_end)
    LEFT JOIN loc_groups AS g ON g.locality = c.locality
    """,
    """count(*) AS open_count,
       quantile_cont(age, 0.5) AS age_median,
       max(age) AS age_max""",
)

_WAITING_SQL = _grouped(
    """
    WITH snaps AS (
        SELECT p.la_code, p.month_start, p.period_end, max(s.snapshot_date) AS snap
        FROM periods AS p
        JOIN (SELECT DISTINCT la_code, snapshot_date FROM waiting) AS s
          ON s.la_code = p.la_code
         AND s.snapshot_date BETWEEN p.month_start AND p.period_end
        GROUP BY ALL
    ),
    rows AS (
        SELECT w.la_code, s.month_start, s.snap AS period_end, w.list_type,
               NULL::VARCHAR AS hub, w.locality, g.grp, w.snapshot_date - w.date_added AS wait
        FROM waiting AS w
        JOIN snaps AS s ON s.la_code = w.la_code AND s.snap = w.snapshot_date
        LEFT JOIN loc_groups AS g ON g.locality = w.locality
    )
    SELECT * FROM rows
    UNION ALL
    SELECT * REPLACE ('all' AS list_type) FROM rows
    """,
    """count(*) AS waiting,
       quantile_cont(wait, 0.5) AS wait_median,
       quantile_cont(wait, 0.9) AS wait_p90""",
    keys="la_code, month_start, period_end, list_type",
)

_CONTACTS_SQL = _grouped(
    """
    SELECT c.la_code, p.month_start, p.period_end, NULL::VARCHAR AS hub, c.locality, g.grp,
           c.outcome IN (SELECT outcome FROM resolved_outcomes) AS resolved
    FROM contacts AS c
    JOIN periods AS p
      ON p.la_code = c.la_code
     AND date_trunc('month', c.contact_date) = p.month_start
     AND c.contact_date <= p.period_end
    LEFT JOIN loc_groups AS g ON g.locality = c.locality
    """,
    """count(*) AS contacts,
       count(*) FILTER (WHERE resolved) AS resolved""",
)

_DISCHARGES_SQL = _grouped(
    """
    SELECT d.la_code, p.month_start, p.period_end, NULL::VARCHAR AS hub, d.locality, g.grp,
           d.discharge_date - d.ready_to_leave_date AS delay
    FROM discharges AS d
    JOIN periods AS p
      ON p.la_code = d.la_code
     AND date_trunc('month', d.discharge_date) = p.month_start
     AND d.discharge_date <= p.period_end
    LEFT JOIN loc_groups AS g ON g.locality = d.locality
    """,
    """count(*) AS discharges,
       count(*) FILTER (WHERE delay > 0) AS delayed,
       sum(delay) AS delay_total""",
)

_READY_SNAPSHOT_SQL = _grouped(
    """
    SELECT d.la_code, p.month_start, p.period_end, NULL::VARCHAR AS hub, d.locality, g.grp
    FROM periods AS p
    JOIN discharges AS d
      ON d.la_code = p.la_code
     AND d.ready_to_leave_date <= p.period_end
     AND (d.discharge_date IS NULL OR d.discharge_date > p.period_end)
    LEFT JOIN loc_groups AS g ON g.locality = d.locality
    """,
    "count(*) AS people",
)


@dataclass(frozen=True, slots=True)
class _Row:
    la_code: str
    month_start: date
    period_end: date
    dimension: str
    dimension_value: str | None


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, as_at: date, *, has_list_type: bool = False
) -> Iterable[tuple[_Row, tuple[object, ...], str | None]]:
    result = con.execute(sql, {"as_at": as_at} if "$as_at" in sql else {})
    for rec in result.fetchall():
        if has_list_type:
            la, month, end, list_type, dim, dim_value, *measures = rec
        else:
            la, month, end, dim, dim_value, *measures = rec
            list_type = None
        yield _Row(la, month, end, dim, dim_value), tuple(measures), list_type


def compute_kpis(
    extracts_dir: Path,
    *,
    as_at: date,
    groupings: LocalityGroupings | None = None,
    catalogue: KpiCatalogue | None = None,
) -> list[KpiValue]:
    """Load the extracts in ``extracts_dir`` and compute every KPI up to ``as_at``.

    Raises :class:`~careassure.core.kpis.errors.KpiExtractError` (nothing computed) when an
    extract breaks a rule.
    """
    loaded = load_extracts(extracts_dir)
    try:
        return compute_kpis_from_connection(
            loaded.connection, as_at=as_at, groupings=groupings, catalogue=catalogue
        )
    finally:
        loaded.connection.close()


def latest_extract_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest event or snapshot date in the loaded extracts (None if they are empty)."""
    row = con.execute(
        """
        SELECT max(d) FROM (
            SELECT max(CAST(received_at AS DATE)) AS d FROM concerns
            UNION ALL SELECT max(CAST(screened_at AS DATE)) FROM concerns
            UNION ALL SELECT max(completed) FROM concerns
            UNION ALL SELECT max(snapshot_date) FROM waiting
            UNION ALL SELECT max(contact_date) FROM contacts
            UNION ALL SELECT max(ready_to_leave_date) FROM discharges
            UNION ALL SELECT max(discharge_date) FROM discharges
        )
        """
    ).fetchone()
    latest = row[0] if row else None
    return latest if isinstance(latest, date) else None


def compute_kpis_from_connection(
    con: duckdb.DuckDBPyConnection,
    *,
    as_at: date,
    groupings: LocalityGroupings | None = None,
    catalogue: KpiCatalogue | None = None,
) -> list[KpiValue]:
    """Compute every KPI from extract tables already loaded into ``con`` (see load_extracts)."""
    cat = catalogue or load_kpi_catalogue()
    settings = cat.settings
    _prepare(con, as_at, groupings)
    con.execute("CREATE OR REPLACE TEMP TABLE resolved_outcomes (outcome VARCHAR)")
    con.executemany(
        "INSERT INTO resolved_outcomes VALUES (?)",
        [[o] for o in sorted(settings.resolved_without_assessment_outcomes)],
    )
    out: list[KpiValue] = []

    def emit(kpi_id: str, row: _Row, value: object, num: int | None, den: int | None) -> None:
        if value is None or row.dimension_value is None:
            return
        try:
            kpi = cat.get(kpi_id)
        except KeyError:
            return
        number = value if isinstance(value, Decimal) else round_value(_num(value), kpi.unit)
        out.append(
            KpiValue(
                kpi_id=kpi_id,
                la_code=row.la_code,
                period=row.month_start.strftime("%Y-%m"),
                period_end=row.period_end,
                dimension=row.dimension,
                dimension_value=row.dimension_value,
                value=round_value(number, kpi.unit),
                numerator=num,
                denominator=den,
            )
        )

    sql = _concern_monthly_sql(settings.screening_standard_hours)
    for row, m, _ in _rows(con, sql, as_at):
        received, on_time, known, screened = (_int(x) for x in m[:4])
        median, maximum = m[4], m[5]
        emit("sg_concerns_received", row, received, None, None)
        if known:
            emit("sg_screened_within_24h_pct", row, percent(on_time, known), on_time, known)
        emit("sg_screening_median_days", row, median, None, screened)
        emit("sg_screening_max_days", row, maximum, None, screened)
    for row, m, _ in _rows(con, _CONCERN_SNAPSHOT_SQL, as_at):
        count = _int(m[0])
        emit("sg_open_count", row, count, None, None)
        emit("sg_open_median_age_days", row, m[1], None, count)
        emit("sg_open_max_age_days", row, m[2], None, count)
    for row, m, list_type in _rows(con, _WAITING_SQL, as_at, has_list_type=True):
        count = _int(m[0])
        emit(f"waiting_{list_type}_count", row, count, None, None)
        emit(f"waiting_{list_type}_median_days", row, m[1], None, count)
        emit(f"waiting_{list_type}_p90_days", row, m[2], None, count)
    for row, m, _ in _rows(con, _CONTACTS_SQL, as_at):
        contacts, resolved = _int(m[0]), _int(m[1])
        emit("contacts_count", row, contacts, None, None)
        emit(
            "contacts_resolved_without_assessment_pct",
            row,
            percent(resolved, contacts),
            resolved,
            contacts,
        )
    for row, m, _ in _rows(con, _DISCHARGES_SQL, as_at):
        discharges, delayed, total = _int(m[0]), _int(m[1]), _int(m[2])
        emit("discharges_count", row, discharges, None, None)
        emit("discharges_delayed_count", row, delayed, None, discharges)
        emit("discharge_delay_days_total", row, total, None, discharges)
        emit(
            "discharge_delay_days_mean",
            row,
            round_value(Decimal(total) / Decimal(discharges), Unit.DAYS),
            total,
            discharges,
        )
    for row, m, _ in _rows(con, _READY_SNAPSHOT_SQL, as_at):
        emit("hospital_ready_to_leave_people", row, _int(m[0]), None, None)

    _fill_zero_counts(con, out, {kpi.id for kpi in cat.kpis})

    order = {kpi.id: i for i, kpi in enumerate(cat.kpis)}
    dim_order = {d: i for i, d in enumerate(DIMENSIONS)}
    out.sort(
        key=lambda v: (
            v.la_code,
            order[v.kpi_id],
            v.period,
            dim_order[v.dimension],
            v.dimension_value,
        )
    )
    return out


_ZERO_FILLED = {
    # KPI id -> (extract table, whether the zero has a denominator of 0)
    "sg_concerns_received": ("concerns", False),
    "sg_open_count": ("concerns", False),
    "contacts_count": ("contacts", False),
    "discharges_count": ("discharges", False),
    "discharges_delayed_count": ("discharges", True),
    "discharge_delay_days_total": ("discharges", True),
    "hospital_ready_to_leave_people": ("discharges", False),
}


def _fill_zero_counts(
    con: duckdb.DuckDBPyConnection, out: list[KpiValue], kpi_ids: set[str]
) -> None:
    """Add a council total of 0 for count KPIs in periods with nothing to count.

    Only for councils whose extract for the KPI has rows: a missing extract gives no value.
    (Waiting lists are not filled: a month without a snapshot has no value.)
    """
    have = {(v.kpi_id, v.la_code, v.period) for v in out if v.dimension == TOTAL}
    periods = con.execute(
        "SELECT la_code, month_start, period_end FROM periods ORDER BY ALL"
    ).fetchall()
    for kpi_id, (table, with_den) in _ZERO_FILLED.items():
        if kpi_id not in kpi_ids:
            continue
        councils = {r[0] for r in con.execute(f"SELECT DISTINCT la_code FROM {table}").fetchall()}
        for la, month, end in periods:
            period = month.strftime("%Y-%m")
            if la in councils and (kpi_id, la, period) not in have:
                out.append(
                    KpiValue(
                        kpi_id,
                        la,
                        period,
                        end,
                        TOTAL,
                        ALL,
                        Decimal(0),
                        None,
                        0 if with_den else None,
                    )
                )


def _int(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int | Decimal | float):
        return int(value)
    raise TypeError(f"expected a number, got {value!r}")


def _num(value: object) -> Decimal | int | float:
    if isinstance(value, Decimal | int | float):
        return value
    if isinstance(value, timedelta):
        return Decimal(value.days)
    raise TypeError(f"expected a number, got {value!r}")


def month_series(
    values: Sequence[KpiValue],
    kpi_id: str,
    *,
    la_code: str | None = None,
    dimension: str = TOTAL,
    dimension_value: str = ALL,
) -> list[tuple[date, float]]:
    """The month-by-month series of one KPI (first day of month, value), oldest first.

    ``la_code`` may be left out when the values hold one council only.
    """
    councils = {v.la_code for v in values}
    if la_code is None:
        if len(councils) > 1:
            raise ValueError("values hold several councils: name one with la_code")
        la_code = next(iter(councils), "")
    points = [
        (date.fromisoformat(v.period + "-01"), float(v.value))
        for v in values
        if v.kpi_id == kpi_id
        and v.la_code == la_code
        and v.dimension == dimension
        and v.dimension_value == dimension_value
    ]
    return sorted(points)


@dataclass(frozen=True, slots=True)
class KpiGap:
    """The difference between two locality groups for one KPI and month (a minus b)."""

    kpi_id: str
    la_code: str
    period: str
    group_a: str
    group_b: str
    value_a: Decimal
    value_b: Decimal
    gap: Decimal


def group_gaps(values: Sequence[KpiValue], *, group_a: str, group_b: str) -> list[KpiGap]:
    """For every KPI and month with both groups, the value of ``group_a`` minus ``group_b``."""
    by_key: dict[tuple[str, str, str, str], KpiValue] = {}
    for v in values:
        if v.dimension == GROUP and v.dimension_value in (group_a, group_b):
            by_key[(v.kpi_id, v.la_code, v.period, v.dimension_value)] = v
    gaps = []
    for (kpi_id, la, period, grp), a in by_key.items():
        if grp != group_a:
            continue
        b = by_key.get((kpi_id, la, period, group_b))
        if b is not None:
            gaps.append(
                KpiGap(kpi_id, la, period, group_a, group_b, a.value, b.value, a.value - b.value)
            )
    return gaps
