"""ONS mid-year population estimates per council, the denominators of ASCOF 2B and 2C.

The file is a CSV with exactly this header::

    LA_Code,LA_Name,ONS_Code,Population_18_64,Population_65_plus

and one row per council (CASSR). `LA_Code` is the 3-digit CASSR code kept as text, `ONS_Code`
the GSS code (E06, E08, E09 or E10 followed by six digits), and the populations are whole
numbers greater than zero.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

HEADER = ["LA_Code", "LA_Name", "ONS_Code", "Population_18_64", "Population_65_plus"]

_LA_CODE = re.compile(r"[0-9]{3}")
_ONS_CODE = re.compile(r"E(06|08|09|10)[0-9]{6}")
_COUNT = re.compile(r"[0-9]+")


class PopulationError(Exception):
    """A population file cannot be used. Names the file, row, column, value and rule."""

    def __init__(
        self,
        *,
        file: str,
        rule: str,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.rule = rule
        parts = [file]
        if row is not None:
            parts.append(f"row {row}")
        if column is not None:
            parts.append(f"column {column}")
        if value is not None:
            parts.append(f"value {value!r}")
        super().__init__(f"{', '.join(parts)}: {rule}")


@dataclass(frozen=True)
class CouncilPopulation:
    la_code: str
    la_name: str
    ons_code: str
    population_18_64: int
    population_65_plus: int


@dataclass(frozen=True)
class Population(Mapping[str, CouncilPopulation]):
    """Population estimates keyed by CASSR code."""

    source: str
    councils: Mapping[str, CouncilPopulation]

    def __getitem__(self, la_code: str) -> CouncilPopulation:
        return self.councils[la_code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.councils)

    def __len__(self) -> int:
        return len(self.councils)


def load_population(path: Path | str) -> Population:
    """Read and validate a population CSV; raise `PopulationError` on the first bad value.

    Rows are numbered from 1 for the first data row (the header is not counted).
    """
    path = Path(path)
    name = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise PopulationError(file=name, rule=f"cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise PopulationError(file=name, rule="is not UTF-8 text") from exc
    if not rows:
        raise PopulationError(file=name, rule=f"is empty; the header must be {','.join(HEADER)}")
    if rows[0] != HEADER:
        raise PopulationError(
            file=name,
            row=0,
            value=",".join(rows[0]),
            rule=f"the header must be exactly {','.join(HEADER)}",
        )
    councils: dict[str, CouncilPopulation] = {}
    for number, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise PopulationError(
                file=name,
                row=number,
                value=",".join(row),
                rule=f"the row has {len(row)} fields; it must have {len(HEADER)}",
            )
        values = dict(zip(HEADER, row, strict=True))
        la_code = values["LA_Code"]
        if not _LA_CODE.fullmatch(la_code):
            raise PopulationError(
                file=name,
                row=number,
                column="LA_Code",
                value=la_code,
                rule="must be a 3-digit CASSR code",
            )
        if la_code in councils:
            raise PopulationError(
                file=name,
                row=number,
                column="LA_Code",
                value=la_code,
                rule="appears more than once; give one row per council",
            )
        if not values["LA_Name"].strip():
            raise PopulationError(
                file=name,
                row=number,
                column="LA_Name",
                value=values["LA_Name"],
                rule="must not be blank",
            )
        if not _ONS_CODE.fullmatch(values["ONS_Code"]):
            raise PopulationError(
                file=name,
                row=number,
                column="ONS_Code",
                value=values["ONS_Code"],
                rule="must be a GSS council code such as E06000001 (E06, E08, E09 or E10)",
            )
        counts: dict[str, int] = {}
        for column in ("Population_18_64", "Population_65_plus"):
            text = values[column]
            if not _COUNT.fullmatch(text) or int(text) == 0:
                raise PopulationError(
                    file=name,
                    row=number,
                    column=column,
                    value=text,
                    rule="must be a whole number greater than 0",
                )
            counts[column] = int(text)
        councils[la_code] = CouncilPopulation(
            la_code=la_code,
            la_name=values["LA_Name"].strip(),
            ons_code=values["ONS_Code"],
            population_18_64=counts["Population_18_64"],
            population_65_plus=counts["Population_65_plus"],
        )
    if not councils:
        raise PopulationError(file=name, rule="has no data rows")
    return Population(source=name, councils=councils)
