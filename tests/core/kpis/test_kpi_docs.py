"""docs/kpis.md describes every extract column and every KPI the code defines."""

from __future__ import annotations

from pathlib import Path

from careassure.core.kpis import EXTRACTS, load_kpi_catalogue

DOC = (Path(__file__).resolve().parents[3] / "docs" / "kpis.md").read_text(encoding="utf-8")


def test_every_extract_column_is_documented() -> None:
    for spec in EXTRACTS:
        section = DOC.split(f"### `{spec.file_name}`", 1)[1].split("###", 1)[0]
        for column in spec.columns:
            assert f"| `{column.name}` |" in section, (spec.file_name, column.name)


def test_every_kpi_is_documented() -> None:
    for kpi in load_kpi_catalogue().kpis:
        documented = f"`{kpi.id}`" in DOC
        if kpi.id.startswith("waiting_"):
            documented = "`waiting_<list>_" in DOC
        assert documented, kpi.id
