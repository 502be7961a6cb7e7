"""ASCOF 2B, 2C, 2E and 3D: long-term support (reference §6.2, §6.4 and §6.5)."""

from __future__ import annotations

from careassure.core.measures.metadata import code_map
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
        d, p, c = self.d, self.p, self.c
        # Components whose cleaned value contains "residential" or "nursing" and not "short"
        # (case-insensitive), as codes.
        components = sorted(
            {
                cleaned
                for field, _, cleaned in code_map()
                if field == "service_component"
                and ("residential" in cleaned.lower() or "nursing" in cleaned.lower())
                and "short" not in cleaned.lower()
            }
        )
        component_ok = f"e.service_component IN {self.in_codes(components)}"
        if p.blank_component_mode == "intended":
            component_ok = f"(e.service_component IS NULL OR {component_ok})"
        return Steps(
            [],
            f"""
WITH b AS (
  SELECT e.la_code, e.person_id, e.event_start, e.end_f, e.event_outcome, pd.dob
  FROM ascof_events e
  JOIN ascof_people pd ON pd.la_code = e.la_code AND pd.person_id = e.person_id
  WHERE e.event_type = {c("Service")} AND e.client_type = {c("Service user")}
    AND e.service_type IN {self.in_codes((LT_RESIDENTIAL, LT_NURSING))}
    AND pd.dob IS NOT NULL AND (pd.dod IS NULL OR pd.dod >= {self.ys})
    AND {component_ok}
),
adm AS (
  SELECT b.*, {self.age("b.dob", "b.event_start")} AS age FROM b
  WHERE b.event_start >= {self.ys} AND b.event_start <= {self.ye}
    AND (b.event_outcome IS NULL OR b.event_outcome <> {c(SELF_FUNDED)})
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
        c = self.c
        male, female = c("Male"), c("Female")
        sex = f"CASE gender WHEN {male} THEN 'male' WHEN {female} THEN 'female' END"
        return Steps(
            [],
            f"""
WITH per AS (
  SELECT e.la_code, e.person_id, MAX(e.end_f) AS last_end
  FROM ascof_events e
  WHERE e.event_type = {c("Service")} AND e.client_type = {c("Service user")}
    AND e.service_type IN {self.in_codes(LONG_TERM)}
    AND (e.der_end IS NULL OR e.der_end >= e.event_start)
    AND e.event_start <= {self.ye} AND e.end_f >= {self.ys}
  GROUP BY e.la_code, e.person_id
),
pp AS (
  SELECT per.la_code, pd.gender, pd.psr,
    CASE WHEN pd.accommodation IN {self.in_codes(SETTLED)} THEN 1 ELSE 0 END AS settled,
    {self.age("pd.dob", f"LEAST(per.last_end, {self.ye})")} AS age
  FROM per
  JOIN ascof_people pd ON pd.la_code = per.la_code AND pd.person_id = per.person_id
  WHERE pd.dod IS NULL OR pd.dod >= {self.ys}
),
banded AS (
  SELECT la_code, gender, psr, settled, {self.band("age")} AS band FROM pp WHERE age >= 18
),
grouped AS (
  SELECT la_code, '2E' AS measure, band AS breakdown, settled FROM banded
  UNION ALL
  SELECT la_code, '2E', CONCAT(band, ' ', {sex}), settled FROM banded
  WHERE gender IN ({male}, {female})
  UNION ALL
  SELECT la_code, '2E.LD', band, settled FROM banded
  WHERE band = '18-64' AND psr = {c("Learning disability support")}
  UNION ALL
  SELECT la_code, '2E.LD', CONCAT(band, ' ', {sex}), settled FROM banded
  WHERE band = '18-64' AND psr = {c("Learning disability support")}
    AND gender IN ({male}, {female})
)
SELECT la_code, measure, breakdown, SUM(settled) AS numerator, COUNT(*) AS denominator
FROM grouped GROUP BY la_code, measure, breakdown""",
        )

    def measure_3d_clients(self) -> Steps:
        c = self.c
        mech = f"CASE WHEN e.service_component = {c(DP)} THEN {c(DP)} ELSE e.delivery_mechanism END"
        return Steps(
            [],
            f"""
WITH co AS (
  SELECT e.la_code, e.person_id,
    CASE
      WHEN e.service_type = {c(LT_NURSING)} THEN 1
      WHEN e.service_type = {c(LT_RESIDENTIAL)} THEN 2
      WHEN e.service_type = {c(LT_COMMUNITY)} THEN
        CASE {mech} WHEN {c(DP)} THEN 3 WHEN {c(MANAGED_PB)} THEN 4
                    WHEN {c(COMMISSIONED)} THEN 5 ELSE 6 END
      ELSE CASE {mech} WHEN {c(MANAGED_PB)} THEN 7 WHEN {c(COMMISSIONED)} THEN 8 ELSE 9 END
    END AS rk
  FROM ascof_events e
  WHERE e.client_type = {c("Service user")} AND e.service_type IN {self.in_codes(LONG_TERM)}
    AND e.event_start <= {self.ye} AND e.end_f >= {self.ye}
    AND (e.der_end IS NULL OR e.der_end >= e.event_start)
),
per AS (
  SELECT b.la_code, b.best, {self.age("pd.dob", self.ye)} AS age
  FROM (SELECT la_code, person_id, MIN(rk) AS best FROM co GROUP BY la_code, person_id) b
  JOIN ascof_people pd ON pd.la_code = b.la_code AND pd.person_id = b.person_id
  WHERE pd.dod IS NULL OR pd.dod >= {self.ye}
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
        c = self.c
        direct = f"e.service_type = {c(CARER_DIRECT)}"
        not_dp = self.not_direct_payment("e.service_component")
        asmt_rev = f"e.event_type IN {self.in_codes(('Assessment', 'Review'))}"
        return Steps(
            [],
            f"""
WITH co AS (
  SELECT e.la_code, e.person_id,
    CASE
      WHEN {direct} AND (e.delivery_mechanism = {c(DP)} OR e.service_component = {c(DP)})
        THEN 1
      WHEN {direct} AND e.delivery_mechanism = {c(MANAGED_PB)} AND {not_dp} THEN 2
      WHEN {direct} AND e.delivery_mechanism = {c(COMMISSIONED)} AND {not_dp} THEN 3
      WHEN {direct} AND {not_dp} THEN 4
      WHEN e.service_type = {c(CARER_INVOLVING)} THEN 6
      WHEN {asmt_rev} AND (e.event_outcome IS NULL OR e.event_outcome <> {c(INFO_ADVICE)})
        THEN 6
      WHEN ({asmt_rev} AND e.event_outcome = {c(INFO_ADVICE)}) OR e.event_type = {c("Request")}
        THEN 5
    END AS cat
  FROM ascof_events e
  WHERE e.client_type IN {self.in_codes(("Unpaid carer", "Unpaid carer known by association"))}
    AND e.event_start <= {self.ye} AND e.end_f >= {self.ys}
    AND (e.der_end IS NULL OR e.der_end >= e.event_start)
    AND (e.service_type IN {self.in_codes((CARER_DIRECT, CARER_INVOLVING))}
         OR (e.service_type IS NULL AND e.event_outcome = {c(INFO_ADVICE)})
         OR ({asmt_rev} AND e.service_type IS NULL))
),
per AS (
  SELECT b.la_code, b.best, {self.age("pd.dob", self.ye)} AS age
  FROM (SELECT la_code, person_id, MIN(cat) AS best FROM co WHERE cat IS NOT NULL
        GROUP BY la_code, person_id) b
  JOIN ascof_people pd ON pd.la_code = b.la_code AND pd.person_id = b.person_id
  WHERE pd.dod IS NULL OR pd.dod >= {self.ys}
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
