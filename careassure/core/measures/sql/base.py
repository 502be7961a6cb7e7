"""Shared part of the measure SQL: constants, helpers and the common processing (§5).

The input is the table `cld_raw` (one VARCHAR column per CLD field, values as submitted, plus
`_file`, `_line`, `_load_id`). The pipeline follows the DHSC method of reference cld-ascof.md:

- `ascof_codes`, `ascof_outcomes`: code lists (R1 -> R2 cleaning, outcome hierarchy) as tables;
- `ascof_values`: every submitted value of a coded field with its code;
- `ascof_loads`: one row per loaded file with its place in the "most recently loaded" order;
- `ascof_clean`: cleaned rows with their person id, one scan of `cld_raw` (§5.4-§5.6);
- `ascof_events`: filtered (§5.3), cropped and de-duplicated (§5.7) events;
- `ascof_people`: the latest person details table (§5.9);
- one query per measure returning `la_code, measure, breakdown, numerator, denominator`
  (the 2B/2C denominator, the population, is added by the caller).

Coded values are carried as small integers (`label_code`): every cleaned value, outcome and
label the SQL compares against has a fixed number, so rows stay narrow for the sorts, joins
and aggregates that national data needs. Ties in "latest" rankings are resolved by packing the
ranking keys into one number (`SqlBase.pack`) and taking its maximum per person, which is one
hash aggregate instead of a sort per attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from careassure.core.measures.dialect import Dialect
from careassure.core.measures.metadata import (
    INVALID,
    MethodParameters,
    code_map,
    outcome_ranks,
)

# Column names of `cld_raw` (snake_case of the CSV headers, reference §2.1).
COL = {
    "la_code": "la_code",
    "rp_start": "reporting_period_start_date",
    "rp_end": "reporting_period_end_date",
    "nhs_number": "nhs_number",
    "la_person_id": "la_person_unique_identifier",
    "date_of_birth": "date_of_birth",
    "date_of_death": "date_of_death",
    "event_start": "event_start_date",
    "event_end": "event_end_date",
    "route": "request_route_of_access",
}
# Coded fields cleaned through `code_map.csv`: name in the engine -> column of `cld_raw`.
CODED = {
    "event_type": "event_type",
    "client_type": "client_type",
    "service_type": "service_type",
    "service_component": "service_component",
    "delivery_mechanism": "delivery_mechanism",
    "event_outcome": "event_outcome",
    "accommodation_status": "accommodation_status",
    "gender": "gender",
    "primary_support_reason": "primary_support_reason",
    "assessment_type": "assessment_type",
}
RAW_COLUMNS = tuple(COL.values()) + tuple(CODED.values()) + ("_file", "_line", "_load_id")

OPEN_END = "DATE '9999-01-01'"
# Most recently loaded first: `lk` numbers the loaded files by load id, then file name, both
# descending (`ascof_loads`); then the line, highest first.
REC_DESC = "lk, src_line DESC"

LT_NURSING = "Long term support: Nursing care"
LT_RESIDENTIAL = "Long term support: Residential care"
LT_COMMUNITY = "Long term support: Community"
LT_PRISON = "Long term support: Prison"
ST_MAX = "Short term support: ST-Max"
ST_LOW = "Short term support: Ongoing low level"
ST_OTHER = "Short term support: Other short term"
ST_RES_NURSING = "Short term support: Residential or Nursing care"
CARER_DIRECT = "Unpaid carer support: Direct to unpaid carer"
CARER_INVOLVING = "Unpaid carer support: Support involving the person cared-for"
LONG_TERM = (LT_NURSING, LT_RESIDENTIAL, LT_COMMUNITY, LT_PRISON)
# Service-type hierarchy (§3.3): lower wins.
SERVICE_HIERARCHY = (LT_NURSING, LT_RESIDENTIAL, LT_COMMUNITY, LT_PRISON, ST_MAX, ST_LOW, ST_OTHER)

DP = "Direct payment"
MANAGED_PB = "CASSR managed personal budget"
COMMISSIONED = "CASSR commissioned support"
INFO_ADVICE = "NFA: Information and advice or signposting"
ENDED_AS_PLANNED = "NFA: Support ended as planned"
SELF_FUNDED = "NFA: Self-funded client or under 12wk disregard"

# §3.9: settled statuses, plus DHSC's derived "Unknown: Presumed at home".
SETTLED = (
    "Owner occupier or shared ownership scheme",
    "Tenant: Local authority or other social housing provider",
    "Tenant: Private landlord",
    "Settled mainstream housing with family or friends",
    "Supported accommodation, supported lodgings or supported group home",
    "Shared Lives scheme",
    "Approved premises for offenders released from prison or under probation supervision",
    "Sheltered housing, extra care housing or other sheltered housing",
    "Mobile accommodation for Gypsy, Roma and Traveller communities",
    "Unknown: Presumed at home",
)

# Labels the SQL produces that are not cleaned CLD values (they still need a code).
DERIVED_LABELS = (ST_RES_NURSING, "Unknown: Presumed at home", "Unknown: Presumed in community")

# §6.1 step 8.
A2_NUMERATOR = (
    ST_LOW,
    ST_OTHER,
    INFO_ADVICE,
    ENDED_AS_PLANNED,
    "NFA: Responsibility moved to another local authority",
    "NFA: Other",
    "NFA: No services offered for other reason",
    "NFA: Support ended for other reason",
    "NFA: Referral to other service within the local authority",
)
A2_DENOMINATOR_ONLY = (LT_COMMUNITY, LT_NURSING, LT_RESIDENTIAL, LT_PRISON, ST_RES_NURSING)


# §6.3: treatment functions excluded from the 2D discharges (also any starting 65 or 7).
TWO_D_EXCLUDED_TREATMENT_FUNCTIONS = (
    "199",
    "223",
    "290",
    "291",
    "331",
    "344",
    "345",
    "346",
    "424",
    "499",
    "501",
    "504",
    "560",
    "660",
    "661",
    "662",
    "840",
    "920",
)


@cache
def labels() -> tuple[str, ...]:
    """Every value a coded column can hold or be compared with, in a fixed order.

    The cleaned values of `code_map.csv`, the outcomes of `outcome_hierarchy.csv`, `Invalid and
    not mapped` and the labels the SQL derives. A value's code is its position plus 1; blank
    (NULL) has no code.
    """
    values = {cleaned for _, _, cleaned in code_map()}
    values.update(o.outcome for o in outcome_ranks())
    values.update((INVALID, *DERIVED_LABELS))
    ordered = tuple(sorted(values))
    if len(ordered) >= 2**CODE_BITS:
        raise ValueError(f"{len(ordered)} coded values do not fit in {CODE_BITS} bits")
    return ordered


@cache
def _codes() -> dict[str, int]:
    return {value: number for number, value in enumerate(labels(), start=1)}


def label_code(value: str) -> int:
    """The integer that stands for a cleaned value in the measure SQL."""
    return _codes()[value]


CODE_BITS = 10  # codes are 1..1023; 0 stands for blank inside packed numbers
DAY_BITS = 22  # day numbers of years -999..9999 (`SqlBase.day_number`)
DAY_OFFSET = 2**19
EPOCH = "DATE '0001-01-01'"
MONTH_BITS = 18  # month numbers of years -999..9999 (`SqlBase.people`)


DaySpan = tuple[int, int] | None  # smallest and largest day number, None when there are none


@dataclass(frozen=True)
class DaySpans:
    """The day-number spans of the dates in `ascof_events` that `SqlBase.people` ranks by."""

    ref_end: DaySpan
    der_end: DaySpan
    event_start: DaySpan

    @classmethod
    def from_row(cls, row: Sequence[object]) -> DaySpans:
        """From the row of `SqlBase.date_spans_query`."""

        def span(first: object, last: object) -> DaySpan:
            if first is None or last is None:
                return None
            return int(str(first)), int(str(last))

        return cls(span(row[0], row[1]), span(row[2], row[3]), span(row[4], row[5]))


@dataclass(frozen=True)
class Steps:
    """Intermediate tables to materialise in order, then the query that returns the counts."""

    tables: list[tuple[str, str]]
    final: str


@dataclass(frozen=True)
class ReportingYear:
    """The statistical reporting year, both ends inclusive."""

    start: date
    end: date


class SqlBase:
    """Shared helpers, reference tables and the common processing of §5."""

    def __init__(self, dialect: Dialect, params: MethodParameters, year: ReportingYear) -> None:
        self.d = dialect
        self.p = params
        self.year = year

    # ----- small helpers ---------------------------------------------------------------
    def s(self, value: str) -> str:
        return self.d.string(value)

    def in_list(self, values: Sequence[str]) -> str:
        return "(" + ", ".join(self.s(v) for v in values) + ")"

    @staticmethod
    def c(value: str) -> str:
        """The code of a cleaned value, as an SQL literal."""
        return str(label_code(value))

    @staticmethod
    def in_codes(values: Sequence[str]) -> str:
        return "(" + ", ".join(str(label_code(v)) for v in values) + ")"

    @property
    def ys(self) -> str:
        return f"DATE '{self.year.start.isoformat()}'"

    @property
    def ye(self) -> str:
        return f"DATE '{self.year.end.isoformat()}'"

    def age(self, dob: str, at: str) -> str:
        """floor(days / 365.25) from the proxy date of birth (§5.8)."""
        return f"CAST(FLOOR({self.d.days_between(dob, at)} / 365.25) AS INT)"

    def day_number(self, day: str) -> str:
        """A date as a whole number in [0, 2**DAY_BITS), in date order (years -999 to 9999)."""
        return f"({self.d.days_between(EPOCH, day)} + {DAY_OFFSET})"

    @staticmethod
    def pack(parts: Sequence[tuple[str, int]]) -> str:
        """One number ordered as the tuple of `parts` (expression, bits), first part first.

        Each expression must be a whole number in [0, 2**bits). Up to 62 bits the number is a
        BIGINT, beyond that (up to 125 bits) a DECIMAL(38,0); both engines compare, add and
        multiply these exactly.
        """
        total = sum(bits for _, bits in parts)
        if total > 125:
            raise ValueError(f"{total} bits do not fit in DECIMAL(38,0)")
        kind = "BIGINT" if total <= 62 else "DECIMAL(38,0)"
        expr = f"CAST({parts[0][0]} AS {kind})"
        for part, bits in parts[1:]:
            expr = f"({expr} * {2**bits} + {part})"
        return expr

    @staticmethod
    def low_bits(packed: str, bits: int) -> str:
        """The last part of a non-negative packed number, as an INT."""
        return f"CAST(({packed}) % {2**bits} AS INT)"

    @staticmethod
    def parse_date(column: str) -> str:
        """`YYYY-MM-DD`, or `DD/MM/YYYY`, as a DATE; anything else is NULL (§4.3 T01)."""
        v = f"TRIM(r.{column})"
        iso = f"CONCAT(SUBSTR({v}, 7, 4), '-', SUBSTR({v}, 4, 2), '-', SUBSTR({v}, 1, 2))"
        return (
            f"CASE WHEN {v} LIKE '____-__-__' THEN TRY_CAST({v} AS DATE) "
            f"WHEN {v} LIKE '__/__/____' THEN TRY_CAST({iso} AS DATE) END"
        )

    def service_rank(self, column: str) -> str:
        whens = " ".join(f"WHEN {self.c(v)} THEN {i}" for i, v in enumerate(SERVICE_HIERARCHY, 1))
        return f"CASE {column} {whens} ELSE 99 END"

    def not_direct_payment(self, column: str) -> str:
        """ "component not like Direct payment", with the blank-component mode applied."""
        if self.p.blank_component_mode == "parity":
            return f"{column} <> {self.c(DP)}"
        return f"({column} IS NULL OR {column} <> {self.c(DP)})"

    # ----- reference tables ------------------------------------------------------------
    def codes(self) -> str:
        rows = ", ".join(f"({self.s(f)}, {self.s(v)}, {label_code(c)})" for f, v, c in code_map())
        return f"SELECT * FROM (VALUES {rows}) AS t(field, value_key, code)"

    def outcomes(self) -> str:
        rows = ", ".join(
            f"({label_code(o.outcome)}, {o.hierarchy}, {1 if o.usable_for_sequels else 0})"
            for o in outcome_ranks()
        )
        return f"SELECT * FROM (VALUES {rows}) AS t(outcome, hier, usable)"

    def loads(self) -> str:
        """Each loaded file (`_load_id`, `_file`), numbered 1 for the most recently loaded."""
        return """
