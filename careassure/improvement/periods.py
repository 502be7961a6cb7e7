"""Reporting periods are calendar months, written YYYY-MM."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"'{period}' is not a period: use YYYY-MM, for example 2025-08")
    year, month = int(match[1]), int(match[2])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def period_label(period: str) -> str:
    start, _ = period_bounds(period)
    return f"{start:%B %Y}"


def previous_period(period: str) -> str:
    start, _ = period_bounds(period)
    return period_of(start - dt.timedelta(days=1))


def next_period(period: str) -> str:
    _, end = period_bounds(period)
    return period_of(end + dt.timedelta(days=1))
