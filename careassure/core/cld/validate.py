"""Set-based validation of one CLD file in DuckDB (reference §4).

`stage_file` reads the file once with `read_csv` (all VARCHAR), trimming values as it reads:
into a temporary table, or, when loading, straight into `cld_raw` inside the caller's
transaction. It works out the physical line of every row, applies the file-level rules that
need the data (F04, F05, F06, F07, F10, C01) and writes every row-level finding into a temporary
findings table. Without a load id nothing is written outside the connection's temporary schema.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

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
    return (
        f"CASE WHEN regexp_full_match({expr}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"THEN try_strptime({expr}, '%Y-%m-%d')::DATE "
        f"WHEN regexp_full_match({expr}, '[0-9]{{2}}/[0-9]{{2}}/[0-9]{{4}}') "
        f"THEN try_strptime({expr}, '%d/%m/%Y')::DATE END"
    )


def trimmed_sql(expr: str) -> str:
    """`nullif(trim(expr), '')`, calling trim only on values that start or end with a space."""
    return (
        f"CASE WHEN prefix({expr}, ' ') OR suffix({expr}, ' ') THEN nullif(trim({expr}), '') "
        f"ELSE nullif({expr}, '') END"
    )


@dataclass(frozen=True)
class StageTarget:
    """Where the rows of a staged file are stored: `table` restricted by `where`."""

    table: str
    where: str


def _drop_stage_objects(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    stage = f"{prefix}_stage"
    con.execute(f"DROP VIEW IF EXISTS {stage}_v")
    con.execute(f"DROP VIEW IF EXISTS {stage}")
    con.execute(f"DROP TABLE IF EXISTS {stage}_base")
    con.execute(f"DROP TABLE IF EXISTS {prefix}_fnd")
    con.execute(f"DROP SEQUENCE IF EXISTS {prefix}_seq")


@dataclass
class StagedFile:
    """A file read into DuckDB, with its findings in the connection's temporary schema.

    `stage` is a temporary view of the file's rows: the trimmed VARCHAR columns of
    `spec.FIELDS`, `_line` and the parsed dates of `DATE_COLUMNS`.
    """

    scan: FileScan
    stage: str
    findings_table: str
    rows: int
    la_code: str
    period_start: dt.date
    period_end: dt.date
    release: str

    @property
    def period(self) -> str:
        return f"{self.period_start.isoformat()}/{self.period_end.isoformat()}"

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        _drop_stage_objects(con, self.stage.removesuffix("_stage"))

    def fetch_findings(self, con: duckdb.DuckDBPyConnection) -> list[Finding]:
        rows = con.execute(
            f"SELECT row, column_name, value, rule, severity, message FROM {self.findings_table} "
            "ORDER BY row NULLS FIRST, seq"
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

    Checks on the typed view are batched: `flush` evaluates all of them in one scan (one CASE
    per check, unnested into findings), so the file is read once rather than once per rule.
    Checks with their own `source` (window queries) run as separate statements.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, view: str, table: str) -> None:
        self.con = con
        self.view = view
        self.table = table
        self.pending: list[tuple[str, str]] = []

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
    ) -> None:
        """One finding per row of `source` (default: the typed view) matching `where`.

        `column` is a snake_case column name; its header and (masked) value are recorded unless
        `value` gives another SQL expression. `message` is a SQL expression.
        """
        header = q(FIELD_BY_COLUMN[column].header) if column else "NULL"
        if value is None:
            value = _value_sql(FIELD_BY_COLUMN[column], f"s.{column}") if column else "NULL"
        if source is None:
            self.pending.append(
                (
                    where,
                    f"CASE WHEN {where} THEN struct_pack(c := {header}::VARCHAR, "
                    f"v := ({value})::VARCHAR, r := {q(rule)}, s := {q(severity)}, "
                    f"m := ({message})::VARCHAR) END",
                )
            )
            return
        self.con.execute(
            f"INSERT INTO {self.table} (row, column_name, value, rule, severity, message) "
            f"SELECT s._line, {header}, {value}, {q(rule)}, {q(severity)}, {message} "
            f"FROM {source} s WHERE {where}"
        )

    def flush(self) -> None:
        """Run the batched checks in one scan of the view.

        Rows that fail no check are filtered out first, so the findings are built only for
        rows with at least one.
        """
        if not self.pending:
            return
        checks = ", ".join(case for _, case in self.pending)
        any_fails = " OR ".join(f"({where})" for where, _ in self.pending)
        self.con.execute(
            f"INSERT INTO {self.table} (row, column_name, value, rule, severity, message) "
            "SELECT _line, f.c, f.v, f.r, f.s, f.m FROM (SELECT _line, unnest(f) AS f FROM "
            f"(SELECT s._line, list_filter([{checks}], lambda x: x IS NOT NULL) AS f "
            f"FROM {self.view} s WHERE {any_fails}) WHERE len(f) > 0) ORDER BY _line"
        )
        self.pending = []


def _read(
    con: duckdb.DuckDBPyConnection, scan: FileScan, stage: str, rej: str, load_id: str | None
) -> StageTarget:
    """Read the file once; return where its rows are stored.

    Each row's `_line` is first its record number in the file (header = 1):
    `row_number() OVER ()` numbers the rows in file order while insertion order is preserved.
    """
    columns = "{" + ", ".join(f"{q(h)}: 'VARCHAR'" for h in scan.headers) + "}"
    present = {f.column: h for f, h in zip(scan.fields, scan.headers, strict=True)}
    select = []
    for spec in FIELDS:
        header = present.get(spec.column)
        select.append(trimmed_sql(f"src.{ident(header)}") if header else "NULL::VARCHAR")
    max_line = loader_rules().max_field_chars
    source = (
        f"FROM read_csv(?, header = true, "
        f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
        f"strict_mode = true, store_rejects = true, rejects_table = {q(rej)}, "
        f"rejects_scan = {q(rej + '_scan')}, max_line_size = {max_line + 1024}, "
        f"buffer_size = {max(16 * 1024 * 1024, 4 * (max_line + 1024))}) src"
    )
    names = ", ".join(f.column for f in FIELDS)
    if load_id is None:
        base = f"{stage}_base"
        aliased = ", ".join(f"{e} AS {f.column}" for e, f in zip(select, FIELDS, strict=True))
        con.execute(
            f"CREATE TEMP TABLE {base} AS SELECT {aliased}, "
            f"(row_number() OVER () + 1)::BIGINT AS _line {source}",
            [str(scan.csv_path)],
        )
        target = StageTarget(base, "true")
    else:
        con.execute(
            f"INSERT INTO cld_raw ({names}, _file, _line, _load_id) SELECT {', '.join(select)}, "
            f"?, row_number() OVER () + 1, ? {source}",
            [scan.path.name, load_id, str(scan.csv_path)],
        )
        target = StageTarget("cld_raw", f"cld_raw._load_id = {q(load_id)}")
    dates = ", ".join(f"{date_sql(column)} AS {alias}" for column, alias in DATE_COLUMNS.items())
    con.execute(
        f"CREATE TEMP VIEW {stage} AS SELECT {names}, _line, {dates} "
        f"FROM {target.table} WHERE {target.where}"
    )
    return target


def _fix_lines(
    con: duckdb.DuckDBPyConnection,
    scan: FileScan,
    stage: str,
    target: StageTarget,
    rej: str,
    rows: int,
) -> tuple[list[tuple[int, str, str]], int]:
    """Set `_line` to the physical line.

    Returns the rejected records (physical line, type, message) and the number of physical
    lines that belong to no record (swallowed by an unterminated quote).
    """
    rejected = con.execute(
        f"SELECT line, arg_min(error_type, coalesce(column_idx, -1)), "
        f"arg_min(error_message, coalesce(column_idx, -1)) "
        f"FROM {rej} GROUP BY line ORDER BY line"
    ).fetchall()
    # DuckDB numbers records (header = 1). A good row k (1-based, `_line` = k + 1 so far) sits
    # after k - 1 good rows and after every rejected record i (1-based, sorted) whose record
    # number r_i satisfies r_i - i + 1 <= k + 1.
    multiline = scan.physical_lines != rows + len(rejected) + 1
    if not rejected and not multiline:
        return [], 0
    con.execute(
        f"CREATE TEMP TABLE {rej}_t AS SELECT t, max(i) AS i FROM (SELECT line - row_number() "
        f"OVER (ORDER BY line) + 1 AS t, row_number() OVER (ORDER BY line) AS i FROM "
        f"(SELECT DISTINCT line FROM {rej})) "
        "GROUP BY t"
    )
    newlines = " + ".join(
        f"coalesce(length({f.column}) - length(replace({f.column}, chr(10), '')), 0)"
        for f in FIELDS
    )
    con.execute(
        f"CREATE TEMP TABLE {rej}_l AS SELECT s._line - 1 AS _k, s._line + coalesce(t.i, 0) "
        f"AS rec, {newlines if multiline else '0'} AS extra FROM {stage} s "
        f"ASOF LEFT JOIN {rej}_t t ON t.t <= s._line"
    )
    con.execute(
        f"UPDATE {target.table} SET _line = l.rec + l.before FROM (SELECT _k, rec, "
        f"coalesce(sum(extra) OVER (ORDER BY _k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 "
        f"PRECEDING), 0) AS before FROM {rej}_l) l "
        f"WHERE {target.table}._line = l._k + 1 AND {target.where}"
    )
    out: list[tuple[int, str, str]] = []
    for line, kind, message in rejected:
        before = con.execute(
            f"SELECT coalesce(sum(extra), 0) FROM {rej}_l WHERE rec < ?", [line]
        ).fetchone()
        out.append((int(line) + int(before[0] if before else 0), str(kind), str(message)))
    extra_row = con.execute(f"SELECT coalesce(sum(extra), 0) FROM {rej}_l").fetchone()
    extra = int(extra_row[0]) if extra_row else 0
    con.execute(f"DROP TABLE {rej}_t")
    con.execute(f"DROP TABLE {rej}_l")
    swallowed = scan.physical_lines - 1 - rows - extra - len(rejected)
    return out, max(swallowed, 0)


def _file_facts(
    con: duckdb.DuckDBPyConnection,
    scan: FileScan,
    stage: str,
    expected_la_code: str | None,
    today: dt.date,
) -> tuple[str, dt.date, dt.date, list[Finding]]:
    path = scan.path
    warnings: list[Finding] = []
    codes = [
        r[0]
        for r in con.execute(
            f"SELECT la_code FROM {stage} WHERE la_code IS NOT NULL GROUP BY la_code "
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
    pairs = con.execute(
        f"SELECT rp_s, rp_e, count(*) AS n FROM {stage} WHERE rp_s IS NOT NULL AND "
        "rp_e IS NOT NULL GROUP BY ALL ORDER BY n DESC, rp_e DESC, rp_s"
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
    con: duckdb.DuckDBPyConnection, stage: str, path: str, start: dt.date, end: dt.date
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
        for value, n in con.execute(
            f"SELECT {spec.column}, count(*) FROM {stage} WHERE {spec.column} IS NOT NULL "
            "GROUP BY ALL"
        ).fetchall():
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


def stage_file(
    con: duckdb.DuckDBPyConnection,
    scan: FileScan,
    *,
    expected_la_code: str | None = None,
    today: dt.date | None = None,
    load_id: str | None = None,
) -> StagedFile:
    """Read and validate one pre-scanned file.

    Without `load_id` the rows go into a temporary table of `con`. With `load_id` they are
    inserted into `cld_raw` (which must exist) with `_file`, `_line` and `_load_id` set and
    `_la_code`, `_period`, `_release` left NULL; the caller holds the transaction and rolls it
    back if this raises.
    """
    prefix = f"cld_tmp_{uuid.uuid4().hex[:12]}"
    stage, table, rej = f"{prefix}_stage", f"{prefix}_fnd", f"{prefix}_rej"
    con.execute(f"CREATE TEMP SEQUENCE {prefix}_seq")
    con.execute(
        f"CREATE TEMP TABLE {table} (seq BIGINT DEFAULT nextval('{prefix}_seq'), row BIGINT, "
        "column_name VARCHAR, value VARCHAR, rule VARCHAR, severity VARCHAR, message VARCHAR)"
    )
    try:
        try:
            preserve = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
            if preserve is not None and not preserve[0]:
                con.execute("SET preserve_insertion_order = true")
            try:
                target = _read(con, scan, stage, rej, load_id)
            finally:
                if preserve is not None and not preserve[0]:
                    con.execute("SET preserve_insertion_order = false")
        except duckdb.Error as exc:
            raise CldFileError(scan.path, f"the file could not be read as CSV: {exc}") from exc
        row_count = con.execute(f"SELECT count(*) FROM {stage}").fetchone()
        rows = int(row_count[0]) if row_count else 0
        rejected, swallowed = _fix_lines(con, scan, stage, target, rej, rows)
        con.execute(f"DROP TABLE IF EXISTS {rej}")
        con.execute(f"DROP TABLE IF EXISTS {rej}_scan")
        _file_level_structure(scan, rows, rejected, swallowed)
        if rows == 0:
            raise CldFileError(scan.path, "the file has a header row but no data rows", rule="F08")
        la_code, start, end, period_warnings = _file_facts(
            con, scan, stage, expected_la_code, today or dt.datetime.now(dt.UTC).date()
        )
        release, release_warnings = _release(con, stage, scan.path.name, start, end)
        staged = StagedFile(scan, stage, table, rows, la_code, start, end, release)
        _insert_findings(con, table, [*scan.warnings, *period_warnings, *release_warnings])
        for line, kind, message in rejected:
            con.execute(
                f"INSERT INTO {table} (row, column_name, value, rule, severity, message) "
                "VALUES (?, NULL, NULL, 'F04', 'error', ?)",
                [line, f"malformed row ({kind.lower()}): {message}; the row was not loaded"],
            )
        _row_checks(con, staged)
        return staged
    except BaseException:
        try:
            con.execute(f"DROP TABLE IF EXISTS {rej}")
            con.execute(f"DROP TABLE IF EXISTS {rej}_scan")
            _drop_stage_objects(con, prefix)
        except duckdb.TransactionException:
            # The caller's transaction is aborted; its rollback removes these objects.
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
    for f in findings:
        con.execute(
            f"INSERT INTO {table} (row, column_name, value, rule, severity, message) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [f.row, f.column, f.value, f.rule, f.severity, f.message],
        )


def _row_checks(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    from careassure.core.cld.rules import run_row_checks  # rules builds on this module

    run_row_checks(con, staged)
