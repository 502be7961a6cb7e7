"""Writes for the metrics dashboard: refresh runs, thresholds, settings and evidence filing.

Each service checks the actor's permission and writes its audit row in the same transaction.
The KPI and ASCOF calculations themselves are pure (careassure.core.kpis, .measures)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from django.db import transaction
from pydantic import ValidationError

from careassure.accounts.models import Membership
from careassure.accounts.permissions import require_permission
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.core.cld.dq import DqCount, dq_summary
from careassure.core.cld.errors import CldError
from careassure.core.cld.ingest import load_files
from careassure.core.cld.synthetic import SYNTHETIC_LA_CODE
from careassure.core.kpis import (
    EXTRACTS,
    KpiConfigError,
    KpiExtractError,
    KpiValue,
    LocalityGroupings,
    Polarity,
    compute_kpis_from_connection,
    latest_extract_date,
    load_extracts,
)
from careassure.core.measures import (
    MeasureError,
    MeasureResult,
    compute_ascof,
    measure_catalogue,
    measure_info,
    year_ending,
)
from careassure.core.population import Population, PopulationError, load_population
from careassure.core.published_ascof import PublishedAscofError, parse_published_ascof
from careassure.metrics import selectors
from careassure.metrics.models import (
    KpiThreshold,
    MetricsRun,
    MetricsSettings,
    PublishedAscofFigure,
    PublishedAscofImport,
    StoredAscofResult,
    StoredDqCount,
    StoredKpiValue,
)

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation, User
    from careassure.evidence.models import EvidenceItem

MANAGE = "metrics.manage"
EVIDENCE_EDIT = "evidence.edit"
DEMO_POPULATION = (
    Path(__file__).resolve().parent.parent / "core" / "data" / "population" / "demo-population.csv"
)
POPULATION_MEASURES = {"2B", "2C"}


def _membership(org: Organisation, actor: User) -> Membership | None:
    return Membership.objects.filter(organisation=org, user=actor).first()


def _check_actor(org: Organisation, actor: User | None, system_actor: str, permission: str) -> None:
    if actor is not None:
        require_permission(_membership(org, actor), permission)
    elif not system_actor:
        raise ApplicationError("A user or a system actor is needed to change metrics")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class _AscofOutcome:
    results: list[MeasureResult]
    period_start: dt.date | None
    period_end: dt.date | None
    note: str
    file_info: list[dict[str, Any]]
    dq_counts: list[DqCount]


def _pick_la_code(configured: str, found: set[str]) -> str:
    if configured:
        if found and configured not in found:
            raise ApplicationError(
                f"The extracts have no rows for council code {configured}; "
                f"they hold: {', '.join(sorted(found))}"
            )
        return configured
    if len(found) == 1:
        return next(iter(found))
    if not found:
        raise ApplicationError("The extracts hold no rows, so no figures can be worked out")
    raise ApplicationError(
        f"The extracts hold several councils ({', '.join(sorted(found))}); "
        "enter your council's code in the metrics settings"
    )


def _ascof(
    cld_files: Sequence[Path], population: Path | Population | None, la_code: str
) -> _AscofOutcome:
    con = duckdb.connect()
    try:
        try:
            reports = load_files(con, [Path(p) for p in cld_files])
        except CldError as exc:
            raise ApplicationError(f"Client Level Data not loaded: {exc}") from exc
        info = [
            {
                "name": r.file,
                "kind": "cld",
                "sha256": r.sha256,
                "rows": r.rows,
                "errors": r.errors,
                "warnings": r.warnings,
            }
            for r in reports
        ]
        codes = {str(r.la_code) for r in reports}
        periods = [str(r.period) for r in reports if r.period]
        if not periods:
            raise ApplicationError("The Client Level Data files state no reporting period")
        end = max(dt.date.fromisoformat(p.split("/")[1]) for p in periods)
        year = year_ending(end)
        pop: Population | None
        try:
            if isinstance(population, Population):
                pop = population
            elif population is not None:
                pop = load_population(population)
            else:
                pop = load_population(DEMO_POPULATION)
        except PopulationError as exc:
            raise ApplicationError(f"Population file not used: {exc}") from exc
        chosen = [m.id for m in measure_catalogue()]
        note = ""
        missing = sorted(code for code in codes if code not in pop)
        if missing:
            chosen = [m for m in chosen if m not in POPULATION_MEASURES]
            note = (
                "ASCOF 2B and 2C are not shown: they need the population of council "
                f"{missing[0]}, and the population file has none."
            )
        try:
            results = compute_ascof(
                con,
                population=pop,
                period=f"{year.start.isoformat()}/{year.end.isoformat()}",
                measures=chosen,
            )
        except MeasureError as exc:
            raise ApplicationError(f"ASCOF measures not worked out: {exc}") from exc
        dq_counts = dq_summary(con, la_code=la_code)
    finally:
        con.close()
    mine = [r for r in results if r.la_code == la_code]
    if not mine:
        raise ApplicationError(
            f"The Client Level Data files hold no rows for council code {la_code}; "
            f"they hold: {', '.join(sorted(codes))}"
        )
    return _AscofOutcome(mine, year.start, year.end, note, info, dq_counts)


def metrics_refresh(
    *,
    org: Organisation,
    extracts_dir: Path | None = None,
    cld_files: Sequence[Path] = (),
    population: Path | Population | None = None,
    actor: User | None = None,
    system_actor: str = "",
    as_at: dt.date | None = None,
    synthetic: bool = False,
    source_label: str = "",
) -> MetricsRun:
    """Work out the KPIs (and ASCOF, when CLD files are given) and store them as a new run.

    All or nothing: a bad extract, CLD file or population file raises ApplicationError naming
    the file, row, column, value and rule, and nothing is stored.
    """
    _check_actor(org, actor, system_actor, MANAGE)
    if extracts_dir is None and not cld_files:
        raise ApplicationError("Choose at least one extract or Client Level Data file")
    config = selectors.settings_get(org=org)
    groupings = selectors.locality_groupings(org=org)
    values: list[KpiValue] = []
    files: list[dict[str, Any]] = []
    found: set[str] = set()
    if extracts_dir is not None:
        try:
            loaded = load_extracts(Path(extracts_dir))
        except KpiExtractError as exc:
            raise ApplicationError(str(exc), {"findings": [str(f) for f in exc.findings]}) from exc
        try:
            as_at = as_at or latest_extract_date(loaded.connection)
            if as_at is None:
                raise ApplicationError("The extracts hold no rows, so no figures can be worked out")
            values = compute_kpis_from_connection(
                loaded.connection, as_at=as_at, groupings=groupings
            )
        except KpiConfigError as exc:
            raise ApplicationError(str(exc)) from exc
        finally:
            loaded.connection.close()
        for spec in EXTRACTS:
            path = Path(extracts_dir) / spec.file_name
            if spec.name in loaded.present and path.exists():
                files.append(
                    {
                        "name": spec.file_name,
                        "kind": "extract",
                        "sha256": file_sha256(path),
                        "rows": loaded.row_counts.get(spec.name, 0),
                    }
                )
        found = {v.la_code for v in values}
    ascof: _AscofOutcome | None = None
    if cld_files:
        if not found:
            found = _cld_codes(cld_files)
        la_code = _pick_la_code(config.la_code, found)
        ascof = _ascof(cld_files, population, la_code)
        files.extend(ascof.file_info)
        if as_at is None and ascof.period_end is not None:
            as_at = ascof.period_end
    else:
        la_code = _pick_la_code(config.la_code, found)
    assert as_at is not None
    values = [v for v in values if v.la_code == la_code]
    with transaction.atomic():
        run = MetricsRun.objects.create(
            organisation=org,
            created_by=actor,
            system_actor=system_actor if actor is None else "",
            as_at=as_at,
            la_code=la_code,
            is_synthetic=synthetic or la_code == SYNTHETIC_LA_CODE,
            source_label=source_label,
            files=files,
            # PostgreSQL jsonb does not keep key order: record the groups' order explicitly.
            groupings={
                **groupings.model_dump(mode="json"),
                "order": list(groupings.model_dump(mode="json").get("groups", {})),
            },
            kpi_value_count=len(values),
            ascof_period_start=ascof.period_start if ascof else None,
            ascof_period_end=ascof.period_end if ascof else None,
            ascof_note=ascof.note if ascof else "",
        )
        StoredKpiValue.objects.bulk_create(
            [
                StoredKpiValue(
                    run=run,
                    organisation=org,
                    kpi_id=v.kpi_id,
                    period=v.period,
                    period_end=v.period_end,
                    dimension=v.dimension,
                    dimension_value=v.dimension_value,
                    value=v.value,
                    numerator=v.numerator,
                    denominator=v.denominator,
                )
                for v in values
            ],
            batch_size=2000,
        )
        if ascof is not None:
            StoredAscofResult.objects.bulk_create(
                [
                    StoredAscofResult(
                        run=run,
                        organisation=org,
                        measure=r.measure,
                        breakdown=r.breakdown,
                        position=i,
                        numerator=r.numerator,
                        denominator=r.denominator,
                        value=r.value,
                        message=r.message or "",
                    )
                    for i, r in enumerate(ascof.results)
                ]
            )
            StoredDqCount.objects.bulk_create(
                [
                    StoredDqCount(
                        run=run,
                        organisation=org,
                        position=i,
                        la_code=c.la_code,
                        import_date=c.import_date,
                        module=c.module,
                        field=c.field,
                        field_status=c.field_status,
                        result=c.result,
                        count=c.count,
                    )
                    for i, c in enumerate(ascof.dq_counts)
                ],
                batch_size=2000,
            )
        audit_record(
            event=AuditEventType.METRICS_REFRESHED,
            actor=actor,
            system_actor=system_actor if actor is None else "",
            organisation=org,
            obj=run,
            after={
                "as_at": as_at,
                "la_code": la_code,
                "kpi_values": len(values),
                "ascof_results": len(ascof.results) if ascof else 0,
                "dq_counts": len(ascof.dq_counts) if ascof else 0,
                "synthetic": run.is_synthetic,
            },
            extra={"files": files},
        )
    return run


def _cld_codes(paths: Sequence[Path]) -> set[str]:
    con = duckdb.connect()
    try:
        reports = load_files(con, [Path(p) for p in paths])
    except CldError as exc:
        raise ApplicationError(f"Client Level Data not loaded: {exc}") from exc
    finally:
        con.close()
    return {str(r.la_code) for r in reports}


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def kpi_threshold_set(
    *,
    org: Organisation,
    kpi_id: str,
    target: Decimal | None,
    amber_threshold: Decimal | None,
    red_threshold: Decimal | None,
    actor: User,
) -> KpiThreshold:
    """Set a council's target and red/amber thresholds for one KPI."""
    require_permission(_membership(org, actor), MANAGE)
    kpi = selectors.kpi_definition(kpi_id)
    if kpi.polarity is Polarity.NEUTRAL and (
        target is not None or amber_threshold is not None or red_threshold is not None
    ):
        raise ApplicationError(
            "This KPI has no better direction, so it cannot have a target or thresholds",
            {"field": "target"},
        )
    for name, number in (
        ("target", target),
        ("amber_threshold", amber_threshold),
        ("red_threshold", red_threshold),
    ):
        if number is not None and number < 0:
            raise ApplicationError("Enter a number of 0 or more", {"field": name})
        if number is not None and kpi.unit == "percent" and number > 100:
            raise ApplicationError("Enter a percentage from 0 to 100", {"field": name})
    if amber_threshold is not None and red_threshold is not None:
        higher = kpi.polarity is Polarity.HIGHER_IS_BETTER
        if higher and red_threshold > amber_threshold:
            raise ApplicationError(
                "The red threshold must not be higher than the amber threshold, because "
                "higher is better for this KPI",
                {"field": "red_threshold"},
            )
        if not higher and red_threshold < amber_threshold:
            raise ApplicationError(
                "The red threshold must not be lower than the amber threshold, because "
                "lower is better for this KPI",
                {"field": "red_threshold"},
            )
    row = KpiThreshold.objects.filter(organisation=org, kpi_id=kpi_id).first()
    before = None
    if row is None:
        row = KpiThreshold(organisation=org, kpi_id=kpi_id)
    else:
        before = {
            "target": _decimal_text(row.target),
            "amber_threshold": _decimal_text(row.amber_threshold),
            "red_threshold": _decimal_text(row.red_threshold),
        }
    row.target, row.amber_threshold, row.red_threshold = target, amber_threshold, red_threshold
    row.save()
    audit_record(
        event=AuditEventType.METRICS_THRESHOLD_CHANGED,
        actor=actor,
        organisation=org,
        obj=row,
        before=before,
        after={
            "target": _decimal_text(target),
            "amber_threshold": _decimal_text(amber_threshold),
            "red_threshold": _decimal_text(red_threshold),
        },
        extra={"kpi_id": kpi_id},
    )
    return row


