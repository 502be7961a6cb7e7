"""Published ASCOF figures (England, regions, councils) for comparison with a council's own.

The file is a UTF-8 CSV with exactly this header (docs/metrics-dashboard.md)::

    measure,breakdown,period,geography_level,geography_code,geography_name,numerator,denominator,value

one row per measure, breakdown, reporting year and area:

- `measure`, `breakdown`: an ASCOF measure computed from CLD and one of its breakdowns, in
  the vocabulary of `careassure metrics ascof` (`2A`/`total`, `2B`/`18-64`, ...);
- `period`: the financial year, `2024-25`;
- `geography_level`: `england`, `region` or `council`; `geography_code` the GSS code of the
  area: `E92000001` for England, `E12000001` to `E12000009` for the nine regions, a council's
  code (E06, E08, E09 or E10 and six digits); `geography_name` its name;
- `numerator`, `denominator`: whole numbers, or blank when not published;
- `value`: the published figure (a percentage, or a rate per 100,000 for 2B and 2C), at most
  4 decimal places. When the numerator and a denominator above 0 are given, the value must
  agree with them to within one unit of the measure's last published decimal place.

Every row is checked (pydantic) and every problem is reported with the file, the row (the
header is row 1), the column, the value and the rule; a file with any problem gives nothing.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator

from careassure.core.measures import measure_catalogue
from careassure.core.problems import FileProblem

HEADER = [
    "measure",
    "breakdown",
    "period",
    "geography_level",
    "geography_code",
    "geography_name",
    "numerator",
    "denominator",
    "value",
]
ENGLAND_CODE = "E92000001"
REGION_CODES = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
GeographyLevel = Literal["england", "region", "council"]
LEVELS = ("england", "region", "council")

_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")
_COUNCIL_CODE = re.compile(r"E(06|08|09|10)[0-9]{6}")
_WHOLE = re.compile(r"[0-9]{1,15}")
_DECIMAL = re.compile(r"[0-9]{1,10}(\.[0-9]{1,4})?")


# One problem in a published-figures file.
PublishedProblem = FileProblem


class PublishedAscofError(Exception):
    """The file cannot be imported; `problems` lists every problem found."""

    def __init__(self, problems: list[PublishedProblem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "no problems"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class PublishedFigure(BaseModel):
    """One published figure, validated. Fields are checked in order, so later checks can use
    the values of earlier columns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: str
    breakdown: str
    period: str
    geography_level: GeographyLevel
    geography_code: str
    geography_name: str
    numerator: int | None
    denominator: int | None
    value: Decimal

    @field_validator("measure")
    @classmethod
    def _measure(cls, value: str) -> str:
        ids = [m.id for m in measure_catalogue()]
        if value not in ids:
            raise ValueError(f"is not an ASCOF measure computed from CLD; expected one of "
                             f"{', '.join(ids)}")  # fmt: skip
        return value

    @field_validator("breakdown")
    @classmethod
    def _breakdown(cls, value: str, info: ValidationInfo) -> str:
        measure = info.data.get("measure")
        if measure is None:
            return value
        allowed = next(m.breakdowns for m in measure_catalogue() if m.id == measure)
        if value not in allowed:
            raise ValueError(f"is not a breakdown of {measure}; expected one of "
                             f"{', '.join(allowed)}")  # fmt: skip
        return value

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        match = _PERIOD.fullmatch(value)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError("must be a financial year such as 2024-25")
        return value

    @field_validator("geography_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if value not in LEVELS:
            raise ValueError("must be england, region or council")
        return value

    @field_validator("geography_code")
    @classmethod
    def _code(cls, value: str, info: ValidationInfo) -> str:
        level = info.data.get("geography_level")
        if level == "england" and value != ENGLAND_CODE:
            raise ValueError(f"must be {ENGLAND_CODE} (England) on an england row")
        if level == "region" and value not in REGION_CODES:
            raise ValueError("must be a region's GSS code, E12000001 to E12000009, on a region row")
        if level == "council" and not _COUNCIL_CODE.fullmatch(value):
            raise ValueError("must be a council's GSS code such as E10000016 (E06, E08, E09 or "
                             "E10) on a council row")  # fmt: skip
        return value

    @field_validator("geography_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("numerator", "denominator", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        if value == "":
            return None
        if not isinstance(value, str) or not _WHOLE.fullmatch(value):
            raise ValueError("must be a whole number of 0 or more, or blank")
        return int(value)

    @field_validator("value", mode="before")
    @classmethod
    def _value_text(cls, value: Any) -> Any:
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
            raise ValueError("must be a number of 0 or more with at most 4 decimal places")
        return Decimal(value)

    @field_validator("value")
    @classmethod
    def _value(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        measure = info.data.get("measure")
        info_by_id = {m.id: m for m in measure_catalogue()}
        if measure is None:
            return value
        meta = info_by_id[measure]
        if meta.unit == "percent" and value > 100:
            raise ValueError(f"is more than 100, but {measure} is a percentage")
        numerator, denominator = info.data.get("numerator"), info.data.get("denominator")
        if numerator is not None and denominator:
            scale = 100 if meta.unit == "percent" else 100_000
            expected = Decimal(numerator) * scale / Decimal(denominator)
            tolerance = Decimal(1).scaleb(-meta.decimal_places)
            if abs(expected - value) > tolerance:
                shown = expected.quantize(tolerance)
                raise ValueError(
                    f"does not agree with numerator {numerator} and denominator {denominator}, "
                    f"which give {shown}"
                )
        return value

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.measure, self.breakdown, self.period, self.geography_code)


def _column_of(error: dict[str, Any]) -> str:
    loc = error.get("loc") or ()
    return str(loc[0]) if loc else ""


def _rule(error: dict[str, Any]) -> str:
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ")


def parse_published_ascof(text: str, *, source: str) -> list[PublishedFigure]:
    """Every figure in the file, or PublishedAscofError listing every problem."""
    text = text.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    problems: list[PublishedProblem] = []
    if not rows:
        raise PublishedAscofError(
            [
                PublishedProblem(
                    source, 0, "", "", f"is empty; the header must be {','.join(HEADER)}"
                )
            ]
        )
    if rows[0] != HEADER:
        raise PublishedAscofError(
            [
                PublishedProblem(
                    source, 1, "", ",".join(rows[0]),
                    f"the header must be exactly {','.join(HEADER)}",
                )
            ]
        )  # fmt: skip
    figures: list[PublishedFigure] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            problems.append(
                PublishedProblem(source, number, "", ",".join(row),
                                 f"the row has {len(row)} fields; it must have {len(HEADER)}")
            )  # fmt: skip
            continue
        raw = {name: cell.strip() for name, cell in zip(HEADER, row, strict=True)}
        try:
            figure = PublishedFigure.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                column = _column_of(dict(error))
                problems.append(
                    PublishedProblem(source, number, column, raw.get(column, ""),
                                     _rule(dict(error)))
                )  # fmt: skip
            continue
        if figure.key in seen:
            problems.append(
                PublishedProblem(
                    source, number, "geography_code", figure.geography_code,
                    f"{figure.measure} {figure.breakdown} {figure.period} for this area is "
                    f"already on row {seen[figure.key]}; give each figure once",
                )
            )  # fmt: skip
            continue
        seen[figure.key] = number
        figures.append(figure)
    if not figures and not problems:
        problems.append(PublishedProblem(source, 0, "", "", "has no data rows"))
    if problems:
        raise PublishedAscofError(problems)
    return figures
