"""The shipped framework versions (reference cqc-assessment.md §2-3, §8)."""

from __future__ import annotations

import pytest

from careassure.core.framework import (
    UnknownFrameworkVersion,
    UnknownQualityStatement,
    list_versions,
    load_framework,
    map_quality_statement,
    match_quality_statement,
    normalise_title,
)


def test_default_version_is_the_in_force_baseline() -> None:
    framework = load_framework()
    assert framework.id == "cqc-la-2023"
    assert framework.status == "in-force"
    assert load_framework() is framework  # cached


def test_versions_listed_in_force_first() -> None:
    versions = list_versions()
    assert [(v.id, v.status, v.in_force) for v in versions] == [
        ("cqc-la-2023", "in-force", True),
        ("cqc-la-2026-draft", "draft", False),
    ]


def test_unknown_version() -> None:
    with pytest.raises(UnknownFrameworkVersion) as excinfo:
        load_framework("cqc-la-2099")
    assert str(excinfo.value) == (
        "unknown framework version 'cqc-la-2099' (versions: cqc-la-2023, cqc-la-2026-draft)"
    )


def test_four_themes_of_sizes_3_2_2_2() -> None:
    framework = load_framework()
    assert [(t.id, t.slug, len(t.quality_statements)) for t in framework.themes] == [
        ("T1", "working-with-people", 3),
        ("T2", "providing-support", 2),
        ("T3", "ensuring-safety", 2),
        ("T4", "leadership", 2),
    ]
    assert framework.theme("t2").title == "How local authorities provide support"
    assert "Providing support" in framework.theme("T2").aliases


def test_nine_quality_statements_in_order_with_slugs() -> None:
    framework = load_framework()
    assert [(q.id, q.slug, q.theme_id) for q in framework.quality_statements] == [
        ("qs1", "assessing-needs", "T1"),
        ("qs2", "healthier-lives", "T1"),
        ("qs3", "equity", "T1"),
        ("qs4", "care-provision", "T2"),
        ("qs5", "partnerships", "T2"),
        ("qs6", "safe-systems", "T3"),
        ("qs7", "safeguarding", "T3"),
        ("qs8", "governance", "T4"),
        ("qs9", "learning", "T4"),
    ]


def test_i_statement_counts_per_qs() -> None:
    # §2.3 table: 2, 2, 1, 1, 1, 2, 1, 0, 0
    counts = [len(q.i_statements) for q in load_framework().quality_statements]
    assert counts == [2, 2, 1, 1, 1, 2, 1, 0, 0]


def test_exact_statement_text() -> None:
    framework = load_framework()
    qs1, qs2, qs4, qs5 = (framework.quality_statement(i) for i in ("qs1", "QS2", "qs4", "qs5"))
    assert qs4.i_statements == (
        "I have care and support that is co-ordinated, and everyone works well together and with "
        "me.",
    )
    assert qs1.i_statements[0] == (
        "I have care and support that is coordinated, and everyone works well together and with me."
    )
    assert qs5.i_statements[0] == qs1.i_statements[0]
    assert qs2.i_statements[0] == (
        "I can get information and advice about my health, care and support and how I can be as "
        "well as possible \u2013 physically, mentally and emotionally."
    )
    assert "\u2013" in qs2.i_statements[0]
    assert qs1.we_statement.text == (
        "We maximise the effectiveness of people's care and treatment by assessing and reviewing "
        "their health, care, wellbeing and communication needs with them."
    )


def test_qs7_has_framework_and_report_wording_and_qs8_qs9_no_i_statements() -> None:
    framework = load_framework()
    qs7 = framework.quality_statement("qs7")
    assert qs7.we_statement.framework is not None
    assert qs7.we_statement.framework.startswith(
        "We work with people to understand what being safe means to them as well as with our "
        "partners on the best way to achieve this."
    )
    assert qs7.we_statement.report is not None
    assert qs7.we_statement.report.startswith(
        "We work with people to understand what being safe means to them and work with our "
        "partners to develop the best way to achieve this."
    )
    qs8 = framework.quality_statement("qs8")
    assert qs8.we_statement.report is not None
    assert qs8.we_statement.report.endswith("we share this securely with others when appropriate.")
    assert qs8.i_statements == ()
    assert framework.quality_statement("qs9").i_statements == ()


