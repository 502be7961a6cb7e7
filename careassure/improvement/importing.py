"""Import an existing plan from an Excel workbook: upload, choose the columns, check every
row, then confirm. Besides the actions sheet, a workbook may have sheets of milestones, risks
and KPIs (each row naming its action). The import is all or nothing, in one transaction."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException

from careassure.accounts.models import User
from careassure.accounts.permissions import require_permission
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError
from careassure.core.framework import (
    UnknownQualityStatement,
    load_framework,
    match_quality_statement,
)
from careassure.core.improvement.importing import (
    DEFAULT_MAX_ROWS,
    PART_BY_NAME,
    Cell,
    ImportResult,
    PartSheet,
    RowError,
    validate_workbook,
)
from careassure.improvement import selectors, services
from careassure.improvement.models import Action, ImprovementPlan, KpiSource, PlanImport

MAX_BYTES = 10 * 1024 * 1024


def max_rows() -> int:
    return int(getattr(settings, "CAREASSURE_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]


def read_workbook(content: bytes, filename: str = "the file") -> dict[str, Sheet]:
    """Every sheet: the header (row 1) and the data rows with formula and merged-cell flags."""
    if len(content) > MAX_BYTES:
        raise ApplicationError(f"{filename} is larger than 10 MB")
    try:
        book = load_workbook(io.BytesIO(content), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ApplicationError(f"{filename} is not an Excel workbook (.xlsx)") from None
    sheets: dict[str, Sheet] = {}
    for ws in book.worksheets:
        merged: dict[str, str] = {}
        for rng in ws.merged_cells.ranges:
            for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row,
                                    min_col=rng.min_col, max_col=rng.max_col):  # fmt: skip
                for c in row:
                    merged[c.coordinate] = str(rng)
        all_rows = list(ws.iter_rows())
        if not all_rows:
            sheets[ws.title] = Sheet(ws.title, [], [])
            continue
        header = ["" if c.value is None else str(c.value).strip() for c in all_rows[0]]
        rows = []
        for row in all_rows[1:]:
            cells = []
            for c in row:
                value = None if isinstance(c, MergedCell) else c.value
                formula = c.data_type == "f" or (isinstance(value, str) and value.startswith("="))
                percent = "%" in str(getattr(c, "number_format", "") or "")
                cells.append(Cell(value, formula, merged.get(c.coordinate), percent))
            rows.append((row[0].row, cells))
        sheets[ws.title] = Sheet(ws.title, header, rows)
    return sheets


def _owner_resolver(plan: ImprovementPlan) -> Any:
    members = list(selectors.member_list(org=plan.organisation))
    index: dict[str, str] = {}
    for user in members:
        for key in (user.username, user.email, user.get_full_name()):
            if key:
                index[key.strip().lower()] = user.username
    return lambda text: index.get(text.strip().lower())


def _qs_resolver() -> Any:
    framework = load_framework()

    def resolve(text: str) -> str | None:
        try:
            return match_quality_statement(framework, text).id
        except UnknownQualityStatement:
            return None

    return resolve


@dataclass(frozen=True)
class PartChoice:
    """The sheet chosen for milestones, risks or KPIs, and which column is which."""

    sheet: str
    mapping: dict[str, int]


def import_check(
    *, plan_import: PlanImport, sheet: str, mapping: dict[str, int],
    parts: Mapping[str, PartChoice] | None = None,
) -> ImportResult:  # fmt: skip
    """Check the actions sheet and any sheets chosen for milestones, risks and KPIs (``parts``,
    keyed ``milestones``, ``risks`` or ``kpis``) without saving anything."""
    sheets = read_workbook(bytes(plan_import.content), plan_import.filename)
    names = ", ".join(sheets)
    missing = [
        RowError(wanted, 0, "", wanted, f"There is no sheet called '{wanted}' (sheets: {names})")
        for wanted in dict.fromkeys([sheet, *(c.sheet for c in (parts or {}).values())])
        if wanted not in sheets
    ]
    if missing:
        return ImportResult([], missing)
    unknown = set(parts or {}) - set(PART_BY_NAME)
    if unknown:
        raise ApplicationError(f"Not a part of an action: {', '.join(sorted(unknown))}")
    plan = plan_import.plan
    return validate_workbook(
        sheet=sheet, rows=sheets[sheet].rows, mapping=mapping,
        resolve_owner=_owner_resolver(plan), resolve_qs=_qs_resolver(),
        existing_refs=selectors.dependency_graph(plan=plan),
        parts={name: PartSheet(c.sheet, sheets[c.sheet].rows, c.mapping)
               for name, c in (parts or {}).items()},
        existing_parts=selectors.part_names_by_action(plan=plan) if parts else None,
        today=timezone.localdate(), max_rows=max_rows(),
    )  # fmt: skip


@transaction.atomic
def plan_import_upload(*, plan: ImprovementPlan, filename: str, content: bytes,
                       actor: User) -> PlanImport:  # fmt: skip
    require_permission(selectors.membership_of(org=plan.organisation, user=actor), "plan.manage")
    sheets = read_workbook(content, filename)
    if not any(s.header for s in sheets.values()):
        raise ApplicationError(f"{filename} has no sheet with a header row")
    return PlanImport.objects.create(plan=plan, filename=filename, content=content,
                                     created_by=actor)  # fmt: skip


class ImportRefused(ApplicationError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems found; nothing was imported")
        self.errors = errors


@transaction.atomic
def plan_import_confirm(
    *, plan_import: PlanImport, sheet: str, mapping: dict[str, int], actor: User,
    parts: Mapping[str, PartChoice] | None = None,
) -> int:  # fmt: skip
    """Check again and create every action, its dependencies and the milestones, risks and
    KPIs of ``parts``, or nothing (ImportRefused lists the problems). Returns the number of
    actions; ``plan_import.parts`` records how many of each part were imported."""
    plan = plan_import.plan
    require_permission(selectors.membership_of(org=plan.organisation, user=actor), "plan.manage")
    if plan_import.imported_count is not None:
        raise ApplicationError(f"{plan_import.filename} has already been imported")
    result = import_check(plan_import=plan_import, sheet=sheet, mapping=mapping, parts=parts)
    if result.errors:
        raise ImportRefused(result.errors)
    owners = {u.username: u for u in selectors.member_list(org=plan.organisation)}
    created: dict[str, Action] = {}
    for row in result.actions:
        action = services.action_create(
            plan=plan, actor=actor, ref=row.ref, title=row.title, due_date=row.due_date,
            quality_statements=row.quality_statements, description=row.description,
            finding=row.finding, owner=owners.get(row.owner or ""),
            lead_director=row.lead_director, start_date=row.start_date,
            priority=row.priority, resources=row.resources,
        )  # fmt: skip
        if row.status != "not_started" or row.percent_complete:
            action.status, action.percent_complete = row.status, row.percent_complete
            action.save(update_fields=["status", "percent_complete", "updated_at"])
        created[row.ref] = action
    existing = {a.ref: a for a in plan.actions.all()}
    for row in result.actions:
        for dep in row.depends_on:
            services.action_dependency_add(action=created[row.ref], depends_on=existing[dep],
                                           actor=actor)  # fmt: skip
    for m in result.milestones:
        services.milestone_add(
            action=existing[m.action], title=m.title, due_date=m.due_date, status=m.status,
            completed_on=m.completed_on, actor=actor,
        )  # fmt: skip
    for r in result.risks:
        services.risk_add(
            action=existing[r.action], description=r.description, likelihood=r.likelihood,
            impact=r.impact, mitigation=r.mitigation, actor=actor,
        )  # fmt: skip
    for k in result.kpis:
        services.kpi_add(
            action=existing[k.action], name=k.name, unit=k.unit, target=k.target,
            red_threshold=k.red_threshold, amber_threshold=k.amber_threshold,
            polarity=k.polarity, source=KpiSource.MANUAL.value, actor=actor,
        )  # fmt: skip
    counts = {"milestones": len(result.milestones), "risks": len(result.risks),
              "kpis": len(result.kpis)}  # fmt: skip
    plan_import.sheet, plan_import.mapping = sheet, mapping
    plan_import.imported_count = len(created)
    plan_import.parts = {name: {"sheet": c.sheet, "mapping": c.mapping, "count": counts[name]}
                         for name, c in (parts or {}).items()}  # fmt: skip
    plan_import.save(update_fields=["sheet", "mapping", "imported_count", "parts"])
    extra: dict[str, Any] = {"file": plan_import.filename, "sheet": sheet, "actions": len(created)}
    extra.update({name: counts[name] for name in (parts or {})})
    audit_record(
        event=AuditEventType.PLAN_IMPORTED, actor=actor, organisation=plan.organisation, obj=plan,
        extra=extra,
    )  # fmt: skip
    return len(created)


def describe_counts(actions: int, milestones: int = 0, risks: int = 0, kpis: int = 0) -> str:
    """'2 actions, 3 milestones, 1 risk and 2 KPIs' (parts with none left out)."""
    if not (milestones or risks or kpis):
        return f"{actions} actions"
    words = [(actions, "action", "actions"), (milestones, "milestone", "milestones"),
             (risks, "risk", "risks"), (kpis, "KPI", "KPIs")]  # fmt: skip
    items = [f"{n} {one if n == 1 else many}" for i, (n, one, many) in enumerate(words)
             if n or i == 0]  # fmt: skip
    return ", ".join(items[:-1]) + " and " + items[-1]
