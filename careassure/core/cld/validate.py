"""Set-based validation of one CLD file in DuckDB (reference §4).

`stage_file` reads the file once with `read_csv` (all VARCHAR), trimming values as it reads, into
a staging table in a given schema (the connection's temporary schema unless the caller names an
attached in-memory database). The table keeps the file's order, so a row's physical line is its
position + 2 (the header is line 1) unless a record was rejected or a quoted value spans lines;
then a small table maps positions to lines. `stage_file` applies the file-level rules that need
the data (F04, F05, F06, F07, F10, C01) and writes every row-level finding into a findings table
in the same schema. Nothing is written outside that schema: `ingest` copies the staged rows into
`cld_raw` in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb

from careassure.core.cld.errors import CldFileError
from careassure.core.cld.findings import FREE_TEXT_PLACEHOLDER, Finding, mask_salt
from careassure.core.cld.scan import FileScan
from careassure.core.cld.spec import (
    FIELD_BY_COLUMN,
    FIELDS,
    CodeList,
    FieldSpec,
    FieldType,
    codelists,
    loader_rules,
)

DATE_COLUMNS = {
    "reporting_period_start_date": "rp_s",
    "reporting_period_end_date": "rp_e",
    "date_of_birth": "dob",
    "date_of_death": "dod",
    "event_start_date": "ev_s",
    "event_end_date": "ev_e",
}
# Fields that carry event data; populated on a carer-known-by-association row they give A01.
EVENT_COLUMNS = [
    "event_type",
    "event_reference",
    "event_start_date",
    "event_end_date",
    "event_description",
    "event_outcome",
    "request_route_of_access",
    "assessment_type",
    "eligible_needs_identified",
    "method_of_assessment",
    "service_type",
    "service_component",
    "delivery_mechanism",
    "provider_cqc_location_name",
    "provider_cqc_location_id",
    "review_reason",
    "review_outcomes_achieved",
    "method_of_review",
    "unit_cost",
    "cost_frequency_unit_type",
    "planned_units_per_week",
]


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def date_sql(expr: str) -> str:
    """The date in `expr` (`YYYY-MM-DD` or `DD/MM/YYYY`), NULL if not a calendar date.

    Once the text has the `YYYY-MM-DD` shape, a cast reads it exactly as
    `strptime(expr, '%Y-%m-%d')` would, and faster.
    """
    return (
        f"CASE WHEN regexp_full_match({expr}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"THEN try_cast({expr} AS DATE) "
        f"WHEN regexp_full_match({expr}, '[0-9]{{2}}/[0-9]{{2}}/[0-9]{{4}}') "
        f"THEN try_strptime({expr}, '%d/%m/%Y')::DATE END"
    )


def trimmed_sql(expr: str) -> str:
    """`nullif(trim(expr), '')`, calling trim only on values that start or end with a space.

    `read_csv` already gives NULL for an empty field, quoted or not, so only a trimmed value can
    become ''.
    """
    return (
        f"CASE WHEN prefix({expr}, ' ') OR suffix({expr}, ' ') THEN nullif(trim({expr}), '') "
        f"ELSE {expr} END"
    )


def create_sql(schema: str, kind: str) -> str:
    """`CREATE TABLE` / `CREATE VIEW` for an object in `schema` ("temp" or an attached database)."""
    return f"CREATE TEMP {kind}" if schema == "temp" else f"CREATE {kind}"


@dataclass
class StagedFile:
    """A file read into DuckDB, with its findings, in a staging schema of the connection.

    `stage` is a view of the file's rows: the trimmed VARCHAR columns of `spec.FIELDS`, `_line`
    and the parsed dates of `DATE_COLUMNS`. `code_values` holds, for each code-list column, the
    number of rows with each distinct value; `filled`, for every column, the number of rows
    where it is not blank.
    """

    scan: FileScan
    schema: str
    prefix: str
    rows: int
    la_code: str
    period_start: dt.date
    period_end: dt.date
    release: str
    code_values: dict[str, dict[str, int]] = field(default_factory=dict)
    filled: dict[str, int] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        return f"{self.prefix}_stage"

    @property
    def findings_table(self) -> str:
        return f"{self.prefix}_fnd"

    @property
    def period(self) -> str:
        return f"{self.period_start.isoformat()}/{self.period_end.isoformat()}"

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        _drop_stage_objects(con, self.prefix)

    def fetch_findings(self, con: duckdb.DuckDBPyConnection) -> list[Finding]:
        rows = con.execute(
            f"SELECT row, column_name, value, rule, severity, message FROM {self.findings_table} "
            "ORDER BY row NULLS FIRST, ord"
        ).fetchall()
        return [
            Finding(
                file=self.scan.path.name,
                row=r[0],
                column=r[1],
                value=r[2],
                rule=r[3],
                severity=r[4],
                message=r[5],
                release=self.release,
            )
            for r in rows
        ]


# Objects `stage_file` and the rules create for one file, by suffix of its prefix.
_VIEWS = ("_v", "_stage")
_TABLES = ("_lines", "_base", "_fnd", "_people", "_r01")


def _drop_stage_objects(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    for suffix in _VIEWS:
        con.execute(f"DROP VIEW IF EXISTS {prefix}{suffix}")
    for suffix in _TABLES:
        con.execute(f"DROP TABLE IF EXISTS {prefix}{suffix}")


class Classifier:
    """Sorts the distinct values of a code column into valid / C03 / C04 / C05 / C06 / C08."""

    def __init__(self, codelist: CodeList, release: str) -> None:
        self.codelist = codelist
        self.release = release
        self.other = "R1" if release == "R2" else "R2"
        self.current = codelist.values(release)
        self.other_values = codelist.values(self.other)
        self.folded_current = {self._fold(v): v for v in self.current}
        self.folded_other = {self._fold(v): v for v in self.other_values}

    @staticmethod
    def _fold(value: str) -> str:
        return " ".join(value.casefold().split())

    def classify(self, column: str, value: str) -> tuple[str | None, str, str, str | None]:
        """(rule or None, severity, message, canonical R2 value or None)."""
        name = self.codelist.name
        if value in self.current:
            return None, "", "", self.codelist.map_to_r2(value)
        folded = self._fold(value)
        if name == "event_type" and folded == "referral":
            return "C06", "warning", 'legacy event type "Referral"; treated as "Request"', "Request"
        if name == "delivery_mechanism" and folded == "self-funder metering only":
            return (
                "C08",
                "warning",
                '"Self-Funder Metering Only" must not be used until charging reform',
                None,
            )
        if value in self.other_values or folded in self.folded_other:
            spec_value = self.folded_other.get(folded, value)
            mapped = self.codelist.map_to_r2(spec_value)
            if self.release == "R2":
                message = f'Release 1 value in a Release 2 file; mapped to "{mapped}"'
            else:
                message = "Release 2 value in a Release 1 file"
            if folded in self.folded_current:
                return self._c03(value, folded)
            return "C04", "warning", message, mapped
        if folded in self.folded_current:
            return self._c03(value, folded)
        allowed = self.current
        listed = (
            "; ".join(f'"{v}"' for v in allowed)
            if len(allowed) <= 8
            else (f"one of the {len(allowed)} values in the {self.release} list (see docs/cld.md)")
        )
        return (
            "C05",
            "error",
            f"not a Release {self.release[1]} value for {column}; expected {listed}",
            None,
        )

    def _c03(self, value: str, folded: str) -> tuple[str, str, str, str | None]:
        spec_value = self.folded_current[folded]
        return (
            "C03",
            "warning",
            f'capitalisation/spacing differs from specification; read as "{spec_value}"',
            self.codelist.map_to_r2(spec_value),
        )


def _value_sql(spec: FieldSpec, expr: str) -> str:
    if spec.type is FieldType.FREETEXT:
        return q(FREE_TEXT_PLACEHOLDER)
    if spec.personal:
        return (
            f"CASE WHEN {expr} IS NULL THEN NULL ELSE '#' || left(sha256({q(mask_salt())} || "
            f"{expr}), 4) || '…(' || length({expr}) || ')' END"
        )
    return expr


class Checks:
    """Collects row checks and writes their findings into the findings table.

    Each check gets the next ordinal (`ord`), which orders the findings of one row. Checks on
    the typed view are batched: `flush` evaluates all of them in one scan. Checks with their own
    `source` (grouped queries) run at once as separate statements.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        view: str,
        table: str,
        filled: dict[str, int] | None = None,
        rows: int = 0,
    ) -> None:
        self.con = con
        self.view = view
        self.table = table
        self.filled = filled or {}
        self.rows = rows
        self.ords = 0
        self.pending: list[_Check] = []

    def add(
        self,
        rule: str,
        severity: str,
        column: str | None,
        where: str,
        message: str,
        *,
        value: str | None = None,
        source: str | None = None,
        if_filled: str | None = None,
        if_blank: str | None = None,
    ) -> None:
        """One finding per row of `source` (default: the typed view) matching `where`.

        `column` is a snake_case column name; its header and (masked) value are recorded unless
        `value` gives another SQL expression. `message` is a SQL expression.

        `if_filled` / `if_blank` name a column that `where` requires to be filled / blank; the
        check is left out when no row of the file has it so (it could find nothing).
        """
        ord_ = self.ords
        self.ords += 1
        if if_filled is not None and self.filled.get(if_filled) == 0:
            return
        if if_blank is not None and self.filled.get(if_blank) == self.rows:
            return
        header = FIELD_BY_COLUMN[column].header if column else None
        if value is None:
            value = _value_sql(FIELD_BY_COLUMN[column], f"s.{column}") if column else "NULL"
        if source is None:
            self.pending.append(_Check(ord_, where, header, value, rule, severity, message))
            return
        self.con.execute(
            f"INSERT INTO {self.table} (row, ord, column_name, value, rule, severity, message) "
            f"SELECT s._line, {ord_}, {q(header) if header else 'NULL'}, {value}, {q(rule)}, "
            f"{q(severity)}, {message} FROM {source} s WHERE {where}"
        )

    def flush(self) -> None:
        """Run the batched checks in one scan of the view.

        A projection lists, for every row, the ordinals of the checks the row fails; it is
        unnested into one row per finding (rows that fail nothing give none). Being a
        projection, not a filter, it keeps the view's derived columns (parsed dates, mapped
        codes) computed once per row. The header, rule, severity and constant message of each
        check come from a small table passed as parameters, and each value expression is
        written once, to keep the statement short to plan.
        """
        if not self.pending:
            return
        checks = self.pending
        self.pending = []
        ords = ", ".join(f"CASE WHEN {c.where} THEN {c.ord} END" for c in checks)
        values: dict[str, list[int]] = {}
        for c in checks:
            values.setdefault(c.value, []).append(c.ord)
        value = (
            "CASE "
            + " ".join(
                f"WHEN s._ord IN ({', '.join(map(str, group))}) THEN ({expr})::VARCHAR"
                for expr, group in values.items()
                if expr != "NULL"
            )
            + " END"
        )
        dynamic = [c for c in checks if c.constant_message is None]
        message = (
            "coalesce(CASE s._ord "
            + " ".join(f"WHEN {c.ord} THEN ({c.message})::VARCHAR" for c in dynamic)
            + " END, c.message)"
            if dynamic
            else "c.message"
        )
        self.con.execute(
            f"INSERT INTO {self.table} (row, ord, column_name, value, rule, severity, message) "
            f"SELECT s._line, s._ord, c.header, {value}, c.rule, c.severity, {message} "
            f"FROM (SELECT s.*, unnest(list_filter([{ords}], lambda x: x IS NOT NULL)) AS _ord "
            f"FROM {self.view} s) s JOIN (SELECT unnest(?::INTEGER[]) AS ord, "
            "unnest(?::VARCHAR[]) AS header, unnest(?::VARCHAR[]) AS rule, "
            "unnest(?::VARCHAR[]) AS severity, unnest(?::VARCHAR[]) AS message) c "
            "ON c.ord = s._ord",
            [
                [c.ord for c in checks],
                [c.header for c in checks],
                [c.rule for c in checks],
                [c.severity for c in checks],
                [c.constant_message for c in checks],
            ],
        )


