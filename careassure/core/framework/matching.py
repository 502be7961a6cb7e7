"""Match quality statements by id or by title, tolerating the title variants CQC uses."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from careassure.core.framework.errors import UnknownQualityStatement

if TYPE_CHECKING:
    from careassure.core.framework.models import Framework, QualityStatement

# Curly and other look-alike apostrophes/single quotes, straightened to "'".
_APOSTROPHES = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u02b9\u2032\u0060\u00b4", "'")
)
_WHITESPACE = re.compile(r"\s+")
_QS_ID = re.compile(r"^qs\s*-?\s*([0-9]+)$")


def normalise_title(title: str) -> str:
    """Fold case, straighten apostrophes and collapse whitespace, for comparing titles."""
    return _WHITESPACE.sub(" ", title.translate(_APOSTROPHES)).strip().casefold()


def match_quality_statement(framework: Framework, id_or_title: str) -> QualityStatement:
    """The quality statement named by an id (``qs1``, ``QS1``), a slug or any known title.

    Titles are compared after :func:`normalise_title`, against the canonical title and every
    listed variant. Raises :class:`UnknownQualityStatement` when nothing matches.
    """
    wanted = normalise_title(id_or_title)
    id_match = _QS_ID.fullmatch(wanted)
    if id_match:
        qs_id = f"qs{int(id_match.group(1))}"
        for statement in framework.quality_statements:
            if statement.id == qs_id:
                return statement
    for statement in framework.quality_statements:
        if wanted == statement.slug:
            return statement
        names = (statement.title, *statement.title_variants)
        if any(normalise_title(name) == wanted for name in names):
            return statement
    raise UnknownQualityStatement(
        f"no quality statement in framework {framework.id} matches {id_or_title!r}"
    )
