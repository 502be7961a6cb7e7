"""Row-level rules (reference §4.3–§4.7), each one set-based SQL over the staged file.

Every fault gives exactly one finding: a value that fails its type rule is not checked again by
the date or cross-row rules, a blank mandatory field gives M01 only, and a carer known by
association with event fields gives one A01 for the row.
"""

from __future__ import annotations

from functools import partial

import duckdb

from careassure.core.cld.spec import FIELD_BY_COLUMN, FIELDS, FieldType, codelists, loader_rules
from careassure.core.cld.validate import (
    DATE_COLUMNS,
    EVENT_COLUMNS,
    Checks,
    Classifier,
    StagedFile,
    case_sql,
    create_sql,
    q,
)

TEXT_TYPES = (FieldType.TEXT, FieldType.FREETEXT, FieldType.POSTCODE, FieldType.CQC_LOCATION_ID)
ALL_ROWS_MANDATORY = [
    "la_code",
    "reporting_period_start_date",
    "reporting_period_end_date",
    "nhs_number",
    "la_person_unique_identifier",
    "gender",
    "ethnicity",
    "date_of_birth",
    "client_type",
    "postcode",
    "accommodation_status",
    "has_unpaid_carer",
]
SU_ONLY = [
    "autism_spectrum_disorder_asd",
    "visual_impairment",
    "hearing_impairment",
    "dementia",
    "client_funding_status",
]
CARER_ONLY = [
    "total_hrs_caring_per_week",
    "no_of_adults_being_cared_for",
    "adult_1_linked_person_id",
    "adult_2_linked_person_id",
    "adult_3_linked_person_id",
]
ONLY_ON = {
    "Request": ["request_route_of_access"],
    "Assessment": ["assessment_type", "eligible_needs_identified", "method_of_assessment"],
    "Service": [
        "service_type",
        "service_component",
        "delivery_mechanism",
        "provider_cqc_location_name",
        "provider_cqc_location_id",
        "unit_cost",
        "cost_frequency_unit_type",
        "planned_units_per_week",
    ],
    "Review": ["review_reason", "review_outcomes_achieved", "method_of_review"],
}
CODE_ALIASES = {
    "event_type": "et",
    "client_type": "ct",
    "service_type": "st",
    "service_component": "comp",
    "delivery_mechanism": "dm",
    "assessment_type": "asmt",
    "review_reason": "rr",
    "primary_support_reason": "psr",
}
# The cost rule of reference §2.1, on the mapped codes; the view computes it once per row.
COST_RULE = (
    "et = 'Service' AND (dm IS NULL OR dm <> 'CASSR commissioned support') AND "
    "(st LIKE 'Long term support:%' OR st LIKE 'Unpaid carer support:%' OR comp IN "
    "('Short term residential care', 'Short term nursing care', 'Unpaid carer respite'))"
)


def _blank(column: str) -> str:
    return f"s.{column} IS NULL"


def _classify(
    staged: StagedFile,
) -> tuple[dict[str, dict[str, str | None]], list[tuple[str, str, str, dict[str, str]]]]:
    """Sort the distinct values of every code column (valid / C03 / C04 / C05 / C06 / C08).

    Returns the value -> canonical R2 value mapping per column, and the faulty values as
    (column, rule, severity, {value: message}) groups in specification order.
    """
    lists = codelists()
    mapped: dict[str, dict[str, str | None]] = {}
    faults: list[tuple[str, str, str, dict[str, str]]] = []
    for spec in FIELDS:
        if spec.codelist is None:
            continue
        classifier = Classifier(lists[spec.codelist], staged.release)
        mapped[spec.column] = {}
        groups: dict[tuple[str, str], dict[str, str]] = {}
        for value in staged.code_values.get(spec.column, {}):
            rule, severity, message, r2 = classifier.classify(spec.header, value)
            mapped[spec.column][value] = r2
            if rule is not None:
                groups.setdefault((rule, severity), {})[value] = message
        faults.extend(
            (spec.column, rule, severity, messages) for (rule, severity), messages in groups.items()
        )
    return mapped, faults


def _code_checks(checks: Checks, faults: list[tuple[str, str, str, dict[str, str]]]) -> None:
    """One check per column, rule and severity: the row's value is one of the faulty values."""
    for column, rule, severity, messages in faults:
        values = ", ".join(q(v) for v in messages)
        message = (
            f"CASE s.{column} "
            + " ".join(f"WHEN {q(v)} THEN {q(m)}" for v, m in messages.items())
            + " END"
        )
        checks.add(rule, severity, column, f"s.{column} IN ({values})", message)


