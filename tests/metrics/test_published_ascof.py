"""Importing published ASCOF figures: all or nothing, every bad input named, site admins only;
and the comparison on each council's ASCOF page.

The figures below are made up for the tests. Values with a numerator and denominator were
worked by hand: 2A England 1,000 of 1,250 = 80.0%; South East 180 of 240 = 75.0%; Kent 851
of 1,184 = 71.875% (71.9 to 1 decimal place); 2B England 4,200 per 33,600,000 people aged
18-64 = 12.5 per 100,000.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from careassure.accounts.models import Organisation, User
from careassure.cli.main import app
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.metrics.demo import ILLUSTRATIVE_PUBLISHED, demo_published_load
from careassure.metrics.models import (
    MetricsRun,
    PublishedAscofFigure,
    PublishedAscofImport,
    StoredAscofResult,
)
from careassure.metrics.services import metrics_refresh, published_ascof_import

ClientFor = Callable[[User], Client]
HEADER = (
    "measure,breakdown,period,geography_level,geography_code,geography_name,numerator,"
    "denominator,value\n"
)
GOOD = HEADER + (
    "2A,total,2024-25,england,E92000001,England,1000,1250,80.0\n"
    "2A,total,2024-25,region,E12000008,South East,180,240,75.0\n"
    "2A,total,2024-25,region,E12000005,West Midlands,,,70.5\n"
    "2A,total,2024-25,council,E10000016,Kent County Council,851,1184,71.9\n"
    "2B,18-64,2024-25,england,E92000001,England,4200,33600000,12.5\n"
)
GOOD_ROW = "2A,total,2024-25,england,E92000001,England,1000,1250,80.0\n"


def run_import(text: str, **kwargs: object) -> object:
    return published_ascof_import(
        content=text.encode("utf-8"), source="published.csv", **{"system_actor": "test", **kwargs}
    )


@pytest.mark.django_db
def test_import_stores_every_figure_and_audits() -> None:
    summary = run_import(GOOD)
    assert (summary.created, summary.updated) == (5, 0)  # type: ignore[attr-defined]
    kent = PublishedAscofFigure.objects.get(geography_code="E10000016")
    assert (kent.measure, kent.breakdown, kent.period, kent.geography_level) == (
        "2A", "total", "2024-25", "council"
    )  # fmt: skip
    assert (kent.numerator, kent.denominator, kent.value) == (851, 1184, Decimal("71.9"))
    assert kent.is_illustrative is False
    west = PublishedAscofFigure.objects.get(geography_code="E12000005")
    assert (west.numerator, west.denominator) == (None, None)
    record = PublishedAscofImport.objects.get()
    assert (record.source_file, record.rows, record.system_actor) == ("published.csv", 5, "test")
    event = AuditEvent.objects.get(event_type=AuditEventType.METRICS_PUBLISHED_ASCOF_IMPORTED)
    assert event.organisation is None
    assert event.after == {"rows": 5, "created": 5, "updated": 0, "illustrative": False,
                           "periods": ["2024-25"]}  # fmt: skip


@pytest.mark.django_db
def test_reimport_replaces_rather_than_duplicates() -> None:
    run_import(GOOD)
    summary = run_import(HEADER + "2A,total,2024-25,england,E92000001,England,1010,1250,80.8\n")
    assert (summary.created, summary.updated) == (0, 1)  # type: ignore[attr-defined]
    assert PublishedAscofFigure.objects.count() == 5
    assert PublishedAscofFigure.objects.get(geography_code="E92000001", measure="2A").value == (
        Decimal("80.8")
    )


BAD = [
    ("header", "measure,breakdown,value\n2A,total,80\n", "published.csv, row 1, column , value "
     "'measure,breakdown,value': the header must be exactly " + HEADER.strip()),
    ("fields", HEADER + "2A,total,2024-25\n", "published.csv, row 2, column , value "
     "'2A,total,2024-25': the row has 3 fields; it must have 9"),
    ("measure", HEADER + "1C,total,2024-25,england,E92000001,England,,,80\n",
     "published.csv, row 2, column measure, value '1C': is not an ASCOF measure computed from "
     "CLD; expected one of 2A, 2B, 2C, 2D.1, 2D.2, 2E, 2E.LD, 3D.1a, 3D.2a, 3D.1b, 3D.2b"),
    ("breakdown", HEADER + "2B,65+,2024-25,england,E92000001,England,,,80\n",
     "published.csv, row 2, column breakdown, value '65+': is not a breakdown of 2B; expected "
     "one of 18-64"),
    ("period_format", HEADER + "2A,total,2024/25,england,E92000001,England,,,80\n",
     "published.csv, row 2, column period, value '2024/25': must be a financial year such as "
     "2024-25"),
    ("period_years", HEADER + "2A,total,2024-26,england,E92000001,England,,,80\n",
     "published.csv, row 2, column period, value '2024-26': must be a financial year such as "
     "2024-25"),
    ("level", HEADER + "2A,total,2024-25,nation,E92000001,England,,,80\n",
     "published.csv, row 2, column geography_level, value 'nation': must be england, region "
     "or council"),
    ("england_code", HEADER + "2A,total,2024-25,england,E12000008,England,,,80\n",
     "published.csv, row 2, column geography_code, value 'E12000008': must be E92000001 "
     "(England) on an england row"),
    ("region_code", HEADER + "2A,total,2024-25,region,E12000010,Nowhere,,,80\n",
     "published.csv, row 2, column geography_code, value 'E12000010': must be a region's GSS "
     "code, E12000001 to E12000009, on a region row"),
    ("council_code", HEADER + "2A,total,2024-25,council,E07000105,Ashford,,,80\n",
     "published.csv, row 2, column geography_code, value 'E07000105': must be a council's GSS "
     "code such as E10000016 (E06, E08, E09 or E10) on a council row"),
    ("name", HEADER + "2A,total,2024-25,england,E92000001, ,,,80\n",
     "published.csv, row 2, column geography_name, value '': must not be blank"),
    ("numerator", HEADER + "2A,total,2024-25,england,E92000001,England,1000.5,1250,80\n",
     "published.csv, row 2, column numerator, value '1000.5': must be a whole number of 0 or "
     "more, or blank"),
    ("denominator", HEADER + "2A,total,2024-25,england,E92000001,England,1000,-1250,80\n",
     "published.csv, row 2, column denominator, value '-1250': must be a whole number of 0 or "
     "more, or blank"),
    ("value_text", HEADER + "2A,total,2024-25,england,E92000001,England,,,80%\n",
     "published.csv, row 2, column value, value '80%': must be a number of 0 or more with at "
     "most 4 decimal places"),
    ("value_blank", HEADER + "2A,total,2024-25,england,E92000001,England,,,\n",
     "published.csv, row 2, column value, value '': must be a number of 0 or more with at most "
     "4 decimal places"),
    ("percentage", HEADER + "2A,total,2024-25,england,E92000001,England,,,100.1\n",
     "published.csv, row 2, column value, value '100.1': is more than 100, but 2A is a "
     "percentage"),
    ("disagrees", HEADER + "2A,total,2024-25,england,E92000001,England,1000,1250,8.0\n",
     "published.csv, row 2, column value, value '8.0': does not agree with numerator 1000 and "
     "denominator 1250, which give 80.0"),
    ("duplicate", HEADER + GOOD_ROW + GOOD_ROW,
     "published.csv, row 3, column geography_code, value 'E92000001': 2A total 2024-25 for "
     "this area is already on row 2; give each figure once"),
    ("empty", "", "published.csv: is empty; the header must be " + HEADER.strip()),
    ("no_rows", HEADER, "published.csv: has no data rows"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in BAD])
def test_each_bad_input_is_named_and_nothing_is_imported(text: str, expected: str) -> None:
    run_import(GOOD)  # figures already held must survive a refused import
    before = sorted(PublishedAscofFigure.objects.values_list("geography_code", "value"))
    with pytest.raises(ApplicationError) as caught:
        run_import(text)
    assert caught.value.extra["errors"] == [expected]
    assert "nothing was imported because of 1 problem(s)" in caught.value.message
    assert sorted(PublishedAscofFigure.objects.values_list("geography_code", "value")) == before
    assert PublishedAscofImport.objects.count() == 1
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.METRICS_PUBLISHED_ASCOF_IMPORTED
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_good_row_and_a_bad_row_import_nothing_and_every_problem_is_listed() -> None:
    text = (
        HEADER
        + GOOD_ROW
        + (
            "2A,total,2024-25,region,E12000008,South East,,,x\n"
            "2Z,total,2024/25,region,E12000008,South East,,,1\n"
        )
    )
    with pytest.raises(ApplicationError) as caught:
        run_import(text)
    assert caught.value.extra["errors"] == [
        "published.csv, row 3, column value, value 'x': must be a number of 0 or more with at "
        "most 4 decimal places",
        "published.csv, row 4, column measure, value '2Z': is not an ASCOF measure computed from "
        "CLD; expected one of 2A, 2B, 2C, 2D.1, 2D.2, 2E, 2E.LD, 3D.1a, 3D.2a, 3D.1b, 3D.2b",
        "published.csv, row 4, column period, value '2024/25': must be a financial year such as "
        "2024-25",
    ]
    assert PublishedAscofFigure.objects.count() == 0
    assert PublishedAscofImport.objects.count() == 0


@pytest.mark.django_db
def test_not_utf8_is_refused() -> None:
    with pytest.raises(ApplicationError, match="not UTF-8"):
        published_ascof_import(
            content=GOOD.replace("England", "Engl\xe4nd").encode("latin-1"),
            source="published.csv",
            system_actor="test",
        )
    assert PublishedAscofFigure.objects.count() == 0


def test_only_a_site_administrator_may_import(council_admin: User, assessment_lead: User) -> None:
    for user in (council_admin, assessment_lead):
        with pytest.raises(PermissionDeniedError, match="Only a site administrator"):
            published_ascof_import(content=GOOD.encode(), source="p.csv", actor=user)
    with pytest.raises(ApplicationError, match="A user or a system actor"):
        published_ascof_import(content=GOOD.encode(), source="p.csv")
    assert PublishedAscofFigure.objects.count() == 0
    admin = User.objects.create_superuser("site_admin", "admin@example.org", "pw-123-long-enough")
    summary = published_ascof_import(content=GOOD.encode(), source="p.csv", actor=admin)
    assert summary.created == 5
    assert PublishedAscofImport.objects.get().created_by == admin


@pytest.mark.django_db
def test_an_illustrative_sample_never_replaces_published_figures() -> None:
    run_import(GOOD)
    with pytest.raises(ApplicationError, match="would replace 1 published figure"):
        run_import(HEADER + GOOD_ROW, illustrative=True)
    assert not PublishedAscofFigure.objects.filter(is_illustrative=True).exists()


@pytest.mark.django_db
def test_demo_sample_is_labelled_illustrative_and_loads_once() -> None:
    demo_published_load()
    demo_published_load()
    assert PublishedAscofImport.objects.count() == 1
    figures = PublishedAscofFigure.objects.all()
    assert figures.count() == 52
    assert all(f.is_illustrative for f in figures)
    assert {f.geography_name for f in figures} == {
        "England (illustrative sample)", "South East (illustrative sample)"
    }  # fmt: skip
    assert "illustrative" in ILLUSTRATIVE_PUBLISHED.name


@pytest.mark.django_db
def test_cli_imports_and_reports_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "published.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["metrics", "import-published", str(good)])
    assert result.exit_code == 0, result.output
    assert f"Imported 5 published ASCOF figures (5 new, 0 replaced) from {good}." in result.stdout
    assert PublishedAscofImport.objects.get().system_actor == "cli:metrics-import-published"
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2A,total,2024-25,england,E92000001,England,,,80%\n", encoding="utf-8")
    result = runner.invoke(app, ["metrics", "import-published", str(bad)])
    assert result.exit_code == 2
    assert "row 2, column value, value '80%'" in result.stderr
    assert PublishedAscofImport.objects.count() == 1


# --- The comparison on the ASCOF page ---------------------------------------------------


@pytest.fixture
def ascof_run(kent: Organisation, assessment_lead: User, extracts: Path) -> MetricsRun:
    return _run_with_2a(kent, assessment_lead, extracts)


def _run_with_2a(org: Organisation, actor: User, extracts: Path) -> MetricsRun:
    run = metrics_refresh(org=org, extracts_dir=extracts, actor=actor)
    run.ascof_period_start = dt.date(2025, 4, 1)
    run.ascof_period_end = dt.date(2026, 3, 31)
    run.save()
    StoredAscofResult.objects.create(
        run=run, organisation=org, measure="2A", breakdown="total", numerator=851,
        denominator=1184, value=Decimal("71.88"),
    )  # fmt: skip
    StoredAscofResult.objects.create(
        run=run, organisation=org, measure="2A", breakdown="65+", numerator=500,
        denominator=800, value=Decimal("62.50"), position=1,
    )  # fmt: skip
    return run


def _ascof_csv(client: Client) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get("/metrics/export/ascof.csv").content.decode())))


def test_page_shows_england_and_the_councils_region_beside_its_values(
    client_for: ClientFor, viewer: User, ascof_run: MetricsRun
) -> None:
    run_import(GOOD)
    client = client_for(viewer)
    html = client.get("/metrics/ascof/").content.decode()
    assert "No published ASCOF figures have been imported" not in html
    assert "compared with England and South East (2024-25)" in html
    assert "No figures for 2025-26 have been imported" in html  # the council's own year
    assert ">England 2024-25</th>" in html
    assert ">South East 2024-25</th>" in html
    assert ">Your council, published 2024-25</th>" in html
    assert "80.0%" in html  # England 2A total
    assert "75.0%" in html  # South East
    assert "70.5%" not in html  # West Midlands is not Kent's region
    assert "Illustrative sample" not in html
    rows = _ascof_csv(client)
    assert rows[0][-5:] == ["Comparison year", "England", "Region (South East)",
                            "Council (published)", "Comparison figures"]  # fmt: skip
    assert rows[1][:6] == ["2A", "Reablement with no further request for ongoing support",
                           "total", "851", "1184", "71.9"]  # fmt: skip
    assert rows[1][-5:] == ["2024-25", "80.0", "75.0", "71.9", "Published figures"]
    assert rows[2][2] == "65+"
    assert rows[2][-5:] == ["2024-25", "", "", "", "Published figures"]  # none imported for 65+


def test_comparison_is_scoped_to_each_councils_region(
    client_for: ClientFor,
    staffordshire: Organisation,
    other_council_user: User,
    make_member: Callable[..., User],
    extracts: Path,
) -> None:
    from careassure.accounts.roles import Role

    lead = make_member("staffs_lead", staffordshire, Role.ASSESSMENT_LEAD)
    _run_with_2a(staffordshire, lead, extracts)
    run_import(GOOD)
    html = client_for(other_council_user).get("/metrics/ascof/").content.decode()
    assert "compared with England and West Midlands (2024-25)" in html
    assert "70.5%" in html
    assert "75.0%" not in html  # South East
    assert "Your council, published" not in html  # no figure for Staffordshire itself
    assert "Kent" not in html


def test_same_year_figures_are_preferred_and_illustrative_ones_are_labelled(
    client_for: ClientFor, viewer: User, ascof_run: MetricsRun
) -> None:
    run_import(GOOD)
    run_import(
        HEADER + "2A,total,2025-26,england,E92000001,England (illustrative sample),,,66.6\n",
        illustrative=True,
    )
    client = client_for(viewer)
    html = client.get("/metrics/ascof/").content.decode()
    assert "compared with England and South East (2025-26, illustrative sample, not published " \
           "figures)" in html  # fmt: skip
    assert "No figures for 2025-26 have been imported" not in html
    assert "66.6%" in html
    assert "80.0%" not in html  # 2024-25 is not shown once 2025-26 is there
    assert "not published figures" in html
    rows = _ascof_csv(client)
    assert rows[1][-5:] == ["2025-26", "66.6", "", "", "Illustrative sample, not published figures"]


def test_no_comparison_without_figures_for_the_year_or_before(
    client_for: ClientFor, viewer: User, ascof_run: MetricsRun
) -> None:
    run_import(HEADER + "2A,total,2026-27,england,E92000001,England,,,70\n")
    client = client_for(viewer)
    html = client.get("/metrics/ascof/").content.decode()
    assert "No published ASCOF figures have been imported for this year or an earlier one" in html
    assert len(_ascof_csv(client)[0]) == 9