SELECT src_load, src_file,
  CAST(ROW_NUMBER() OVER (ORDER BY src_load DESC NULLS LAST, src_file DESC NULLS LAST) AS INT)
    AS lk
FROM (SELECT DISTINCT r._load_id AS src_load, r._file AS src_file FROM cld_raw r) t"""

    def values(self) -> str:
        """Each submitted value of a coded field with its code (§5.5).

        Matched case-insensitively and ignoring surrounding spaces; a value in neither release
        is `Invalid and not mapped`; blank is NULL. Worked out once per distinct value.
        """
        submitted = "\nUNION ALL ".join(
            f"SELECT DISTINCT '{name}' AS field, r.{col} AS raw FROM cld_raw r "
            f"WHERE r.{col} IS NOT NULL"
            for name, col in CODED.items()
        )
        return f"""
SELECT v.field, v.raw,
  CAST(CASE WHEN NULLIF(TRIM(v.raw), '') IS NULL THEN NULL
            ELSE COALESCE(m.code, {self.c(INVALID)}) END AS SMALLINT) AS code
FROM ({submitted}) v
LEFT JOIN ascof_codes m ON m.field = v.field AND m.value_key = LOWER(TRIM(v.raw))"""

    # ----- common processing (§5) -------------------------------------------------------
    def clean(self) -> str:
        """One row per `cld_raw` row, cleaned and identified (§5.4-§5.6)."""
        d = self.d
        coded = ",\n  ".join(f"m_{name}.code AS {name}" for name in CODED)
        joins = "\n".join(
            f"LEFT JOIN ascof_values m_{name} ON m_{name}.field = '{name}' "
            f"AND m_{name}.raw = r.{col}"
            for name, col in CODED.items()
        )
        nhs = f"NULLIF(REPLACE(COALESCE(r.{COL['nhs_number']}, ''), ' ', ''), '')"
        src = f"""
