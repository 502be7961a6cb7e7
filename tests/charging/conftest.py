"""Fixtures for the calculator's pages and API: a charging data directory that holds the
package's rates, the test rates (2016-17, 2017-18) and the example councils' policies."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django import Settings as SettingsWrapper

from careassure.core.charging import DEFAULT_DATA_DIR

TEST_DATA = Path(__file__).resolve().parents[1] / "core" / "charging" / "data"


@pytest.fixture(scope="session")
def example_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("charging-data")
    shutil.copytree(DEFAULT_DATA_DIR / "rates", folder / "rates")
    shutil.copytree(DEFAULT_DATA_DIR / "policies", folder / "policies")
    for rates in (TEST_DATA / "rates").glob("*.yaml"):
        shutil.copy(rates, folder / "rates" / rates.name)
    for policy in (TEST_DATA / "policies").glob("*.yaml"):
        shutil.copy(policy, folder / "policies" / policy.name)
    return folder


@pytest.fixture
def council(settings: SettingsWrapper, example_data_dir: Path) -> Iterator[SettingsWrapper]:
    """Point the calculator at the example data; set ``CAREASSURE_CHARGING_POLICY`` to pick a
    council."""
    settings.CAREASSURE_CHARGING_DATA_DIR = str(example_data_dir)
    settings.CAREASSURE_CHARGING_POLICY = "kent"
    return settings
