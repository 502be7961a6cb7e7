"""Action statuses and the legal moves between them.

Once work has started an action never goes back to "not started". "Complete" can be reopened
(to on track, at risk or off track) or closed; "closed" is final. Asking for the status an
action already has is allowed and changes nothing.
"""

import enum
from collections.abc import Mapping

from careassure.core.improvement.errors import InvalidTransition


class ActionStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[ActionStatus, str] = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "On track",
    ActionStatus.AT_RISK: "At risk",
    ActionStatus.OFF_TRACK: "Off track",
    ActionStatus.COMPLETE: "Complete",
    ActionStatus.CLOSED: "Closed",
}

_IN_PROGRESS = frozenset({ActionStatus.ON_TRACK, ActionStatus.AT_RISK, ActionStatus.OFF_TRACK})

TRANSITIONS: Mapping[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.NOT_STARTED: _IN_PROGRESS | {ActionStatus.COMPLETE, ActionStatus.CLOSED},
    ActionStatus.ON_TRACK: (_IN_PROGRESS - {ActionStatus.ON_TRACK})
    | {ActionStatus.COMPLETE, ActionStatus.CLOSED},
    ActionStatus.AT_RISK: (_IN_PROGRESS - {ActionStatus.AT_RISK})
    | {ActionStatus.COMPLETE, ActionStatus.CLOSED},
    ActionStatus.OFF_TRACK: (_IN_PROGRESS - {ActionStatus.OFF_TRACK})
    | {ActionStatus.COMPLETE, ActionStatus.CLOSED},
    ActionStatus.COMPLETE: _IN_PROGRESS | {ActionStatus.CLOSED},
    ActionStatus.CLOSED: frozenset(),
}

DONE = frozenset({ActionStatus.COMPLETE, ActionStatus.CLOSED})


def _status(value: str) -> ActionStatus:
    try:
        return ActionStatus(value)
    except ValueError:
        known = ", ".join(s.value for s in ActionStatus)
        raise InvalidTransition(f"'{value}' is not an action status (use one of {known})") from None


def allowed_transitions(current: str) -> tuple[ActionStatus, ...]:
    """The statuses an action with status ``current`` may move to, in display order."""
    allowed = TRANSITIONS[_status(current)]
    return tuple(s for s in ActionStatus if s in allowed)


def check_transition(current: str, to: str) -> ActionStatus:
    """Return the new status if moving from ``current`` to ``to`` is legal.

    A repeat of the current status is allowed (nothing changes); anything else not in the
    table raises :class:`InvalidTransition` with a message naming both statuses.
    """
    old, new = _status(current), _status(to)
    if old == new or new in TRANSITIONS[old]:
        return new
    if old == ActionStatus.CLOSED:
        raise InvalidTransition(f"The action is closed, so its status cannot change to {new.label}")
    raise InvalidTransition(f"An action cannot move from {old.label} to {new.label}")
