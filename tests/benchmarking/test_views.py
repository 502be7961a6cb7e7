"""Public pages: the rating calculator, the national picture and the JSON API."""

from __future__ import annotations

import pytest
from django.test import Client

from careassure.benchmarking.services import SAMPLE_FILE, published_results_import

pytestmark = pytest.mark.django_db

KENT = {f"qs{i}": str(s) for i, s in enumerate([2, 2, 3, 2, 2, 2, 2, 2, 3], start=1)}


def test_calculator_page_without_scores_shows_the_form() -> None:
    response = Client().get("/rating-calculator/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Work out a CQC rating" in html
    assert 'name="qs9"' in html


def test_calculator_works_out_kent() -> None:
    html = Client().get("/rating-calculator/", KENT).content.decode()
    assert "Requires improvement" in html
    assert "56%" in html
    assert "20 out of 36, nearer the upper threshold" in html
    assert "17 points above the bottom of the band and 7 points below 63%" in html


def test_calculator_rounds_a_half_up_with_eight_scores() -> None:
    # 3,3,3,3,2,2,2,2 = 20 of 32 = 62.5% -> 63 -> good (round() would give 62)
    scores = {f"qs{i}": str(s) for i, s in enumerate([3, 3, 3, 3, 2, 2, 2, 2], start=1)}
    html = Client().get("/rating-calculator/", scores).content.decode()
    assert "63%" in html
    assert "Good" in html
    assert "partial result: QS9 not scored" in html


def test_calculator_asks_for_at_least_one_score() -> None:
    response = Client().get("/rating-calculator/", {"qs1": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select a score for at least one quality statement" in html
    assert "govuk-error-summary" in html


def test_calculator_rejects_a_score_of_five() -> None:
    response = Client().get("/rating-calculator/", {**KENT, "qs3": "5"})
    assert response.status_code == 400
    assert "Select a score from 1 to 4 for Equity in experience and outcomes" in (
        response.content.decode()
    )


@pytest.fixture
def sample() -> None:
    published_results_import(
        text=SAMPLE_FILE.read_text(encoding="utf-8"), source="sample.csv", system_actor="test"
    )


def test_national_picture_lists_councils_and_counts(sample: None) -> None:
    html = Client().get("/national-picture/").content.decode()
    assert "10 councils." in html
    assert "Kent County Council" in html
    # 1 inadequate (Blackpool), 4 RI (Gloucestershire, Kent, Brent, Nottingham),
    # 3 good (Barnet, Staffordshire, Wokingham), 2 outstanding (Camden, Barking and Dagenham)
    for count, label in [
        (1, "Inadequate"),
        (4, "Requires improvement"),
        (3, "Good"),
        (2, "Outstanding"),
    ]:
        card = f'<p class="app-card__value">{count}</p>\n    <p class="govuk-body app-card__label">'
        assert card + label in html


def test_national_picture_filters_by_rating_and_region(sample: None) -> None:
    html = (
        Client().get("/national-picture/", {"rating": "good", "region": "london"}).content.decode()
    )
    assert "1 councils matching your filters" in html
    assert "London Borough of Barnet" in html
    assert "Staffordshire County Council</th>" not in html


def test_national_picture_sorts_by_percentage_descending(sample: None) -> None:
    html = Client().get("/national-picture/", {"sort": "percent", "order": "desc"}).content.decode()
    camden, wokingham, blackpool = (
        html.index("London Borough of Camden</th>"),
        html.index("Wokingham Borough Council</th>"),
        html.index("Blackpool Council</th>"),
    )
    assert camden < wokingham < blackpool
    assert 'aria-sort="descending"' in html


def test_national_picture_shows_one_councils_position(sample: None) -> None:
    from careassure.benchmarking.models import PublishedResult

    kent = PublishedResult.objects.get(la_name="Kent County Council")
    html = Client().get("/national-picture/", {"council": kent.pk}).content.decode()
    # Fully scored: 89, 81, 75, 64, 61, 56, 50, 33 -> Kent (56) is 6th of 8;
    # median of the 8 = (64 + 61) / 2 = 62.5
    assert "Nationally: 6 of 8 fully scored councils" in html
    assert "The national median is 62.5%" in html
    # County councils scored: Staffordshire 75, Kent 56, Gloucestershire 50 -> 2 of 3, median 56
    assert "2 of 3, median 56.0%" in html


def test_distribution_table_counts_scores_per_statement(sample: None) -> None:
    html = Client().get("/national-picture/").content.decode()
    # QS1 across the 8 scored councils: 1,2,2,2,2,3,3,3 -> one 1, four 2s, three 3s, no 4s
    start = html.index("QS1 Assessing needs</th>", html.index("Councils by score"))
    row = html[start : html.index("</tr>", start)]
    cells = [c.split("<")[0] for c in row.split('numeric">')[1:]]
    assert cells == ["1", "4", "3", "0", "2.25"]
    assert 'alt="Bar chart of quality statement scores across 8 fully scored councils.' in html


def test_score_api_returns_the_contract_fields() -> None:
    response = Client().post(
        "/api/score/", {"scores": [2, 2, 3, 2, 2, 2, 2, 2, 3]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "total": 20,
        "max": 36,
        "percent": 56,
        "percent_exact": response.json()["percent_exact"],
        "rating": "requires improvement",
        "position": "nearer upper",
        "partial": False,
    }
    assert response.json()["percent_exact"].startswith("55.55")


def test_score_api_rejects_a_bad_score() -> None:
    response = Client().post("/api/score/", {"scores": [2, 7]}, content_type="application/json")
    assert response.status_code == 400


def test_published_results_api_filters(sample: None) -> None:
    data = Client().get("/api/published-results/", {"rating": "outstanding"}).json()
    assert sorted(r["la_name"] for r in data) == [
        "London Borough of Barking and Dagenham",
        "London Borough of Camden",
    ]


def test_openapi_schema_is_served() -> None:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/score/" in response.content