@transaction.atomic
def metrics_settings_update(
    *,
    org: Organisation,
    la_code: str,
    grouping_title: str,
    groups: dict[str, list[str]],
    actor: User,
) -> MetricsSettings:
    """Set the council's code in its extracts and its locality grouping (e.g. coastal/inland).

    The grouping applies from the next refresh."""
    require_permission(_membership(org, actor), MANAGE)
    la_code = la_code.strip()
    if len(la_code) > 12:
        raise ApplicationError("Council code must be 12 characters or fewer", {"field": "la_code"})
    cleaned: dict[str, list[str]] = {}
    for name, localities in groups.items():
        key = name.strip().lower()
        if not key:
            raise ApplicationError("Enter a name for each group", {"field": "group_a_name"})
        if key in cleaned:
            raise ApplicationError("Give the two groups different names", {"field": "group_b_name"})
        cleaned[key] = [loc.strip() for loc in localities if loc.strip()]
    if not any(cleaned.values()):
        raise ApplicationError(
            "Enter at least one locality in a group", {"field": "group_a_localities"}
        )
    seen: dict[str, str] = {}
    for name, localities in cleaned.items():
        for locality in localities:
            if locality in seen:
                raise ApplicationError(
                    f"{locality} is in more than one group: put each locality in one group only",
                    {"field": "group_b_localities"},
                )
            seen[locality] = name
    try:
        LocalityGroupings.model_validate(
            {"name": "council", "title": grouping_title, "groups": cleaned}
        )
    except ValidationError as exc:
        raise ApplicationError(
            str(exc.errors()[0]["msg"]).removeprefix("Value error, "),
            {"field": "group_a_localities"},
        ) from exc
    config = MetricsSettings.objects.filter(organisation=org).first()
    before = None
    if config is None:
        config = MetricsSettings(organisation=org)
    else:
        before = {
            "la_code": config.la_code,
            "title": config.grouping_title,
            "groups": config.groups,
        }
    config.la_code = la_code
    config.grouping_title = grouping_title.strip()
    config.groups = cleaned
    config.save()
    audit_record(
        event=AuditEventType.METRICS_SETTINGS_CHANGED,
        actor=actor,
        organisation=org,
        obj=config,
        before=before,
        after={"la_code": la_code, "title": config.grouping_title, "groups": cleaned},
    )
    return config


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _evidence_categories(preferred: str) -> list[str]:
    from careassure.evidence import selectors as evidence_selectors

    allowed = {cid for cid, _ in evidence_selectors.category_choices()}
    return [preferred] if preferred in allowed else ["processes"]


