"""Errors raised by the improvement core. Messages are written for the person who caused them."""


class ImprovementError(Exception):
    """Base class for improvement planning errors."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTransition(ImprovementError):
    """A status change the transition table does not allow."""


class DependencyCycleError(ImprovementError):
    """A dependency that would make a loop; ``cycle`` lists the action ids around it."""

    def __init__(self, message: str, cycle: tuple[str, ...]) -> None:
        super().__init__(message)
        self.cycle = cycle


class RagRulesError(ImprovementError):
    """A council's RAG rules document is not valid."""


class DateParseError(ImprovementError):
    """Text that is not a date in a format we accept."""
