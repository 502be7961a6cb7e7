"""ASCOF 2B, 2C, 2E and 3D: long-term support (reference §6.2, §6.4 and §6.5)."""

from __future__ import annotations

from careassure.core.measures.sql.base import (
    CARER_DIRECT,
    CARER_INVOLVING,
    COMMISSIONED,
    DP,
    INFO_ADVICE,
    LONG_TERM,
    LT_COMMUNITY,
    LT_NURSING,
    LT_RESIDENTIAL,
    MANAGED_PB,
    SELF_FUNDED,
    SETTLED,
    SqlBase,
    Steps,
)


class LongTermSql(SqlBase):
    def measure_2b_2c(self) -> Steps:
        d, p, s = self.d, self.p, self.s
        comp = "LOWER(e.service_component)"
        component_ok = (
            f"({comp} LIKE '%residential%' OR {comp} LIKE '%nursing%') "
            f"AND {comp} NOT LIKE '%short%'"
        )
        if p.blank_component_mode == "intended":
            component_ok = f"(e.service_component IS NULL OR ({component_ok}))"
        return Steps(
            [],
            f"""
WITH b AS (
  SELECT e.la_code, e.person_id, e.event_start, e.end_f, e.event_outcome, pd.dob
  FROM ascof_events e
  JOIN ascof_people pd ON pd.la_code = e.la_code AND pd.person_id = e.person_id
  WHERE e.event_type = 'Service' AND e.client_type = 'Service user'
    AND e.service_type IN {self.in_list((LT_RESIDENTIAL, LT_NURSING))}
    AND pd.dob IS NOT NULL AND (pd.dod IS NULL OR pd.dod >= {self.ys})
    AND {component_ok}
),
adm AS (
  SELECT b.*, {self.age("b.dob", "b.event_start")} AS age FROM b
  WHERE b.event_start >= {self.ys} AND b.event_start <= {self.ye}
    AND (b.event_outcome IS NULL OR b.event_outcome <> {s(SELF_FUNDED)})
),
new_adm AS (
  SELECT adm.* FROM adm
  WHERE adm.age >= 18 AND NOT EXISTS (
    SELECT 1 FROM b x
    WHERE x.la_code = adm.la_code AND x.person_id = adm.person_id
      AND x.event_start < adm.event_start
      AND {d.days_between("x.end_f", "adm.event_start")} < {p.admission_lookback_days})
),
per_person AS (
  SELECT la_code, person_id, MIN({self.band("age")}) AS band
  FROM new_adm GROUP BY la_code, person_id
)
SELECT la_code, CASE WHEN band = '18-64' THEN '2B' ELSE '2C' END AS measure,
       band AS breakdown, COUNT(*) AS numerator, CAST(NULL AS BIGINT) AS denominator
FROM per_person GROUP BY la_code, band""",
        )

    def measure_2e(self) -> Steps:
        return Steps(
            [],
            f"""
WITH co AS (
  SELECT e.la_code, e.person_id, e.end_f
  FROM ascof_events e
  LEFT JOIN ascof_people pd ON pd.la_code = e.la_code AND pd.person_id = e.person_id
  WHERE e.event_type = 'Service' AND e.client_type = 'Service user'
    AND e.service_type IN {self.in_list(LONG_TERM)}
    AND (e.der_end IS NULL OR e.der_end >= e.event_start)
    AND e.event_start <= {self.ye} AND e.end_f >= {self.ys}
    AND (pd.dod IS NULL OR pd.dod >= {self.ys})
),
pp AS (
  SELECT per.la_code, pd.gender, pd.psr,
    CASE WHEN pd.accommodation IN {self.in_list(SETTLED)} THEN 1 ELSE 0 END AS settled,
    {self.age("pd.dob", f"LEAST(per.last_end, {self.ye})")} AS age
  FROM (SELECT la_code, person_id, MAX(end_f) AS last_end FROM co
        GROUP BY la_code, person_id) per
  JOIN ascof_people pd ON pd.la_code = per.la_code AND pd.person_id = per.person_id
),
banded AS (
  SELECT la_code, gender, psr, settled, {self.band("age")} AS band FROM pp WHERE age >= 18
),
grouped AS (
  SELECT la_code, '2E' AS measure, band AS breakdown, settled FROM banded
  UNION ALL
  SELECT la_code, '2E', CONCAT(band, ' ', LOWER(gender)), settled FROM banded
  WHERE gender IN ('Male', 'Female')
  UNION ALL
  SELECT la_code, '2E.LD', band, settled FROM banded
  WHERE band = '18-64' AND psr = 'Learning disability support'
  UNION ALL
  SELECT la_code, '2E.LD', CONCAT(band, ' ', LOWER(gender)), settled FROM banded
  WHERE band = '18-64' AND psr = 'Learning disability support'
    AND gender IN ('Male', 'Female')
)
SELECT la_code, measure, breakdown, SUM(settled) AS numerator, COUNT(*) AS denominator
FROM grouped GROUP BY la_code, measure, breakdown""",
        )

    def measure_3d_clients(self) -> Steps:
        s = self.s
        mech = f"CASE WHEN e.service_component = {s(DP)} THEN {s(DP)} ELSE e.delivery_mechanism END"
        return Steps(
            [],
            f"""
WITH co AS (
  SELECT e.la_code, e.person_id,
    CASE
      WHEN e.service_type = {s(LT_NURSING)} THEN 1
      WHEN e.service_type = {s(LT_RESIDENTIAL)} THEN 2
      WHEN e.service_type = {s(LT_COMMUNITY)} THEN
        CASE {mech} WHEN {s(DP)} THEN 3 WHEN {s(MANAGED_PB)} THEN 4
                    WHEN {s(COMMISSIONED)} THEN 5 ELSE 6 END
      ELSE CASE {mech} WHEN {s(MANAGED_PB)} THEN 7 WHEN {s(COMMISSIONED)} THEN 8 ELSE 9 END
    END AS rk
  FROM ascof_events e
  LEFT JOIN ascof_people pd ON pd.la_code = e.la_code AND pd.person_id = e.person_id
  WHERE e.client_type = 'Service user' AND e.service_type IN {self.in_list(LONG_TERM)}
    AND e.event_start <= {self.ye} AND e.end_f >= {self.ye}
    AND (e.der_end IS NULL OR e.der_end >= e.event_start)
    AND (pd.dod IS NULL OR pd.dod >= {self.ye})
),
per AS (
  SELECT co.la_code, MIN(co.rk) AS best, MAX({self.age("pd.dob", self.ye)}) AS age
  FROM co LEFT JOIN ascof_people pd ON pd.la_code = co.la_code AND pd.person_id = co.person_id
  GROUP BY co.la_code, co.person_id
),
counted AS (
  SELECT la_code, {self.band("age")} AS band,
    CASE WHEN best IN (3, 4) THEN 1 ELSE 0 END AS n1,
    CASE WHEN best = 3 THEN 1 ELSE 0 END AS n2,
    CASE WHEN best BETWEEN 3 AND 6 THEN 1 ELSE 0 END AS den
  FROM per WHERE age >= 18 OR age IS NULL
)
{self._by_band("counted", "3D.1a", "n1", "den", total=True)}
UNION ALL
{self._by_band("counted", "3D.2a", "n2", "den", total=True)}""",
        )

    def measure_3d_carers(self) -> Steps:
        s = self.s
        direct = f"e.service_type = {s(CARER_DIRECT)}"
        not_dp = self.not_direct_payment("e.service_component")
        asmt_rev = "e.event_type IN ('Assessment', 'Review')"
        return Steps(
            [],
            f"""
WITH co AS (
  SELECT e.la_code, e.person_id,
    CASE
      WHEN {direct} AND (e.delivery_mechanism = {s(DP)} OR e.service_component = {s(DP)})
        THEN 1
      WHEN {direct} AND e.delivery_mechanism = {s(MANAGED_PB)} AND {not_dp} THEN 2
      WHEN {direct} AND e.delivery_mechanism = {s(COMMISSIONED)} AND {not_dp} THEN 3
      WHEN {direct} AND {not_dp} THEN 4
      WHEN e.service_type = {s(CARER_INVOLVING)} THEN 6
      WHEN {asmt_rev} AND (e.event_outcome IS NULL OR e.event_outcome <> {s(INFO_ADVICE)})
        THEN 6
      WHEN ({asmt_rev} AND e.event_outcome = {s(INFO_ADVICE)}) OR e.event_type = 'Request'
        THEN 5
    END AS cat
  FROM ascof_events e
  LEFT JOIN ascof_people pd ON pd.la_code = e.la_code AND pd.person_id = e.person_id
  WHERE e.client_type IN ('Unpaid carer', 'Unpaid carer known by association')
    AND e.event_start <= {self.ye} AND e.end_f >= {self.ys}
    AND (e.der_end IS NULL OR e.der_end >= e.event_start)
    AND (pd.dod IS NULL OR pd.dod >= {self.ys})
    AND (e.service_type IN {self.in_list((CARER_DIRECT, CARER_INVOLVING))}
         OR (e.service_type IS NULL AND e.event_outcome = {s(INFO_ADVICE)})
         OR ({asmt_rev} AND e.service_type IS NULL))
),
per AS (
  SELECT co.la_code, MIN(co.cat) AS best, MIN({self.age("pd.dob", self.ye)}) AS age
  FROM co LEFT JOIN ascof_people pd ON pd.la_code = co.la_code AND pd.person_id = co.person_id
  WHERE co.cat IS NOT NULL
  GROUP BY co.la_code, co.person_id
),
counted AS (
  SELECT la_code, {self.band("age")} AS band,
    CASE WHEN best IN (1, 2) THEN 1 ELSE 0 END AS n1,
    CASE WHEN best = 1 THEN 1 ELSE 0 END AS n2,
    CASE WHEN best IN (1, 2, 3) THEN 1 ELSE 0 END AS den
  FROM per WHERE age >= 18 OR age IS NULL
)
{self._by_band("counted", "3D.1b", "n1", "den", total=True)}
UNION ALL
{self._by_band("counted", "3D.2b", "n2", "den", total=True)}""",
        )