def _file_evidence(
    *,
    org: Organisation,
    run: MetricsRun,
    actor: User,
    title: str,
    description: str,
    qs_ids: Sequence[str],
    category: str,
    source: str,
    filename: str,
    content: bytes,
    extra: dict[str, Any],
) -> EvidenceItem:
    from careassure.evidence.services import EvidenceMetadata, evidence_create_file

    require_permission(_membership(org, actor), EVIDENCE_EDIT)
    tags = ["metrics"] + (["synthetic data"] if run.is_synthetic else [])
    metadata = EvidenceMetadata(
        title=title[:200],
        source=source,
        as_at=run.as_at,
        qs_ids=[q.lower() for q in qs_ids],
        categories=_evidence_categories(category),
        description=description,
        tags=tags,
    )
    item = evidence_create_file(
        org=org,
        actor=actor,
        metadata=metadata,
        stream=io.BytesIO(content),
        size=len(content),
        filename=filename,
    )
    audit_record(
        event=AuditEventType.METRICS_EVIDENCE_FILED,
        actor=actor,
        organisation=org,
        obj=run,
        extra={**extra, "evidence_item": str(item.pk)},
    )
    return item


@transaction.atomic
def kpi_file_as_evidence(
    *,
    org: Organisation,
    run: MetricsRun,
    kpi_id: str,
    dimension: str,
    dimension_value: str,
    actor: User,
    page_url: str = "",
) -> EvidenceItem:
    """File one KPI's value at the run's as-at date as a processes evidence item (a CSV) against
    the quality statements the KPI informs."""
    if run.organisation_id != org.pk:
        raise ApplicationError("This run belongs to another council")
    kpi = selectors.kpi_definition(kpi_id)
    value = selectors.kpi_value_at(
        org=org, run=run, kpi_id=kpi_id, dimension=dimension, dimension_value=dimension_value
    )
    if value is None:
        raise ApplicationError(
            f"There is no value for this KPI as at {run.as_at.strftime('%-d %B %Y')} to file"
        )
    where = "" if dimension == "total" else f" ({dimension} {dimension_value})"
    synthetic = " Synthetic data: not a real council's records." if run.is_synthetic else ""
    header = [
        "kpi_id", "title", "la_code", "period", "period_end", "dimension", "dimension_value",
        "value", "unit", "numerator", "denominator", "as_at", "run_id", "synthetic",
    ]  # fmt: skip
    row = [
        kpi.id, kpi.title, run.la_code, value.period, value.period_end.isoformat(), dimension,
        dimension_value, str(value.value.normalize()), str(kpi.unit),
        "" if value.numerator is None else value.numerator,
        "" if value.denominator is None else value.denominator,
        run.as_at.isoformat(), str(run.pk), "yes" if run.is_synthetic else "no",
    ]  # fmt: skip
    shown = selectors.format_number(value.value, str(kpi.unit))
    description = (
        f"{kpi.title}{where}: {shown} in {value.period} (as at "
        f"{run.as_at.isoformat()}), from the metrics dashboard.{synthetic}"
        + (f" Page: {page_url}" if page_url else "")
    )
    return _file_evidence(
        org=org,
        run=run,
        actor=actor,
        title=f"{kpi.title}{where}: {shown} as at {run.as_at.strftime('%-d %B %Y')}",
        description=description,
        qs_ids=kpi.quality_statements,
        category="processes",
        source="information-return",
        filename=f"{kpi.id}-{run.as_at.isoformat()}.csv",
        content=_csv_bytes(header, [row]),
        extra={"kpi_id": kpi_id, "dimension": dimension, "dimension_value": dimension_value},
    )


