"""Shared part of the measure SQL: constants, helpers and the common processing (§5).

The input is the table `cld_raw` (one VARCHAR column per CLD field, values as submitted, plus
`_file`, `_line`, `_load_id`). The pipeline follows the DHSC method of reference cld-ascof.md:

- `ascof_codes`, `ascof_outcomes`: code lists (R1 -> R2 cleaning, outcome hierarchy) as tables;
- `ascof_events`: cleaned, filtered, cropped and de-duplicated events (§5.3-§5.7);
- `ascof_people`: the latest person details table (§5.9);
- one query per measure returning `la_code, measure, breakdown, numerator, denominator`
  (the 2B/2C denominator, the population, is added by the caller).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
REC_DESC = "src_load DESC, src_file DESC, src_line DESC"  # most recently loaded first

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

    @property
    def ys(self) -> str:
        return f"DATE '{self.year.start.isoformat()}'"

    @property
    def ye(self) -> str:
        return f"DATE '{self.year.end.isoformat()}'"

    def age(self, dob: str, at: str) -> str:
        """floor(days / 365.25) from the proxy date of birth (§5.8)."""
        return f"CAST(FLOOR({self.d.days_between(dob, at)} / 365.25) AS INT)"

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
        whens = " ".join(
            f"WHEN {self.s(v)} THEN {i}" for i, v in enumerate(SERVICE_HIERARCHY, start=1)
        )
        return f"CASE {column} {whens} ELSE 99 END"

    def not_direct_payment(self, column: str) -> str:
        """ "component not like Direct payment", with the blank-component mode applied."""
        if self.p.blank_component_mode == "parity":
            return f"{column} <> {self.s(DP)}"
        return f"({column} IS NULL OR {column} <> {self.s(DP)})"

    # ----- reference tables ------------------------------------------------------------
    def codes(self) -> str:
        rows = ", ".join(f"({self.s(f)}, {self.s(v)}, {self.s(c)})" for f, v, c in code_map())
        return f"SELECT * FROM (VALUES {rows}) AS t(field, value_key, cleaned)"

    def outcomes(self) -> str:
        rows = ", ".join(
            f"({self.s(o.outcome)}, {o.hierarchy}, {1 if o.usable_for_sequels else 0})"
            for o in outcome_ranks()
        )
        return f"SELECT * FROM (VALUES {rows}) AS t(outcome, hier, usable)"

    # ----- common processing (§5) -------------------------------------------------------
    def events(self) -> str:
        d = self.d
        coded = ",\n  ".join(
            f"CASE WHEN NULLIF(TRIM(r.{col}), '') IS NULL THEN NULL "
            f"ELSE COALESCE(m_{name}.cleaned, {self.s(INVALID)}) END AS {name}"
            for name, col in CODED.items()
        )
        joins = "\n".join(
            f"LEFT JOIN ascof_codes m_{name} ON m_{name}.field = '{name}' "
            f"AND m_{name}.value_key = LOWER(TRIM(r.{col}))"
            for name, col in CODED.items()
        )
        src = f"""
SELECT
  r._load_id AS src_load, r._file AS src_file, r._line AS src_line,
  NULLIF(TRIM(r.{COL["la_code"]}), '') AS la_code,
  {self.parse_date(COL["rp_start"])} AS ref_start,
  {self.parse_date(COL["rp_end"])} AS ref_end,
  NULLIF(REPLACE(COALESCE(r.{COL["nhs_number"]}, ''), ' ', ''), '') AS nhs,
  NULLIF(TRIM(r.{COL["la_person_id"]}), '') AS la_person_id,
  {self.parse_date(COL["date_of_birth"])} AS dob_raw,
  {self.parse_date(COL["date_of_death"])} AS dod,
  {self.parse_date(COL["event_start"])} AS event_start,
  {self.parse_date(COL["event_end"])} AS end_raw,
  NULLIF(TRIM(r.{COL["route"]}), '') AS route,
  {coded}
FROM cld_raw r
{joins}"""
        checksum = " + ".join(
            f"TRY_CAST(SUBSTR(nhs, {i}, 1) AS INT) * {11 - i}" for i in range(1, 10)
        )
        nhs_valid = (
            f"CASE WHEN {d.ten_digits('nhs')} THEN "
            f"(11 - ({checksum}) % 11) % 11 = TRY_CAST(SUBSTR(nhs, 10, 1) AS INT) "
            "ELSE FALSE END"
        )
        with_id = f"""
