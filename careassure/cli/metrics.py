"""`careassure metrics`: validate and load Client Level Data (CLD) files.

Exit codes for `validate` and `ingest`: 0 no errors (warnings allowed), 1 row-level errors
only, 2 a file-level error (a file was refused).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from careassure.core.cld import CldFileError, Finding, LoadReport, load_files, validate_files
from careassure.core.cld.ingest import file_error_finding
from careassure.core.cld.scan import scan_file

app = typer.Typer(help="Client Level Data: validate and load CLD files.", no_args_is_help=True)

DB_ENV = "CAREASSURE_DUCKDB_PATH"
DEFAULT_DB = Path("var/metrics.duckdb")
EXIT_OK, EXIT_ROW_ERRORS, EXIT_FILE_ERROR = 0, 1, 2


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FilesArg = Annotated[
    list[Path], typer.Argument(help="CLD CSV files.", exists=False, dir_okay=False)
]
LaOption = Annotated[
    str | None,
    typer.Option("--la-code", help="Refuse files whose LA Code is not this CASSR code (F05)."),
]


def exit_code(findings: list[Finding]) -> int:
    """2 if any file-level error, else 1 if any row-level error, else 0."""
    if any(f.severity == "error" and f.row is None for f in findings):
        return EXIT_FILE_ERROR
    if any(f.severity == "error" for f in findings):
        return EXIT_ROW_ERRORS
    return EXIT_OK


def _findings_table(findings: list[Finding]) -> Table:
    table = Table(title=f"{len(findings)} finding(s)")
    for name in ("File", "Row", "Column", "Value", "Rule", "Severity", "Message"):
        table.add_column(name, overflow="fold")
    for f in findings:
        table.add_row(
            f.file,
            "" if f.row is None else str(f.row),
            f.column or "",
            f.value or "",
            f.rule,
            f"[red]{f.severity}[/red]" if f.severity == "error" else f"[yellow]{f.severity}[/]",
            f.message,
        )
    return table


@app.command()
def validate(
    files: FilesArg,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="json or table.")
    ] = OutputFormat.TABLE,
    la_code: LaOption = None,
) -> None:
    """Check CLD files against the specification without loading them."""
    findings = validate_files(files, expected_la_code=la_code)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps([f.as_contract() for f in findings], ensure_ascii=False))
    else:
        console = Console()
        if findings:
            console.print(_findings_table(findings))
        else:
            console.print("No findings.")
    raise typer.Exit(exit_code(findings))


def _summary(reports: list[LoadReport], refused: list[Finding], db: Path) -> Table:
    table = Table(title=f"Loaded into {db}")
    for name in ("File", "LA", "Period", "Release", "Rows", "Errors", "Warnings", "Replaced"):
        table.add_column(name, overflow="fold")
    for r in reports:
        table.add_row(
            r.file,
            r.la_code,
            r.period,
            r.release,
            f"{r.rows:,}",
            f"{r.errors:,}",
            f"{r.warnings:,}",
            str(len(r.replaced_load_ids)),
        )
    for f in refused:
        table.add_row(f.file, "", "", "", "refused", f"{f.rule}: {f.message}", "", "")
    return table


@app.command()
def ingest(
    files: FilesArg,
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"DuckDB file (default ${DB_ENV} or {DEFAULT_DB})."),
    ] = None,
    la_code: LaOption = None,
) -> None:
    """Validate and load CLD files into DuckDB; each file goes in completely or not at all."""
    path = db or Path(os.environ.get(DB_ENV) or DEFAULT_DB)
    path.parent.mkdir(parents=True, exist_ok=True)
    console = Console(stderr=True)
    reports: list[LoadReport] = []
    refused: list[Finding] = []
    estimated = 0
    for file in files:
        try:
            scan = scan_file(file)
            estimated += max(scan.physical_lines - 1, 0)
            scan.cleanup()
        except CldFileError:
            continue
    con = duckdb.connect(str(path))
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,.0f}/{task.total:,.0f} rows"),
            TextColumn("[progress.data.speed]{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("Loading", total=estimated or None, rate="")

            def loaded(report: LoadReport) -> None:
                reports.append(report)
                progress.advance(task, report.rows)
                elapsed = progress.tasks[0].elapsed or 0.0
                done = progress.tasks[0].completed
                rate = f"{done / elapsed:,.0f} rows/s" if elapsed > 0 else ""
                progress.update(task, rate=rate)

            # Files load in order in batched transactions; a refused file leaves nothing, the
            # files before it stay loaded, and loading goes on with the files after it.
            remaining = list(files)
            while remaining:
                before = len(reports)
                try:
                    load_files(con, remaining, on_report=loaded, expected_la_code=la_code)
                    break
                except CldFileError as exc:
                    refused.append(file_error_finding(exc))
                    remaining = remaining[len(reports) - before + 1 :]
    finally:
        con.close()
    out = Console()
    out.print(_summary(reports, refused, path))
    counts: Counter[tuple[str, str, str]] = Counter()
    for r in reports:
        counts.update(r.counts)
    if counts:
        rules = Table(title="Findings by rule, column and severity")
        for name in ("Rule", "Column", "Severity", "Count"):
            rules.add_column(name)
        for (rule, column, severity), n in sorted(counts.items()):
            rules.add_row(rule, column, severity, f"{n:,}")
        out.print(rules)
    if refused:
        raise typer.Exit(EXIT_FILE_ERROR)
    raise typer.Exit(EXIT_ROW_ERRORS if any(r.errors for r in reports) else EXIT_OK)


# --- careassure metrics kpis: operational KPIs from a council's own extracts ---------------


class KpiOutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@app.command()
def kpis(
    extracts: Annotated[
        Path,
        typer.Option(
            "--extracts",
            help="Folder holding safeguarding_concerns.csv, waiting_lists.csv, contacts.csv "
            "and/or hospital_discharges.csv (see docs/kpis.md).",
        ),
    ],
    localities: Annotated[
        Path | None,
        typer.Option(
            "--localities",
            help="Locality grouping YAML (default: the packaged coastal/inland grouping).",
        ),
    ] = None,
    output: Annotated[
        KpiOutputFormat,
        typer.Option("--format", help="table (the as-at month), json or csv (every month)."),
    ] = KpiOutputFormat.TABLE,
    as_at: Annotated[
        str | None,
        typer.Option("--as-at", help="YYYY-MM-DD (default: the latest date in the extracts)."),
    ] = None,
) -> None:
    """Work out operational KPIs by month, hub, locality and locality group.

    Exit code 2, with every finding (file, row, column, value, rule) and no output, when an
    extract or a configuration file is invalid.
    """
    import csv
    import sys
    from datetime import date

    from careassure.core.kpis import (
        KpiConfigError,
        KpiExtractError,
        compute_kpis_from_connection,
        latest_extract_date,
        load_extracts,
        load_kpi_catalogue,
        load_locality_groupings,
    )

    def fail(message: str) -> typer.Exit:
        typer.echo(message, err=True)
        return typer.Exit(EXIT_FILE_ERROR)

    as_at_date: date | None = None
    if as_at is not None:
        try:
            as_at_date = date.fromisoformat(as_at)
        except ValueError:
            raise fail(f"--as-at: {as_at!r} is not a date in the form YYYY-MM-DD") from None
    try:
        groupings = load_locality_groupings(localities)
        catalogue = load_kpi_catalogue()
        loaded = load_extracts(extracts)
    except KpiConfigError as exc:
        raise fail(str(exc)) from exc
    except KpiExtractError as exc:
        raise fail(str(exc)) from exc
    try:
        as_at_date = as_at_date or latest_extract_date(loaded.connection)
        if as_at_date is None:
            raise fail(f"{extracts}: the extracts hold no rows, so there is nothing to measure")
        values = compute_kpis_from_connection(
            loaded.connection, as_at=as_at_date, groupings=groupings, catalogue=catalogue
        )
    finally:
        loaded.connection.close()

    if output is KpiOutputFormat.JSON:
        payload = {
            "as_at": as_at_date.isoformat(),
            "extracts": list(loaded.present),
            "locality_grouping": groupings.name,
            "values": [v.as_dict() for v in values],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    if output is KpiOutputFormat.CSV:
        fields = list(values[0].as_dict()) if values else ["kpi_id"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(v.as_dict() for v in values)
        return
    month = as_at_date.strftime("%Y-%m")
    table = Table(title=f"Operational KPIs for {month} (as at {as_at_date.isoformat()})")
    for name in ("Council", "KPI", "Breakdown", "Value", "Numerator", "Denominator"):
        numeric = name in ("Value", "Numerator", "Denominator")
        table.add_column(name, justify="right" if numeric else "left")
    for v in values:
        if v.period != month:
            continue
        breakdown = "Total" if v.dimension == "total" else f"{v.dimension}: {v.dimension_value}"
        unit = catalogue.get(v.kpi_id).unit.value
        shown = f"{v.value}%" if unit == "percent" else str(v.value)
        table.add_row(
            v.la_code,
            catalogue.get(v.kpi_id).title,
            breakdown,
            shown,
            "" if v.numerator is None else f"{v.numerator:,}",
            "" if v.denominator is None else f"{v.denominator:,}",
        )
    Console(width=160).print(table)


# --- careassure metrics ascof: ASCOF measures from CLD (docs/measures.md) -------------------


class AscofOutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class AscofEngine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


ASCOF_KEYS = ("la_code", "measure", "breakdown", "numerator", "denominator", "value")


@app.command()
def ascof(
    cld: Annotated[
        list[Path],
        typer.Option("--cld", help="CLD CSV files (repeat --cld, or list files after it)."),
    ],
    population: Annotated[
        Path,
        typer.Option(
            "--population",
            help="ONS mid-year estimates CSV: "
            "LA_Code,LA_Name,ONS_Code,Population_18_64,Population_65_plus.",
        ),
    ],
    more_cld: Annotated[
        list[Path] | None, typer.Argument(help="More CLD CSV files.", show_default=False)
    ] = None,
    output: Annotated[
        AscofOutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = AscofOutputFormat.TABLE,
    engine: Annotated[
        AscofEngine, typer.Option("--engine", help="duckdb (in memory) or spark (local[2]).")
    ] = AscofEngine.DUCKDB,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2024-25 or YYYY-MM-DD/YYYY-MM-DD (default: the 12 months ending at the latest "
            "Reporting Period End Date).",
        ),
    ] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option("--measure", help="Only this measure (repeatable), e.g. 2A or 3D.1a."),
    ] = None,
    hospital: Annotated[
        Path | None,
        typer.Option(
            "--hospital",
            help="Hospital inpatient episodes CSV for 2D (docs/measures.md); without it 2D is "
            "not computed.",
        ),
    ] = None,
) -> None:
    """Compute the ASCOF measures 2A, 2B, 2C, 2D, 2E and 3D from CLD files.

    Exit code 2, with a message naming the file, row, column, value and rule and no output,
    when the population file, a CLD file or an option is invalid.
    """
    import csv
    import sys

    from careassure.core.cld.ingest import load_files
    from careassure.core.measures import (
        MeasureError,
        MeasureResult,
        compute_ascof,
        compute_ascof_spark,
    )
    from careassure.core.measures.hospital import HospitalDataError, load_hospital_episodes
    from careassure.core.population import PopulationError, load_population

    def fail(message: str) -> typer.Exit:
        typer.echo(message, err=True)
        return typer.Exit(EXIT_FILE_ERROR)

    try:
        councils = load_population(population)
        episodes = None if hospital is None else load_hospital_episodes(hospital)
    except (PopulationError, HospitalDataError) as exc:
        raise fail(str(exc)) from exc
    files = [*cld, *(more_cld or [])]
    con = duckdb.connect(":memory:")
    results: list[MeasureResult]
    try:
        try:
            reports = load_files(con, files)
        except CldFileError as exc:
            raise fail(f"{exc} (rule {exc.rule}); nothing was computed") from exc
        errors = sum(r.errors for r in reports)
        if errors:
            typer.echo(
                f"{errors:,} row-level error(s) in the CLD files: invalid codes count as "
                "'Invalid and not mapped' and unreadable dates as blank "
                "(see `careassure metrics validate`).",
                err=True,
            )
        try:
            if engine is AscofEngine.DUCKDB:
                results = compute_ascof(
                    con, population=councils, period=period, measures=measure, hospital=episodes
                )
            else:
                from careassure.core.measures.spark import local_spark_session, register_cld_raw

                spark = local_spark_session()
                try:
                    register_cld_raw(con, spark)
                    results = compute_ascof_spark(
                        spark,
                        population=councils,
                        period=period,
                        measures=measure,
                        hospital=episodes,
                    )
                finally:
                    spark.stop()
        except MeasureError as exc:
            raise fail(str(exc)) from exc
    finally:
        con.close()

    for message in sorted({r.message for r in results if r.message}):
        typer.echo(message, err=True)
    computed = [r for r in results if r.message is None]
    if output is AscofOutputFormat.JSON:
        payload = [
            {
                "la_code": r.la_code,
                "measure": r.measure,
                "breakdown": r.breakdown,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "value": float(r.value) if r.value is not None else None,
            }
            for r in computed
        ]
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    if output is AscofOutputFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(ASCOF_KEYS)
        for r in computed:
            writer.writerow(
                [r.la_code, r.measure, r.breakdown, r.numerator, r.denominator, r.value]
            )
        return
    table = Table(title="ASCOF measures from Client Level Data")
    for name in ("Council", "Measure", "Breakdown", "Numerator", "Denominator", "Value"):
        table.add_column(name, justify="right" if name in ASCOF_TABLE_NUMERIC else "left")
    for r in results:
        if r.message is not None:
            table.add_row(r.la_code, r.measure, r.breakdown, "", "", "not computed")
            continue
        table.add_row(
            r.la_code,
            r.measure,
            r.breakdown,
            f"{r.numerator:,}",
            f"{r.denominator:,}",
            str(r.value),
        )
    Console(width=120).print(table)


ASCOF_TABLE_NUMERIC = ("Numerator", "Denominator", "Value")


# --- careassure metrics dq: DHSC's data-quality summary of loaded CLD (docs/cld.md) ---------


class DqOutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


DQ_KEYS = ("la_code", "import_date", "module", "field", "field_status", "result", "count")


@app.command()
def dq(
    db: Annotated[
        Path | None,
        typer.Option("--db", help=f"DuckDB file (default ${DB_ENV} or {DEFAULT_DB})."),
    ] = None,
    output: Annotated[
        DqOutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = DqOutputFormat.TABLE,
    la_code: Annotated[
        str | None, typer.Option("--la-code", help="Only this council (CASSR code).")
    ] = None,
) -> None:
    """DHSC's data-quality summary of the loaded CLD: row x field counts by council, import
    date, module, field, field status and result.

    Exit code 2, with a message and no output, when the database does not exist or holds no
    loaded Client Level Data.
    """
    import csv
    import sys

    from careassure.core.cld import CldError
    from careassure.core.cld.dq import dq_summary

    path = db or Path(os.environ.get(DB_ENV) or DEFAULT_DB)
    if not path.is_file():
        typer.echo(f"{path}: no such database; load CLD files with `careassure metrics ingest`",
                   err=True)  # fmt: skip
        raise typer.Exit(EXIT_FILE_ERROR)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        typer.echo(f"{path}: cannot be opened as a DuckDB database ({exc})", err=True)
        raise typer.Exit(EXIT_FILE_ERROR) from exc
    try:
        counts = dq_summary(con, la_code=la_code)
    except CldError as exc:
        typer.echo(f"{path}: {exc}", err=True)
        raise typer.Exit(EXIT_FILE_ERROR) from exc
    finally:
        con.close()
    if output is DqOutputFormat.JSON:
        typer.echo(json.dumps([c.as_dict() for c in counts], ensure_ascii=False))
        return
    if output is DqOutputFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(DQ_KEYS)
        for c in counts:
            writer.writerow([c.as_dict()[k] for k in DQ_KEYS])
        return
    table = Table(title=f"Data quality of the Client Level Data in {path} (DHSC summary)")
    for name in ("Council", "Import date", "Module", "Field", "Field status", "Result", "Count"):
        table.add_column(name, justify="right" if name == "Count" else "left", overflow="fold")
    for c in counts:
        table.add_row(
            c.la_code,
            c.import_date.isoformat(),
            c.module,
            c.field,
            c.field_status,
            c.result,
            f"{c.count:,}",
        )
    Console(width=160).print(table)


# --- careassure metrics import-published: published ASCOF figures for comparison ----------


@app.command("import-published")
def import_published(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: measure,breakdown,period,geography_level,geography_code,geography_name,"
            "numerator,denominator,value (docs/metrics-dashboard.md).",
            dir_okay=False,
        ),
    ],
    illustrative: Annotated[
        bool,
        typer.Option(
            "--illustrative",
            help="Label the figures as an illustrative sample, not published figures.",
        ),
    ] = False,
) -> None:
    """Import published ASCOF figures (England, regions, councils) for every council's
    comparison. All or nothing: any bad row and nothing changes (exit code 2)."""
    from careassure.cli.django_setup import setup_django

    setup_django()
    from careassure.common.exceptions import ApplicationError
    from careassure.metrics.services import published_ascof_import_file

    try:
        summary = published_ascof_import_file(
            path=file, system_actor="cli:metrics-import-published", illustrative=illustrative
        )
    except ApplicationError as error:
        typer.echo(f"Error: {error.message}", err=True)
        for line in error.extra.get("errors", []):
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(EXIT_FILE_ERROR) from error
    label = " (illustrative sample, not published figures)" if illustrative else ""
    typer.echo(
        f"Imported {summary.created + summary.updated} published ASCOF figures{label} "
        f"({summary.created} new, {summary.updated} replaced) from {file}."
    )
