"""ASCOF 2A and 2D: reablement episodes (reference §6.1 and §6.3)."""

from __future__ import annotations

from careassure.core.measures.sql.base import (
    A2_DENOMINATOR_ONLY,
    A2_NUMERATOR,
    ENDED_AS_PLANNED,
    LONG_TERM,
    LT_COMMUNITY,
    LT_NURSING,
    LT_PRISON,
    LT_RESIDENTIAL,
    REC_DESC,
    SERVICE_HIERARCHY,
    ST_LOW,
    ST_MAX,
    ST_OTHER,
    ST_RES_NURSING,
    TWO_D_EXCLUDED_TREATMENT_FUNCTIONS,
    ReportingYear,
    SqlBase,
    Steps,
)


class ReablementSql(SqlBase):
    def measure_2a(self) -> Steps:
        d, p = self.d, self.p
        order = f"event_start, end_f, shier, {REC_DESC}"
        gap = d.add_days("prev_end", p.cluster_gap_days)
        usable = "shier < 100"
        nested = (
            "x.event_start >= c.cs AND x.end_f > c.cs AND x.end_f <= c.ce "
            f"AND {d.days_between('x.end_f', 'c.ce')} < {p.nested_window_days}"
        )
        short_res_nursing = self.in_codes(
            ("Short term residential care", "Short term nursing care")
        )
        service, user = self.c("Service"), self.c("Service user")
        # Only people with an ST-Max service can have a cluster, and every later step joins
        # these rows to a cluster by person.
        rows = f"""
SELECT * FROM ascof_events e
WHERE e.client_type = {user} AND (e.der_end IS NULL OR e.der_end >= e.event_start)
  AND EXISTS (
    SELECT 1 FROM ascof_events m
    WHERE m.la_code = e.la_code AND m.person_id = e.person_id AND m.client_type = {user}
      AND m.event_type = {service} AND m.service_type = {self.c(ST_MAX)})"""
        clusters = f"""
WITH s AS (SELECT * FROM ascof_2a_rows),
sm AS (
  SELECT s.*, MAX(end_f) OVER (PARTITION BY la_code, person_id ORDER BY {order}
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM s WHERE event_type = {service} AND service_type = {self.c(ST_MAX)}
),
sc AS (
  SELECT sm.*, SUM(CASE WHEN prev_end IS NULL OR event_start > {gap} THEN 1 ELSE 0 END)
    OVER (PARTITION BY la_code, person_id ORDER BY {order}
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cl_no
  FROM sm
),
cl AS (
  SELECT la_code, person_id, cl_no, MIN(event_start) AS cs, MAX(end_f) AS ce
  FROM sc GROUP BY la_code, person_id, cl_no
),
clo AS (
  SELECT la_code, person_id, cl_no, outc AS c_out, shier AS c_hier FROM (
    SELECT sc.*, ROW_NUMBER() OVER (PARTITION BY la_code, person_id, cl_no
                                    ORDER BY end_f DESC, shier, {REC_DESC}) AS rn
    FROM sc) t WHERE rn = 1
),
c AS (
  SELECT cl.la_code, cl.person_id, cl.cl_no, cl.cs, cl.ce, clo.c_out, clo.c_hier, pd.dod,
         {self.age("pd.dob", "cl.ce")} AS age
  FROM cl
  JOIN clo ON clo.la_code = cl.la_code AND clo.person_id = cl.person_id AND clo.cl_no = cl.cl_no
  LEFT JOIN ascof_people pd ON pd.la_code = cl.la_code AND pd.person_id = cl.person_id
  WHERE cl.ce >= {self.ys} AND cl.ce <= {self.ye}
    AND (pd.dod IS NULL OR pd.dod >= cl.cs)
    AND NOT EXISTS (
      SELECT 1 FROM s l
      WHERE l.la_code = cl.la_code AND l.person_id = cl.person_id
        AND l.event_type = {service} AND l.service_type IN {self.in_codes(LONG_TERM)}
        AND l.event_start < cl.cs
        AND {d.days_between("l.end_f", "cl.cs")} < {p.new_client_lookback_days})
),
c18 AS (SELECT * FROM c WHERE age >= 18 OR age IS NULL)
SELECT * FROM c18"""
        window = f"""
WITH c18 AS (SELECT * FROM ascof_2a_clusters), s AS (SELECT * FROM ascof_2a_rows),
w0 AS (
  SELECT c.la_code, c.person_id, c.cl_no, x.event_type, x.service_type, x.service_component,
         x.event_start, x.outc, x.shier, x.lk, x.src_line,
         MIN(CASE WHEN x.event_type = {service} AND x.service_type = {self.c(ST_MAX)}
                  THEN x.event_start END)
           OVER (PARTITION BY c.la_code, c.person_id, c.cl_no) AS first_stmax
  FROM c18 c JOIN s x ON x.la_code = c.la_code AND x.person_id = c.person_id
  WHERE x.event_start >= c.cs AND x.end_f > c.ce
    AND x.event_start <= {d.add_days("c.ce", p.sequel_window_days)}
),
w AS (SELECT * FROM w0 WHERE first_stmax IS NULL OR event_start < first_stmax)
SELECT * FROM w"""
        hospital = self.c("Admitted to hospital")
        final = f"""
WITH c18 AS (SELECT * FROM ascof_2a_clusters), s AS (SELECT * FROM ascof_2a_rows),
w AS (SELECT * FROM ascof_2a_window),
step3 AS (
  SELECT la_code, person_id, cl_no,
    CASE WHEN service_type = {self.c(ST_OTHER)} AND service_component IN {short_res_nursing}
         THEN {self.c(ST_RES_NURSING)} ELSE service_type END AS svc_out
  FROM (SELECT w.*, ROW_NUMBER() OVER (PARTITION BY la_code, person_id, cl_no
          ORDER BY {self.service_rank("service_type")},
                   CASE WHEN service_component IN {short_res_nursing} THEN 0 ELSE 1 END,
                   event_start, {REC_DESC}) AS rn
        FROM w WHERE event_type = {service}
          AND service_type IN {self.in_codes(SERVICE_HIERARCHY)}) t
  WHERE rn = 1
),
wstat AS (
  SELECT la_code, person_id, cl_no, COUNT(*) AS n_events,
    SUM(CASE WHEN event_type <> {service} AND outc <> {self.c(ENDED_AS_PLANNED)}
             THEN 1 ELSE 0 END) AS n_non_service
  FROM w GROUP BY la_code, person_id, cl_no
),
cand_b AS (
  SELECT la_code, person_id, cl_no, outc AS b_out, shier AS b_hier FROM (
    SELECT w.*, ROW_NUMBER() OVER (PARTITION BY la_code, person_id, cl_no
                                   ORDER BY shier, {REC_DESC}) AS rn
    FROM w WHERE event_type <> {service} AND outc <> {self.c(ENDED_AS_PLANNED)} AND {usable}) t
  WHERE rn = 1
),
cand_c AS (
  SELECT la_code, person_id, cl_no, outc AS c_nested_out, shier AS c_nested_hier FROM (
    SELECT c.la_code, c.person_id, c.cl_no, x.outc, x.shier,
      ROW_NUMBER() OVER (PARTITION BY c.la_code, c.person_id, c.cl_no
                         ORDER BY x.end_f DESC, x.shier,
                                  x.lk, x.src_line DESC) AS rn
    FROM c18 c JOIN s x ON x.la_code = c.la_code AND x.person_id = c.person_id
    WHERE x.event_type IN {self.in_codes(("Assessment", "Review"))} AND {nested}) t
  WHERE rn = 1 AND {usable}
),
equip AS (
  SELECT DISTINCT c.la_code, c.person_id, c.cl_no
  FROM c18 c JOIN s x ON x.la_code = c.la_code AND x.person_id = c.person_id
  WHERE x.event_type = {service} AND x.service_component = {self.c("Equipment")}
    AND {nested}
),
j AS (
  SELECT c.*, st.svc_out, b.b_out, b.b_hier, cc.c_nested_out, cc.c_nested_hier,
    CASE WHEN c.c_hier < 100
              AND (COALESCE(ws.n_non_service, 0) > 0 OR COALESCE(ws.n_events, 0) = 0)
         THEN c.c_hier END AS a_hier,
    CASE WHEN e.cl_no IS NULL THEN 0 ELSE 1 END AS has_equipment
  FROM c18 c
  LEFT JOIN step3 st ON st.la_code = c.la_code AND st.person_id = c.person_id
                    AND st.cl_no = c.cl_no
  LEFT JOIN wstat ws ON ws.la_code = c.la_code AND ws.person_id = c.person_id
                    AND ws.cl_no = c.cl_no
  LEFT JOIN cand_b b ON b.la_code = c.la_code AND b.person_id = c.person_id AND b.cl_no = c.cl_no
  LEFT JOIN cand_c cc ON cc.la_code = c.la_code AND cc.person_id = c.person_id
                     AND cc.cl_no = c.cl_no
  LEFT JOIN equip e ON e.la_code = c.la_code AND e.person_id = c.person_id AND e.cl_no = c.cl_no
),
fin AS (
  SELECT la_code, {self.band("age")} AS band,
    CASE
      WHEN dod IS NOT NULL AND dod <= {d.add_days("ce", p.sequel_window_days)}
        THEN {self.c("NFA: Deceased")}
      WHEN c_out = {hospital} THEN {hospital}
      WHEN svc_out IS NOT NULL THEN svc_out
      WHEN a_hier IS NOT NULL AND a_hier <= COALESCE(b_hier, 999)
           AND a_hier <= COALESCE(c_nested_hier, 999) THEN c_out
      WHEN b_hier IS NOT NULL AND b_hier <= COALESCE(c_nested_hier, 999) THEN b_out
      WHEN c_nested_hier IS NOT NULL THEN c_nested_out
      WHEN has_equipment = 1 THEN {self.c(ST_LOW)}
      ELSE c_out END AS final_outcome
  FROM j
),
counted AS (
  SELECT la_code, band,
    CASE WHEN final_outcome IN {self.in_codes(A2_NUMERATOR)} THEN 1 ELSE 0 END AS num,
    CASE WHEN final_outcome IN {self.in_codes(A2_NUMERATOR + A2_DENOMINATOR_ONLY)}
         THEN 1 ELSE 0 END AS den
  FROM fin
)
{self._by_band("counted", "2A", "num", "den", total=True)}"""
        return Steps(
            [("ascof_2a_rows", rows), ("ascof_2a_clusters", clusters), ("ascof_2a_window", window)],
            final,
        )

    def measure_2d(self, period: ReportingYear) -> Steps:
        """2D from CLD and the hospital episodes in `ascof_hospital` (reference §6.3).

        `period` is the discharge window, lagging the ASCOF year by 3 months.
        """
        d, p = self.d, self.p
        ps = f"DATE '{period.start.isoformat()}'"
        pe = f"DATE '{period.end.isoformat()}'"
        order = f"event_start, end_f, shier, {REC_DESC}"
        excluded_tfc = self.in_list(TWO_D_EXCLUDED_TREATMENT_FUNCTIONS)
        rows = f"""
SELECT e.* FROM ascof_events e
LEFT JOIN ascof_people pd ON pd.la_code = e.la_code AND pd.person_id = e.person_id
WHERE e.client_type = {self.c("Service user")} AND (pd.dod IS NULL OR pd.dod >= {ps})
  AND (e.der_end IS NULL OR e.der_end >= e.event_start)"""
        clusters = f"""
WITH sm AS (
  SELECT r.*, MAX(end_f) OVER (PARTITION BY la_code, person_id ORDER BY {order}
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM ascof_2d_rows r
  WHERE event_type = {self.c("Service")} AND service_type = {self.c(ST_MAX)}
    AND service_component = {self.c("Reablement")}
),
sc AS (
  SELECT sm.*, SUM(CASE WHEN prev_end IS NULL
                          OR event_start > {d.add_days("prev_end", p.cluster_gap_days)}
                        THEN 1 ELSE 0 END)
    OVER (PARTITION BY la_code, person_id ORDER BY {order}
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cl_no
  FROM sm
)
SELECT la_code, person_id, cl_no, MIN(event_start) AS cs, MAX(dod) AS dod
FROM sc GROUP BY la_code, person_id, cl_no"""
        age = self.age("MAKE_DATE(h.birth_year, h.birth_month, 1)", "h.dis")
        discharges = f"""
WITH base AS (
  SELECT h.nhs, h.spell_id, h.adm, h.dis, h.sex, h.res_la, {age} AS age
  FROM ascof_hospital h
  WHERE h.last_ep AND h.nhs IS NOT NULL
    AND h.adm_method NOT IN ('31', '32', '82', '83')
    AND h.dis_method NOT IN ('4', '5')
    AND h.dis_dest NOT IN ('49', '50', '51', '52', '79', '87', '88')
    AND h.tfc NOT IN {excluded_tfc} AND h.tfc NOT LIKE '65%' AND h.tfc NOT LIKE '7%'
    AND h.adm >= DATE '2023-04-01' AND h.adm < h.dis AND h.dis >= {ps} AND h.dis <= {pe}
    AND {age} >= 65
),
at_admission AS (
  SELECT b.nhs, b.spell_id, b.adm, b.dis,
    MAX(CASE WHEN l.service_type = {self.c(LT_COMMUNITY)} THEN 1 ELSE 0 END) AS in_community,
    MAX(CASE WHEN l.service_type IN {self.in_codes((LT_NURSING, LT_RESIDENTIAL, LT_PRISON))}
             THEN 1 ELSE 0 END) AS in_care
  FROM base b JOIN ascof_2d_rows l
    ON l.person_id = b.nhs AND l.event_type = {self.c("Service")}
   AND l.event_start <= b.adm AND l.end_f >= b.adm
  GROUP BY b.nhs, b.spell_id, b.adm, b.dis
)
SELECT b.*, COALESCE(a.in_community, 0) AS in_community
FROM base b LEFT JOIN at_admission a
  ON a.nhs = b.nhs AND a.spell_id = b.spell_id AND a.adm = b.adm AND a.dis = b.dis
WHERE COALESCE(a.in_care, 0) = 0"""
        links = f"""
SELECT * FROM (
  SELECT c.la_code, c.person_id, c.cl_no, c.cs, c.dod, x.spell_id, x.adm, x.dis, x.age, x.sex,
    ROW_NUMBER() OVER (PARTITION BY c.la_code, c.person_id, c.cl_no
                       ORDER BY x.dis DESC, x.spell_id DESC) AS rn
  FROM ascof_2d_clusters c JOIN ascof_2d_discharges x ON x.nhs = c.person_id
  WHERE x.dis >= {d.add_days("c.cs", -p.discharge_link_days_before)}
    AND x.dis <= {d.add_days("c.cs", p.discharge_link_days_after)} AND x.adm <= c.cs
) t WHERE rn = 1"""
        follow = d.add_days("k.dis", p.follow_up_days)
        key = "k.la_code, k.person_id, k.cl_no"
        final = f"""
WITH readmissions AS (
  SELECT {key}, 1 AS readmitted
  FROM ascof_2d_links k JOIN ascof_hospital h ON h.nhs = k.person_id
  WHERE h.last_ep AND h.mgmt IN ('EM', 'NE') AND h.dis_method <> '5' AND h.adm < h.dis
    AND h.adm >= {ps} AND h.adm > k.cs AND h.adm > k.dis AND h.adm <= {follow}
  GROUP BY {key}
),
care_entries AS (
  SELECT {key}, 1 AS entered_care
  FROM ascof_2d_links k JOIN ascof_2d_rows l ON l.person_id = k.person_id
  WHERE l.event_type = {self.c("Service")}
    AND l.service_type IN {self.in_codes((LT_RESIDENTIAL, LT_NURSING))}
    AND l.event_start >= k.dis AND l.event_start <= {follow}
  GROUP BY {key}
),
flagged AS (
  SELECT k.la_code, k.age, k.sex,
    CASE WHEN k.dod >= k.dis AND k.dod <= {follow} THEN 1 ELSE 0 END AS died,
    COALESCE(r.readmitted, 0) AS readmitted, COALESCE(e.entered_care, 0) AS entered_care
  FROM ascof_2d_links k
  LEFT JOIN readmissions r
    ON r.la_code = k.la_code AND r.person_id = k.person_id AND r.cl_no = k.cl_no
  LEFT JOIN care_entries e
    ON e.la_code = k.la_code AND e.person_id = k.person_id AND e.cl_no = k.cl_no
),
linked AS (
  SELECT la_code, {self.band_2d("age")} AS band,
    CASE sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' END AS sex_group,
    CASE WHEN died + readmitted + entered_care = 0 THEN 1 ELSE 0 END AS at_home
  FROM flagged
),
spells AS (
  SELECT DISTINCT res_la AS la_code, spell_id, {self.band_2d("age")} AS band,
    CASE sex WHEN '1' THEN 'male' WHEN '2' THEN 'female' END AS sex_group
  FROM ascof_2d_discharges
),
part1 AS (
  SELECT la_code, 'total' AS breakdown, at_home FROM linked
  UNION ALL SELECT la_code, band, at_home FROM linked
  UNION ALL SELECT la_code, sex_group, at_home FROM linked WHERE sex_group IS NOT NULL
),
part2_num AS (
  SELECT la_code, breakdown, COUNT(*) AS n FROM part1 GROUP BY la_code, breakdown
),
part2_den AS (
  SELECT la_code, breakdown, COUNT(DISTINCT spell_id) AS n FROM (
    SELECT la_code, 'total' AS breakdown, spell_id FROM spells
    UNION ALL SELECT la_code, band, spell_id FROM spells
    UNION ALL SELECT la_code, sex_group, spell_id FROM spells WHERE sex_group IS NOT NULL
  ) t GROUP BY la_code, breakdown
)
SELECT la_code, '2D.1' AS measure, breakdown, SUM(at_home) AS numerator,
       COUNT(*) AS denominator
FROM part1 GROUP BY la_code, breakdown
UNION ALL
SELECT COALESCE(n.la_code, m.la_code), '2D.2', COALESCE(n.breakdown, m.breakdown),
       COALESCE(n.n, 0), COALESCE(m.n, 0)
FROM part2_num n FULL OUTER JOIN part2_den m
  ON m.la_code = n.la_code AND m.breakdown = n.breakdown"""
        return Steps(
            [
                ("ascof_2d_rows", rows),
                ("ascof_2d_clusters", clusters),
                ("ascof_2d_discharges", discharges),
                ("ascof_2d_links", links),
            ],
            final,
        )

    @staticmethod
    def band_2d(age: str) -> str:
        return f"CASE WHEN {age} < 75 THEN '65-74' WHEN {age} < 85 THEN '75-84' ELSE '85+' END"
