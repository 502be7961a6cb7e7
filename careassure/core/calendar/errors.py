"""Errors raised by the deadline calculator."""

from __future__ import annotations


class CalendarError(ValueError):
    """A deadline cannot be worked out from the values given (the message names the value)."""
