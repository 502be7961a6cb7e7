"""Display values for the rating calculator and the national picture."""

from __future__ import annotations

from typing import Any

import altair as alt

from careassure.accounts.models import OrganisationType, Region
from careassure.benchmarking.models import PublishedResult, Rating
from careassure.common.charts import chart_data_uri

RATING_TAG = {
    "outstanding": "govuk-tag--turquoise",
    "good": "govuk-tag--green",
    "requires improvement": "govuk-tag--orange",
    "inadequate": "govuk-tag--red",
}
SCORE_COLOURS = ["#d4351c", "#f47738", "#00703c", "#005a30"]
SCORE_WORDS = {1: "Inadequate", 2: "Requires improvement", 3: "Good", 4: "Outstanding"}


def rating_tag_class(rating: str) -> str:
    return RATING_TAG.get(rating, "govuk-tag--grey")


def rating_label(rating: str) -> str:
    return dict(Rating.choices).get(rating, "Not rated")


def region_label(region: str) -> str:
    return dict(Region.choices).get(region, "Not known")


def org_type_label(org_type: str) -> str:
    return dict(OrganisationType.choices).get(org_type, "Not known")


def result_flags(result: PublishedResult) -> list[str]:
    flags = []
    if result.indicative:
        flags.append("Indicative (pilot)")
    if result.uncertain:
        flags.append("Uncertain")
    if not result.has_scores:
        flags.append("No scores published")
    elif result.partial:
        flags.append("Partial")
    if result.rating_mismatch:
        flags.append(f"Scores give {rating_label(result.computed_rating).lower()}")
    return flags


def distribution_chart(rows: list[dict[str, Any]], qs_titles: dict[str, str]) -> dict[str, str]:
    """Stacked bars of councils per score for each QS, as an SVG data URI with alt text."""
    data = [
        {
            "statement": f"{row['qs'].upper()} {qs_titles.get(row['qs'], '')}".strip(),
            "order": index,
            "score": f"{score} – {SCORE_WORDS[score]}",
            "councils": count,
        }
        for index, row in enumerate(rows)
        for score, count in row["counts"].items()
    ]
    chart = (
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y(
                "statement:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(labelLimit=320, labelFontSize=13),
            ),
            x=alt.X("sum(councils):Q", title="Councils", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "score:N",
                title="Score",
                scale=alt.Scale(range=SCORE_COLOURS),
                legend=alt.Legend(orient="bottom", labelFontSize=13),
            ),
            order=alt.Order("score:N"),
        )
        .properties(width=520, height=320)
    )
    n = rows[0]["n"] if rows else 0
    lowest = min((r for r in rows if r["mean"] is not None), key=lambda r: r["mean"], default=None)
    highest = max((r for r in rows if r["mean"] is not None), key=lambda r: r["mean"], default=None)
    alt_text = f"Bar chart of quality statement scores across {n} fully scored councils."
    if lowest and highest:
        alt_text += (
            f" The lowest average is {lowest['qs'].upper()} ({lowest['mean']:.2f}) and the highest"
            f" is {highest['qs'].upper()} ({highest['mean']:.2f})."
            " The table below gives every figure."
        )
    return {"src": chart_data_uri(chart.to_dict()), "alt": alt_text}


BAND_ROWS = [
    {"rating": "Inadequate", "range": "25% to 38%", "slug": "inadequate"},
    {"rating": "Requires improvement", "range": "39% to 62%", "slug": "requires-improvement"},
    {"rating": "Good", "range": "63% to 87%", "slug": "good"},
    {"rating": "Outstanding", "range": "88% to 100%", "slug": "outstanding"},
]

POSITION_TEXT = {
    "nearer upper": "nearer the upper threshold",
    "nearer lower": "nearer the lower threshold",
    "middle": "exactly in the middle of its band",
}