_LITERAL = re.compile(r"'(?:[^']|'')*'")


@dataclass(frozen=True)
class _Check:
    """A batched check: the SQL condition on the typed view and what its finding records."""

    ord: int
    where: str
    header: str | None
    value: str
    rule: str
    severity: str
    message: str

    @property
    def constant_message(self) -> str | None:
        """The message text when `message` is a plain SQL string literal."""
        if _LITERAL.fullmatch(self.message):
            return self.message[1:-1].replace("''", "'")
        return None


@contextmanager
def _insertion_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Make sure `preserve_insertion_order` is on (the staged rows must keep the file order)."""
    row = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    off = row is not None and not row[0]
    if off:
        con.execute("SET preserve_insertion_order = true")
    try:
        yield
    finally:
        if off:
            con.execute("SET preserve_insertion_order = false")


def _read(con: duckdb.DuckDBPyConnection, scan: FileScan, schema: str, base: str, rej: str) -> None:
    """Read the file once into `base`, in file order (row k of the file has rowid k - 1)."""
    columns = "{" + ", ".join(f"{q(h)}: 'VARCHAR'" for h in scan.headers) + "}"
    present = {f.column: h for f, h in zip(scan.fields, scan.headers, strict=True)}
    select = []
    for spec in FIELDS:
        header = present.get(spec.column)
        expr = trimmed_sql(f"src.{ident(header)}") if header else "NULL::VARCHAR"
        select.append(f"{expr} AS {spec.column}")
    max_line = loader_rules().max_field_chars
    with _insertion_order(con):
        con.execute(
            f"{create_sql(schema, 'TABLE')} {base} AS SELECT {', '.join(select)} "
            f"FROM read_csv(?, header = true, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
            f"strict_mode = true, store_rejects = true, rejects_table = {q(rej)}, "
            f"rejects_scan = {q(rej + '_scan')}, max_line_size = {max_line + 1024}, "
            f"buffer_size = {max(16 * 1024 * 1024, 4 * (max_line + 1024))}) src",
            [str(scan.csv_path)],
        )


def _fix_lines(
    con: duckdb.DuckDBPyConnection,
    scan: FileScan,
    schema: str,
    base: str,
    lines: str,
    rej: str,
    rows: int,
) -> tuple[list[tuple[int, str, str]], int, bool]:
    """Work out the physical line of each row when it is not its position + 2.

    Returns the rejected records (physical line, type, message), the number of physical lines
    that belong to no record (swallowed by an unterminated quote), and whether the table
    `lines` (rid = rowid in `base`, line) was created.
    """
    rejected = con.execute(
        f"SELECT line, arg_min(error_type, coalesce(column_idx, -1)), "
        f"arg_min(error_message, coalesce(column_idx, -1)) "
        f"FROM {rej} GROUP BY line ORDER BY line"
    ).fetchall()
    # DuckDB numbers records (header = 1). A good row k (1-based, rowid k - 1) sits after k - 1
    # good rows and after every rejected record i (1-based, sorted) whose record number r_i
    # satisfies r_i - i + 1 <= k + 1.
    multiline = scan.physical_lines != rows + len(rejected) + 1
    if not rejected and not multiline:
        return [], 0, False
    newlines = " + ".join(
        f"coalesce(strlen({f.column}) - strlen(replace({f.column}, chr(10), '')), 0)"
        for f in FIELDS
    )
    con.execute(
        f"CREATE TEMP TABLE {rej}_l AS SELECT b.rid, b.rid + 2 + coalesce(t.i, 0) AS rec, "
        f"b.extra FROM (SELECT rowid AS rid, rowid + 2 AS k1, "
        f"{newlines if multiline else '0'} AS extra FROM {base}) b "
        f"ASOF LEFT JOIN (SELECT t, max(i) AS i FROM (SELECT line - row_number() "
        f"OVER (ORDER BY line) + 1 AS t, row_number() OVER (ORDER BY line) AS i FROM "
        f"(SELECT DISTINCT line FROM {rej})) GROUP BY t) t ON t.t <= b.k1"
    )
    con.execute(
        f"{create_sql(schema, 'TABLE')} {lines} AS SELECT rid, rec + coalesce(sum(extra) OVER "
        f"(ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line "
        f"FROM {rej}_l"
    )
    # A rejected record is moved down by the line breaks inside the good rows before it.
    out: list[tuple[int, str, str]] = []
    if rejected:
        con.execute(f"CREATE TEMP TABLE {rej}_r (line BIGINT, n INTEGER)")
        con.executemany(
            f"INSERT INTO {rej}_r VALUES (?, ?)", [(r[0], n) for n, r in enumerate(rejected)]
        )
        shifts = con.execute(
            f"SELECT r.line + coalesce(l.before, 0) FROM {rej}_r r ASOF LEFT JOIN (SELECT rec, "
            f"sum(extra) OVER (ORDER BY rec) AS before FROM {rej}_l) l ON r.line > l.rec "
            "ORDER BY r.n"
        ).fetchall()
        out = [
            (int(shift[0]), str(kind), str(message))
            for shift, (_, kind, message) in zip(shifts, rejected, strict=True)
        ]
        con.execute(f"DROP TABLE {rej}_r")
    extra_row = con.execute(f"SELECT coalesce(sum(extra), 0) FROM {rej}_l").fetchone()
    extra = int(extra_row[0]) if extra_row else 0
    con.execute(f"DROP TABLE {rej}_l")
    swallowed = scan.physical_lines - 1 - rows - extra - len(rejected)
    return out, max(swallowed, 0), True


def _file_facts(
    con: duckdb.DuckDBPyConnection,
    scan: FileScan,
    base: str,
    expected_la_code: str | None,
    today: dt.date,
) -> tuple[str, dt.date, dt.date, list[Finding]]:
    path = scan.path
    warnings: list[Finding] = []
    codes = [
        r[0]
        for r in con.execute(
            f"SELECT la_code FROM {base} WHERE la_code IS NOT NULL GROUP BY la_code "
            "ORDER BY count(*) DESC, la_code"
        ).fetchall()
    ]
    if not codes:
        raise CldFileError(path, 'every row has a blank "LA Code"', rule="F05")
    if len(codes) > 1:
        shown = ", ".join(f'"{c}"' for c in codes[:5])
        raise CldFileError(
            path,
            f'the file holds {len(codes)} councils in "LA Code" ({shown}); '
            "a file must hold one council",
            rule="F05",
        )
    la_code = str(codes[0])
    if len(la_code) != 3 or not la_code.isdigit():
        raise CldFileError(
            path, f'"LA Code" value "{la_code}" is not a 3-digit CASSR code', rule="F05"
        )
    if expected_la_code is not None and la_code != expected_la_code:
        raise CldFileError(
            path,
            f'"LA Code" is "{la_code}" but this upload is for council "{expected_la_code}"',
            rule="F05",
        )
    # The distinct (start, end) texts are few: parse those, not every row.
    pairs = con.execute(
        f"SELECT rp_s, rp_e, sum(n)::BIGINT AS n FROM (SELECT {date_sql('s')} AS rp_s, "
        f"{date_sql('e')} AS rp_e, n FROM (SELECT reporting_period_start_date AS s, "
        f"reporting_period_end_date AS e, count(*) AS n FROM {base} GROUP BY ALL)) "
        "WHERE rp_s IS NOT NULL AND rp_e IS NOT NULL GROUP BY ALL ORDER BY n DESC, rp_e DESC, rp_s"
    ).fetchall()
    if not pairs:
        raise CldFileError(
            path,
            "no row has a valid Reporting Period Start Date and End Date "
            "(expected YYYY-MM-DD or DD/MM/YYYY)",
            rule="F06",
        )
    start, end = pairs[0][0], pairs[0][1]
    if start > end:
        raise CldFileError(
            path,
            f"Reporting Period Start Date {start.isoformat()} is after "
            f"Reporting Period End Date {end.isoformat()}",
            rule="F06",
        )
    if end > today:
        raise CldFileError(
            path,
            f"Reporting Period End Date {end.isoformat()} is after the upload date "
            f"{today.isoformat()}",
            rule="F07",
        )

    def file_warning(rule: str, message: str) -> Finding:
        return Finding(path.name, None, None, None, rule, "warning", message)

    if len(pairs) > 1:
        warnings.append(
            file_warning(
                "F06",
                f"{len(pairs)} different reporting periods in the file; the period "
                f"{start.isoformat()} to {end.isoformat()} ({pairs[0][2]} rows) was used",
            )
        )
    next_day = end + dt.timedelta(days=1)
    if start.day != 1 or next_day.day != 1:
        warnings.append(
            file_warning(
                "F06",
                f"the reporting period {start.isoformat()} to {end.isoformat()} does not run "
                "from the first of a month to the end of a month",
            )
        )
    elif (next_day.year - start.year) * 12 + next_day.month - start.month != 12:
        warnings.append(
            file_warning(
                "F06",
                f"the reporting period {start.isoformat()} to {end.isoformat()} is not 12 months",
            )
        )
    return la_code, start, end, warnings


def _release(
    code_values: dict[str, dict[str, int]], path: str, start: dt.date, end: dt.date
) -> tuple[str, list[Finding]]:
    cutover = loader_rules().r2_cutover_date
    if end < cutover:
        return "R1", []
    if start >= cutover:
        return "R2", []
    lists = codelists()
    r1_hits = r2_hits = 0
    for spec in FIELDS:
        if spec.codelist is None:
            continue
        cl = lists[spec.codelist]
        only_r1 = set(cl.r1) - set(cl.r2)
        only_r2 = set(cl.r2) - set(cl.r1)
        for value, n in code_values.get(spec.column, {}).items():
            r1_hits += n if value in only_r1 else 0
            r2_hits += n if value in only_r2 else 0
    release = "R1" if r1_hits > r2_hits else "R2"
    findings = []
    if r1_hits and r2_hits:
        findings.append(
            Finding(
                path,
                None,
                None,
                None,
                "C01",
                "warning",
                f"the file mixes Release 1 ({r1_hits} values) and Release 2 ({r2_hits} values) "
                f"code-list values; it was checked as {release}",
            )
        )
    return release, findings


def case_sql(column: str, mapping: dict[str, str | None]) -> str:
    branches = " ".join(
        f"WHEN {q(k)} THEN {q(v) if v is not None else 'NULL'}" for k, v in mapping.items()
    )
    return f"CASE {column} {branches} END" if branches else "NULL::VARCHAR"


def _code_values(con: duckdb.DuckDBPyConnection, base: str) -> dict[str, dict[str, int]]:
    """For each code-list column, the number of rows with each distinct (non-blank) value."""
    specs = [spec for spec in FIELDS if spec.codelist is not None]
    rows = con.execute(
        " UNION ALL ".join(
            f"SELECT {i} AS i, {spec.column} AS v, count(*) AS n FROM {base} "
            f"WHERE {spec.column} IS NOT NULL GROUP BY ALL"
            for i, spec in enumerate(specs)
        )
    ).fetchall()
    values: dict[str, dict[str, int]] = {spec.column: {} for spec in specs}
    for i, value, n in rows:
        values[specs[i].column][str(value)] = int(n)
    # Sorted, so that everything derived from the values is the same from run to run.
    return {column: dict(sorted(counts.items())) for column, counts in values.items()}


def stage_file(
    con: duckdb.DuckDBPyConnection,
    scan: FileScan,
    *,
    expected_la_code: str | None = None,
    today: dt.date | None = None,
    schema: str = "temp",
) -> StagedFile:
    """Read and validate one pre-scanned file into `schema`; raise CldFileError if refused.

    `schema` is "temp" (the connection's temporary schema) or an attached database. Every
    object made here is dropped again when the file is refused; otherwise `StagedFile.drop`
    drops them.
    """
    key = uuid.uuid4().hex[:12]
    prefix = f"{schema}.cld_{key}"
    base, lines, table, rej = f"{prefix}_base", f"{prefix}_lines", f"{prefix}_fnd", f"cld_rej_{key}"
    try:
        try:
            _read(con, scan, schema, base, rej)
        except duckdb.Error as exc:
            raise CldFileError(scan.path, f"the file could not be read as CSV: {exc}") from exc
        row_count = con.execute(f"SELECT count(*) FROM {base}").fetchone()
        rows = int(row_count[0]) if row_count else 0
        rejected, swallowed, mapped_lines = _fix_lines(con, scan, schema, base, lines, rej, rows)
        con.execute(f"DROP TABLE IF EXISTS {rej}")
        con.execute(f"DROP TABLE IF EXISTS {rej}_scan")
        _file_level_structure(scan, rows, rejected, swallowed)
        if rows == 0:
            raise CldFileError(scan.path, "the file has a header row but no data rows", rule="F08")
        names = ", ".join(f"b.{f.column}" for f in FIELDS)
        dates = ", ".join(
            f"{date_sql('b.' + column)} AS {alias}" for column, alias in DATE_COLUMNS.items()
        )
        source = f"{base} b JOIN {lines} l ON l.rid = b.rowid" if mapped_lines else f"{base} b"
        line = "l.line" if mapped_lines else "b.rowid + 2"
        con.execute(
            f"{create_sql(schema, 'VIEW')} {prefix}_stage AS SELECT {names}, {line} AS _line, "
            f"{dates} FROM {source}"
        )
        la_code, start, end, period_warnings = _file_facts(
            con, scan, base, expected_la_code, today or dt.datetime.now(dt.UTC).date()
        )
        code_values = _code_values(con, base)
        release, release_warnings = _release(code_values, scan.path.name, start, end)
        counts = con.execute(
            "SELECT " + ", ".join(f"count({f.column})" for f in FIELDS) + f" FROM {base}"
        ).fetchone()
        filled = {f.column: int(n) for f, n in zip(FIELDS, counts or [], strict=True)}
        staged = StagedFile(
            scan, schema, prefix, rows, la_code, start, end, release, code_values, filled
        )
        con.execute(
            f"{create_sql(schema, 'TABLE')} {table} (row BIGINT, ord INTEGER, "
            "column_name VARCHAR, value VARCHAR, rule VARCHAR, severity VARCHAR, message VARCHAR)"
        )
        _insert_findings(con, table, [*scan.warnings, *period_warnings, *release_warnings])
        if rejected:
            con.executemany(
                f"INSERT INTO {table} (row, ord, column_name, value, rule, severity, message) "
                "VALUES (?, -1, NULL, NULL, 'F04', 'error', ?)",
                [
                    (line_no, f"malformed row ({kind.lower()}): {message}; the row was not loaded")
                    for line_no, kind, message in rejected
                ],
            )
        _row_checks(con, staged)
        return staged
    except BaseException:
        try:
            con.execute(f"DROP TABLE IF EXISTS {rej}")
            con.execute(f"DROP TABLE IF EXISTS {rej}_scan")
            _drop_stage_objects(con, prefix)
        except duckdb.Error:
            # The connection is unusable (interrupted); its schema goes with it.
            pass
        raise


def _file_level_structure(
    scan: FileScan, rows: int, rejected: list[tuple[int, str, str]], swallowed: int
) -> None:
    for line, kind, _message in rejected:
        if kind == "LINE SIZE OVER MAXIMUM":
            raise CldFileError(
                scan.path,
                f"line {line} holds a field longer than {loader_rules().max_field_chars} "
                "characters; the file is refused",
                rule="F10",
            )
    threshold = loader_rules().malformed_row_threshold
    total = rows + len(rejected) + swallowed
    bad = len(rejected) + swallowed
    if swallowed and rejected and bad > threshold * total:
        first = rejected[0]
        raise CldFileError(
            scan.path,
            f"a quoted value opened at line {first[0]} is never closed; {bad} of {total} data "
            f"lines could not be read (more than {threshold:.0%})",
            rule="F04",
        )
    if rejected and bad > threshold * total:
        first = rejected[0]
        raise CldFileError(
            scan.path,
            f"{bad} of {total} data rows are malformed (more than "
            f"{threshold:.0%}); first at line {first[0]}: {first[1].lower()}",
            rule="F04",
        )


def _insert_findings(
    con: duckdb.DuckDBPyConnection, table: str, findings: Iterable[Finding]
) -> None:
    rows = [
        (f.row, n, f.column, f.value, f.rule, f.severity, f.message) for n, f in enumerate(findings)
    ]
    if rows:
        con.executemany(
            f"INSERT INTO {table} (row, ord, column_name, value, rule, severity, message) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _row_checks(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    from careassure.core.cld.rules import run_row_checks  # rules builds on this module

    run_row_checks(con, staged)