SELECT
  l.lk, r._line AS src_line,
  NULLIF(TRIM(r.{COL["la_code"]}), '') AS la_code,
  {self.parse_date(COL["rp_start"])} AS ref_start,
  {self.parse_date(COL["rp_end"])} AS ref_end,
  {nhs} AS nhs,
  NULLIF(TRIM(r.{COL["la_person_id"]}), '') AS la_person_id,
  {self.parse_date(COL["date_of_birth"])} AS dob_raw,
  {self.parse_date(COL["date_of_death"])} AS dod,
  {self.parse_date(COL["event_start"])} AS event_start,
  {self.parse_date(COL["event_end"])} AS end_raw,
  NULLIF(TRIM(r.{COL["route"]}), '') AS route,
  {coded}
FROM cld_raw r
JOIN ascof_loads l ON l.src_load IS NOT DISTINCT FROM r._load_id
                  AND l.src_file IS NOT DISTINCT FROM r._file
{joins}"""
        # Modulus 11 (§5.6): the check digit is (11 - sum of digit x weight mod 11) mod 11.
        checksum = " + ".join(
            f"({d.int_div('nhs_n', 10 ** (10 - i))} % 10) * {11 - i}" for i in range(1, 10)
        )
        numbered = f"""
SELECT s.*, CASE WHEN {d.ten_digits("nhs")} THEN CAST(nhs AS BIGINT) END AS nhs_n
FROM ({src}) s"""
        with_id = f"""
