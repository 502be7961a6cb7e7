"""A broken framework file is refused with the file, the path inside it and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from careassure.core.framework import (
    DATA_DIR,
    FrameworkDataError,
    FrameworkRegistry,
    load_framework_file,
)

BASELINE = DATA_DIR / "cqc-la-2023.yaml"


def baseline() -> dict:
    return yaml.safe_load(BASELINE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "cqc-la-2023.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def error_for(path: Path) -> FrameworkDataError:
    with pytest.raises(FrameworkDataError) as excinfo:
        load_framework_file(path)
    return excinfo.value


def test_missing_we_statement_names_file_and_path(tmp_path: Path) -> None:
    data = baseline()
    del data["themes"][1]["quality_statements"][0]["we_statement"]
    path = write(tmp_path, data)
    error = error_for(path)
    assert str(error) == f"{path}: themes[1].quality_statements[0].we_statement: Field required"
    assert error.path == "themes[1].quality_statements[0].we_statement"


def test_empty_we_statement(tmp_path: Path) -> None:
    data = baseline()
    data["themes"][0]["quality_statements"][2]["we_statement"] = {"note": "x"}
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: themes[0].quality_statements[2].we_statement: give the report wording, the "
        "framework wording or both"
    )


def test_duplicate_quality_statement_id(tmp_path: Path) -> None:
    data = baseline()
    data["themes"][3]["quality_statements"][1]["id"] = "QS8"
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: themes[3].quality_statements[1].id: quality statement id 'qs8' is already used "
        "at themes[3].quality_statements[0].id"
    )


def test_unknown_required_evidence_category(tmp_path: Path) -> None:
    data = baseline()
    data["themes"][2]["quality_statements"][0]["required_evidence_categories"][1]["category"] = (
        "observation"
    )
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: themes[2].quality_statements[0].required_evidence_categories[1].category: "
        "evidence category 'observation' is never used for local authorities, so it cannot be "
        "required"
    )


def test_incomplete_score_levels(tmp_path: Path) -> None:
    data = baseline()
    del data["score_levels"][2]
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: score_levels: must list scores 1, 2, 3 and 4 in order (got [1, 2, 4])"
    )


def test_wrong_status_value(tmp_path: Path) -> None:
    data = baseline()
    data["status"] = "live"
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: status: Input should be 'in-force', 'draft' or 'superseded' (got 'live')"
    )


def test_ambiguous_title_variant(tmp_path: Path) -> None:
    data = baseline()
    data["themes"][1]["quality_statements"][1]["title_variants"] = ["Assessing Needs"]
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: themes[1].quality_statements[1].title_variants[0]: title 'assessing needs' also "
        "matches themes[0].quality_statements[0].title; titles must be unambiguous"
    )


def test_incomplete_rating_characteristics(tmp_path: Path) -> None:
    data = baseline()
    data["themes"][0]["quality_statements"][0]["rating_characteristics"] = {1: None, 2: "x"}
    path = write(tmp_path, data)
    assert str(error_for(path)) == (
        f"{path}: themes[0].quality_statements[0]: rating_characteristics must be empty or have "
        "exactly the score levels 1, 2, 3 and 4 (got [1, 2])"
    )


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "cqc-la-2023.yaml"
    path.write_text("id: cqc-la-2023\nthemes: [\n", encoding="utf-8")
    error = error_for(path)
    assert error.file == str(path)
    assert error.path.startswith("line 3")
    assert error.problem.startswith("invalid YAML")


def test_repeated_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cqc-la-2023.yaml"
    path.write_text("id: a\nid: b\n", encoding="utf-8")
    assert str(error_for(path)) == f"{path}: line 2, column 1: invalid YAML: repeated key 'id'"


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, baseline(), name="other-version.yaml")
    assert str(error_for(path)) == (
        f"{path}: id: the id 'cqc-la-2023' must match the file name 'other-version'"
    )


def test_registry_needs_exactly_one_in_force_version(tmp_path: Path) -> None:
    data = baseline()
    write(tmp_path, data)
    data["id"] = "cqc-la-2024"
    write(tmp_path, data, name="cqc-la-2024.yaml")
    with pytest.raises(FrameworkDataError) as excinfo:
        FrameworkRegistry(tmp_path)
    assert str(excinfo.value) == (
        f"{tmp_path}: exactly one version must have status 'in-force' (found 2: cqc-la-2023, "
        "cqc-la-2024)"
    )


def test_mapping_target_must_exist(tmp_path: Path) -> None:
    data = baseline()
    write(tmp_path, data)
    data["id"], data["status"] = "cqc-la-next", "draft"
    write(tmp_path, data, name="cqc-la-next.yaml")
    targets = {f"qs{n}": f"qs{n}" for n in range(1, 10)} | {"qs3": "qs12"}
    mapping = {"schema_version": 1, "mappings": [{"from_version": "cqc-la-2023",
               "to_version": "cqc-la-next", "status": "uncertain",
               "quality_statements": targets}]}  # fmt: skip
    mapping_path = write(tmp_path, mapping, name="mappings.yaml")
    with pytest.raises(FrameworkDataError) as excinfo:
        FrameworkRegistry(tmp_path)
    assert str(excinfo.value) == (
        f"{mapping_path}: mappings[0].quality_statements.qs3: cqc-la-next has no quality "
        "statement 'qs12'"
    )


def test_mapping_must_cover_every_statement(tmp_path: Path) -> None:
    data = baseline()
    write(tmp_path, data)
    data["id"], data["status"] = "cqc-la-next", "draft"
    write(tmp_path, data, name="cqc-la-next.yaml")
    mapping = {"schema_version": 1, "mappings": [{"from_version": "cqc-la-2023",
               "to_version": "cqc-la-next", "status": "uncertain",
               "quality_statements": {"qs1": "qs1", "qs2": None}}]}  # fmt: skip
    mapping_path = write(tmp_path, mapping, name="mappings.yaml")
    with pytest.raises(FrameworkDataError) as excinfo:
        FrameworkRegistry(tmp_path)
    assert str(excinfo.value) == (
        f"{mapping_path}: mappings[0].quality_statements: every quality statement of "
        "cqc-la-2023 must be mapped (missing: qs3, qs4, qs5, qs6, qs7, qs8, qs9); use null for "
        "no equivalent"
    )
    registry_dir = tmp_path
    mapping["mappings"][0]["quality_statements"] = {f"qs{n}": f"qs{n}" for n in range(1, 10)} | {
        "qs2": None
    }
    write(registry_dir, mapping, name="mappings.yaml")
    registry = FrameworkRegistry(registry_dir)
    assert registry.map_quality_statement("cqc-la-2023", "cqc-la-next", "qs2") is None
    assert registry.map_quality_statement("cqc-la-next", "cqc-la-2023", "qs2") is None
    assert registry.map_quality_statement("cqc-la-next", "cqc-la-2023", "qs5") == "qs5"