def _create_view(
    con: duckdb.DuckDBPyConnection, staged: StagedFile, mapped: dict[str, dict[str, str | None]]
) -> str:
    view = f"{staged.prefix}_v"
    derived = [
        f"{case_sql('s.' + column, mapped.get(column, {}))} AS {alias}"
        for column, alias in CODE_ALIASES.items()
    ]
    # NHS numbers without spaces, and as a number, worked out once per row for T04.
    nhs = [f.column for f in FIELDS if f.type is FieldType.NHS_NUMBER]
    derived += [f"replace(s.{column}, ' ', '') AS {column}_digits" for column in nhs]
    numbers = "".join(f", try_cast({column}_digits AS BIGINT) AS {column}_value" for column in nhs)
    con.execute(
        f"{create_sql(staged.schema, 'VIEW')} {view} AS SELECT *, CASE ct "
        "WHEN 'Service user' THEN 'su' "
        "WHEN 'Unpaid carer' THEN 'carer' WHEN 'Unpaid carer known by association' THEN 'ckba' "
        "END AS kind, kind IS DISTINCT FROM 'ckba' AS not_ckba, "
        f"coalesce({COST_RULE}, false) AS cost_rule, "
        "coalesce(asmt = 'Financial assessment', false) AS fin, "
        "floor(datediff('day', dob, rp_e) / 365.25) AS age_rp_end, "
        f"floor(datediff('day', dob, ev_s) / 365.25) AS age_ev_s{numbers} "
        f"FROM (SELECT s.*, {', '.join(derived)} FROM {staged.stage} s)"
    )
    return view


def _type_checks(checks: Checks, rules_max_text: int) -> None:
    for spec in FIELDS:
        col = f"s.{spec.column}"
        # Every type check needs a value in the column.
        add = partial(checks.add, if_filled=spec.column)
        if spec.type is FieldType.DATE:
            alias = DATE_COLUMNS[spec.column]
            add(
                "T01",
                "error",
                spec.column,
                f"{col} IS NOT NULL AND s.{alias} IS NULL",
                "'not a calendar date; expected YYYY-MM-DD or DD/MM/YYYY'",
            )
        elif spec.type is FieldType.DECIMAL:
            add(
                "T02",
                "error",
                spec.column,
                f"{col} IS NOT NULL AND NOT regexp_full_match({col}, "
                "'[0-9]{1,16}(\\.[0-9]{1,2})?')",
                "'not a number >= 0 with at most 16 digits before the point and 2 after "
                "(no currency symbol or thousands separator)'",
            )
        elif spec.type is FieldType.INTEGER:
            add(
                "T03",
                "error",
                spec.column,
                f"{col} IS NOT NULL AND NOT regexp_full_match({col}, '[0-9]{{1,9}}')",
                "'not a whole number >= 0'",
            )
        elif spec.type is FieldType.NHS_NUMBER:
            # The view gives the value without spaces and that as a number (see _create_view).
            digits = f"s.{spec.column}_digits"
            # Once the value is 10 digits, digit i (1-based) of n is n // 10^(10 - i) % 10.
            number = f"s.{spec.column}_value"
            weighted = " + ".join(
                f"{11 - i} * ({number} // {10 ** (10 - i)} % 10)" for i in range(1, 10)
            )
            check = f"(11 - (({weighted}) % 11)) % 11"
            # A check value of 10 is invalid; it can never equal the last digit (0-9).
            add(
                "T04",
                "error",
                spec.column,
                f"{col} IS NOT NULL AND (NOT regexp_full_match({digits}, '[0-9]{{10}}') OR "
                f"{check} <> {number} % 10)",
                "'not a valid NHS number (10 digits with a Modulus-11 check digit)'",
            )
        elif spec.type is FieldType.POSTCODE:
            add(
                "T05",
                "warning",
                spec.column,
                f"{col} IS NOT NULL AND NOT regexp_full_match(upper({col}), "
                "'[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}')",
                "'not a UK postcode'",
            )
        elif spec.type is FieldType.CQC_LOCATION_ID:
            add(
                "T09",
                "warning",
                spec.column,
                f"{col} IS NOT NULL AND NOT regexp_full_match({col}, '1-[0-9]{{6,12}}')",
                "'not in the CQC location id format 1-123456789'",
            )
        if spec.type in (FieldType.TEXT, FieldType.FREETEXT):
            add(
                "T08",
                "warning",
                spec.column,
                # Upper-casing never shortens a value, so only values of at most 4 characters
                # (16 bytes) can read NULL or N/A; strlen is free, upper is not.
                f"strlen({col}) <= 16 AND upper({col}) IN ('NULL', 'N/A')",
                "'the text ' || upper(s." + spec.column + ") || ' is not a value; leave the "
                "field blank when it is not supplied'",
            )
            add(
                "T06",
                "warning",
                spec.column,
                f"strlen({col}) > {rules_max_text} AND length({col}) > {rules_max_text}",
                f"'longer than {rules_max_text} characters'",
            )
        if spec.type in TEXT_TYPES:
            add(
                "T07",
                "warning",
                spec.column,
                # The first character is =, +, @ or - (ascii gives its code point).
                f"ascii({col}) IN ({', '.join(str(ord(c)) for c in '=+@-')}) "
                f"AND NOT regexp_full_match({col}, "
                "'-[0-9]+(\\.[0-9]+)?') AND upper(" + col + ") NOT IN ('NULL', 'N/A') "
                f"AND length({col}) <= {rules_max_text}",
                "'starts with =, +, - or @ (spreadsheet formula)'",
            )