SELECT n.*,
  CASE WHEN nhs_n IS NOT NULL AND (11 - ({checksum}) % 11) % 11 = nhs_n % 10 THEN nhs
       WHEN la_person_id IS NOT NULL AND la_code IS NOT NULL
       THEN CONCAT(la_code, '_', la_person_id) END AS person_id,
  CASE WHEN dod IS NOT NULL AND ((dod >= event_start AND dod <= end_raw)
                                 OR (end_raw IS NULL AND dod > event_start))
       THEN dod ELSE end_raw END AS der_end
FROM ({numbered}) n"""
        invalid = self.c(INVALID)
        # The filter of §5.3 is applied by `events`, on the stored columns: here it would
        # make the engine evaluate the parsing expressions a second time.
        return f"""
SELECT w.lk, w.src_line, w.la_code, w.ref_start, w.ref_end, w.person_id, w.dob_raw, w.dod,
  w.event_start, w.route, {", ".join("w." + name for name in CODED)}, w.der_end,
  COALESCE(o.hier, 999) AS hier,
  CASE WHEN o.outcome IS NULL OR o.outcome = {invalid} THEN 999
       WHEN o.usable = 0 THEN o.hier + 100 ELSE o.hier END AS shier,
  COALESCE(w.event_outcome, {invalid}) AS outc