@transaction.atomic
def ascof_file_as_evidence(
    *, org: Organisation, run: MetricsRun, measure: str, actor: User, page_url: str = ""
) -> EvidenceItem:
    """File one ASCOF measure's results (every breakdown) as an outcomes evidence item (or
    processes, when the framework does not use outcomes for councils)."""
    if run.organisation_id != org.pk:
        raise ApplicationError("This run belongs to another council")
    try:
        info = measure_info(measure)
    except KeyError as exc:
        raise ApplicationError(f"Unknown ASCOF measure {measure}") from exc
    rows = list(selectors.ascof_results(org=org, run=run).filter(measure=measure))
    if not rows or all(r.value is None for r in rows):
        raise ApplicationError(f"There is no ASCOF {measure} result to file")
    header = [
        "measure", "title", "breakdown", "numerator", "denominator", "value", "unit",
        "period_start", "period_end", "la_code", "run_id", "synthetic",
    ]  # fmt: skip
    period_start = run.ascof_period_start.isoformat() if run.ascof_period_start else ""
    period_end = run.ascof_period_end.isoformat() if run.ascof_period_end else ""
    data = [
        [
            r.measure, info.title, r.breakdown,
            "" if r.numerator is None else r.numerator,
            "" if r.denominator is None else r.denominator,
            "" if r.value is None else str(r.value), info.unit, period_start, period_end,
            run.la_code, str(run.pk), "yes" if run.is_synthetic else "no",
        ]
        for r in rows
    ]  # fmt: skip
    first = rows[0]
    synthetic = " Synthetic data: not a real council's records." if run.is_synthetic else ""
    shown = "" if first.value is None else f"{first.value} ({first.breakdown})"
    return _file_evidence(
        org=org,
        run=run,
        actor=actor,
        title=f"ASCOF {measure} {info.title}: {shown}",
        description=(
            f"ASCOF {measure}, {period_start} to {period_end}, from the metrics dashboard."
            f"{synthetic}" + (f" Page: {page_url}" if page_url else "")
        ),
        qs_ids=info.qs,
        category="outcomes",
        source="national-data",
        filename=f"ascof-{measure}-{period_end or run.as_at.isoformat()}.csv",
        content=_csv_bytes(header, data),
        extra={"measure": measure},
    )


