"""Importing published results: all-or-nothing, recomputed ratings, flags, audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from careassure.benchmarking.models import PublishedResult
from careassure.benchmarking.services import SAMPLE_FILE, published_results_import
from careassure.cli.main import app
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError
from careassure.common.models import AuditEvent

SHARED_SAMPLE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / ("published-results-sample.csv")
)
HEADER = (
    "la_name,la_type,published_month,overall_rating,qs1,qs2,qs3,qs4,qs5,qs6,qs7,qs8,qs9,"
    "total_of_36,pct_exact,pct_rounded,status_notes\n"
)

pytestmark = pytest.mark.django_db


def test_packaged_sample_is_the_reference_sample() -> None:
    if not SHARED_SAMPLE.exists():
        pytest.skip("shared reference folder not beside the checkout")
    assert SAMPLE_FILE.read_bytes() == SHARED_SAMPLE.read_bytes()


def test_imports_every_sample_council_with_recomputed_figures() -> None:
    summary = published_results_import(
        text=SAMPLE_FILE.read_text(encoding="utf-8"), source="sample.csv", system_actor="test"
    )
    assert (summary.created, summary.updated, summary.flagged) == (10, 0, [])
    kent = PublishedResult.objects.get(la_name="Kent County Council")
    # 2+2+3+2+2+2+2+2+3 = 20 of 36 = 55.56% -> 56 -> requires improvement
    assert (kent.total, kent.max_total, kent.percent, kent.computed_rating) == (
        20,
        36,
        56,
        "requires improvement",
    )
    assert (kent.ons_code, kent.region, kent.org_type) == ("E10000016", "south_east", "county")
    camden = PublishedResult.objects.get(la_name="London Borough of Camden")
    assert (camden.percent, camden.rating) == (89, "outstanding")  # 32/36 = 88.89 -> 89
    nottingham = PublishedResult.objects.get(la_name="Nottingham City Council")
    assert (nottingham.indicative, nottingham.total, nottingham.comparable) == (True, None, False)
    assert nottingham.rating == "requires improvement"
    barking = PublishedResult.objects.get(la_name="London Borough of Barking and Dagenham")
    assert (barking.uncertain, barking.rating, barking.percent) == (True, "outstanding", None)


def test_reimport_updates_rather_than_duplicates() -> None:
    text = SAMPLE_FILE.read_text(encoding="utf-8")
    published_results_import(text=text, source="a.csv", system_actor="test")
    summary = published_results_import(text=text, source="b.csv", system_actor="test")
    assert (summary.created, summary.updated) == (0, 10)
    assert PublishedResult.objects.count() == 10


def test_records_an_audit_event() -> None:
    published_results_import(
        text=SAMPLE_FILE.read_text(encoding="utf-8"), source="sample.csv", system_actor="cli:t"
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.PUBLISHED_RESULTS_IMPORTED)
    assert (event.system_actor, event.extra_data["rows"], event.extra_data["created"]) == (
        "cli:t",
        10,
        10,
    )


def test_flags_a_rating_that_disagrees_with_the_scores() -> None:
    # County Durham case from the reference: 24/36 = 66.67% -> 67 -> good, labelled otherwise.
    text = (
        HEADER + '"Durham",Unitary Authority,May 2025,Requires improvement,3,3,3,3,3,3,2,2,2,,,,\n'
    )
    summary = published_results_import(text=text, source="d.csv", system_actor="test")
    row = PublishedResult.objects.get(la_name="Durham")
    assert summary.flagged == ["Durham"]
    assert (row.rating, row.computed_rating, row.percent, row.rating_mismatch) == (
        "requires improvement",
        "good",
        67,
        True,
    )


@pytest.mark.parametrize(
    ("_case", "row", "expected"),
    [
        ("score_zero", '"A",County Council,May 2025,Good,0,3,3,3,3,3,3,3,3,,,,\n', "qs1"),
        ("score_five", '"A",County Council,May 2025,Good,3,5,3,3,3,3,3,3,3,,,,\n', "qs2"),
        ("score_half", '"A",County Council,May 2025,Good,3,3,2.5,3,3,3,3,3,3,,,,\n', "qs3"),
        ("score_word", '"A",County Council,May 2025,Good,3,3,3,x,3,3,3,3,3,,,,\n', "qs4"),
    ],
)
def test_a_bad_row_imports_nothing(_case: str, row: str, expected: str) -> None:
    good = '"Good Council",County Council,May 2025,Good,3,3,3,3,3,3,3,3,3,,,,\n'
    with pytest.raises(ApplicationError) as caught:
        published_results_import(text=HEADER + good + row, source="bad.csv", system_actor="t")
    errors = caught.value.extra["errors"]
    assert len(errors) == 1
    assert errors[0].startswith(f"line 3, column {expected}")
    assert PublishedResult.objects.count() == 0
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.PUBLISHED_RESULTS_IMPORTED
    ).exists()


def test_duplicate_council_names_import_nothing() -> None:
    row = '"Same",County Council,May 2025,Good,3,3,3,3,3,3,3,3,3,,,,\n'
    with pytest.raises(ApplicationError):
        published_results_import(text=HEADER + row + row, source="dup.csv", system_actor="t")
    assert PublishedResult.objects.count() == 0


def test_an_empty_file_imports_nothing() -> None:
    with pytest.raises(ApplicationError):
        published_results_import(text="", source="empty.csv", system_actor="t")
    assert PublishedResult.objects.count() == 0


def test_cli_import_then_bad_file_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["results", "import", str(SAMPLE_FILE)])
    assert ok.exit_code == 0, ok.output
    assert "Imported 10 councils (10 new, 0 updated)" in ok.output
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + '"Kent County Council",County Council,May 2025,Good,9,3,3,3,3,3,3,3,3,,,,\n'
    )
    result = runner.invoke(app, ["results", "import", str(bad)])
    assert result.exit_code == 2
    assert "nothing was imported" in result.output
    assert "line 2, column qs1" in result.output
    assert PublishedResult.objects.get(la_name="Kent County Council").qs1 == 2