def test_evidence_categories_and_requirements() -> None:
    framework = load_framework()
    flags = {c.id: (c.used_for_las, c.enabled_by_default) for c in framework.evidence_categories}
    assert flags == {
        "people-experience": (True, True),
        "staff-leaders": (True, True),
        "partners": (True, True),
        "observation": (False, False),
        "processes": (True, True),
        "outcomes": (False, False),
    }
    assert framework.evidence_category("outcomes").may_be_enabled is True
    assert framework.evidence_category("observation").may_be_enabled is False
    for statement in framework.quality_statements:
        required = {r.category: r.status.value for r in statement.required_evidence_categories}
        assert required["people-experience"] == "confirmed"
        assert {v for k, v in required.items() if k != "people-experience"} == {"uncertain"}


def test_score_levels_and_methods() -> None:
    framework = load_framework()
    assert [(s.score, s.rating_word) for s in framework.score_levels] == [
        (1, "Inadequate"),
        (2, "Requires improvement"),
        (3, "Good"),
        (4, "Outstanding"),
    ]
    assert framework.score_level(3).descriptor == "Evidence shows a good standard"
    assert [m.id for m in framework.assessment_methods] == [
        "pilot-2023-indicative", "formal-category-scoring", "formal-qs-scoring"]  # fmt: skip
    assert framework.assessment_method("pilot-2023-indicative").include_in_benchmarks is False
    draft = load_framework("cqc-la-2026-draft")
    assert [m.id for m in draft.assessment_methods] == ["reassessment-2026"]
    assert len(framework.secretary_of_state_priorities.items) == 5
    assert draft.secretary_of_state_priorities.items == ()


def test_care_act_sections_for_qs7_confirmed() -> None:
    qs7 = load_framework().quality_statement("qs7")
    assert [s.label for s in qs7.care_act.sections] == ["s1", "ss6\u20137", "ss42\u201343", "s68"]
    assert qs7.care_act.status.value == "confirmed"


def test_draft_has_rating_characteristic_placeholders() -> None:
    draft = load_framework("cqc-la-2026-draft")
    assert draft.status == "draft"
    for statement in draft.quality_statements:
        assert statement.rating_characteristics == {1: None, 2: None, 3: None, 4: None}
    assert load_framework().quality_statement("qs1").rating_characteristics == {}


def test_mapping_between_versions_both_ways() -> None:
    assert map_quality_statement("cqc-la-2023", "cqc-la-2026-draft", "QS4") == "qs4"
    assert map_quality_statement("cqc-la-2026-draft", "cqc-la-2023", "qs9") == "qs9"
    assert map_quality_statement("cqc-la-2023", "cqc-la-2023", "qs2") == "qs2"


@pytest.mark.parametrize(
    ("text", "qs_id"),
    [
        ("QS1", "qs1"),
        ("qs 6", "qs6"),
        ("Assessing people\u2019s needs", "qs1"),
        ("assessing PEOPLE'S   needs", "qs1"),
        ("Supporting people to lead healthier lives", "qs2"),
        ("Equity in Experiences", "qs3"),
        ("Care provision, integration and continuity of care", "qs4"),
        ("Partnership and communities", "qs5"),
        ("Safe pathways, systems and transitions", "qs6"),
        ("safeguarding", "qs7"),
        (" Learning, improvement and innovation ", "qs9"),
    ],
    ids=["id_upper", "id_space", "curly", "case_spaces", "lead", "experiences", "of_care",
         "partnership", "word_order", "slug", "padded"],
)  # fmt: skip
def test_match_quality_statement_by_id_or_any_title(text: str, qs_id: str) -> None:
    assert match_quality_statement(load_framework(), text).id == qs_id


def test_match_unknown_title() -> None:
    with pytest.raises(UnknownQualityStatement) as excinfo:
        match_quality_statement(load_framework(), "Workforce")
    assert str(excinfo.value) == "no quality statement in framework cqc-la-2023 matches 'Workforce'"


def test_normalise_title() -> None:
    assert normalise_title("  Assessing\tPeople\u2019s\n needs ") == "assessing people's needs"
