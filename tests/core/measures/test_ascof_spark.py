"""The same measure SQL gives identical results on PySpark (local[2]) and DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from careassure.core.cld.ingest import load_files
from careassure.core.cld.synthetic import SYNTHETIC_LA_CODE, generate_cld
from careassure.core.measures import compute_ascof, compute_ascof_spark
from careassure.core.population import CouncilPopulation, Population

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.slow, pytest.mark.spark]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    from careassure.core.measures.spark import local_spark_session

    session = local_spark_session()
    yield session
    session.stop()


def test_spark_and_duckdb_agree_on_synthetic_cld(spark: SparkSession, tmp_path: Path) -> None:
    from careassure.core.measures.spark import register_cld_raw

    paths = generate_cld(1500, 20261124, tmp_path / "cld")
    con = duckdb.connect()
    load_files(con, paths)
    # Edge cases on top of the synthetic county: day-first and impossible dates, codes in the
    # wrong case or invalid, a bad NHS check digit, a blank component, a death mid-service.
    edge = [
        (
            "E1",
            "9434765918",
            "01/06/2024",
            "20/06/2024",
            "short term support: st-max",
            "Reablement",
            "nfa - other",
            None,
            None,
        ),
        (
            "E2",
            None,
            "2024-02-30",
            None,
            "Long term support: Community",
            "Direct payment",
            "Provision of service",
            None,
            None,
        ),
        (
            "E3",
            None,
            "2024-07-01",
            None,
            "Long term support: Residential care",
            None,
            "Provision of service",
            None,
            None,
        ),
        (
            "E4",
            None,
            "2024-05-01",
            None,
            "Long term support: Community",
            "Banana",
            "Provision of service",
            "2024-12-01",
            "Cash",
        ),
    ]
    for person, nhs, start, end, stype, comp, outcome, dod, mech in edge:
        con.execute(
            "INSERT INTO cld_raw (la_code, reporting_period_start_date, "
            "reporting_period_end_date, nhs_number, la_person_unique_identifier, gender, "
            "date_of_birth, date_of_death, client_type, accommodation_status, event_type, "
            "event_start_date, event_end_date, event_outcome, service_type, service_component, "
            "delivery_mechanism, _file, _line, _load_id) VALUES (?, '2024-04-01', "
            "'2025-03-31', ?, ?, 'Female', '1950-06-15', ?, 'Service User', 'Unknown', "
            "'Service', ?, ?, ?, ?, ?, ?, 'edge.csv', 2, 'edge')",
            [SYNTHETIC_LA_CODE, nhs, person, dod, start, end, outcome, stype, comp, mech],
        )
    # Dates centuries apart (an event from 0100, an end of 9999-12-31, a 2022-23 file): the
    # person-details ranking then uses DECIMAL(38,0) numbers instead of BIGINT.
    for line, person, start, end, period_start, period_end in (
        (2, "E5", "0100-01-01", None, "2024-04-01", "2025-03-31"),
        (3, "E6", "2025-05-01", "9999-12-31", "2025-04-01", "2026-03-31"),
        (4, "E7", "2022-05-01", "2022-06-01", "2022-04-01", "2023-03-31"),
    ):
        con.execute(
            "INSERT INTO cld_raw (la_code, reporting_period_start_date, "
            "reporting_period_end_date, la_person_unique_identifier, gender, date_of_birth, "
            "client_type, accommodation_status, event_type, event_start_date, event_end_date, "
            "event_outcome, service_type, service_component, _file, _line, _load_id) VALUES "
            "(?, ?, ?, ?, 'Male', '1940-01-01', 'Service user', 'Tenant', 'Service', ?, ?, "
            "'Provision of service', 'Long term support: Community', "
            "'Home support or domiciliary care', 'edge-old.csv', ?, 'edge-old')",
            [SYNTHETIC_LA_CODE, period_start, period_end, person, start, end, line],
        )
    rows = con.execute("SELECT count(*) FROM cld_raw").fetchone()
    assert rows is not None
    assert rows[0] > 3000
    population = Population(
        "synthetic",
        {
            SYNTHETIC_LA_CODE: CouncilPopulation(
                SYNTHETIC_LA_CODE, "Synthetic", "E10000999", 500_000, 150_000
            )
        },
    )
    expected = compute_ascof(con, population=population, period="2024-25")
    register_cld_raw(con, spark)
    got = compute_ascof_spark(spark, population=population, period="2024-25")
    assert got == expected
    # The data exercise the measures: the comparison is not between empty results.
    assert sum((r.denominator or 0) for r in expected if r.measure in ("2A", "2E", "3D.1a")) > 50


def test_spark_and_duckdb_agree_on_2d(spark: SparkSession) -> None:
    from careassure.core.measures.spark import register_cld_raw
    from tests.core.measures.helpers import LA, build_cld_raw
    from tests.core.measures.test_ascof_2d import scenario

    rows, hospital = scenario()
    con = build_cld_raw(duckdb.connect(), rows)
    population = Population("p", {LA: CouncilPopulation(LA, "T", "E06000099", 1000, 1000)})
    expected = compute_ascof(
        con,
        population=population,
        period="2024-25",
        measures=["2D.1", "2D.2"],
        hospital=hospital,
    )
    register_cld_raw(con, spark)
    got = compute_ascof_spark(
        spark,
        population=population,
        period="2024-25",
        measures=["2D.1", "2D.2"],
        hospital=hospital,
    )
    assert got == expected
    assert sum(r.denominator or 0 for r in expected) > 0
