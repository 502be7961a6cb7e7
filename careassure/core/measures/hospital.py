"""Hospital inpatient episodes (SUS Admitted Patient Care or an ICB extract) for ASCOF 2D.

The file is a CSV with exactly this header, one row per episode (reference §6.3)::

    NHS_Number,Spell_ID,Last_Episode_In_Spell,Admission_Date,Discharge_Date,Birth_Year,
    Birth_Month,Sex,LA_Code,Admission_Method,Discharge_Method,Discharge_Destination,
    Management_Type,Treatment_Function_Code

`LA_Code` is the CASSR code of the council the patient lives in (the extract's own look-up from
the patient's LSOA). Codes are the NHS Data Dictionary codes, kept as text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HOSPITAL_HEADER = [
    "NHS_Number",
    "Spell_ID",
    "Last_Episode_In_Spell",
    "Admission_Date",
    "Discharge_Date",
    "Birth_Year",
    "Birth_Month",
    "Sex",
    "LA_Code",
    "Admission_Method",
    "Discharge_Method",
    "Discharge_Destination",
    "Management_Type",
    "Treatment_Function_Code",
]

_NHS = re.compile(r"[0-9]{10}")
_LA = re.compile(r"[0-9]{3}")
_CODE = re.compile(r"[0-9A-Z]{1,4}")


class HospitalDataError(Exception):
    """A hospital episode file cannot be used. Names the file, row, column, value and rule."""


@dataclass(frozen=True)
class HospitalEpisode:
    nhs_number: str | None
    spell_id: str
    last_episode_in_spell: bool
    admission_date: date
    discharge_date: date | None
    birth_year: int
    birth_month: int
    sex: str
    la_code: str
    admission_method: str
    discharge_method: str | None
    discharge_destination: str | None
    management_type: str
    treatment_function_code: str


def _fail(path: Path, row: int, column: str, value: str, rule: str) -> HospitalDataError:
    return HospitalDataError(f"{path}, row {row}, column {column}, value {value!r}: {rule}")


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(path: Path, row: int, column: str, value: str) -> date:
    try:
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise _fail(path, row, column, value, "must be a real date in the form YYYY-MM-DD")


def load_hospital_episodes(path: Path | str) -> list[HospitalEpisode]:
    """Read and validate a hospital episode CSV; raise `HospitalDataError` on a bad value.

    Rows are numbered from 1 for the first data row. A blank NHS number is allowed (such
    episodes never link to CLD); a blank discharge date means the patient is still in hospital.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise HospitalDataError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    if not rows or rows[0] != HOSPITAL_HEADER:
        raise HospitalDataError(
            f"{path}, row 0: the header must be exactly {','.join(HOSPITAL_HEADER)}"
        )
    episodes: list[HospitalEpisode] = []
    for number, raw in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(HOSPITAL_HEADER):
            raise HospitalDataError(
                f"{path}, row {number}: the row has {len(raw)} fields; it must have "
                f"{len(HOSPITAL_HEADER)}"
            )
        v = {k: cell.strip() for k, cell in zip(HOSPITAL_HEADER, raw, strict=True)}
        nhs = v["NHS_Number"].replace(" ", "")
        if nhs and not _NHS.fullmatch(nhs):
            raise _fail(path, number, "NHS_Number", v["NHS_Number"], "must be 10 digits or blank")
        if not v["Spell_ID"]:
            raise _fail(path, number, "Spell_ID", v["Spell_ID"], "must not be blank")
        if v["Last_Episode_In_Spell"] not in ("Y", "N"):
            raise _fail(
                path, number, "Last_Episode_In_Spell", v["Last_Episode_In_Spell"], "must be Y or N"
            )
        admitted = _date(path, number, "Admission_Date", v["Admission_Date"])
        discharged = (
            _date(path, number, "Discharge_Date", v["Discharge_Date"])
            if v["Discharge_Date"]
            else None
        )
        if not v["Birth_Year"].isdigit() or not 1880 <= int(v["Birth_Year"]) <= 2100:
            raise _fail(path, number, "Birth_Year", v["Birth_Year"], "must be a year such as 1941")
        if not v["Birth_Month"].isdigit() or not 1 <= int(v["Birth_Month"]) <= 12:
            raise _fail(path, number, "Birth_Month", v["Birth_Month"], "must be a month 1 to 12")
        if v["Sex"] not in ("1", "2", "9", "0", ""):
            raise _fail(
                path, number, "Sex", v["Sex"], "must be 1 (male), 2 (female), 9, 0 or blank"
            )
        if not _LA.fullmatch(v["LA_Code"]):
            raise _fail(path, number, "LA_Code", v["LA_Code"], "must be a 3-digit CASSR code")
        for column in ("Admission_Method", "Management_Type", "Treatment_Function_Code"):
            if not _CODE.fullmatch(v[column]):
                raise _fail(path, number, column, v[column], "must be a code of 1 to 4 characters")
        for column in ("Discharge_Method", "Discharge_Destination"):
            if v[column] and not _CODE.fullmatch(v[column]):
                raise _fail(path, number, column, v[column], "must be a code of 1 to 4 characters")
        episodes.append(
            HospitalEpisode(
                nhs_number=nhs or None,
                spell_id=v["Spell_ID"],
                last_episode_in_spell=v["Last_Episode_In_Spell"] == "Y",
                admission_date=admitted,
                discharge_date=discharged,
                birth_year=int(v["Birth_Year"]),
                birth_month=int(v["Birth_Month"]),
                sex=v["Sex"],
                la_code=v["LA_Code"],
                admission_method=v["Admission_Method"],
                discharge_method=v["Discharge_Method"] or None,
                discharge_destination=v["Discharge_Destination"] or None,
                management_type=v["Management_Type"],
                treatment_function_code=v["Treatment_Function_Code"],
            )
        )
    return episodes