class CalculatorResultPresenter:
    """Plain-English explanation of an overall result for the public calculator."""

    def __init__(self, result: Any, titles: dict[str, str]) -> None:
        self.result = result
        self.titles = titles

    @property
    def rating(self) -> str:
        return str(self.result.rating.display)

    @property
    def rating_slug(self) -> str:
        return str(self.result.rating.value).replace(" ", "-")

    @property
    def percentage(self) -> int:
        return int(self.result.percentage)

    @property
    def position(self) -> str:
        return POSITION_TEXT.get(str(self.result.position), str(self.result.position))

    @property
    def exact(self) -> str:
        return f"{self.result.percentage_exact:.2f}".rstrip("0").rstrip(".")

    def explanation(self) -> list[str]:
        r = self.result
        lines = [
            f"You scored {r.n_scored} of the 9 quality statements. Each is scored from 1 to 4, "
            f"so the most possible is {r.max} (4 × {r.n_scored}).",
            f"The scores add up to {r.total}. {r.total} ÷ {r.max} × 100 = {self.exact}%.",
        ]
        if r.percentage_exact != r.percentage:
            lines.append(
                f"CQC's bands use whole numbers, so {self.exact}% is rounded to the nearest whole "
                f"per cent, with halves rounded up: {r.percentage}%."
            )
        lines.append(
            f"{r.percentage}% is in the {self.rating.lower()} band "
            f"({r.band.lower}% to {r.band.upper}%)."
        )
        above = r.points_above_lower
        below_next = r.points_below_next
        position = f"It is {above} points above the bottom of the band"
        if below_next is not None:
            position += (
                f" and {below_next} points below {r.next_threshold}%, where the next rating starts"
            )
        lines.append(
            position + f", so it is {self.position}. CQC does not publish a rule for ‘upper’ or "
            "‘lower’: this uses the midpoint of the band, and is this service's interpretation, "
            "not CQC's judgement."
        )
        if r.partial:
            missing = ", ".join(q.upper() for q in r.not_scored)
            lines.append(
                f"This is a partial result: {missing} not scored. Unscored statements are left "
                "out of the calculation, never counted as 0, so compare it with care."
            )
        return lines


def _sort_link(request: Any, column: str, sort: str, descending: bool) -> dict[str, str]:
    params = request.GET.copy()
    active = column == sort
    new_desc = not descending if active else column in {"percent", "rating"}
    params["sort"] = column
    params["order"] = "desc" if new_desc else "asc"
    params.pop("council", None)
    aria = ("descending" if descending else "ascending") if active else "none"
    return {"href": f"?{params.urlencode()}", "aria_sort": aria}


def national_context(
    *,
    request: Any,
    form: Any,
    results: list[PublishedResult],
    all_results: list[PublishedResult],
    sort: str,
    descending: bool,
    counts: list[Any],
    distribution: list[dict[str, Any]],
    titles: dict[str, str],
    council: PublishedResult | None,
    position: Any,
) -> dict[str, Any]:
    columns = ["name", "region", "type", "published", "rating", "percent"] + [
        f"qs{i}" for i in range(1, 10)
    ]
    rows = [
        {
            "result": r,
            "region": region_label(r.region),
            "type": org_type_label(r.org_type),
            "rating": rating_label(r.rating),
            "tag": rating_tag_class(r.rating),
            "flags": result_flags(r),
        }
        for r in results
    ]
    comparable_n = sum(1 for r in all_results if r.comparable)
    position_rows = []
    if position is not None:
        for i in range(1, 10):
            own = getattr(council, f"qs{i}")
            avg = position.qs_means[i - 1]
            position_rows.append(
                {
                    "qs": f"QS{i}",
                    "title": titles.get(f"qs{i}", ""),
                    "score": own,
                    "mean": avg,
                    "difference": (own - avg) if own is not None and avg is not None else None,
                }
            )
    return {
        "form": form,
        "rows": rows,
        "sort_links": {c: _sort_link(request, c, sort, descending) for c in columns},
        "counts": counts,
        "total_rated": sum(c.count for c in counts),
        "distribution": distribution,
        "distribution_chart": distribution_chart(distribution, titles) if comparable_n else None,
        "comparable_n": comparable_n,
        "titles": titles,
        "council": council,
        "position": position,
        "position_rows": position_rows,
        "council_choices": [r for r in all_results if r.has_scores],
        "filtered": bool(
            form.is_bound
            and form.is_valid()
            and any(form.cleaned_data.get(k) for k in ("rating", "region", "org_type"))
        ),
        "rating_label": rating_label,
        "org_type_label": org_type_label,
    }
