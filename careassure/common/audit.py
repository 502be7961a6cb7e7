"""Explicit audit: every write service calls `audit_record` in the same transaction.

`AuditEventType` is numbered in blocks per domain: 0xx accounts, 1xx assessments,
2xx evidence, 3xx improvement, 4xx metrics, 5xx framework and benchmarking, 6xx charging.
The audit log is kept for investigation; features never read it to show history.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from enum import IntEnum, unique
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation, User


@unique
class AuditEventType(IntEnum):
    USER_SIGNED_IN = 1
    USER_SIGNED_OUT = 2
    ORGANISATION_CREATED = 10
    ORGANISATION_UPDATED = 11
    MEMBERSHIP_CREATED = 20
    MEMBERSHIP_ROLE_CHANGED = 21
    MEMBERSHIP_REMOVED = 22

    ASSESSMENT_CYCLE_CREATED = 101
    ASSESSMENT_CYCLE_UPDATED = 102
    MILESTONE_DATE_CHANGED = 103
    MILESTONE_UPDATED = 104
    INFORMATION_REQUEST_CREATED = 105
    INFORMATION_REQUEST_UPDATED = 106
    SELF_ASSESSMENT_SAVED = 110
    SELF_ASSESSMENT_STATUS_CHANGED = 111
    SELF_ASSESSMENT_OWNER_CHANGED = 112
    EXTERNAL_SCORES_SAVED = 120
    KEY_FINDINGS_SAVED = 121
    ASSESSMENT_REMINDER_SENT = 130

    EVIDENCE_ITEM_CREATED = 201
    EVIDENCE_ITEM_UPDATED = 202
    EVIDENCE_ITEM_DELETED = 203
    INFORMATION_RETURN_CREATED = 210
    INFORMATION_RETURN_SECTION_CREATED = 211
    INFORMATION_RETURN_SECTION_UPDATED = 212
    INFORMATION_RETURN_SECTION_DELETED = 213
    INFORMATION_RETURN_SECTION_MOVED = 214
    INFORMATION_RETURN_EVIDENCE_LINKED = 215
    INFORMATION_RETURN_EXPORTED = 216
    CASE_LIST_BUILT = 251
    CASE_ENTRY_UPDATED = 252
    CASE_LIST_EXPORTED = 253
    CASE_REIDENTIFIED = 254
    CASE_LIST_DELETED = 255

    PLAN_CREATED = 301
    PLAN_UPDATED = 302
    PLAN_RAG_RULES_CHANGED = 303
    ACTION_CREATED = 310
    ACTION_UPDATED = 311
    ACTION_STATUS_CHANGED = 312
    ACTION_RAG_OVERRIDDEN = 313
    ACTION_RAG_OVERRIDE_CLEARED = 314
    ACTION_DEPENDENCY_ADDED = 315
    ACTION_DEPENDENCY_REMOVED = 316
    ACTION_MILESTONE_ADDED = 320
    ACTION_MILESTONE_UPDATED = 321
    ACTION_MILESTONE_REMOVED = 322
    RISK_ADDED = 325
    RISK_UPDATED = 326
    RISK_REMOVED = 327
    KPI_ADDED = 330
    KPI_VALUE_RECORDED = 331
    KPI_UPDATED = 332
    KPI_REMOVED = 333
    ACTION_UPDATE_SUBMITTED = 340
    UPDATES_REQUESTED = 341
    UPDATE_REMINDERS_SENT = 342
    PERIOD_CLOSED = 350
    PLAN_IMPORTED = 360
    PLAN_EXPORTED = 361
    REPORT_GENERATED = 370
    REPORT_TEMPLATE_SAVED = 371
    REPORT_TEMPLATE_RESET = 372

    METRICS_REFRESHED = 401
    METRICS_THRESHOLD_CHANGED = 402
    METRICS_SETTINGS_CHANGED = 403
    METRICS_EVIDENCE_FILED = 404
    METRICS_PUBLISHED_ASCOF_IMPORTED = 405

    FRAMEWORK_VERSION_LOADED = 501
    PUBLISHED_RESULTS_IMPORTED = 510


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def audit_record(
    *,
    event: AuditEventType | int,
    actor: User | None = None,
    system_actor: str = "",
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write one audit row. Refuses a write with neither a user nor a system actor."""
    from careassure.common.models import AuditEvent

    if actor is None and not system_actor:
        raise ValueError("audit_record needs an actor (a user or a system id such as 'cli:...')")
    AuditEvent.objects.create(
        event_type=int(event),
        actor=actor,
        system_actor=system_actor,
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        extra_data=_jsonable(extra or {}),
    )


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model as a JSON-ready dict, for before/after audit rows."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}
