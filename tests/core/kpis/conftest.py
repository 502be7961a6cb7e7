"""Fixtures for the operational KPI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from kpi_extract_data import FILES, write_extracts


@pytest.fixture
def tiny_extracts(tmp_path: Path) -> Path:
    folder: Path = write_extracts(tmp_path / "extracts", FILES)
    return folder
