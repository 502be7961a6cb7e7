"""DHSC's data-quality summary of loaded CLD (reference §4.9), as SQL over the loader's tables.

Every loaded row × field gets DHSC's **field status** from the required-by-event-type matrix of
reference §4.5 (R1 rules, used for both releases):

- `Mandatory` (M, or M* with its condition met);
- `Applicable but not mandatory` (O, or M* with its condition not met);
- `Not applicable` (–);
- `Undetermined`: the status depends on a value that cannot be read (a client type, event type,
  assessment type, review reason, delivery mechanism, service type or component, primary
  support reason or date that is blank where it decides, or fails its rule), so the matrix
  cell cannot be chosen. `First Name` and `Last Name` are always Undetermined: the matrix
  does not list them and whether they are mandatory is unverified (reference §2.1).

and a **result**, from the loader's findings (reference §4.3–§4.5):

- `Failed: Blank (Mandatory)`: blank where the status is Mandatory (rule M01; D07 for a
  service's end date when a Date of Death is present);
- `Passed: Blank (Not Mandatory)`: blank with any other status;
- `Failed: Invalid`: the value has an error finding of a type rule (T01 date, T02 decimal,
  T03 whole number, T04 NHS number) or a code-list rule (C05 unknown code, C09 Direct payment
  with a Prison service);
- `Failed: Release 1`: a Release 1 value in a Release 2 file (C04);
- `Passed: Valid`: any other populated value (warnings such as C03, T05 or X01 do not fail
  a value).

The counts are grouped by council, import date (the UTC date the file was loaded), module and
field. The reference names DHSC's six modules but not the fields in each; the mapping in
`FIELD_MODULES` is ours (docs/cld.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import duckdb

from careassure.core.cld.errors import CldError
from careassure.core.cld.spec import FIELD_BY_COLUMN, FIELDS, codelists
from careassure.core.cld.validate import Classifier


class FieldStatus(StrEnum):
    MANDATORY = "Mandatory"
    APPLICABLE = "Applicable but not mandatory"
    NOT_APPLICABLE = "Not applicable"
    UNDETERMINED = "Undetermined"


class Result(StrEnum):
    VALID = "Passed: Valid"
    BLANK_NOT_MANDATORY = "Passed: Blank (Not Mandatory)"
    BLANK_MANDATORY = "Failed: Blank (Mandatory)"
    INVALID = "Failed: Invalid"
    RELEASE_1 = "Failed: Release 1"


SUBMISSION = "Submission information"
PERSON = "Person details"
EVENTS_ALL = "Events (all)"
EVENTS_BY_TYPE = "Events (requests / assessments / services / reviews only)"
CARERS = "Carers and linked service users"
COSTS = "Costs (services only)"
MODULES = (SUBMISSION, PERSON, EVENTS_ALL, EVENTS_BY_TYPE, CARERS, COSTS)
STATUS_ORDER = tuple(FieldStatus)
RESULT_ORDER = tuple(Result)


def _module(number: int) -> str:
    if number <= 3:
        return SUBMISSION
    if number <= 24:
        return PERSON
    if number <= 30:
        return EVENTS_ALL
    if 35 <= number <= 39:
        return CARERS
    if number >= 48:
        return COSTS
    return EVENTS_BY_TYPE


# Field (snake_case column) -> module: fields 1-3 submission information; 4-24 person details;
# 25-30 the event fields every event has; 31-34 and 40-47 the fields of one event type;
# 35-39 carers; 48-50 costs.
FIELD_MODULES: dict[str, str] = {f.column: _module(f.number) for f in FIELDS}

# Rules whose error makes a populated value "Failed: Invalid" (reference §4.3 and §4.4).
INVALID_RULES = ("T01", "T02", "T03", "T04", "C05", "C09")

_M, _O, _NA = "'M'", "'O'", "'NA'"
_UNDETERMINED = "NULL"


def _by_kind(service_user: str, carer: str) -> str:
    """A cell that differs for service users and carers (Undetermined when neither is known)."""
    return f"CASE kind WHEN 'su' THEN {service_user} WHEN 'carer' THEN {carer} END"


def _when(condition: str) -> str:
    """M* cell: M when the condition holds, O when it does not, Undetermined when unknown."""
    return f"CASE WHEN {condition} THEN 'M' WHEN NOT ({condition}) THEN 'O' END"


_EMPLOYMENT = (
    "CASE kind WHEN 'carer' THEN 'O' WHEN 'su' THEN CASE WHEN age NOT BETWEEN 18 AND 64 OR "
    "NOT psr_ld THEN 'O' WHEN age BETWEEN 18 AND 64 AND psr_ld THEN 'M' END END"
)
_FINANCIAL_NOT_REQUIRED = "CASE WHEN fin THEN 'O' WHEN NOT fin THEN 'M' END"

# The §4.5 matrix: field -> cells for (Request, Assessment, Service, Review, CKBA row). Each
# cell is a SQL expression giving 'M', 'O', 'NA' or NULL (Undetermined).
_ALL_MANDATORY = (_M,) * 5
_ALL_OPTIONAL = (_O,) * 5
_EVENT = (_M, _M, _M, _M, _NA)
_EVENT_OPTIONAL = (_O, _O, _O, _O, _NA)
_SU_ONLY = (_by_kind(_O, _NA),) * 4 + (_NA,)
_CARER_ONLY = (_by_kind(_NA, _O),) * 4 + (_O,)


def _only(event_type: str, cell: str) -> tuple[str, ...]:
    index = ("Request", "Assessment", "Service", "Review").index(event_type)
    return tuple(cell if i == index else _NA for i in range(5))


MATRIX: dict[str, tuple[str, ...]] = {
    "la_code": _ALL_MANDATORY,
    "reporting_period_start_date": _ALL_MANDATORY,
    "reporting_period_end_date": _ALL_MANDATORY,
    "nhs_number": _ALL_MANDATORY,
    "la_person_unique_identifier": _ALL_MANDATORY,
    "first_name": (_UNDETERMINED,) * 5,
    "last_name": (_UNDETERMINED,) * 5,
    "gp_practice_name": _ALL_OPTIONAL,
    "gp_practice_code": _ALL_OPTIONAL,
    "gender": _ALL_MANDATORY,
    "ethnicity": _ALL_MANDATORY,
    "date_of_birth": _ALL_MANDATORY,
    "date_of_death": _ALL_OPTIONAL,
    "client_type": _ALL_MANDATORY,
    "primary_support_reason": (_O, _M, _M, _M, _M),
    "postcode": _ALL_MANDATORY,
    "accommodation_status": _ALL_MANDATORY,
    "employment_status": (_EMPLOYMENT,) * 4 + (_O,),
    "has_unpaid_carer": _ALL_MANDATORY,
    "autism_spectrum_disorder_asd": _SU_ONLY,
    "visual_impairment": _SU_ONLY,
    "hearing_impairment": _SU_ONLY,
    "dementia": _SU_ONLY,
    "client_funding_status": (
        _by_kind(_O, _NA),
        _by_kind(_when("fin"), _NA),
        _by_kind(_M, _NA),
        _by_kind(_M, _NA),
        _NA,
    ),
    "event_type": _EVENT,
    "event_reference": _EVENT_OPTIONAL,
    "event_start_date": _EVENT,
    "event_end_date": (_M, _M, _when("date_of_death IS NOT NULL"), _M, _NA),
    "event_description": _EVENT_OPTIONAL,
    "event_outcome": (_M, _FINANCIAL_NOT_REQUIRED, _M, _M, _NA),
    "request_route_of_access": _only("Request", _M),
    "assessment_type": _only("Assessment", _M),
    "eligible_needs_identified": _only("Assessment", _O),
    "method_of_assessment": _only("Assessment", _FINANCIAL_NOT_REQUIRED),
    "total_hrs_caring_per_week": _CARER_ONLY,
    "no_of_adults_being_cared_for": _CARER_ONLY,
    "adult_1_linked_person_id": _CARER_ONLY,
    "adult_2_linked_person_id": _CARER_ONLY,
    "adult_3_linked_person_id": _CARER_ONLY,
    "service_type": _only("Service", _M),
    "service_component": _only("Service", _M),
    "delivery_mechanism": _only("Service", _O),
    "provider_cqc_location_name": _only("Service", _O),
    "provider_cqc_location_id": _only("Service", _O),
    "review_reason": _only("Review", _M),
    "review_outcomes_achieved": _only("Review", _when("planned")),
    "method_of_review": _only("Review", _M),
    "unit_cost": _only("Service", _when("cost_rule")),
    "cost_frequency_unit_type": _only("Service", _when("cost_rule")),
    "planned_units_per_week": _only("Service", _when("cost_rule")),
}

# Code columns the matrix conditions read, mapped to their Release 2 value (alias in the query).
CODE_ALIASES = {
    "client_type": "ct",
    "event_type": "et",
    "assessment_type": "asmt",
    "review_reason": "rr",
    "primary_support_reason": "psr",
    "service_type": "st",
    "service_component": "comp",
    "delivery_mechanism": "dm",
}
SELF_FUNDER_METERING = "Self-Funder Metering Only"


@dataclass(frozen=True)
class DqCount:
    """How many row × field cells of one council and import date have this status and result."""

    la_code: str
    import_date: dt.date
    module: str
    field: str
    field_status: str
    result: str
    count: int

    def as_dict(self) -> dict[str, object]:
        """The keys of `careassure metrics dq --format json`."""
        return {
            "la_code": self.la_code,
            "import_date": self.import_date.isoformat(),
            "module": self.module,
            "field": self.field,
            "field_status": self.field_status,
            "result": self.result,
            "count": self.count,
        }


@dataclass(frozen=True)
class DqValue:
    """One row × field: its status and result. `row` is the physical line (header = 1)."""

    load_id: str
    file: str
    row: int
    la_code: str
    import_date: dt.date
    module: str
    field: str
    field_status: str
    result: str


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _agree(cells: Sequence[str]) -> str:
    """The shared status when every cell gives the same one, else NULL (Undetermined)."""
    if len(set(cells)) == 1:
        return cells[0]
    first = f"({cells[0]})"
    same = " AND ".join(f"{first} = ({c})" for c in cells[1:])
    return f"CASE WHEN {same} THEN {first} END"


def status_sql(column: str) -> str:
    """The field status code ('M', 'O', 'NA' or NULL for Undetermined) of `column` on a row.

    A carer-known-by-association row uses the CKBA column of the matrix; a row whose event
    type can be read uses that event type's column; otherwise the status is the one every
    possible column shares (the four event columns when the client type is a service user or
    carer, all five when it cannot be read), or Undetermined.
    """
    req, asmt, svc, rev, ckba = MATRIX[column]
    return (
        f"CASE WHEN kind = 'ckba' THEN {ckba} WHEN et = 'Request' THEN {req} "
        f"WHEN et = 'Assessment' THEN {asmt} WHEN et = 'Service' THEN {svc} "
        f"WHEN et = 'Review' THEN {rev} WHEN kind IS NOT NULL THEN "
        f"{_agree([req, asmt, svc, rev])} ELSE {_agree([req, asmt, svc, rev, ckba])} END"
    )


def _date_sql(expr: str) -> str:
    return (
        f"CASE WHEN regexp_full_match({expr}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
        f"THEN try_strptime({expr}, '%Y-%m-%d')::DATE "
        f"WHEN regexp_full_match({expr}, '[0-9]{{2}}/[0-9]{{2}}/[0-9]{{4}}') "
        f"THEN try_strptime({expr}, '%d/%m/%Y')::DATE END"
    )


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
        "('cld_raw', 'cld_loads', 'cld_findings')"
    ).fetchone()
    return bool(row and row[0] == 3)


def _code_mapping(con: duckdb.DuckDBPyConnection, where: str) -> dict[str, str]:
    """For each code column, a CASE giving its Release 2 value (NULL when it cannot be read).

    Values are classified as the loader does (exact, capitalisation or spacing, the other
    release, `Referral`); `Self-Funder Metering Only` keeps its own name, so the cost rule
    reads it as "not CASSR commissioned support".
    """
    lists = codelists()
    columns = list(CODE_ALIASES)
    rows = con.execute(
        "SELECT r._release, "
        + ", ".join(f"list(DISTINCT r.{c}) FILTER (WHERE r.{c} IS NOT NULL)" for c in columns)
        + f" FROM cld_raw r WHERE {where} GROUP BY r._release"
    ).fetchall()
    branches: dict[str, list[str]] = {c: [] for c in columns}
    for release, *values in rows:
        for column, distinct in zip(columns, values, strict=True):
            spec = FIELD_BY_COLUMN[column]
            assert spec.codelist is not None
            classifier = Classifier(lists[spec.codelist], str(release))
            for value in distinct or []:
                rule, _severity, _message, r2 = classifier.classify(spec.header, value)
                if rule == "C08":
                    r2 = SELF_FUNDER_METERING
                if r2 is not None:
                    branches[column].append(
                        f"WHEN r._release = {_q(str(release))} AND r.{column} = {_q(value)} "
                        f"THEN {_q(r2)}"
                    )
    return {
        column: (f"CASE {' '.join(cases)} END" if cases else "NULL::VARCHAR")
        for column, cases in branches.items()
    }


def _cells_query(
    con: duckdb.DuckDBPyConnection, la_code: str | None, load_ids: Sequence[str] | None
) -> str:
    """SQL giving one row per loaded row × field, with its status code and result."""
    conditions = ["true"]
    if la_code is not None:
        conditions.append(f"r._la_code = {_q(la_code)}")
    if load_ids is not None:
        listed = ", ".join(_q(str(i)) for i in load_ids)
        conditions.append(f"r._load_id IN ({listed})" if listed else "false")
    where = " AND ".join(conditions)
    mapping = _code_mapping(con, where)
    derived = ", ".join(f"{sql} AS {CODE_ALIASES[c]}" for c, sql in mapping.items())
    cells = ", ".join(
        f"struct_pack(n := {f.number}, s := ({status_sql(f.column)}), b := r2.{f.column} IS NULL)"
        for f in FIELDS
    )
    fields = ", ".join(
        f"({f.number}, {_q(f.header)}, {_q(FIELD_MODULES[f.column])})" for f in FIELDS
    )
    invalid = ", ".join(_q(rule) for rule in INVALID_RULES)
    sql = f"""
    WITH loads AS (
        SELECT load_id, la_code, file, timezone('UTC', loaded_at)::DATE AS import_date,
               try_cast(split_part(period, '/', 2) AS DATE) AS period_end
        FROM cld_loads
    ),
    base AS (
        SELECT r.*, l.la_code AS load_la_code, l.file AS load_file, l.import_date,
               coalesce({_date_sql("r.reporting_period_end_date")}, l.period_end) AS rp_end,
               {_date_sql("r.date_of_birth")} AS dob, {derived}
        FROM cld_raw r JOIN loads l ON l.load_id = r._load_id
        WHERE {where}
    ),
    r2 AS (
        SELECT *,
            CASE ct WHEN 'Service user' THEN 'su' WHEN 'Unpaid carer' THEN 'carer'
                WHEN 'Unpaid carer known by association' THEN 'ckba' END AS kind,
            floor(datediff('day', dob, rp_end) / 365.25) AS age,
            CASE WHEN primary_support_reason IS NULL THEN false
                ELSE psr = 'Learning disability support' END AS psr_ld,
            CASE WHEN assessment_type IS NULL THEN false
                ELSE asmt = 'Financial assessment' END AS fin,
            CASE WHEN review_reason IS NULL THEN false ELSE rr = 'Planned' END AS planned,
            (NOT CASE WHEN delivery_mechanism IS NULL THEN false
                ELSE dm = 'CASSR commissioned support' END)
            AND (CASE WHEN service_type IS NULL THEN false
                ELSE st LIKE 'Long term support:%' OR st LIKE 'Unpaid carer support:%' END
            OR CASE WHEN service_component IS NULL THEN false ELSE comp IN
                ('Short term residential care', 'Short term nursing care',
                 'Unpaid carer respite') END) AS cost_rule
        FROM base
    ),
    cells AS (
        SELECT r2._load_id AS load_id, r2.load_file AS file, r2._line AS line,
               r2.load_la_code AS la_code, r2.import_date, unnest([{cells}]) AS c
        FROM r2
    ),
    bad AS (
        SELECT load_id, "row" AS line, "column" AS header,
               max(CASE WHEN rule = 'C04' THEN 1 ELSE 2 END) AS bad
        FROM cld_findings
        WHERE "row" IS NOT NULL AND "column" IS NOT NULL
          AND ((severity = 'error' AND rule IN ({invalid})) OR (rule = 'C04' AND release = 'R2'))
        GROUP BY ALL
    ),
    fields (n, header, module) AS (VALUES {fields})
    SELECT cells.load_id, cells.file, cells.line, cells.la_code, cells.import_date,
           fields.n, fields.module, fields.header AS field,
           coalesce(cells.c.s, 'U') AS status,
           CASE WHEN cells.c.b THEN CASE WHEN cells.c.s = 'M' THEN 'BM' ELSE 'BN' END
                WHEN bad.bad = 2 THEN 'I' WHEN bad.bad = 1 THEN 'R1' ELSE 'V' END AS result
    FROM cells JOIN fields ON fields.n = cells.c.n
    LEFT JOIN bad ON bad.load_id = cells.load_id AND bad.line = cells.line
        AND bad.header = fields.header
    """
    return sql


_STATUS_CODES = {"M": FieldStatus.MANDATORY, "O": FieldStatus.APPLICABLE,
                 "NA": FieldStatus.NOT_APPLICABLE, "U": FieldStatus.UNDETERMINED}  # fmt: skip
_RESULT_CODES = {"V": Result.VALID, "BN": Result.BLANK_NOT_MANDATORY,
                 "BM": Result.BLANK_MANDATORY, "I": Result.INVALID,
                 "R1": Result.RELEASE_1}  # fmt: skip


def _check(con: duckdb.DuckDBPyConnection) -> None:
    if not _has_tables(con):
        raise CldError("the database holds no loaded Client Level Data (no cld_raw table)")


def dq_summary(
    con: duckdb.DuckDBPyConnection,
    *,
    la_code: str | None = None,
    load_ids: Sequence[str] | None = None,
) -> list[DqCount]:
    """Counts of row × field cells by council, import date, module, field, status and result.

    Ordered by council, import date, module (in `MODULES` order), field (specification
    order), status and result (in the order of `FieldStatus` and `Result`). Raises CldError
    when the database holds no CLD tables.
    """
    _check(con)
    sql = _cells_query(con, la_code, load_ids)
    rows = con.execute(
        f"SELECT la_code, import_date, n, module, field, status, result, count(*) "
        f"FROM ({sql}) GROUP BY ALL"
    ).fetchall()
    counts = [
        DqCount(
            la_code=str(r[0]),
            import_date=r[1],
            module=str(r[3]),
            field=str(r[4]),
            field_status=_STATUS_CODES[str(r[5])].value,
            result=_RESULT_CODES[str(r[6])].value,
            count=int(r[7]),
        )
        for r in sorted(
            rows,
            key=lambda r: (
                r[0],
                r[1],
                MODULES.index(r[3]),
                r[2],
                STATUS_ORDER.index(_STATUS_CODES[r[5]]),
                RESULT_ORDER.index(_RESULT_CODES[r[6]]),
            ),
        )
    ]
    return counts


def dq_values(
    con: duckdb.DuckDBPyConnection,
    *,
    la_code: str | None = None,
    load_ids: Sequence[str] | None = None,
) -> list[DqValue]:
    """Every loaded row × field with its status and result, by file, line and field number."""
    _check(con)
    sql = _cells_query(con, la_code, load_ids)
    rows = con.execute(
        f"SELECT load_id, file, line, la_code, import_date, module, field, status, result "
        f"FROM ({sql}) ORDER BY file, line, n"
    ).fetchall()
    return [
        DqValue(
            load_id=str(r[0]),
            file=str(r[1]),
            row=int(r[2]),
            la_code=str(r[3]),
            import_date=r[4],
            module=str(r[5]),
            field=str(r[6]),
            field_status=_STATUS_CODES[str(r[7])].value,
            result=_RESULT_CODES[str(r[8])].value,
        )
        for r in rows
    ]