def _matrix_checks(checks: Checks) -> None:
    def m01(column: str, condition: str, why: str) -> None:
        checks.add(
            "M01",
            "error",
            column,
            f"({condition}) AND {_blank(column)}",
            q(f"Failed: Blank (Mandatory): required {why}"),
            if_blank=column,
        )

    for column in ALL_ROWS_MANDATORY:
        m01(column, "true", "on every row")
    not_ckba = "s.not_ckba"
    m01(
        "primary_support_reason",
        "s.et IN ('Assessment', 'Service', 'Review') OR s.kind = 'ckba'",
        "on assessment, service and review rows and carers known by association",
    )
    m01(
        "employment_status",
        "s.kind = 'su' AND s.age_rp_end BETWEEN 18 AND 64 AND s.psr = 'Learning disability "
        "support'",
        "for service users aged 18 to 64 with Learning Disability Support",
    )
    m01(
        "client_funding_status",
        "s.kind = 'su' AND (s.et IN ('Service', 'Review') OR (s.et = 'Assessment' AND s.fin))",
        "on service user services, reviews and financial assessments",
    )
    m01(
        "event_type",
        f"{not_ckba} AND s.kind IS NOT NULL",
        "on every row except a carer known by association",
    )
    m01("event_start_date", f"{not_ckba} AND s.et IS NOT NULL", "on every event")
    m01(
        "event_end_date",
        "s.et IN ('Request', 'Assessment', 'Review') AND " + not_ckba,
        "on requests, assessments and reviews (only services may be open)",
    )
    m01(
        "event_outcome",
        f"{not_ckba} AND (s.et IN ('Request', 'Service', 'Review') OR "
        "(s.et = 'Assessment' AND NOT s.fin))",
        "on every event except a financial assessment",
    )
    m01("request_route_of_access", f"{not_ckba} AND s.et = 'Request'", "on every request")
    m01("assessment_type", f"{not_ckba} AND s.et = 'Assessment'", "on every assessment")
    m01(
        "method_of_assessment",
        f"{not_ckba} AND s.et = 'Assessment' AND NOT s.fin",
        "on assessments other than financial assessments",
    )
    for column in ("service_type", "service_component"):
        m01(column, f"{not_ckba} AND s.et = 'Service'", "on every service")
    for column in ("review_reason", "method_of_review"):
        m01(column, f"{not_ckba} AND s.et = 'Review'", "on every review")
    m01(
        "review_outcomes_achieved",
        f"{not_ckba} AND s.et = 'Review' AND lower(s.review_reason) LIKE 'planned%'",
        'on Planned reviews (Review Reason "Planned"); allowed values: Fully Met, '
        "Partially Met, Not Met",
    )
    for column in ("unit_cost", "cost_frequency_unit_type", "planned_units_per_week"):
        m01(
            column,
            f"{not_ckba} AND s.cost_rule",
            "on long-term, short-term residential or nursing, respite and carer services "
            "not delivered as CASSR commissioned support",
        )

    # A01: carer known by association with event fields, one finding per row.
    first_event = (
        "coalesce("
        + ", ".join(
            f"CASE WHEN s.{c} IS NOT NULL THEN {q(FIELD_BY_COLUMN[c].header)} END"
            for c in EVENT_COLUMNS
        )
        + ")"
    )
    checks.add(
        "A01",
        "warning",
        None,
        "s.kind = 'ckba' AND (" + " OR ".join(f"s.{c} IS NOT NULL" for c in EVENT_COLUMNS) + ")",
        f"'a carer known by association row carries event fields (first: ' || {first_event} || ')'",
    )
    # X01: populated where not applicable.
    for column in SU_ONLY:
        checks.add(
            "X01",
            "warning",
            column,
            f"s.kind IN ('carer', 'ckba') AND s.{column} IS NOT NULL",
            "'not applicable on a carer row'",
            if_filled=column,
        )
    for column in CARER_ONLY:
        checks.add(
            "X01",
            "warning",
            column,
            f"s.kind = 'su' AND s.{column} IS NOT NULL",
            "'not applicable on a service user row'",
            if_filled=column,
        )
    for event_type, columns in ONLY_ON.items():
        for column in columns:
            checks.add(
                "X01",
                "warning",
                column,
                f"{not_ckba} AND s.et IS NOT NULL AND s.et <> {q(event_type)} "
                f"AND s.{column} IS NOT NULL",
                f"'not applicable on a ' || s.et || ' row (only on {event_type} rows)'",
                if_filled=column,
            )
    checks.add(
        "C07",
        "warning",
        "event_outcome",
        f"{not_ckba} AND s.et = 'Assessment' AND s.fin AND s.event_outcome IS NOT NULL",
        "'financial assessments have no outcome'",
        if_filled="event_outcome",
    )
    checks.add(
        "C09",
        "error",
        "delivery_mechanism",
        "s.st = 'Long term support: Prison' AND s.dm = 'Direct payment'",
        "'Direct payment is not valid with a Prison service'",
    )


