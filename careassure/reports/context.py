"""The data a report template sees, built only from frozen snapshots (never the live plan), so
a report made twice from the same month is the same report."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert as vlc

from careassure.common.charts import chart_svg
from careassure.core.framework import load_framework
from careassure.core.improvement import Rag, diff_snapshots
from careassure.core.scoring import ScoringError, score_overall
from careassure.reports import kpis as report_kpis

RAG_ORDER = ["red", "amber", "green", "blue", "grey"]
RAG_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "blue": "Complete",
    "grey": "Closed",
}
RAG_COLOURS = {
    "red": "#d4351c", "amber": "#ffdd00", "green": "#00703c", "blue": "#1d70b8", "grey": "#b1b4b6",
}  # fmt: skip
STATUS_LABELS = {
    "not_started": "Not started", "on_track": "On track", "at_risk": "At risk",
    "off_track": "Off track", "complete": "Complete", "closed": "Closed",
}  # fmt: skip
STATUS_COLOURS = {
    "not_started": "#b1b4b6", "on_track": "#00703c", "at_risk": "#ffdd00",
    "off_track": "#d4351c", "complete": "#1d70b8", "closed": "#505a5f",
}  # fmt: skip
SCORE_SERIES = [("self", "Self-assessment"), ("cqc", "CQC"), ("target", "Target")]

# How many rows of each long list a report shows before an "and N more" line that points to
# the sheet of the Excel tables (XLSX) download holding every row. Keeps a board pack for a
# large plan readable, and its PDF quick to make (WeasyPrint's time grows with table rows).
LIMITS = {
    "changes": 15,  # status, RAG and progress changes (RAG turned red first)
    "change_lists": 10,  # milestones that became late, actions added, actions removed
    "exceptions": 20,  # red and amber actions with their latest update (red first)
    "late": 10,  # actions with late milestones (most days late first)
    "not_updated": 20,  # open actions with no update this month
    "kpis": 10,  # linked KPIs (those of red actions first)
    "spc_charts": 3,  # KPIs shown with an SPC chart, or a table of figures when too few
    "spc_min_points": report_kpis.SPC_MIN_POINTS,
}


def date_text(value: str | dt.date | None) -> str:
    if value is None or value == "":
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def _period_label(period: str) -> str:
    return f"{dt.date(int(period[:4]), int(period[5:7]), 1):%B %Y}"


def _image(spec: dict[str, Any], image_format: str) -> str | None:
    """A data URI for the chart, or None when it has nothing to show or no images are wanted
    (``image_format`` "none", for the Excel tables)."""
    if not spec.get("data", {}).get("values"):
        return None
    return _render(spec, image_format)


def _render(spec: dict[str, Any], image_format: str) -> str | None:
    """SVG for the web page; PNG at twice the CSS pixel size (192 dots per inch at the size
    printed) for PDF and Word: WeasyPrint draws a PNG SPC chart in half the time of the same
    chart as SVG, and Word cannot show SVG everywhere. Images are kept per process by their
    spec, so the web page, PDF and Word versions of one report draw each chart once."""
    if image_format == "none":
        return None
    if image_format == "png":
        return _png_uri(json.dumps(spec, sort_keys=True))
    svg = chart_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@lru_cache(maxsize=64)
def _png_uri(spec_json: str) -> str:
    png = vlc.vegalite_to_png(json.loads(spec_json), scale=2)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _qs_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    framework = load_framework()
    scores = document["plan"].get("qs_scores") or {}
    rows = []
    for qs in framework.quality_statements:
        theme = framework.theme_of(qs.id)
        row: dict[str, Any] = {"id": qs.label, "title": qs.title, "theme": theme.title,
                               "theme_id": theme.id}  # fmt: skip
        for key, _ in SCORE_SERIES:
            row[key] = (scores.get(key) or {}).get(qs.id)
        rows.append(row)
    return rows


def _overall(rows: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, label in SCORE_SERIES:
        values = {f"qs{i}": row[key] for i, row in enumerate(rows, start=1)}
        try:
            overall = score_overall(values)
        except ScoringError:
            result[key] = None
            continue
        result[key] = {
            "label": label, "percentage": overall.percentage, "rating": overall.rating.display,
            "total": overall.total, "max": overall.max, "partial": overall.partial,
        }  # fmt: skip
    return result


def _qs_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data = [
        {"qs": row["id"], "series": label, "score": row[key]}
        for row in rows
        for key, label in SCORE_SERIES
        if row[key] is not None
    ]
    return (  # type: ignore[no-any-return]
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("qs:N", title="Quality statement", sort=[r["id"] for r in rows]),
            xOffset=alt.XOffset("series:N", sort=[s[1] for s in SCORE_SERIES]),
            y=alt.Y("score:Q", title="Score (1 to 4)", scale=alt.Scale(domain=[0, 4]),
                    axis=alt.Axis(values=[0, 1, 2, 3, 4])),
            color=alt.Color("series:N", title=None, sort=[s[1] for s in SCORE_SERIES],
                            scale=alt.Scale(range=["#1d70b8", "#0b0c0c", "#00703c"])),
        )
        .properties(width=540, height=200, padding=16)
        .to_dict(validate=False)
    )  # fmt: skip


def _rag_theme(actions: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    framework = load_framework()
    header = ["Theme", *[RAG_LABELS[r] for r in RAG_ORDER], "Total"]
    rows: list[list[Any]] = []
    for theme in framework.themes:
        in_theme = [a for a in actions if theme.id in a["themes"]]
        counts = Counter(a["rag_key"] for a in in_theme)
        short = theme.aliases[0] if theme.aliases else theme.title
        rows.append([short, *[counts.get(r, 0) for r in RAG_ORDER], len(in_theme)])
    return header, rows


def _rag_theme_chart(table: tuple[list[str], list[list[Any]]]) -> dict[str, Any]:
    header, rows = table
    data = [
        {"theme": row[0], "rag": header[i + 1], "count": row[i + 1]}
        for row in rows
        for i in range(len(RAG_ORDER))
        if row[i + 1]
    ]
    return (  # type: ignore[no-any-return]
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("theme:N", title=None, sort=[r[0] for r in rows]),
            x=alt.X("count:Q", title="Actions"),
            color=alt.Color("rag:N", title="RAG",
                            scale=alt.Scale(domain=[RAG_LABELS[r] for r in RAG_ORDER],
                                            range=[RAG_COLOURS[r] for r in RAG_ORDER])),
        )
        .properties(width=520, height=150, padding=16)
        .to_dict(validate=False)
    )  # fmt: skip


def _status_table(history: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    header = ["Month", *STATUS_LABELS.values()]
    rows = []
    for document in history:
        counts = Counter(a["status"] for a in document["actions"])
        rows.append([_period_label(document["period"]), *[counts.get(s, 0) for s in STATUS_LABELS]])
    return header, rows


def _status_chart(table: tuple[list[str], list[list[Any]]]) -> dict[str, Any]:
    header, rows = table
    data = [
        {"month": row[0], "order": n, "status": header[i + 1], "count": row[i + 1]}
        for n, row in enumerate(rows)
        for i in range(len(STATUS_LABELS))
    ]
    return (  # type: ignore[no-any-return]
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("month:N", title=None, sort=[r[0] for r in rows]),
            y=alt.Y("count:Q", title="Actions"),
            color=alt.Color("status:N", title="Status",
                            scale=alt.Scale(domain=list(STATUS_LABELS.values()),
                                            range=list(STATUS_COLOURS.values()))),
        )
        .properties(width=540, height=200, padding=16)
        .to_dict(validate=False)
    )  # fmt: skip


def _action(a: dict[str, Any], qs_labels: dict[str, str]) -> dict[str, Any]:
    latest = a.get("updates") or []
    return {
        "ref": a["ref"], "title": a["title"], "description": a.get("description", ""),
        "finding": a.get("finding", ""),
        "qs": ", ".join(qs_labels.get(q, q) for q in a["quality_statements"]),
        "themes": a["themes"], "owner": a.get("owner") or "No owner",
        "lead_director": a.get("lead_director", ""), "due": date_text(a["due_date"]),
        "due_iso": a["due_date"],
        "status": STATUS_LABELS.get(a["status"], a["status"]), "status_key": a["status"],
        "rag": RAG_LABELS[a["rag"]], "rag_key": a["rag"], "overridden": a.get("rag_overridden"),
        "override_reason": a.get("rag_override_reason", ""),
        "rag_reasons": a.get("rag_reasons", []), "percent": a["percent_complete"],
        "priority": str(a.get("priority", "")).title(),
        "commentary": latest[-1]["commentary"] if latest else "",
        "updated": bool(latest), "blocked_by": ", ".join(a.get("blocked_by", [])),
        "depends_on": ", ".join(a.get("depends_on", [])),
    }  # fmt: skip


def _counts_alt(description: str, table: tuple[list[str], list[list[Any]]], columns: int) -> str:
    """A chart's text alternative from its table: each row's label, then its first `columns`
    counts by heading, leaving out zeros."""
    header, rows = table
    return (
        description
        + "; ".join(
            f"{row[0]} "
            + ", ".join(f"{header[i]} {row[i]}" for i in range(1, columns + 1) if row[i])
            for row in rows
        )
        + "."
    )


def build_context(
    *,
    snapshot_document: dict[str, Any],
    history: Sequence[dict[str, Any]],
    report_title: str,
    image_format: str = "svg",
    generated_on: dt.date,
) -> dict[str, Any]:
    """``history`` is every snapshot of the plan up to and including this one, oldest first."""
    document = snapshot_document
    framework = load_framework()
    qs_labels = {q.id: q.label for q in framework.quality_statements}
    actions = [_action(a, qs_labels) for a in document["actions"]]
    as_at = dt.date.fromisoformat(document["as_at"])
    counts = Counter(a["rag_key"] for a in actions)
    qs_rows = _qs_rows(document)
    theme_table = _rag_theme(actions)
    status_table = _status_table(history)
    late = []
    risks = []
    kpis = []
    for a in document["actions"]:
        for m in a.get("milestones", []):
            due = dt.date.fromisoformat(m["due_date"])
            if m["status"] != "complete" and due < as_at:
                late.append({"ref": a["ref"], "title": m["title"], "due": date_text(due),
                             "days_late": (as_at - due).days})  # fmt: skip
        for r in a.get("risks", []):
            risks.append({"ref": a["ref"], **r})
        for k in a.get("kpis", []):
            kpis.append(report_kpis.kpi_entry(action=a, kpi=k, rag_labels=RAG_LABELS))
    late.sort(key=lambda m: -int(m["days_late"]))
    late_by_action: dict[str, dict[str, Any]] = {}
    for m in late:
        group = late_by_action.setdefault(
            m["ref"], {"ref": m["ref"], "days_late": m["days_late"], "milestones": []}
        )
        group["milestones"].append(m)
    risks.sort(key=lambda r: (-int(r["score"]), r["ref"]))
    kpis.sort(key=lambda entry: report_kpis.priority(entry[0], RAG_ORDER))
    kpi_charts = []
    for entry, result in [(e, r) for e, r in kpis if e["history"]][: LIMITS["spc_charts"]]:
        if result is not None and image_format != "none":
            spec, alt_text = report_kpis.chart_spec(entry, result)
            entry["chart"] = {"src": _render(spec, image_format), "alt": alt_text}
        kpi_charts.append(entry)
    kpi_rows = [entry for entry, _ in kpis]
    exceptions = sorted(
        (a for a in actions if a["rag_key"] in (Rag.RED, Rag.AMBER)),
        key=lambda a: (RAG_ORDER.index(a["rag_key"]), a["due_iso"], a["ref"]),
    )
    shown = {a["ref"] for a in exceptions[: LIMITS["exceptions"]]}
    previous = [h for h in history if h["period"] < document["period"]]
    changes = None
    if previous:
        diff = diff_snapshots(previous[-1], document)
        changes = {
            "since": _period_label(previous[-1]["period"]),
            "status": _grouped_changes(diff.changes),
            "added": [{"ref": x.ref, "title": x.title} for x in diff.added],
            "removed": [{"ref": x.ref, "title": x.title} for x in diff.removed],
            "late": [{"ref": m.ref, "title": m.milestone, "due": date_text(m.due_date)}
                     for m in diff.new_late_milestones],
            "kpis": [{"ref": k.ref, "name": k.kpi, "before": k.before or "–",
                      "after": k.after or "–",
                      "rag": RAG_LABELS[k.rag_after] if k.rag_after else "–"}
                     for k in diff.kpi_moves],
        }  # fmt: skip
    content = document["plan"].get("report_content") or {}
    themes = []
    for theme in framework.themes:
        themes.append({
            "id": theme.id, "title": theme.title,
            "actions": [a for a in actions if theme.id in a["themes"]],
        })  # fmt: skip
    overall = _overall(qs_rows)
    charts = {
        "qs_scores": {
            "src": _image(_qs_chart(qs_rows), image_format),
            "alt": "Bar chart of scores from 1 to 4 for each quality statement: "
            + "; ".join(
                f"{r['id']} " + ", ".join(f"{label} {r[key]}" for key, label in SCORE_SERIES
                                           if r[key] is not None)
                for r in qs_rows
            )
            + ".",
        },
        "rag_by_theme": {
            "src": _image(_rag_theme_chart(theme_table), image_format),
            "alt": _counts_alt("Bar chart of actions by RAG status in each theme: ",
                               theme_table, len(RAG_ORDER)),
        },
        "status_over_time": {
            "src": _image(_status_chart(status_table), image_format),
            "alt": _counts_alt(
                "Stacked bar chart of the number of actions in each status by month: ",
                status_table, len(STATUS_LABELS),
            ),
        },
    }  # fmt: skip
    drawn: dict[str, Any] = {name: c if c["src"] else None for name, c in charts.items()}
    return {
        "report_title": report_title,
        "council": document["plan"]["organisation"],
        "plan_title": document["plan"]["title"],
        "cycle": document["plan"]["cycle"],
        "period": document["period"],
        "period_label": _period_label(document["period"]),
        "as_at": date_text(as_at),
        "generated_on": date_text(generated_on),
        "synthetic": bool(document.get("synthetic")),
        "total": len(actions),
        "counts": [{"key": r, "label": RAG_LABELS[r], "count": counts.get(r, 0)}
                   for r in RAG_ORDER],
        "actions": actions,
        "limits": LIMITS,
        "exceptions": exceptions,
        "other_actions": [a for a in actions if a["ref"] not in shown],
        "not_updated": [a for a in actions if not a["updated"]
                        and a["status_key"] not in ("complete", "closed")],
        "late_milestones": late,
        "late_by_action": list(late_by_action.values()),
        "top_risks": risks[:10],
        "risks": risks,
        "kpis": kpi_rows,
        "kpi_charts": kpi_charts,
        "kpi_history_frozen": any(k["history"] is not None for k in kpi_rows),
        "changes": changes,
        "qs_table": qs_rows,
        "overall": overall,
        "rag_by_theme": {"header": theme_table[0], "rows": theme_table[1]},
        "status_over_time": {"header": status_table[0], "rows": status_table[1]},
        "themes": themes,
        "charts": drawn,
        "background": content.get("background", []),
        "strengths": content.get("strengths", []),
        "areas_for_development": content.get("areas_for_development", []),
        "recommendations": content.get("recommendations", []),
        "governance": content.get("governance", []),
    }  # fmt: skip


def _change_rank(change: Any) -> int:
    """How much a change matters to a board: RAG turned red, then amber, then any other RAG
    change, then a status change, then progress alone."""
    if change.field == "rag":
        return {"red": 0, "amber": 1}.get(str(change.after), 2)
    return 3 if change.field == "status" else 4


def _grouped_changes(changes: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per action: each changed field as 'was → now', unchanged fields blank; the
    actions whose changes matter most first (see ``_change_rank``), then by reference."""
    rows: dict[str, dict[str, Any]] = {}
    for change in changes:
        row = rows.setdefault(
            change.ref,
            {"ref": change.ref, "title": change.title, "status": "", "rag": "",
             "percent_complete": "", "rank": 5},
        )  # fmt: skip
        row[change.field] = (
            f"{_show(change.field, change.before)} → {_show(change.field, change.after)}"
        )
        row["rank"] = min(row["rank"], _change_rank(change))
    return sorted(rows.values(), key=lambda row: (row["rank"], row["ref"]))


def _show(field: str, value: Any) -> str:
    if value is None:
        return "–"
    if field == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if field == "rag":
        return RAG_LABELS.get(str(value), str(value))
    if field == "percent_complete":
        return f"{value}%"
    return str(value)
