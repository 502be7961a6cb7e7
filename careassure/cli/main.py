"""The `careassure` command line: one typer sub-application per command group."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="careassure",
    help="CareAssure: CQC local authority assessment, metrics, improvement and charging.",
    no_args_is_help=True,
    add_completion=False,
)

# Command groups register themselves below, one line each.
from careassure.cli import framework as framework_cli  # noqa: E402
from careassure.cli import score as score_cli  # noqa: E402

app.command(name="score")(score_cli.score)
app.add_typer(framework_cli.app, name="framework")
from careassure.cli import results as results_cli  # noqa: E402

app.add_typer(results_cli.app, name="results")
from careassure.cli import charge as charge_cli  # noqa: E402

app.command(name="charge")(charge_cli.charge)
from careassure.cli import metrics as metrics_cli  # noqa: E402

app.add_typer(metrics_cli.app, name="metrics")
from careassure.cli import demo as demo_cli  # noqa: E402

app.add_typer(demo_cli.app, name="demo")
