"""Dates as people type them into UK spreadsheets."""

import datetime as dt
import re

from careassure.core.improvement.errors import DateParseError

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")

ACCEPTED_FORMATS = (
    "31/07/2025, 31-07-2025, 31.07.2025, 31/07/25, 31 July 2025, 31 Jul 2025 or 2025-07-31"
)


def parse_uk_date(text: str) -> dt.date:
    """Day first, as in the UK: 03/04/2025 is 3 April 2025. Two-digit years are 20xx."""
    value = " ".join(text.strip().lower().split())
    try:
        if match := _ISO.match(value):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(value):
            year = int(match[3])
            return dt.date(year + 2000 if year < 100 else year, int(match[2]), int(match[1]))
        if (match := _WORDS.match(value)) and match[2] in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2]], int(match[1]))
    except ValueError:
        raise DateParseError(f"'{text}' is not a real date") from None
    raise DateParseError(f"'{text}' is not a date: use a format like {ACCEPTED_FORMATS}")
