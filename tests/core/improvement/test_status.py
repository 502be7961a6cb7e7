import pytest

from careassure.core.improvement import (
    ActionStatus,
    InvalidTransition,
    allowed_transitions,
    check_transition,
)


@pytest.mark.parametrize(
    ("current", "to"),
    [
        pytest.param("not_started", "on_track", id="start_on_track"),
        pytest.param("on_track", "at_risk", id="slip_to_at_risk"),
        pytest.param("at_risk", "off_track", id="slip_to_off_track"),
        pytest.param("off_track", "on_track", id="recover"),
        pytest.param("on_track", "complete", id="complete"),
        pytest.param("complete", "closed", id="close"),
        pytest.param("complete", "on_track", id="reopen"),
        pytest.param("at_risk", "at_risk", id="repeat_is_a_no_op"),
        pytest.param("closed", "closed", id="repeat_closed"),
    ],
)
def test_legal_moves_return_the_new_status(current: str, to: str) -> None:
    assert check_transition(current, to) == ActionStatus(to)


@pytest.mark.parametrize(
    ("current", "to", "message"),
    [
        pytest.param(
            "on_track",
            "not_started",
            "An action cannot move from On track to Not started",
            id="never_back_to_not_started",
        ),
        pytest.param(
            "complete",
            "not_started",
            "An action cannot move from Complete to Not started",
            id="complete_to_not_started",
        ),
        pytest.param(
            "closed",
            "on_track",
            "The action is closed, so its status cannot change to On track",
            id="closed_is_final",
        ),
    ],
)
def test_illegal_moves_are_refused_with_a_message(current: str, to: str, message: str) -> None:
    with pytest.raises(InvalidTransition) as excinfo:
        check_transition(current, to)
    assert excinfo.value.message == message


def test_unknown_status_is_named() -> None:
    with pytest.raises(InvalidTransition, match="'done' is not an action status"):
        check_transition("on_track", "done")


def test_allowed_transitions_from_not_started_are_everything_else_in_order() -> None:
    assert [s.value for s in allowed_transitions("not_started")] == [
        "on_track",
        "at_risk",
        "off_track",
        "complete",
        "closed",
    ]


def test_closed_allows_nothing() -> None:
    assert allowed_transitions("closed") == ()
