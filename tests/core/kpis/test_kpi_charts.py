"""SPC charts render to SVG and PNG with a text alternative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from careassure.core.kpis import KpiValue
from careassure.core.kpis.charts import Chart, kpi_spc_chart, spc_chart
from careassure.core.kpis.spc import AssuranceIcon, analyse

# 10, 12 alternating over January to August 2024: mean 11, limits 5.68 to 16.32.
SERIES = [(date(2024, m, 1), 10.0 if m % 2 else 12.0) for m in range(1, 9)]
ALTERNATING_TEXT = ["10", "12", "10", "12", "10", "12", "10", "12"]
TITLE = "Concerns screened within 24 hours"


def _chart() -> Chart:
    result = analyse(SERIES, polarity="higher_is_better", target=20, min_points=8)
    return spc_chart(SERIES, result, title=TITLE, unit="%")


def test_alt_text_summarises_the_chart() -> None:
    assert _chart().alt_text == (
        "SPC chart of Concerns screened within 24 hours, 8 months from January 2024 to "
        "August 2024. The latest value is 12% in August 2024. The mean is 11%; the process "
        "limits are 5.7 to 16.3%. Variation: Common cause variation. Target 20%: "
        "Consistently failing the target."
    )


def test_table_lists_every_point() -> None:
    chart = _chart()
    assert chart.table_header == ("Month", "Value", "Variation", "Rules met")
    assert chart.table[0] == ("January 2024", "10", "Common cause", "none")
    assert len(chart.table) == 8


def test_svg_contains_title_and_text_alternative() -> None:
    svg = _chart().svg()
    assert svg.startswith("<svg ")
    assert f'aria-label="{TITLE}"' in svg
    assert f"<title>{TITLE}</title>" in svg
    assert "<desc>SPC chart of Concerns screened within 24 hours, 8 months" in svg
    # The visible chart title is drawn as text too.
    assert f">{TITLE}</text>" in svg


def test_png_is_a_png_image() -> None:
    assert _chart().png(scale=1).startswith(b"\x89PNG\r\n\x1a\n")


def test_vega_lite_spec_holds_the_points_and_target() -> None:
    spec = _chart().vega_lite_spec
    assert spec["title"] == TITLE
    rows = spec["layer"][0]["data"]["values"]
    assert [r["value"] for r in rows] == [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0]
    assert rows[0]["upl"] == 11 + 2.66 * 2
    assert spec["layer"][-1]["data"]["values"] == [{"target": 20}]


def test_kpi_chart_takes_title_unit_polarity_and_target_from_metadata() -> None:
    values = [
        KpiValue(
            "sg_screened_within_24h_pct", "T01", f"2024-0{m}", date(2024, m, 28), "hub",
            "East", Decimal(v), None, None,
        )
        for m, v in zip(range(1, 9), ALTERNATING_TEXT, strict=True)
    ]  # fmt: skip
    result, chart = kpi_spc_chart(
        values, "sg_screened_within_24h_pct", dimension="hub", dimension_value="East"
    )
    # Same numbers as SERIES; the packaged target for this KPI is 95 (above the upper
    # limit 16.32) and higher is better, so the target is consistently failed.
    assert result.assurance is AssuranceIcon.CONSISTENTLY_FAILING
    assert chart.title == "Safeguarding concerns screened within 24 hours: East"
    assert "The latest value is 12% in August 2024." in chart.alt_text
