"""`careassure demo`: generate the synthetic county's data files."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from careassure.core.cld.synthetic import SYNTHETIC_LA_CODE, SYNTHETIC_LA_NAME, generate_cld

app = typer.Typer(help="Synthetic demonstration data.", no_args_is_help=True)


def _extra_generators() -> list[str]:
    """Modules whose `generate_operational(people=, seed=, out_dir=)` adds files, if installed."""
    return ["careassure.core.kpis.synthetic"]


@app.command()
def generate(
    people: Annotated[int, typer.Option("--people", min=10, help="Number of people.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 1,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("var/demo"),
) -> None:
    """Write synthetic CLD files (and operational extracts, when available) into OUT."""
    paths = generate_cld(people, seed, out)
    for name in _extra_generators():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        paths.extend(module.generate_operational(people=people, seed=seed, out_dir=out))
    console = Console()
    console.print(f"{SYNTHETIC_LA_NAME} ({SYNTHETIC_LA_CODE}): {people:,} people, seed {seed}")
    for path in paths:
        console.print(f"  {path}")
