"""Import an existing plan from an Excel workbook: upload, choose the columns, check every
row, then confirm. The import is all or nothing, in one transaction."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
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
    Cell,
    ImportResult,
    RowError,
    validate_rows,
)
from careassure.improvement import selectors, services
from careassure.improvement.models import Action, ImprovementPlan, PlanImport

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
                cells.append(Cell(value, formula, merged.get(c.coordinate)))
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


def import_check(*, plan_import: PlanImport, sheet: str, mapping: dict[str, int]) -> ImportResult:
    sheets = read_workbook(bytes(plan_import.content), plan_import.filename)
    if sheet not in sheets:
        names = ", ".join(sheets)
        return ImportResult(
            [],
            [
                RowError(
                    sheet, 0, "", sheet, f"There is no sheet called '{sheet}' (sheets: {names})"
                )
            ],
        )
    plan = plan_import.plan
    return validate_rows(
        sheet=sheet, rows=sheets[sheet].rows, mapping=mapping,
        resolve_owner=_owner_resolver(plan), resolve_qs=_qs_resolver(),
        existing_refs=selectors.dependency_graph(plan=plan), max_rows=max_rows(),
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
def plan_import_confirm(*, plan_import: PlanImport, sheet: str, mapping: dict[str, int],
                        actor: User) -> int:  # fmt: skip
    """Check again and create every action, or nothing (ImportRefused lists the problems)."""
    plan = plan_import.plan
    require_permission(selectors.membership_of(org=plan.organisation, user=actor), "plan.manage")
    if plan_import.imported_count is not None:
        raise ApplicationError(f"{plan_import.filename} has already been imported")
    result = import_check(plan_import=plan_import, sheet=sheet, mapping=mapping)
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
    plan_import.sheet, plan_import.mapping = sheet, mapping
    plan_import.imported_count = len(created)
    plan_import.save(update_fields=["sheet", "mapping", "imported_count"])
    audit_record(
        event=AuditEventType.PLAN_IMPORTED, actor=actor, organisation=plan.organisation, obj=plan,
        extra={"file": plan_import.filename, "sheet": sheet, "actions": len(created)},
    )  # fmt: skip
    return len(created)