FROM ({with_id}) w
LEFT JOIN ascof_outcomes o ON o.outcome = w.event_outcome"""

    def kept(self, k: str) -> str:
        """The rows of `ascof_clean` (alias `k`) that §5.3 keeps for their reference period."""
        return f"""{k}.person_id IS NOT NULL AND {k}.la_code IS NOT NULL
  AND {k}.event_start <= {k}.ref_end
  AND (({k}.event_type IN {self.in_codes(("Request", "Assessment", "Review"))}
        AND {k}.der_end >= {k}.ref_start AND {k}.der_end <= {k}.ref_end)
       OR ({k}.event_type = {self.c("Service")}
           AND ({k}.der_end >= {k}.ref_start OR {k}.der_end IS NULL)))
  AND ({k}.dod IS NULL OR ({k}.dod >= {k}.ref_start AND {k}.dod >= {k}.event_start))"""

    def events(self) -> str:
        """`ascof_clean` filtered, cropped and de-duplicated: one row per unique event."""
        service = self.c("Service")
        # §5.7 step 2: a service left open at the end of a reference period that is not the
        # LA's last one ends at the period end when the same service is absent from the next
        # period. Only the copy from a service's latest period can survive step 3 (rows are
        # ranked by period end first), and that copy is by definition absent from the next
        # period; so cropping every row by the rule without the look-ahead keeps the same rows
        # with the same dates.
        cropped = f"""
SELECT k.lk, k.src_line, k.la_code, k.ref_start, k.ref_end, k.person_id, k.dob_raw, k.dod,
  k.event_start, k.route, {", ".join("k." + name for name in CODED)}, k.hier, k.shier, k.outc,
  CASE WHEN k.event_type = {service} AND k.ref_end < t.la_last_end
            AND (k.der_end IS NULL OR k.der_end > k.ref_end)
       THEN k.ref_end ELSE k.der_end END AS der_end
FROM ascof_clean k
JOIN (SELECT a.la_code, MAX(a.ref_end) AS la_last_end FROM ascof_clean a
      WHERE {self.kept("a")} GROUP BY a.la_code) t
  ON t.la_code = k.la_code
