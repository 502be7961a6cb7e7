from __future__ import annotations

from careassure.core.framework import Framework, load_framework


def framework_current(version: str | None = None) -> Framework:
    """The framework as data (titles, statements), from the core package's versioned files."""
    return load_framework(version)


def quality_statement_titles(version: str | None = None) -> dict[str, str]:
    framework = load_framework(version)
    return {qs.id: qs.title for qs in framework.quality_statements}
