"""``careassure framework show`` and ``careassure framework versions``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from careassure.cli.main import app

runner = CliRunner()


def test_versions_text() -> None:
    result = runner.invoke(app, ["framework", "versions"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "cqc-la-2023        in-force    CQC local authority assessment framework (baseline) "
        "(default)",
        "cqc-la-2026-draft  draft       CQC local authority assessment framework (re-assessment, "
        "draft)",
    ]


def test_versions_json() -> None:
    result = runner.invoke(app, ["framework", "versions", "--format", "json"])
    payload = json.loads(result.stdout)
    assert [(v["id"], v["status"], v["default"]) for v in payload] == [
        ("cqc-la-2023", "in-force", True),
        ("cqc-la-2026-draft", "draft", False),
    ]


def test_show_text_has_themes_statements_and_exact_wording() -> None:
    result = runner.invoke(app, ["framework", "show"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "CQC local authority assessment framework (baseline)",
        "Version cqc-la-2023 (in-force)",
    ]
    assert "T3 How local authorities ensure safety within the system" in lines
    assert "  QS4 Care provision, integration and continuity" in lines
    assert (
        "      - I have care and support that is co-ordinated, and everyone works well together "
        "and with me."
    ) in lines
    assert sum(line.startswith("    We statement (report wording):") for line in lines) == 1
    assert sum(line == "    I statements: none" for line in lines) == 2  # qs8, qs9
    assert sum(line.startswith("  QS") for line in lines) == 9


def test_show_json_draft_version() -> None:
    result = runner.invoke(app, ["framework", "show", "--version", "cqc-la-2026-draft",
                                 "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["id"] == "cqc-la-2026-draft"
    qs2 = payload["themes"][0]["quality_statements"][1]
    assert qs2["id"] == "qs2"
    assert "\u2013" in qs2["i_statements"][0]
    assert qs2["rating_characteristics"] == {"1": None, "2": None, "3": None, "4": None}


def test_show_unknown_version_exits_2() -> None:
    result = runner.invoke(app, ["framework", "show", "--version", "nope"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: unknown framework version 'nope' (versions: cqc-la-2023, cqc-la-2026-draft)\n"
    )
