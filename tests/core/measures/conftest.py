"""Fixtures for the ASCOF measure tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pytest

from careassure.core.population import CouncilPopulation, Population
from tests.core.measures.helpers import LA, BuildCld, build_cld_raw


@pytest.fixture
def cld() -> BuildCld:
    def build(rows: Sequence[Mapping[str, str | None]]) -> duckdb.DuckDBPyConnection:
        return build_cld_raw(duckdb.connect(), rows)

    return build


@pytest.fixture
def population() -> Population:
    return Population(
        source="test-population.csv",
        councils={
            LA: CouncilPopulation(LA, "Testshire", "E06000099", 150_000, 40_000),
            "317": CouncilPopulation("317", "Otherton", "E06000098", 200_000, 30_000),
        },
    )