def _date_checks(checks: Checks, max_age: int) -> None:
    non_svc = "s.et IN ('Request', 'Assessment', 'Review')"
    checks.add(
        "D01",
        "error",
        "event_end_date",
        "s.ev_e < s.ev_s",
        "'Event End Date ' || strftime(s.ev_e, '%Y-%m-%d') || ' is before Event Start Date ' || "
        "strftime(s.ev_s, '%Y-%m-%d')",
    )
    checks.add(
        "D03",
        "warning",
        "event_end_date",
        f"{non_svc} AND s.ev_e < s.rp_s",
        "'the event ended before the reporting period start'",
    )
    checks.add(
        "D04",
        "warning",
        "event_end_date",
        "s.et = 'Service' AND s.ev_e < s.rp_s",
        "'the service ended before the reporting period start'",
    )
    checks.add(
        "D05",
        "warning",
        "event_start_date",
        "s.ev_s > s.rp_e",
        "'the event starts after the reporting period end'",
    )
    checks.add(
        "D06",
        "warning",
        "event_end_date",
        f"{non_svc} AND s.ev_e > s.rp_e AND s.ev_e >= s.ev_s",
        "'the event ended after the reporting period end'",
    )
    checks.add(
        "D07",
        "error",
        "event_end_date",
        "s.et = 'Service' AND s.dod IS NOT NULL AND s.event_end_date IS NULL",
        "'Failed: Blank (Mandatory): Event End Date is required when Date of Death is present'",
    )
    checks.add(
        "D08",
        "warning",
        "date_of_death",
        "s.dod < s.ev_s AND (s.dob IS NULL OR s.dob <= s.dod)",
        "'Date of Death is before the Event Start Date'",
    )
    checks.add(
        "D09",
        "warning",
        "event_end_date",
        "s.et = 'Service' AND s.ev_e > s.dod",
        "'the service ends after the Date of Death'",
    )
    checks.add(
        "D10",
        "error",
        "date_of_birth",
        "s.dob > s.ev_s OR s.dob > s.dod",
        "'Date of Birth is after the Event Start Date or the Date of Death'",
    )
    checks.add(
        "D11",
        "warning",
        "date_of_birth",
        f"s.age_rp_end > {max_age}",
        f"'aged over {max_age} at the reporting period end; check for a dummy date of birth'",
    )
    checks.add(
        "D12",
        "warning",
        "date_of_birth",
        "s.kind = 'su' AND s.age_ev_s < 18 AND NOT (s.dob > s.ev_s)",
        "'service user aged under 18 at the event start'",
    )


