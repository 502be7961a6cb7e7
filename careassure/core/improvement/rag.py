"""Red/amber/green status for an action, worked out from rules a council configures.

The rules are data (stored per plan as a JSON document and validated here). Evaluation is
ordered: a complete action is blue and a closed one grey whatever else is true; otherwise the
first red rule that applies makes it red, then the first amber rule makes it amber, and an
action that breaks no rule is green. Every rule that applied is returned as a reason.

KPI thresholds are "beyond" when strictly past them in the bad direction: for a KPI where
higher is better, a value below the red threshold is red and a value below the amber threshold
is amber; where lower is better, above the threshold.
"""

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careassure.core.improvement.errors import RagRulesError
from careassure.core.improvement.status import ActionStatus


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    GREY = "grey"

    @property
    def label(self) -> str:
        return {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Complete"}.get(
            self.value, "Closed"
        )


class Polarity(enum.StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class RagRules(BaseModel):
    """Which facts make an action red or amber. Every rule can be switched off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    red_when_overdue: bool = True
    red_when_kpi_beyond_red: bool = True
    red_when_status_off_track: bool = True
    red_when_milestone_late_by_days: int | None = Field(default=None, ge=1, le=365)
    amber_when_milestone_late: bool = True
    amber_when_kpi_beyond_amber: bool = True
    amber_when_status_at_risk: bool = True
    amber_when_due_within_days: int | None = Field(default=None, ge=1, le=365)

    @classmethod
    def from_document(cls, document: Mapping[str, Any] | None) -> "RagRules":
        """Validate a stored rules document; an empty or missing one gives the defaults."""
        try:
            return cls.model_validate(dict(document or {}))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'rules'}: {err['msg']}"
                for err in exc.errors()
            )
            raise RagRulesError(f"The RAG rules are not valid: {problems}") from None

    def document(self) -> dict[str, Any]:
        return self.model_dump()


DEFAULT_RAG_RULES = RagRules()


@dataclass(frozen=True)
class MilestoneFacts:
    title: str
    due_date: dt.date
    complete: bool


@dataclass(frozen=True)
class KpiFacts:
    name: str
    value: Decimal | None
    red_threshold: Decimal | None
    amber_threshold: Decimal | None
    polarity: Polarity = Polarity.HIGHER_IS_BETTER


@dataclass(frozen=True)
class ActionFacts:
    status: ActionStatus
    due_date: dt.date | None
    milestones: Sequence[MilestoneFacts] = ()
    kpis: Sequence[KpiFacts] = ()


@dataclass(frozen=True)
class RagResult:
    rag: Rag
    reasons: tuple[str, ...] = field(default=())


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _number(value: Decimal | None) -> str:
    """A KPI figure as people read it: thousands separators, no trailing zeros (1,190; 65.5)."""
    if value is None:
        return "not set"
    return f"{value.normalize():,f}"


def _beyond(value: Decimal, threshold: Decimal, polarity: Polarity) -> bool:
    if polarity == Polarity.HIGHER_IS_BETTER:
        return value < threshold
    return value > threshold


def kpi_rag(kpi: KpiFacts) -> Rag | None:
    """Red, amber or green for one KPI figure; None when there is no figure or no thresholds."""
    if kpi.value is None or (kpi.red_threshold is None and kpi.amber_threshold is None):
        return None
    if kpi.red_threshold is not None and _beyond(kpi.value, kpi.red_threshold, kpi.polarity):
        return Rag.RED
    if kpi.amber_threshold is not None and _beyond(kpi.value, kpi.amber_threshold, kpi.polarity):
        return Rag.AMBER
    return Rag.GREEN


def check_thresholds(red: Decimal | None, amber: Decimal | None, polarity: Polarity) -> str | None:
    """A message when the thresholds are the wrong way round for the polarity, else None."""
    if red is None or amber is None:
        return None
    if polarity == Polarity.HIGHER_IS_BETTER and red > amber:
        return "When higher is better, the red threshold must not be above the amber threshold"
    if polarity == Polarity.LOWER_IS_BETTER and red < amber:
        return "When lower is better, the red threshold must not be below the amber threshold"
    return None


def evaluate_rag(facts: ActionFacts, rules: RagRules, *, today: dt.date) -> RagResult:
    """Apply ``rules`` to one action as it stands on ``today``."""
    if facts.status == ActionStatus.COMPLETE:
        return RagResult(Rag.BLUE, ("Complete",))
    if facts.status == ActionStatus.CLOSED:
        return RagResult(Rag.GREY, ("Closed",))

    red: list[str] = []
    amber: list[str] = []
    if rules.red_when_overdue and facts.due_date is not None and facts.due_date < today:
        red.append(f"Overdue: due {_date(facts.due_date)}")
    if rules.red_when_status_off_track and facts.status == ActionStatus.OFF_TRACK:
        red.append("Status is off track")
    if rules.amber_when_status_at_risk and facts.status == ActionStatus.AT_RISK:
        amber.append("Status is at risk")
    if (
        rules.amber_when_due_within_days is not None
        and facts.due_date is not None
        and today <= facts.due_date <= today + dt.timedelta(days=rules.amber_when_due_within_days)
    ):
        amber.append(
            f"Due within {rules.amber_when_due_within_days} days ({_date(facts.due_date)})"
        )
    for milestone in facts.milestones:
        if milestone.complete or milestone.due_date >= today:
            continue
        days_late = (today - milestone.due_date).days
        text = f"Milestone '{milestone.title}' is late: due {_date(milestone.due_date)}"
        limit = rules.red_when_milestone_late_by_days
        if limit is not None and days_late > limit:
            red.append(f"{text}, more than {limit} days ago")
        elif rules.amber_when_milestone_late:
            amber.append(text)
    for kpi in facts.kpis:
        result = kpi_rag(kpi)
        if result == Rag.RED and rules.red_when_kpi_beyond_red:
            red.append(
                f"KPI '{kpi.name}' is {_number(kpi.value)}, beyond its red threshold of "
                f"{_number(kpi.red_threshold)}"
            )
        elif result in (Rag.RED, Rag.AMBER) and rules.amber_when_kpi_beyond_amber:
            amber.append(
                f"KPI '{kpi.name}' is {_number(kpi.value)}, beyond its amber threshold of "
                f"{_number(kpi.amber_threshold)}"
            )
    if red:
        return RagResult(Rag.RED, tuple(red + amber))
    if amber:
        return RagResult(Rag.AMBER, tuple(amber))
    return RagResult(Rag.GREEN, ())
