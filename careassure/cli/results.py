"""`careassure results import FILE`: load published CQC results into the database."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="Published CQC assessment results.", no_args_is_help=True)
err = Console(stderr=True)


@app.command("import")
def import_results(
    file: Path = typer.Argument(..., help="CSV of published results (la_name, ..., qs1..qs9)."),
) -> None:
    """Import published results. All or nothing: any bad row and nothing changes."""
    from careassure.cli.django_setup import setup_django

    setup_django()
    from careassure.benchmarking.services import published_results_import_file
    from careassure.common.exceptions import ApplicationError

    try:
        summary = published_results_import_file(path=file, system_actor="cli:results-import")
    except ApplicationError as error:
        err.print(f"[red]Error:[/red] {error.message}", highlight=False)
        for line in error.extra.get("errors", []):
            err.print(f"  {line}", highlight=False, markup=False)
        raise typer.Exit(code=2) from error
    typer.echo(
        f"Imported {summary.created + summary.updated} councils "
        f"({summary.created} new, {summary.updated} updated) from {file}."
    )
    for name in summary.flagged:
        typer.echo(f"Flagged: {name}: the published rating or figures disagree with the scores.")
