"""Errors raised by the framework package."""

from __future__ import annotations


class FrameworkDataError(Exception):
    """A framework data file is missing, unreadable or fails validation.

    The message names the file, the path inside it (for example
    ``themes[1].quality_statements[0].we_statement``) and the problem.
    """

    def __init__(self, file: str, path: str, problem: str) -> None:
        self.file = file
        self.path = path
        self.problem = problem
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {problem}")


class UnknownFrameworkVersion(LookupError):
    """No framework version has the requested id."""


class UnknownQualityStatement(LookupError):
    """No quality statement in the framework matches the requested id or title."""