WHERE {self.kept("k")}"""

        # §5.7 step 1: the unique-event key, packed into two numbers plus the route (rows of
        # other event types have a blank part, as 0).
        def only(event_type: str, column: str) -> str:
            return f"COALESCE(CASE WHEN c.event_type = {self.c(event_type)} THEN {column} END, 0)"

        key_a = self.pack(
            [
                (self.day_number("c.event_start"), DAY_BITS),
                ("COALESCE(c.client_type, 0)", CODE_BITS),
                ("COALESCE(c.event_type, 0)", CODE_BITS),
                (only("Assessment", "c.assessment_type"), CODE_BITS),
                (only("Service", "c.service_type"), CODE_BITS),
            ]
        )
        key_b = self.pack(
            [
                (only("Service", "c.service_component"), CODE_BITS),
                (
                    f"COALESCE(CASE WHEN c.event_type <> {service} "
                    f"THEN {self.day_number('c.der_end')} + 1 END, 0)",
                    DAY_BITS + 1,
                ),
            ]
        )
        # §5.7 step 3 order: latest period end, open or latest end, lowest outcome hierarchy
        # (as one number, largest first), then the most recently loaded row.
        top = max([999, *(o.hierarchy for o in outcome_ranks())])
        rank = self.pack(
            [
                (self.day_number("c.ref_end"), DAY_BITS),
                (self.day_number(f"COALESCE(c.der_end, {OPEN_END})"), DAY_BITS),
                (f"{top} - c.hier", top.bit_length()),
            ]
        )
        columns = (
            "lk, src_line, la_code, ref_end, person_id, dob_raw, dod, event_start, "
            + ", ".join(CODED)
            + ", hier, shier, outc, der_end, end_f"
        )
        # The first row of each key in the person's rows sorted by key, then rank.
        window = (
            "OVER (PARTITION BY u.la_code, u.person_id "
            "ORDER BY u.ka, u.kb, u.kr, u.rk DESC, u.lk, u.src_line DESC NULLS LAST)"
        )
        return f"""
