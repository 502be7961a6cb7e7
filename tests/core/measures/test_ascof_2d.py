"""ASCOF 2D (reference cld-ascof.md §6.3): CLD reablement linked to hospital discharges.

ASCOF year 2024/25, so discharges fall in 2024-01-01..2024-12-31 (3-month lag).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from careassure.core.measures import HOSPITAL_DATA_MESSAGE, compute_ascof
from careassure.core.measures.engine import discharge_window
from careassure.core.measures.hospital import (
    HOSPITAL_HEADER,
    HospitalDataError,
    HospitalEpisode,
    load_hospital_episodes,
)
from careassure.core.measures.sql import ReportingYear
from careassure.core.population import Population
from tests.core.measures.helpers import BuildCld, figures

A, B, C, D, E = "9434765919", "9434765870", "4010232137", "9000000009", "4505577104"


def spell(
    nhs: str,
    spell_id: str,
    admitted: str,
    discharged: str,
    born: tuple[int, int],
    sex: str,
    **codes: str,
) -> HospitalEpisode:
    values = {
        "admission_method": "21",
        "discharge_method": "1",
        "discharge_destination": "19",
        "management_type": "EM",
        "treatment_function_code": "300",
        **codes,
    }
    return HospitalEpisode(
        nhs_number=nhs,
        spell_id=spell_id,
        last_episode_in_spell=True,
        admission_date=date.fromisoformat(admitted),
        discharge_date=date.fromisoformat(discharged),
        birth_year=born[0],
        birth_month=born[1],
        sex=sex,
        la_code="316",
        **values,
    )


def reablement(nhs: str, start: str, end: str, **extra: str | None) -> dict[str, str | None]:
    return {
        "nhs_number": nhs,
        "la_person_unique_identifier": f"L{nhs[-3:]}",
        "event_type": "Service",
        "service_type": "Short term support: ST-Max",
        "service_component": "Reablement",
        "event_start_date": start,
        "event_end_date": end,
        "event_outcome": "NFA: Support ended as planned",
        **extra,
    }


def scenario() -> tuple[list[dict[str, str | None]], list[HospitalEpisode]]:
    cld: list[dict[str, str | None]] = [
        # A: discharged 2024-06-01, reablement from 2024-06-03 (discharge within 7 days
        # before / 3 days after the start, admitted before it): linked, nothing happens after.
        reablement(A, "2024-06-03", "2024-06-20"),
        # B: discharged 2024-07-10, reablement from 2024-07-08: linked; readmitted 2024-08-01.
        reablement(B, "2024-07-08", "2024-07-28"),
        # E: in long-term residential care since 2023: E's discharge is not counted.
        {
            "nhs_number": E,
            "la_person_unique_identifier": "LE",
            "event_type": "Service",
            "service_type": "Long term support: Residential care",
            "service_component": "Long term residential care",
            "event_start_date": "2023-01-01",
            "event_outcome": "Provision of service",
        },
    ]
    hospital = [
        spell(A, "S1", "2024-05-20", "2024-06-01", (1940, 3), "2"),  # aged 84, female
        spell(B, "S2", "2024-07-01", "2024-07-10", (1950, 6), "1"),  # aged 74, male
        spell(B, "S3", "2024-08-01", "2024-08-05", (1950, 6), "1", management_type="NE"),
        spell(C, "S4", "2024-09-01", "2024-09-05", (1945, 1), "2"),  # aged 79, no reablement
        spell(
            D, "S5", "2024-09-01", "2024-09-05", (1945, 1), "2", treatment_function_code="710"
        ),  # mental health: excluded
        spell(E, "S6", "2024-03-01", "2024-03-10", (1940, 1), "2"),  # in residential care
        spell(
            C, "S7", "2024-10-01", "2024-10-04", (1945, 1), "2", admission_method="31"
        ),  # maternity method: excluded
        spell(C, "S8", "2023-12-01", "2023-12-20", (1945, 1), "2"),  # before the period
    ]
    return cld, hospital


def test_2d_parts_1_and_2(cld: BuildCld, population: Population) -> None:
    rows, hospital = scenario()
    results = compute_ascof(
        cld(rows),
        population=population,
        period="2024-25",
        measures=["2D.1", "2D.2"],
        hospital=hospital,
    )
    # Discharges: S1, S2, S3, S4 = 4. Linked reablement: A (S1), B (S2) = 2.
    # Part 1: A stayed in the community; B was readmitted -> 1/2 = 50.00.
    assert figures(results, "2D.1", "total") == (1, 2, "50.00")
    assert figures(results, "2D.2", "total") == (2, 4, "50.00")
    # By age at discharge: A 84 (75-84), B 74 (65-74), C 79 (75-84).
    assert figures(results, "2D.1", "75-84") == (1, 1, "100.00")
    assert figures(results, "2D.1", "65-74") == (0, 1, "0.00")
    assert figures(results, "2D.1", "85+") == (0, 0, "0.00")
    assert figures(results, "2D.2", "65-74") == (1, 2, "50.00")  # S2, S3
    assert figures(results, "2D.2", "75-84") == (1, 2, "50.00")  # S1, S4
    assert figures(results, "2D.2", "female") == (1, 2, "50.00")
    assert figures(results, "2D.1", "male") == (0, 1, "0.00")
    assert all(r.message is None for r in results)


@pytest.mark.parametrize(
    ("extra_cld", "date_of_death", "expected"),
    [
        # Died 2024-08-20, within 84 days of discharge (2024-06-01 + 84 = 2024-08-24).
        pytest.param([], "2024-08-20", (0, 1, "0.00"), id="died_within_84_days"),
        pytest.param([], "2024-08-25", (1, 1, "100.00"), id="died_after_84_days"),
        # Entered long-term nursing care on 2024-08-24 (day 84).
        pytest.param(
            [
                {
                    "nhs_number": A,
                    "la_person_unique_identifier": "L919",
                    "event_type": "Service",
                    "service_type": "Long term support: Nursing care",
                    "service_component": "Long term nursing care",
                    "event_start_date": "2024-08-24",
                    "event_outcome": "Provision of service",
                }
            ],
            None,
            (0, 1, "0.00"),
            id="entered_nursing_care_on_day_84",
        ),
    ],
)
def test_part_1_outcomes_within_84_days(
    cld: BuildCld,
    population: Population,
    extra_cld: list[dict[str, str | None]],
    date_of_death: str | None,
    expected: tuple[int, int, str],
) -> None:
    rows = [reablement(A, "2024-06-03", "2024-06-20"), *extra_cld]
    if date_of_death:  # the date of death is on every row of the person
        for row in rows:
            row["date_of_death"] = date_of_death
    hospital = [spell(A, "S1", "2024-05-20", "2024-06-01", (1940, 3), "2")]
    results = compute_ascof(
        cld(rows), population=population, period="2024-25", measures=["2D.1"], hospital=hospital
    )
    assert figures(results, "2D.1", "total") == expected


@pytest.mark.parametrize(
    ("start", "linked"),
    [
        pytest.param("2024-06-08", 1, id="discharge_7_days_before_start"),
        pytest.param("2024-06-09", 0, id="discharge_8_days_before_start"),
        pytest.param("2024-05-29", 1, id="discharge_3_days_after_start"),
        pytest.param("2024-05-28", 0, id="discharge_4_days_after_start"),
    ],
)
def test_link_window_around_reablement_start(
    cld: BuildCld, population: Population, start: str, linked: int
) -> None:
    # Admitted 2024-05-20, discharged 2024-06-01.
    hospital = [spell(A, "S1", "2024-05-20", "2024-06-01", (1940, 3), "2")]
    results = compute_ascof(
        cld([reablement(A, start, "2024-06-30")]),
        population=population,
        period="2024-25",
        measures=["2D.2"],
        hospital=hospital,
    )
    assert figures(results, "2D.2", "total")[:2] == (linked, 1)


def test_without_hospital_data_2d_is_not_computed(cld: BuildCld, population: Population) -> None:
    rows, _ = scenario()
    results = compute_ascof(cld(rows), population=population, period="2024-25", measures=["2D.1"])
    assert {(r.numerator, r.value, r.message) for r in results} == {
        (None, None, HOSPITAL_DATA_MESSAGE)
    }


def test_discharge_window_lags_three_months() -> None:
    year = ReportingYear(date(2024, 4, 1), date(2025, 3, 31))
    assert discharge_window(year, 3) == ReportingYear(date(2024, 1, 1), date(2024, 12, 31))


def test_hospital_file_is_read_and_validated(tmp_path: Path) -> None:
    path = tmp_path / "apc.csv"
    good = "943 476 5919,S1,Y,2024-05-20,2024-06-01,1940,3,2,316,21,1,19,EM,300"
    path.write_text(",".join(HOSPITAL_HEADER) + "\n" + good + "\n", encoding="utf-8")
    (episode,) = load_hospital_episodes(path)
    assert (episode.nhs_number, episode.discharge_date, episode.birth_month) == (
        A,
        date(2024, 6, 1),
        3,
    )
    path.write_text(
        ",".join(HOSPITAL_HEADER) + "\n" + good.replace("2024-06-01", "01/06/2024") + "\n",
        encoding="utf-8",
    )
    with pytest.raises(HospitalDataError) as caught:
        load_hospital_episodes(path)
    assert str(caught.value) == (
        f"{path}, row 1, column Discharge_Date, value '01/06/2024': must be a real date in the "
        "form YYYY-MM-DD"
    )
