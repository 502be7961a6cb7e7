"""The one application error that services raise and views turn into page or form errors."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    """The actor may not do this in this organisation."""


class ConflictError(ApplicationError):
    """Someone else saved a newer version first (optimistic locking)."""
