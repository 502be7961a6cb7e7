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