# --- Published ASCOF figures: reference data shared by every council ---------------------


PUBLISHED_FIELDS = (
    "geography_level",
    "geography_name",
    "numerator",
    "denominator",
    "value",
    "is_illustrative",
    "source",
)


@dataclass(frozen=True)
class PublishedImportSummary:
    source: PublishedAscofImport
    created: int
    updated: int


def _check_site_admin(actor: User | None, system_actor: str) -> None:
    """Published figures are the same for every council, so only a site administrator (a
    Django superuser) or a system actor (the command line) may import them; a council's own
    administrator may not."""
    if actor is not None:
        if not actor.is_superuser:
            raise PermissionDeniedError(
                "Only a site administrator can import published ASCOF figures, because every "
                "council sees them."
            )
    elif not system_actor:
        raise ApplicationError("A user or a system actor is needed to import published figures")


def published_ascof_import(
    *,
    content: bytes,
    source: str,
    actor: User | None = None,
    system_actor: str = "",
    illustrative: bool = False,
) -> PublishedImportSummary:
    """Import published ASCOF figures (docs/metrics-dashboard.md). All or nothing: any problem
    refuses the whole file, listing every problem (file, row, column, value, rule) in
    `extra["errors"]`. A figure already held for the same measure, breakdown, year and area is
    replaced. `illustrative` labels the figures as an illustrative sample, not published
    figures."""
    _check_site_admin(actor, system_actor)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            f"{source}: the file is not UTF-8 text; nothing was imported"
        ) from exc
    try:
        figures = parse_published_ascof(text, source=source)
    except PublishedAscofError as exc:
        raise ApplicationError(
            f"{source}: nothing was imported because of {len(exc.problems)} problem(s)",
            {"errors": [str(p) for p in exc.problems]},
        ) from exc
    with transaction.atomic():
        record = PublishedAscofImport.objects.create(
            created_by=actor,
            system_actor=system_actor if actor is None else "",
            source_file=Path(source).name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            rows=len(figures),
            is_illustrative=illustrative,
        )
        existing = {
            (f.measure, f.breakdown, f.period, f.geography_code): f
            for f in PublishedAscofFigure.objects.filter(
                period__in={f.period for f in figures}
            ).select_for_update()
        }
        if illustrative:
            published = [key for key, row in existing.items() if not row.is_illustrative]
            replaced = [f.key for f in figures if f.key in set(published)]
            if replaced:
                raise ApplicationError(
                    f"{source}: an illustrative sample would replace {len(replaced)} published "
                    f"figure(s) (first: {' '.join(replaced[0])}); nothing was imported"
                )
        new: list[PublishedAscofFigure] = []
        changed: list[PublishedAscofFigure] = []
        for figure in figures:
            values = {
                "geography_level": figure.geography_level,
                "geography_name": figure.geography_name,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "value": figure.value,
                "is_illustrative": illustrative,
                "source": record,
            }
            row = existing.get(figure.key)
            if row is None:
                new.append(
                    PublishedAscofFigure(
                        measure=figure.measure,
                        breakdown=figure.breakdown,
                        period=figure.period,
                        geography_code=figure.geography_code,
                        **values,
                    )
                )
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        PublishedAscofFigure.objects.bulk_create(new, batch_size=2000)
        PublishedAscofFigure.objects.bulk_update(changed, list(PUBLISHED_FIELDS), batch_size=2000)
        audit_record(
            event=AuditEventType.METRICS_PUBLISHED_ASCOF_IMPORTED,
            actor=actor,
            system_actor=system_actor if actor is None else "",
            obj=record,
            after={
                "rows": len(figures),
                "created": len(new),
                "updated": len(changed),
                "illustrative": illustrative,
                "periods": sorted({f.period for f in figures}),
            },
            extra={"source": source, "sha256": record.sha256},
        )
    return PublishedImportSummary(source=record, created=len(new), updated=len(changed))


def published_ascof_import_file(
    *,
    path: Path,
    actor: User | None = None,
    system_actor: str = "",
    illustrative: bool = False,
) -> PublishedImportSummary:
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise ApplicationError(f"{path}: cannot be read ({exc.strerror})") from exc
    return published_ascof_import(
        content=content,
        source=str(path),
        actor=actor,
        system_actor=system_actor,
        illustrative=illustrative,
    )
