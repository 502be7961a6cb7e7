"""Frozen month-end snapshots of a plan: canonical JSON, hash, and what changed between two.

A snapshot document is a plain JSON object (schema 1)::

    {"schema": 1, "period": "2025-08", "as_at": "2025-08-31", "plan": {...},
     "actions": [{"ref": "A01", "title": ..., "status": ..., "rag": ...,
                  "percent_complete": 40, "milestones": [{"title", "due_date", "status"}],
                  "kpis": [{"name", "value", "as_at", "rag",
                            "series": [["2025-08-31", "41.50"], ...]}], ...}]}

``series`` (every figure dated on or before ``as_at``, oldest first) is absent from
snapshots closed before series were kept.

The hash is SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8).
"""

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SNAPSHOT_SCHEMA = 1


def canonical_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_hash(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ActionRef:
    ref: str
    title: str


@dataclass(frozen=True)
class ValueChange:
    ref: str
    title: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class LateMilestone:
    ref: str
    milestone: str
    due_date: str


@dataclass(frozen=True)
class KpiMove:
    ref: str
    kpi: str
    before: str | None
    after: str | None
    rag_before: str | None
    rag_after: str | None


@dataclass(frozen=True)
class SnapshotDiff:
    period_from: str
    period_to: str
    added: tuple[ActionRef, ...] = ()
    removed: tuple[ActionRef, ...] = ()
    changes: tuple[ValueChange, ...] = ()
    new_late_milestones: tuple[LateMilestone, ...] = ()
    kpi_moves: tuple[KpiMove, ...] = ()
    _fields: tuple[str, ...] = field(default=("status", "rag", "percent_complete"), repr=False)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changes or self.new_late_milestones or self.kpi_moves
        )


def _actions(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(a["ref"]): a for a in document.get("actions", [])}


def _late(action: Mapping[str, Any], as_at: dt.date) -> dict[str, str]:
    late: dict[str, str] = {}
    for milestone in action.get("milestones", []):
        due = dt.date.fromisoformat(milestone["due_date"])
        if milestone.get("status") != "complete" and due < as_at:
            late[str(milestone["title"])] = milestone["due_date"]
    return late


def _kpis(action: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(k["name"]): k for k in action.get("kpis", [])}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def diff_snapshots(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    fields: Sequence[str] = ("status", "rag", "percent_complete"),
) -> SnapshotDiff:
    """What changed from ``before`` to ``after``: actions added and removed, changes to
    ``fields``, milestones late in ``after`` that were not late in ``before`` and KPI moves."""
    old, new = _actions(before), _actions(after)
    old_as_at = dt.date.fromisoformat(before["as_at"])
    new_as_at = dt.date.fromisoformat(after["as_at"])
    added = tuple(ActionRef(ref, str(new[ref]["title"])) for ref in sorted(new.keys() - old))
    removed = tuple(ActionRef(ref, str(old[ref]["title"])) for ref in sorted(old.keys() - new))
    changes: list[ValueChange] = []
    late: list[LateMilestone] = []
    moves: list[KpiMove] = []
    for ref in sorted(new.keys() & old.keys()):
        a, b = old[ref], new[ref]
        title = str(b["title"])
        changes.extend(
            ValueChange(ref, title, name, a.get(name), b.get(name))
            for name in fields
            if a.get(name) != b.get(name)
        )
        was_late = _late(a, old_as_at)
        for milestone, due in _late(b, new_as_at).items():
            if milestone not in was_late:
                late.append(LateMilestone(ref, milestone, due))
        old_kpis = _kpis(a)
        for name, kpi in _kpis(b).items():
            prior = old_kpis.get(name, {})
            if _text(prior.get("value")) != _text(kpi.get("value")) or prior.get("rag") != kpi.get(
                "rag"
            ):
                moves.append(
                    KpiMove(
                        ref,
                        name,
                        _text(prior.get("value")),
                        _text(kpi.get("value")),
                        prior.get("rag"),
                        kpi.get("rag"),
                    )
                )
    for ref in sorted(new.keys() - old.keys()):
        late.extend(
            LateMilestone(ref, milestone, due)
            for milestone, due in _late(new[ref], new_as_at).items()
        )
    return SnapshotDiff(
        period_from=str(before.get("period", "")),
        period_to=str(after.get("period", "")),
        added=added,
        removed=removed,
        changes=tuple(changes),
        new_late_milestones=tuple(late),
        kpi_moves=tuple(moves),
        _fields=tuple(fields),
    )
