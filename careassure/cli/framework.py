"""``careassure framework``: show the CQC framework versions held as data."""

from __future__ import annotations

import enum
import json
from typing import Annotated

import typer

from careassure.core.framework import (
    Framework,
    FrameworkDataError,
    UnknownFrameworkVersion,
    list_versions,
    load_framework,
)

app = typer.Typer(
    help="Show the CQC local authority assessment framework (themes, quality statements, "
    "We and I statements) by version.",
    no_args_is_help=True,
)


class FrameworkFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def render_text(framework: Framework) -> str:
    """The framework as plain text: themes, quality statements, We and I statements."""
    lines = [framework.title, f"Version {framework.id} ({framework.status})", ""]
    for theme in framework.themes:
        lines.append(f"{theme.id} {theme.title}")
        for statement in theme.quality_statements:
            lines.append(f"  {statement.label} {statement.title}")
            we = statement.we_statement
            if we.report is not None and we.framework is not None:
                lines.append(f"    We statement (report wording): {we.report}")
                lines.append(f"    We statement (framework page wording): {we.framework}")
            else:
                lines.append(f"    We statement: {we.text}")
            if statement.i_statements:
                lines.append("    I statements:")
                lines.extend(f"      - {text}" for text in statement.i_statements)
            else:
                lines.append("    I statements: none")
            filled = {k: v for k, v in statement.rating_characteristics.items() if v}
            if statement.rating_characteristics:
                published = len(filled)
                lines.append(f"    Rating characteristics: {published} of 4 levels published")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


@app.command()
def versions(
    output_format: Annotated[
        FrameworkFormat, typer.Option("--format", help="Output format.")
    ] = FrameworkFormat.TEXT,
) -> None:
    """List the framework versions (the in-force version is the default)."""
    try:
        infos = list_versions()
    except FrameworkDataError as exc:
        raise _fail(str(exc)) from None
    if output_format is FrameworkFormat.JSON:
        payload = [
            {
                "id": info.id,
                "title": info.title,
                "status": info.status,
                "default": info.in_force,
                "effective": info.effective,
                "file": info.file,
            }
            for info in infos
        ]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    width = max(len(info.id) for info in infos)
    for info in infos:
        marker = " (default)" if info.in_force else ""
        typer.echo(f"{info.id:<{width}}  {info.status:<10}  {info.title}{marker}")


@app.command()
def show(
    version: Annotated[
        str | None,
        typer.Option("--version", help="Framework version id; the in-force version if omitted."),
    ] = None,
    output_format: Annotated[
        FrameworkFormat, typer.Option("--format", help="Output format.")
    ] = FrameworkFormat.TEXT,
) -> None:
    """Print a framework version: themes, quality statements, We and I statements."""
    try:
        framework = load_framework(version)
    except (UnknownFrameworkVersion, FrameworkDataError) as exc:
        raise _fail(str(exc)) from None
    if output_format is FrameworkFormat.JSON:
        typer.echo(json.dumps(framework.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_text(framework))
