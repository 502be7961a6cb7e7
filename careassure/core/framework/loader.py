"""Load and validate framework version files and the mapping between versions."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from careassure.core.framework.errors import (
    FrameworkDataError,
    UnknownFrameworkVersion,
    UnknownQualityStatement,
)
from careassure.core.framework.matching import normalise_title
from careassure.core.framework.models import Framework, FrameworkStatus, MappingFile

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "framework"
MAPPINGS_FILE = "mappings.yaml"

_M = TypeVar("_M", bound=BaseModel)


@dataclasses.dataclass(frozen=True)
class FrameworkVersionInfo:
    """A summary of one framework version, for listings."""

    id: str
    title: str
    status: FrameworkStatus
    effective: str
    file: str

    @property
    def in_force(self) -> bool:
        """True for the version that applies when none is named."""
        return self.status == "in-force"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses repeated keys in a mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node)
    return result


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def format_location(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into ``themes[1].quality_statements[0].we_statement``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _read_yaml(path: Path) -> dict[str, Any]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkDataError(name, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkDataError(name, "", f"cannot be read: {exc}") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrameworkDataError(name, where, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise FrameworkDataError(name, "", f"invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise FrameworkDataError(name, "", "the file must hold a YAML mapping at the top level")
    return data


def _validate(model: type[_M], data: dict[str, Any], file: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        problem = str(first["msg"]).removeprefix("Value error, ")
        value = first.get("input")
        if isinstance(value, str | int | float | bool) and first["type"] != "missing":
            problem += f" (got {value!r})"
        if len(errors) > 1:
            problem += f"; and {len(errors) - 1} more problem(s)"
        raise FrameworkDataError(file, format_location(tuple(first["loc"])), problem) from None


def _duplicates(items: list[tuple[str, str]]) -> Iterator[tuple[str, str, str]]:
    """Yield (path, value, first_path) for every value seen before."""
    seen: dict[str, str] = {}
    for path, value in items:
        if value in seen:
            yield path, value, seen[value]
        else:
            seen[value] = path


def _cross_check(framework: Framework, file: str) -> None:
    """Check the rules that relate one part of a framework file to another."""
    problems: list[tuple[str, str]] = []

    def unique(label: str, items: list[tuple[str, str]]) -> None:
        for path, value, first in _duplicates(items):
            problems.append((path, f"{label} {value!r} is already used at {first}"))

    unique("theme id", [(f"themes[{i}].id", t.id) for i, t in enumerate(framework.themes)])
    unique("theme slug", [(f"themes[{i}].slug", t.slug) for i, t in enumerate(framework.themes)])
    statements = [
        (f"themes[{i}].quality_statements[{j}]", qs)
        for i, theme in enumerate(framework.themes)
        for j, qs in enumerate(theme.quality_statements)
    ]
    unique("quality statement id", [(f"{p}.id", qs.id) for p, qs in statements])
    unique("quality statement slug", [(f"{p}.slug", qs.slug) for p, qs in statements])
    titles: list[tuple[str, str]] = []
    for path, qs in statements:
        titles.append((f"{path}.title", normalise_title(qs.title)))
        for k, variant in enumerate(qs.title_variants):
            normalised = normalise_title(variant)
            if normalised != normalise_title(qs.title):
                titles.append((f"{path}.title_variants[{k}]", normalised))
    seen_titles: dict[str, str] = {}
    for path, value in titles:
        owner = path.rsplit(".", 1)[0]
        first = seen_titles.get(value)
        if first is not None and first.rsplit(".", 1)[0] != owner:
            problems.append(
                (path, f"title {value!r} also matches {first}; titles must be unambiguous")
            )
        seen_titles.setdefault(value, path)

    categories = {c.id: c for c in framework.evidence_categories}
    unique(
        "evidence category id",
        [
            (f"evidence_categories[{i}].id", c.id)
            for i, c in enumerate(framework.evidence_categories)
        ],
    )
    unique(
        "evidence source id",
        [(f"evidence_sources[{i}].id", s.id) for i, s in enumerate(framework.evidence_sources)],
    )
    unique(
        "assessment method id",
        [(f"assessment_methods[{i}].id", m.id) for i, m in enumerate(framework.assessment_methods)],
    )
    unique(
        "priority id",
        [
            (f"secretary_of_state_priorities.items[{i}].id", p.id)
            for i, p in enumerate(framework.secretary_of_state_priorities.items)
        ],
    )
    for path, qs in statements:
        required = [
            (f"{path}.required_evidence_categories[{k}].category", r.category)
            for k, r in enumerate(qs.required_evidence_categories)
        ]
        unique("required evidence category", required)
        for item_path, category_id in required:
            category = categories.get(category_id)
            if category is None:
                problems.append(
                    (
                        item_path,
                        f"unknown evidence category {category_id!r} "
                        f"(known: {', '.join(categories)})",
                    )
                )
            elif not category.may_be_enabled:
                problems.append(
                    (
                        item_path,
                        f"evidence category {category_id!r} is never used for local "
                        "authorities, so it cannot be required",
                    )
                )
    if problems:
        path, problem = problems[0]
        if len(problems) > 1:
            problem += f"; and {len(problems) - 1} more problem(s)"
        raise FrameworkDataError(file, path, problem)


def load_framework_file(path: Path | str) -> Framework:
    """Load and validate one framework version file.

    Raises :class:`FrameworkDataError` naming the file, the path inside it and the problem.
    """
    path = Path(path)
    data = _read_yaml(path)
    framework = _validate(Framework, data, str(path))
    _cross_check(framework, str(path))
    if framework.id != path.stem:
        raise FrameworkDataError(
            str(path), "id", f"the id {framework.id!r} must match the file name {path.stem!r}"
        )
    return framework


class FrameworkRegistry:
    """All framework versions in a directory, plus the mappings between them."""

    def __init__(self, directory: Path | str = DATA_DIR) -> None:
        self.directory = Path(directory)
        files = sorted(p for p in self.directory.glob("*.yaml") if p.name != MAPPINGS_FILE)
        if not files:
            raise FrameworkDataError(str(self.directory), "", "no framework version files found")
        self._frameworks: dict[str, Framework] = {}
        self._files: dict[str, str] = {}
        for file in files:
            framework = load_framework_file(file)
            self._frameworks[framework.id] = framework
            self._files[framework.id] = file.name
        in_force = [f.id for f in self._frameworks.values() if f.status == "in-force"]
        if len(in_force) != 1:
            raise FrameworkDataError(
                str(self.directory),
                "",
                f"exactly one version must have status 'in-force' (found {len(in_force)}: "
                f"{', '.join(in_force) or 'none'})",
            )
        self.default_version = in_force[0]
        self._mappings: dict[tuple[str, str], Mapping[str, str | None]] = {}
        mappings_path = self.directory / MAPPINGS_FILE
        if mappings_path.exists():
            self._load_mappings(mappings_path)

    def _load_mappings(self, path: Path) -> None:
        file = str(path)
        mapping_file = _validate(MappingFile, _read_yaml(path), file)
        for i, mapping in enumerate(mapping_file.mappings):
            where = f"mappings[{i}]"
            for field in ("from_version", "to_version"):
                version = getattr(mapping, field)
                if version not in self._frameworks:
                    raise FrameworkDataError(
                        file, f"{where}.{field}", f"unknown framework version {version!r}"
                    )
            key = (mapping.from_version, mapping.to_version)
            if key in self._mappings:
                raise FrameworkDataError(
                    file, where, f"a mapping from {key[0]} to {key[1]} is already given"
                )
            source = self._frameworks[mapping.from_version]
            target = self._frameworks[mapping.to_version]
            for qs_id, target_id in mapping.quality_statements.items():
                if qs_id not in source.quality_statement_ids:
                    raise FrameworkDataError(
                        file,
                        f"{where}.quality_statements.{qs_id}",
                        f"{mapping.from_version} has no quality statement {qs_id!r}",
                    )
                if target_id is not None and target_id not in target.quality_statement_ids:
                    raise FrameworkDataError(
                        file,
                        f"{where}.quality_statements.{qs_id}",
                        f"{mapping.to_version} has no quality statement {target_id!r}",
                    )
            missing = [
                q for q in source.quality_statement_ids if q not in mapping.quality_statements
            ]
            if missing:
                raise FrameworkDataError(
                    file,
                    f"{where}.quality_statements",
                    f"every quality statement of {mapping.from_version} must be mapped "
                    f"(missing: {', '.join(missing)}); use null for no equivalent",
                )
            self._mappings[key] = dict(mapping.quality_statements)

    def versions(self) -> list[FrameworkVersionInfo]:
        """Every version, the in-force one first, then by id."""
        infos = [
            FrameworkVersionInfo(
                id=f.id,
                title=f.title,
                status=f.status,
                effective=f.effective,
                file=self._files[f.id],
            )
            for f in self._frameworks.values()
        ]
        return sorted(infos, key=lambda info: (not info.in_force, info.id))

    def get(self, version: str | None = None) -> Framework:
        """The framework with this version id; the in-force version when ``version`` is None."""
        version_id = self.default_version if version is None else version.strip()
        framework = self._frameworks.get(version_id)
        if framework is None:
            known = ", ".join(sorted(self._frameworks))
            raise UnknownFrameworkVersion(
                f"unknown framework version {version!r} (versions: {known})"
            )
        return framework

    def map_quality_statement(self, from_version: str, to_version: str, qs_id: str) -> str | None:
        """The id in ``to_version`` of quality statement ``qs_id`` of ``from_version``.

        Returns None when the statement has no equivalent. A mapping given in one direction is
        also used in reverse when exactly one statement maps to ``qs_id``.
        """
        source = self.get(from_version)
        target = self.get(to_version)
        wanted = source.quality_statement(qs_id).id
        if source.id == target.id:
            return wanted
        forward = self._mappings.get((source.id, target.id))
        if forward is not None:
            return forward[wanted]
        backward = self._mappings.get((target.id, source.id))
        if backward is None:
            raise LookupError(f"no mapping between framework versions {source.id} and {target.id}")
        matches = [key for key, value in backward.items() if value == wanted]
        if len(matches) > 1:
            raise UnknownQualityStatement(
                f"{wanted} of {source.id} corresponds to several statements of {target.id}: "
                f"{', '.join(matches)}"
            )
        return matches[0] if matches else None


@functools.lru_cache(maxsize=1)
def default_registry() -> FrameworkRegistry:
    """The registry of the framework files shipped with CareAssure (loaded once)."""
    return FrameworkRegistry(DATA_DIR)


def load_framework(version: str | None = None) -> Framework:
    """The framework version ``version``, or the in-force version when None (cached)."""
    return default_registry().get(version)


def list_versions() -> list[FrameworkVersionInfo]:
    """All shipped framework versions, the in-force one first."""
    return default_registry().versions()


def map_quality_statement(from_version: str, to_version: str, qs_id: str) -> str | None:
    """The id in ``to_version`` of quality statement ``qs_id`` of ``from_version`` (or None)."""
    return default_registry().map_quality_statement(from_version, to_version, qs_id)
