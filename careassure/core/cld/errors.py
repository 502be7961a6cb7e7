"""Exceptions raised by the CLD package."""

from __future__ import annotations

from pathlib import Path


class CldError(Exception):
    """Base class for CLD errors."""


class CldSpecError(CldError):
    """A shipped CLD data file (fields, code lists, rules) is broken."""


class CldFileError(CldError):
    """A submitted file is refused as a whole (a file-level rule failed).

    `rule` is the rule id from the reference (F01, F03, ...); `message` is the sentence shown to
    the user. `str(error)` gives "<file name>: <message>".
    """

    def __init__(self, file: Path | str, message: str, *, rule: str = "F00") -> None:
        self.file = Path(file)
        self.message = message
        self.rule = rule
        super().__init__(f"{self.file.name}: {message}")
