"""Import published CQC results: all-or-nothing, row-level errors, recomputed ratings."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from careassure.benchmarking.models import PublishedResult
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError
from careassure.core.framework import normalise_title
from careassure.core.scoring.errors import PublishedResultsError
from careassure.core.scoring.published import parse_published_results

COUNCILS_FILE = Path(__file__).parent / "data" / "councils.csv"
SAMPLE_FILE = Path(__file__).parent / "data" / "published-results-sample.csv"


@dataclass(frozen=True)
class CouncilInfo:
    ons_code: str
    name: str
    region: str
    org_type: str


@lru_cache(maxsize=1)
def _council_lookup() -> dict[str, CouncilInfo]:
    """Councils by ONS code and by every normalised name and alias."""
    lookup: dict[str, CouncilInfo] = {}
    with COUNCILS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            info = CouncilInfo(row["ons_code"], row["name"], row["region"], row["org_type"])
            lookup[info.ons_code.lower()] = info
            for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                lookup[normalise_title(name)] = info
    return lookup


def council_info(*, name: str, ons_code: str = "") -> CouncilInfo | None:
    lookup = _council_lookup()
    if ons_code and ons_code.lower() in lookup:
        return lookup[ons_code.lower()]
    return lookup.get(normalise_title(name))


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    flagged: list[str]


def published_results_import(*, text: str, source: str, system_actor: str) -> ImportSummary:
    """Parse the whole file first; any bad row refuses the import and nothing changes."""
    try:
        rows = parse_published_results(text, source=source)
    except PublishedResultsError as error:
        raise ApplicationError(
            f"{source}: nothing was imported because of {len(error.errors)} problem(s)",
            extra={"errors": [str(e) for e in error.errors]},
        ) from error
    if not rows:
        raise ApplicationError(f"{source}: the file has no council rows; nothing was imported")
    created = updated = 0
    flagged: list[str] = []
    with transaction.atomic():
        for row in rows:
            extra = {k.lower(): v for k, v in row.extra.items()}
            info = council_info(name=row.la_name, ons_code=extra.get("ons_code", ""))
            defaults = {
                "ons_code": extra.get("ons_code") or (info.ons_code if info else ""),
                "region": extra.get("region") or (info.region if info else ""),
                "org_type": extra.get("org_type") or (info.org_type if info else ""),
                "la_type_source": row.la_type or "",
                "published_month": row.published_month or "",
                "published_year": row.published_year,
                "published_month_number": row.published_month_number,
                "rating": row.rating.value if row.rating else "",
                "rating_qualifier": row.rating_qualifier or "",
                "indicative": row.indicative,
                "uncertain": row.uncertain or row.published_month_uncertain,
                **row.scores,
                "total": row.total,
                "max_total": row.max,
                "percent": row.percentage,
                "computed_rating": row.recomputed_rating.value if row.recomputed_rating else "",
                "rating_mismatch": row.rating_mismatch,
                "figures_mismatch": row.figures_mismatch,
                "partial": row.has_scores and row.partial,
                "status_notes": row.status_notes or "",
                "source_file": source[:255],
            }
            _, was_created = PublishedResult.objects.update_or_create(
                la_name=row.la_name, defaults=defaults
            )
            created += was_created
            updated += not was_created
            if row.rating_mismatch or row.figures_mismatch:
                flagged.append(row.la_name)
        audit_record(
            event=AuditEventType.PUBLISHED_RESULTS_IMPORTED,
            system_actor=system_actor,
            extra={
                "source": source,
                "rows": len(rows),
                "created": created,
                "updated": updated,
                "flagged": flagged,
            },
        )
    return ImportSummary(created=created, updated=updated, flagged=flagged)


def published_results_import_file(*, path: Path, system_actor: str) -> ImportSummary:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ApplicationError(f"{path}: file not found") from error
    except UnicodeDecodeError as error:
        raise ApplicationError(f"{path}: the file is not UTF-8 text") from error
    return published_results_import(text=text, source=str(path), system_actor=system_actor)
