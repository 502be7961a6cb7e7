"""Errors raised by the scoring package."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence


class ScoringError(ValueError):
    """A score, or a set of scores, breaks the scoring rules.

    ``item`` names the score at fault (for example ``qs3``) where there is one; ``rule`` is
    the broken rule on its own, without the item and value (for messages that name them
    separately).
    """

    def __init__(
        self,
        message: str,
        *,
        item: str | None = None,
        value: object = None,
        rule: str | None = None,
    ) -> None:
        self.item = item
        self.value = value
        self.rule = rule if rule is not None else message
        super().__init__(message)


@dataclasses.dataclass(frozen=True)
class RowError:
    """One problem in a row of a CSV file. ``row`` is the file line number (header = 1)."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        column = f", column {self.column}" if self.column else ""
        return f"line {self.row}{column}, value {self.value!r}: {self.message}"


class RowErrors(ValueError):
    """All the problems found in a CSV file, raised together."""

    def __init__(self, errors: Sequence[RowError], *, source: str = "") -> None:
        self.errors = list(errors)
        self.source = source
        prefix = f"{source}: " if source else ""
        lines = [f"{prefix}{error}" for error in self.errors]
        super().__init__("\n".join(lines))


class PublishedResultsError(RowErrors):
    """A published-results CSV file has one or more bad rows."""


class ScoreTableError(RowErrors):
    """A CSV file of council scores has one or more bad rows."""
