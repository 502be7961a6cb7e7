"""``careassure demo generate``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from careassure.cli.main import app
from careassure.core.cld import validate_files

runner = CliRunner()


def test_generates_synthetic_county_files(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "generate", "--people", "400", "--seed", "5", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    cld = sorted(tmp_path.glob("SYNTHETIC_CLD_*.csv"))
    assert [p.name for p in cld] == [
        "SYNTHETIC_CLD_999_20240401_20250331.csv",
        "SYNTHETIC_CLD_999_20250401_20260331.csv",
    ]
    assert (tmp_path / "README.md").read_text(encoding="utf-8").startswith("# SYNTHETIC DATA")
    assert "Synthetic County Council (999): 400 people, seed 5" in result.stdout
    assert not [f for f in validate_files(cld) if f.severity == "error"]


def test_same_seed_same_files(tmp_path: Path) -> None:
    for out in ("a", "b"):
        result = runner.invoke(
            app,
            ["demo", "generate", "--people", "300", "--seed", "9", "--out", str(tmp_path / out)],
        )
        assert result.exit_code == 0
    for path in (tmp_path / "a").glob("SYNTHETIC_CLD_*.csv"):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