SELECT s.*,
  CASE WHEN {nhs_valid} THEN nhs
       WHEN la_person_id IS NOT NULL AND la_code IS NOT NULL
       THEN CONCAT(la_code, '_', la_person_id) END AS person_id,
  CASE WHEN dod IS NOT NULL AND ((dod >= event_start AND dod <= end_raw)
                                 OR (end_raw IS NULL AND dod > event_start))
       THEN dod ELSE end_raw END AS der_end
FROM ({src}) s"""
        filtered = f"""
SELECT * FROM ({with_id}) w
WHERE person_id IS NOT NULL AND la_code IS NOT NULL
  AND event_start <= ref_end
  AND ((event_type IN ('Request', 'Assessment', 'Review')
        AND der_end >= ref_start AND der_end <= ref_end)
       OR (event_type = 'Service' AND (der_end >= ref_start OR der_end IS NULL)))
  AND (dod IS NULL OR (dod >= ref_start AND dod >= event_start))"""
        keep = (
            "src_load, src_file, src_line, la_code, ref_start, ref_end, person_id, "
            "dob_raw, dod, event_start, route, " + ", ".join(CODED)
        )
        # §5.7 step 2: crop services left open at the end of a reference period that is not
        # the LA's last one, when the same service is absent from the next period.
        cropped = f"""
SELECT {keep},
  CASE WHEN p.event_type = 'Service' AND p.ref_end < p.la_last_end
            AND (p.der_end IS NULL OR p.der_end > p.ref_end) AND n.prk IS NULL
       THEN p.ref_end ELSE p.der_end END AS der_end
FROM (SELECT f.*, DENSE_RANK() OVER (PARTITION BY la_code ORDER BY ref_end) AS prk,
             MAX(ref_end) OVER (PARTITION BY la_code) AS la_last_end
      FROM ({filtered}) f) p
LEFT JOIN (SELECT DISTINCT la_code AS n_la, person_id AS n_person, event_start AS n_start,
                  client_type AS n_ct, service_type AS n_st, service_component AS n_sc,
                  DENSE_RANK() OVER (PARTITION BY la_code ORDER BY ref_end) AS prk
           FROM ({filtered}) g WHERE event_type = 'Service') n
  ON n.n_la = p.la_code AND n.n_person = p.person_id AND n.n_start = p.event_start
 AND n.n_ct IS NOT DISTINCT FROM p.client_type AND n.n_st IS NOT DISTINCT FROM p.service_type
 AND n.n_sc IS NOT DISTINCT FROM p.service_component AND n.prk = p.prk + 1"""
        unique_key = (
            "c.la_code, c.person_id, c.event_start, c.client_type, c.event_type, "
            "CASE WHEN c.event_type <> 'Service' THEN c.der_end END, "
            "CASE WHEN c.event_type = 'Request' THEN c.route END, "
            "CASE WHEN c.event_type = 'Assessment' THEN c.assessment_type END, "
            "CASE WHEN c.event_type = 'Service' THEN c.service_type END, "
            "CASE WHEN c.event_type = 'Service' THEN c.service_component END"
        )
        invalid = self.s(INVALID)
        return f"""
SELECT * FROM (
  SELECT c.*, COALESCE(c.der_end, {OPEN_END}) AS end_f,
    COALESCE(o.hier, 999) AS hier,
    CASE WHEN o.outcome IS NULL OR o.outcome = {invalid} THEN 999
         WHEN o.usable = 0 THEN o.hier + 100 ELSE o.hier END AS shier,
    COALESCE(c.event_outcome, {invalid}) AS outc,
    ROW_NUMBER() OVER (PARTITION BY {unique_key}
      ORDER BY c.ref_end DESC, COALESCE(c.der_end, {OPEN_END}) DESC, COALESCE(o.hier, 999),
               {REC_DESC.replace("src_", "c.src_")}) AS dup_rank
  FROM ({cropped}) c
  LEFT JOIN ascof_outcomes o ON o.outcome = c.event_outcome
) x WHERE dup_rank = 1"""

    def _attribute(self, column: str, unknown: Sequence[str]) -> str:
        return f"""
SELECT la_code, person_id,
  CASE WHEN COUNT(DISTINCT COALESCE({column}, '')) > 1 THEN 'Unknown'
       ELSE MAX({column}) END AS {column}
