"""A problem found at one place in an input file, shared by the importers that report them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One problem in a file: where it is, the value found and the rule it breaks.

    ``row`` counts the header as row 1, so the first data row is row 2; it is 0 for problems
    with the file (or folder) as a whole, which print without row, column and value.
    """

    file: str
    row: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.file}: {self.rule}"
        return (
            f"{self.file}, row {self.row}, column {self.column}, value {self.value!r}: {self.rule}"
        )