SELECT {columns} FROM (
  SELECT u.*, LAG(u.ka) {window} AS prev_a, LAG(u.kb) {window} AS prev_b,
    LAG(u.kr) {window} AS prev_r
  FROM (
    SELECT {", ".join("c." + name for name in columns.split(", ")[:-1])},
      COALESCE(c.der_end, {OPEN_END}) AS end_f, {key_a} AS ka, {key_b} AS kb,
      CASE WHEN c.event_type = {self.c("Request")} THEN c.route END AS kr, {rank} AS rk
    FROM ({cropped}) c
  ) u
) x
WHERE prev_a IS NULL OR prev_a <> ka OR prev_b <> kb OR prev_r IS DISTINCT FROM kr"""

    def date_spans_query(self) -> str:
        """The smallest and largest day numbers of the dates `people` ranks rows by."""
        parts = ", ".join(
            f"MIN({self.day_number(column)}), MAX({self.day_number(column)})"
            for column in ("ref_end", "der_end", "event_start")
        )
        return f"SELECT {parts} FROM ascof_events"

    def _relative(self, column: str, span: DaySpan) -> tuple[str, int]:
        """`column` as days after the earliest in `span`, with the bits that need."""
        if span is None:
            return "0", 1
        first, last = span
        return f"({self.day_number(column)} - {first})", max(1, (last - first).bit_length())

    def _latest(self, column: str, unknown: Sequence[str], spans: DaySpans) -> tuple[str, str]:
        """Packed maxima giving `column` from a person's top-ranked rows (§5.9).

        Rows rank by known value first, then latest reference-period end, latest corrected
        end (open first) and latest start. The pair's low bits are the largest and (inverted)
        smallest code among the top-ranked rows, blank counting as 0. Dates are counted from
        the earliest in the data, so the key usually fits in a BIGINT.
        """
        if spans.der_end is None:  # every event is open
            end = ("0", 1)
        else:
            first, last = spans.der_end
            # Open (end_f = 9999-01-01) ranks above every corrected end unless some corrected
            # end is as late, and then the plain day count already orders them.
            above = last - first + 1
            day = self.day_number("end_f")
            end = (
                f"CASE WHEN {day} > {last} THEN {above} ELSE {day} - {first} END",
                above.bit_length(),
            )
        key = [
            (
                f"CASE WHEN {column} IS NULL OR {column} IN {self.in_codes(unknown)} "
                "THEN 0 ELSE 1 END",
                1,
            ),
            self._relative("ref_end", spans.ref_end),
            end,
            self._relative("event_start", spans.event_start),
        ]
        code = f"COALESCE({column}, 0)"
        top = 2**CODE_BITS - 1
        return (
            f"MAX({self.pack([*key, (code, CODE_BITS)])})",
            f"MAX({self.pack([*key, (f'{top} - {code}', CODE_BITS)])})",
        )

    def _decode(self, high: str, low: str, conflict: str) -> str:
        """The value from `_latest`'s pair: `conflict` when the top rows disagree."""
        top = 2**CODE_BITS - 1
        hi = self.low_bits(high, CODE_BITS)
        lo = f"{top} - {self.low_bits(low, CODE_BITS)}"
        return f"CASE WHEN {hi} <> {lo} THEN {conflict} ELSE NULLIF({hi}, 0) END"

    def people(self, spans: DaySpans) -> str:
        """The latest person details (§5.9) in one pass over `ascof_events`.

        `spans` is the result of `date_spans_query`.
        """
        unknown = ("Unknown", INVALID)
        c = self.c
        d = self.d
        attributes = {
            "gender": unknown,
            "primary_support_reason": (*unknown, "Social support: Support to unpaid carer"),
            "accommodation_status": unknown,
        }
        aggregates = []
        for column, unknown_values in attributes.items():
            high, low = self._latest(column, unknown_values, spans)
            aggregates += [f"{high} AS {column}_hi", f"{low} AS {column}_lo"]
        # Date of birth: latest reference period, then the earliest birth month.
        month = "((YEAR(dob_raw) + 1000) * 12 + MONTH(dob_raw) - 1)"
        aggregates.append(
            "MAX(CASE WHEN dob_raw IS NOT NULL THEN "
            + self.pack(
                [
                    (self.day_number("ref_end"), DAY_BITS),
                    (f"{2**MONTH_BITS - 1} - {month}", MONTH_BITS),
                ]
            )
            + " END) AS dob_k"
        )
        # Date of death: latest reference period, then the latest date.
        aggregates.append(
            "MAX(CASE WHEN dod IS NOT NULL THEN "
            + self.pack(
                [(self.day_number("ref_end"), DAY_BITS), (self.day_number("dod"), DAY_BITS)]
            )
            + " END) AS dod_k"
        )
        # Accommodation fallback (§5.9): the person's services ranked by latest end (open
        # first), service-type hierarchy, listed components first, latest start.
        listed = self.in_codes(
            (
                "Shared Lives",
                "Community supported living",
                "Extra care housing",
                "Home support or domiciliary care",
            )
        )
        service_key = [
            (self.day_number("end_f"), DAY_BITS),
            (f"100 - {self.service_rank('service_type')}", 7),
            (f"CASE WHEN service_component IN {listed} THEN 1 ELSE 0 END", 1),
            (self.day_number("event_start"), DAY_BITS),
        ]
        top = 2**CODE_BITS - 1
        for column, name in (("service_type", "fb_type"), ("service_component", "fb_comp")):
            code = f"COALESCE({column}, 0)"
            for suffix, value in (("hi", code), ("lo", f"{top} - {code}")):
                aggregates.append(
                    f"MAX(CASE WHEN event_type = {c('Service')} THEN "
                    f"{self.pack([*service_key, (value, CODE_BITS)])} END) AS {name}_{suffix}"
                )
        columns = ",\n  ".join(aggregates)
        per_person = f"""
SELECT la_code, person_id,
  {columns}
FROM ascof_events GROUP BY la_code, person_id"""
        fb_type = self._decode("g.fb_type_hi", "g.fb_type_lo", "NULL")
        fb_comp = self._decode("g.fb_comp_hi", "g.fb_comp_lo", "NULL")
        unknown_code = c("Unknown")
        month_k = f"({2**MONTH_BITS - 1} - {self.low_bits('g.dob_k', MONTH_BITS)})"
        decoded = f"""
SELECT g.la_code, g.person_id,
  CASE WHEN g.dob_k IS NOT NULL
       THEN MAKE_DATE(CAST({d.int_div(month_k, 12)} - 1000 AS INT),
                      CAST({month_k} % 12 + 1 AS INT), 1)
       END AS dob,
  CASE WHEN g.dod_k IS NOT NULL
       THEN {d.plus_days(EPOCH, f"{self.low_bits('g.dod_k', DAY_BITS)} - {DAY_OFFSET}")}
       END AS dod,
  {self._decode("g.gender_hi", "g.gender_lo", unknown_code)} AS gender,
  {self._decode("g.primary_support_reason_hi", "g.primary_support_reason_lo", unknown_code)} AS psr,
  {self._decode("g.accommodation_status_hi", "g.accommodation_status_lo", unknown_code)}
    AS accommodation_reported,
  {fb_type} AS fb_type, {fb_comp} AS fb_comp
FROM ({per_person}) g"""
        inferred = f"""CASE
    WHEN p.fb_type = {c(LT_NURSING)} THEN {c("Registered nursing home")}
    WHEN p.fb_type = {c(LT_RESIDENTIAL)} THEN {c("Registered care home")}
    WHEN p.fb_comp = {c("Shared Lives")} THEN {c("Shared Lives scheme")}
    WHEN p.fb_comp = {c("Extra care housing")}
      THEN {c("Sheltered housing, extra care housing or other sheltered housing")}
    WHEN p.fb_comp = {c("Community supported living")}
      THEN {c("Supported accommodation, supported lodgings or supported group home")}
    WHEN p.fb_type = {c(LT_COMMUNITY)} AND p.fb_comp = {c("Home support or domiciliary care")}
      THEN {c("Unknown: Presumed at home")}
    WHEN p.fb_type = {c(LT_COMMUNITY)} THEN {c("Unknown: Presumed in community")}
    WHEN p.fb_type = {c(LT_PRISON)}
      THEN {c("Prison, young offenders institution or detention centre")}
    ELSE {unknown_code} END"""
        return f"""
SELECT p.la_code, p.person_id, p.dob, p.dod, p.gender, p.psr, p.accommodation_reported,
  CASE WHEN p.accommodation_reported IS NULL OR p.accommodation_reported = {unknown_code}
       THEN {inferred} ELSE p.accommodation_reported END AS accommodation
FROM ({decoded}) p"""

    # ----- measures (§6) ----------------------------------------------------------------
    @staticmethod
    def _by_band(source: str, measure: str, num: str, den: str, total: bool) -> str:
        """Sum `num`/`den` per LA for `total` (all ages) and per age band (`band` column)."""
        parts = []
        if total:
            parts.append(
                f"SELECT la_code, '{measure}' AS measure, 'total' AS breakdown, "
                f"SUM({num}) AS numerator, SUM({den}) AS denominator FROM {source} "
                "GROUP BY la_code"
            )
        parts.append(
            f"SELECT la_code, '{measure}' AS measure, band AS breakdown, "
            f"SUM({num}) AS numerator, SUM({den}) AS denominator FROM {source} "
            "WHERE band IS NOT NULL GROUP BY la_code, band"
        )
        return " UNION ALL ".join(parts)

    def band(self, age: str) -> str:
        return f"CASE WHEN {age} IS NULL THEN NULL WHEN {age} < 65 THEN '18-64' ELSE '65+' END"

    def period_end_query(self) -> str:
        """The latest stated reporting-period end in `cld_raw` (the default year end)."""
        return f"SELECT MAX({self.parse_date(COL['rp_end'])}) FROM cld_raw r"

    def la_codes_query(self) -> str:
        return (
            f"SELECT DISTINCT NULLIF(TRIM(r.{COL['la_code']}), '') AS la_code FROM cld_raw r "
            f"WHERE NULLIF(TRIM(r.{COL['la_code']}), '') IS NOT NULL"
        )
