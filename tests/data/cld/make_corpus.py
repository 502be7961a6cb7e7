"""Write the CLD test corpus in this folder: `python tests/data/cld/make_corpus.py`.

Every file is small and derived from one valid Release 2 service row; each bad file holds one
fault. The expected findings are written out by hand in tests/core/cld/test_corpus.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from careassure.core.cld.spec import FIELDS

HERE = Path(__file__).resolve().parent
HEADERS = [f.header for f in FIELDS]


def nhs_number(body: int) -> str:
    """The 10-digit NHS number for a 9-digit body, choosing bodies whose check digit != 10."""
    while True:
        digits = [int(c) for c in f"{body:09d}"]
        check = (11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11) % 11
        if check != 10:
            return f"{body:09d}{check}"
        body += 1


BASE = dict.fromkeys(HEADERS, "") | {
    "LA Code": "999",
    "Reporting Period Start Date": "2025-07-01",
    "Reporting Period End Date": "2026-06-30",
    "First Name": "Ann",
    "Last Name": "Example",
    "Gender": "Female",
    "Ethnicity": "White: Irish",
    "Date of Birth": "1940-03-15",
    "Client Type": "Service user",
    "Primary Support Reason": "Physical support: Personal care support",
    "Postcode": "ZZ1 1AB",
    "Accommodation Status": "Owner occupier or shared ownership scheme",
    "Has Unpaid Carer": "No",
    "Client Funding Status": "Fully social care funded",
    "Event Type": "Service",
    "Event Start Date": "2025-08-01",
    "Event Outcome": "Continuation of support or services",
    "Service Type": "Long term support: Community",
    "Service Component": "Home support or domiciliary care",
    "Delivery Mechanism": "CASSR commissioned support",
}


def person(i: int, **changes: str) -> dict[str, str]:
    row = dict(BASE)
    row["NHS Number"] = nhs_number(943476590 + 17 * i)
    row["LA Person Unique Identifier"] = f"P{i:04d}"
    row["Event Reference"] = f"E{i}"
    for key, value in changes.items():
        row[key.replace("_", " ")] = value
    return row


def render(rows: list[dict[str, str]], headers: list[str] = HEADERS, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=headers, lineterminator="\n", delimiter=delimiter, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def main() -> None:
    valid = [person(i) for i in range(1, 6)]
    write("valid_r2.csv", render(valid))
    write("bom_utf8.csv", "\ufeff" + render(valid))
    write("windows_1252.csv", render([person(1, First_Name="Zoë"), *valid[1:]]), "cp1252")
    undecodable = render(valid).encode("utf-8").replace(b"Ann", b"A\x81n", 1)
    (HERE / "undecodable.csv").write_bytes(undecodable)
    write("empty.csv", "")
    write("header_only.csv", render([]))
    write("missing_header.csv", render(valid, [h for h in HEADERS if h != "Event Type"]))
    write("misspelt_header.csv", render(valid).replace("LA Code,", "LA code,", 1))
    write("semicolon.csv", render(valid, delimiter=";"))
    write("two_councils.csv", render([*valid[:4], person(5, LA_Code="888")]))
    write(
        "start_after_end.csv",
        render([person(i, Reporting_Period_Start_Date="2026-07-01") for i in range(1, 4)]),
    )
    write(
        "future_period.csv",
        render(
            [
                person(
                    i,
                    Reporting_Period_Start_Date="2098-04-01",
                    Reporting_Period_End_Date="2099-03-31",
                )
                for i in range(1, 4)
            ]
        ),
    )
    lines = render(valid).splitlines(keepends=True)
    lines[3] = ",".join(lines[3].split(",")[:20]) + "\n"  # line 4 truncated
    write("truncated_lines.csv", "".join(lines))
    lines = render(valid).splitlines(keepends=True)
    lines[2] = lines[2].replace(",Ann,", ',"Ann,', 1)  # line 3 opens a quote that never closes
    write("broken_quote.csv", "".join(lines))
    many = [person(i) for i in range(1, 201)]
    lines = render(many).splitlines(keepends=True)
    lines[100] = ",".join(lines[100].split(",")[:30]) + "\n"  # line 101 truncated (1 of 200)
    write("one_malformed_in_200.csv", "".join(lines))
    faults = [
        person(1),  # line 2: valid
        person(
            2, Event_End_Date="2025-02-30", Event_Outcome="NFA: Support ended as planned"
        ),  # 3: T01
        person(3, Gender="Femle"),  # 4: C05
        person(
            4, Event_End_Date="2025-07-15", Event_Outcome="NFA: Support ended as planned"
        ),  # 5: D01
        person(5, Accommodation_Status=""),  # 6: M01
        person(6, Gender="female"),  # 7: C03
        person(7, Event_Outcome="Provision of service"),  # 8: C04
        person(8, Unit_Cost="£12.50"),  # 9: T02
        person(1),  # 10: F09, identical to line 2
        {**person(9), "NHS Number": "9434765918"},  # 11: T04
        person(
            10,
            Event_Type="Referral",
            Event_End_Date="2025-08-03",
            Event_Outcome="NFA: Information and advice or signposting",
            Service_Type="",
            Service_Component="",
            Delivery_Mechanism="",
            Client_Funding_Status="",
            **{"Request:_Route_of_Access": "Community / Other route"},
        ),  # 12: C06
        person(
            11,
            Service_Type="Long term support: Prison",
            Delivery_Mechanism="Direct payment",
            Unit_Cost="100.00",
            Cost_Frequency_=("Weekly"),
            Planned_units_per_week="1.00",
        ),  # 13: C09
        person(12, Date_of_Birth="2025-09-01"),  # 14: D10
        person(13, Event_Description="first line\nsecond line"),  # 15-16: valid, two lines
        person(14, Event_Start_Date="2025-13-01"),  # 17: T01
    ]
    faults[11]["Cost Frequency (Unit Type)"] = "Weekly"
    faults[10]["Request: Route of Access"] = "Community / Other route"
    write("row_faults.csv", render(faults))


if __name__ == "__main__":
    main()