FROM (SELECT la_code, person_id, {column},
        RANK() OVER (PARTITION BY la_code, person_id
          ORDER BY CASE WHEN {column} IS NULL OR {column} IN {self.in_list(unknown)}
                        THEN 1 ELSE 0 END,
                   ref_end DESC, end_f DESC, event_start DESC) AS rk
      FROM ascof_events) t
WHERE rk = 1 GROUP BY la_code, person_id"""

    def people(self) -> str:
        unknown = ("Unknown", INVALID)
        s = self.s
        fallback = f"""
SELECT la_code, person_id,
  CASE WHEN COUNT(DISTINCT COALESCE(service_type, '')) > 1 THEN NULL
       ELSE MAX(service_type) END AS fb_type,
  CASE WHEN COUNT(DISTINCT COALESCE(service_component, '')) > 1 THEN NULL
       ELSE MAX(service_component) END AS fb_comp
FROM (SELECT la_code, person_id, service_type, service_component,
        RANK() OVER (PARTITION BY la_code, person_id
          ORDER BY end_f DESC, {self.service_rank("service_type")},
                   CASE WHEN service_component IN {
            self.in_list(
                (
                    "Shared Lives",
                    "Community supported living",
                    "Extra care housing",
                    "Home support or domiciliary care",
                )
            )
        } THEN 0 ELSE 1 END,
                   event_start DESC) AS rk
      FROM ascof_events WHERE event_type = 'Service') t
WHERE rk = 1 GROUP BY la_code, person_id"""
        inferred = f"""CASE
    WHEN fb.fb_type = {s(LT_NURSING)} THEN 'Registered nursing home'
    WHEN fb.fb_type = {s(LT_RESIDENTIAL)} THEN 'Registered care home'
    WHEN fb.fb_comp = 'Shared Lives' THEN 'Shared Lives scheme'
    WHEN fb.fb_comp = 'Extra care housing'
      THEN {s("Sheltered housing, extra care housing or other sheltered housing")}
    WHEN fb.fb_comp = 'Community supported living'
      THEN {s("Supported accommodation, supported lodgings or supported group home")}
    WHEN fb.fb_type = {s(LT_COMMUNITY)} AND fb.fb_comp = 'Home support or domiciliary care'
      THEN 'Unknown: Presumed at home'
    WHEN fb.fb_type = {s(LT_COMMUNITY)} THEN 'Unknown: Presumed in community'
    WHEN fb.fb_type = {s(LT_PRISON)}
      THEN {s("Prison, young offenders institution or detention centre")}
    ELSE 'Unknown' END"""
        return f"""
SELECT p.la_code, p.person_id, dob.dob, dod.dod, g.gender, r.primary_support_reason AS psr,
  a.accommodation_status AS accommodation_reported,
  CASE WHEN a.accommodation_status IS NULL OR a.accommodation_status = 'Unknown'
       THEN {inferred} ELSE a.accommodation_status END AS accommodation
FROM (SELECT DISTINCT la_code, person_id FROM ascof_events) p
LEFT JOIN (SELECT la_code, person_id, MIN(MAKE_DATE(YEAR(dob_raw), MONTH(dob_raw), 1)) AS dob
           FROM (SELECT la_code, person_id, dob_raw,
                   RANK() OVER (PARTITION BY la_code, person_id ORDER BY ref_end DESC) AS rk
                 FROM ascof_events WHERE dob_raw IS NOT NULL) t
           WHERE rk = 1 GROUP BY la_code, person_id) dob
  ON dob.la_code = p.la_code AND dob.person_id = p.person_id
LEFT JOIN (SELECT la_code, person_id, MAX(dod) AS dod
           FROM (SELECT la_code, person_id, dod,
                   RANK() OVER (PARTITION BY la_code, person_id ORDER BY ref_end DESC) AS rk
                 FROM ascof_events WHERE dod IS NOT NULL) t
           WHERE rk = 1 GROUP BY la_code, person_id) dod
  ON dod.la_code = p.la_code AND dod.person_id = p.person_id
LEFT JOIN ({self._attribute("gender", unknown)}) g
  ON g.la_code = p.la_code AND g.person_id = p.person_id
LEFT JOIN ({
            self._attribute(
                "primary_support_reason", (*unknown, "Social support: Support to unpaid carer")
            )
        }) r
  ON r.la_code = p.la_code AND r.person_id = p.person_id
LEFT JOIN ({self._attribute("accommodation_status", unknown)}) a
  ON a.la_code = p.la_code AND a.person_id = p.person_id
LEFT JOIN ({fallback}) fb ON fb.la_code = p.la_code AND fb.person_id = p.person_id"""

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