def _cross_row_checks(
    con: duckdb.DuckDBPyConnection, checks: Checks, staged: StagedFile, view: str, stale_years: int
) -> None:
    """F09, R01 to R05 run here as grouped or filtered queries; R06 goes into the batch.

    Each grouped query keeps only the groups that break the rule (usually few), so the
    findings are found without sorting or windowing the whole file.
    """
    stage, prefix, schema = staged.stage, staged.prefix, staged.schema
    columns = ", ".join(f.column for f in FIELDS)
    checks.add(
        "F09",
        "warning",
        None,
        "s._line > s.first_line",
        "'row identical in every field to line ' || s.first_line",
        source=f"(WITH r AS MATERIALIZED (SELECT _line, hash({columns}) AS h FROM {stage}) "
        "SELECT r._line, d.first_line FROM r JOIN (SELECT h, min(_line) AS first_line FROM r "
        "GROUP BY h HAVING count(*) > 1) d ON r.h = d.h)",
    )
    # People whose Date of Birth, Gender or Ethnicity (R01) or NHS number (R04) takes more than
    # one value: one pass over the file, usually a handful of people.
    r01 = ("date_of_birth", "gender", "ethnicity")
    con.execute(
        f"{create_sql(schema, 'TABLE')} {prefix}_people AS SELECT la_person_unique_identifier "
        "AS pid, coalesce("
        + " OR ".join(f"min({c}) <> max({c})" for c in r01)
        + ", false) AS r01, coalesce(min(nhs_number) <> max(nhs_number), false) AS r04 "
        f"FROM {stage} WHERE la_person_unique_identifier IS NOT NULL GROUP BY ALL HAVING "
        + " OR ".join(f"min({c}) <> max({c})" for c in (*r01, "nhs_number"))
    )
    # The rows of the R01 people, with the value on each person's first row that has one.
    con.execute(
        f"{create_sql(schema, 'TABLE')} {prefix}_r01 AS SELECT s._line, "
        "s.la_person_unique_identifier, " + ", ".join(f"s.{c}, p.first_{c}" for c in r01) + " FROM "
        f"{stage} s JOIN (SELECT la_person_unique_identifier, "
        + ", ".join(f"arg_min({c}, _line) FILTER (WHERE {c} IS NOT NULL) AS first_{c}" for c in r01)
        + f" FROM {stage} WHERE la_person_unique_identifier IN (SELECT pid FROM "
        f"{prefix}_people WHERE r01) GROUP BY ALL) p USING (la_person_unique_identifier)"
    )
    for column in r01:
        header = FIELD_BY_COLUMN[column].header
        checks.add(
            "R01",
            "warning",
            column,
            "true",
            f"'{header} differs from an earlier row for the same LA Person Unique Identifier'",
            source=f"(SELECT min(_line) AS _line, arg_min({column}, _line) AS {column} "
            f"FROM {prefix}_r01 WHERE {column} <> first_{column} "
            "GROUP BY la_person_unique_identifier)",
        )
    con.execute(f"DROP TABLE {prefix}_r01")
    for n in (1, 2, 3):
        column = f"adult_{n}_linked_person_id"
        checks.add(
            "R02",
            "warning",
            column,
            "true",
            "'no row in the file has this LA Person Unique Identifier'",
            source=f"(SELECT _line, {column} FROM {stage} WHERE {column} IS NOT NULL AND "
            f"{column} NOT IN (SELECT la_person_unique_identifier FROM {stage} "
            "WHERE la_person_unique_identifier IS NOT NULL))",
            if_filled=column,
        )
    keys = [
        "la_code",
        "coalesce(replace(nhs_number, ' ', ''), la_person_unique_identifier)",
        "ev_s",
        "ct",
        "et",
        "CASE WHEN et <> 'Service' THEN ev_e END",
        "CASE WHEN et = 'Request' THEN request_route_of_access END",
        "CASE WHEN et = 'Assessment' THEN asmt END",
        "CASE WHEN et = 'Service' THEN st END",
        "CASE WHEN et = 'Service' THEN comp END",
    ]
    names = [f"k{i}" for i in range(len(keys))]
    key_list = ", ".join(names)
    # Rows whose key hash has more than one outcome hold every event with different outcomes;
    # the exact key is then compared on those rows only.
    outcome = "coalesce(event_outcome, '')"
    window = f"OVER (PARTITION BY {key_list})"
    checks.add(
        "R03",
        "warning",
        "event_outcome",
        "s._line > s.first_line",
        "'the same event (DHSC unique-event key) appears with different outcomes; first at line ' "
        "|| s.first_line",
        source="(WITH k AS MATERIALIZED (SELECT _line, event_outcome, "
        + ", ".join(f"{k} AS {n}" for k, n in zip(keys, names, strict=True))
        + f", hash({', '.join(keys)}) AS h, et IS NOT NULL AND ev_s IS NOT NULL AND ct IS NOT NULL "
        # A projected flag, not a WHERE: a filter on the view would parse the dates twice.
        f"AS keyed FROM {view}) "
        f"SELECT _line, event_outcome, first_line FROM (SELECT _line, event_outcome, "
        f"min(_line) {window} AS first_line, min({outcome}) {window} AS lo, "
        f"max({outcome}) {window} AS hi FROM k WHERE keyed AND h IN (SELECT h FROM k "
        f"WHERE keyed GROUP BY h HAVING min({outcome}) <> max({outcome}))) WHERE lo <> hi)",
    )
    checks.add(
        "R04",
        "warning",
        "nhs_number",
        "s.ids > 1",
        "'this NHS number is used by ' || s.ids || ' LA Person Unique Identifiers'",
        source=f"(SELECT min(_line) AS _line, nhs_number, count(DISTINCT "
        f"la_person_unique_identifier) AS ids FROM {stage} WHERE nhs_number IN (SELECT "
        f"nhs_number FROM {stage} WHERE nhs_number IS NOT NULL GROUP BY nhs_number "
        "HAVING min(la_person_unique_identifier) <> max(la_person_unique_identifier)) "
        "GROUP BY nhs_number)",
    )
    checks.add(
        "R04",
        "warning",
        "la_person_unique_identifier",
        "s.ids > 1",
        "'this LA Person Unique Identifier has ' || s.ids || ' NHS numbers'",
        source=f"(SELECT min(_line) AS _line, la_person_unique_identifier, count(DISTINCT "
        f"nhs_number) AS ids FROM {stage} WHERE la_person_unique_identifier IN (SELECT pid "
        f"FROM {prefix}_people WHERE r04) GROUP BY la_person_unique_identifier)",
    )
    con.execute(f"DROP TABLE {prefix}_people")
    checks.add(
        "R05",
        "warning",
        "event_start_date",
        "true",
        f"'open service started more than {stale_years} years before the period end and the "
        "person has no review in the file'",
        source=f"(SELECT _line, event_start_date FROM {view} WHERE et = 'Service' AND "
        f"event_end_date IS NULL AND ev_s < rp_e - INTERVAL {stale_years} YEAR AND "
        f"la_person_unique_identifier NOT IN (SELECT la_person_unique_identifier FROM {view} "
        "WHERE et = 'Review' AND la_person_unique_identifier IS NOT NULL))",
    )
    checks.add(
        "R06",
        "warning",
        "event_start_date",
        "s.et = 'Service' AND s.event_end_date IS NULL AND month(s.ev_s) = 4 AND day(s.ev_s) = 1",
        "'open service starting on 1 April (financial-year restart pattern)'",
    )


def run_row_checks(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """Write every row-level finding for `staged` into its findings table.

    The checks on single rows (R06 included) are evaluated together in one scan once every
    check has been added; the cross-row checks run as queries of their own as they are added.
    """
    rules = loader_rules()
    mapped, faults = _classify(staged)
    view = _create_view(con, staged, mapped)
    checks = Checks(con, view, staged.findings_table, staged.filled, staged.rows)
    _code_checks(checks, faults)
    _type_checks(checks, rules.max_text_chars)
    _matrix_checks(checks)
    _date_checks(checks, rules.max_age_years)
    _cross_row_checks(con, checks, staged, view, rules.open_service_stale_years)
    checks.flush()
