"""Writes for case tracking: build the list from an import, record CQC's choices, consent and
contact, export, and re-identify. Every write checks permission and is audited; no personal
data (person ids, ages, names) is ever written to the audit log or to logs."""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from careassure.accounts.models import Membership
from careassure.accounts.permissions import require_permission
from careassure.casetracking.models import (
    CaseEntry,
    CaseList,
    ConsentBy,
    ConsentStatus,
    ContactStatus,
)
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError
from careassure.config.env import env_str
from careassure.core.casetracking import (
    DEFAULT_AGE_BANDS,
    DEFAULT_CQC_SELECTS,
    DEFAULT_LIST_SIZE,
    Person,
    PopulationError,
    PseudonymKeyError,
    age_band,
    build_case_list,
    check_key,
    default_dimensions,
    key_fingerprint,
    match_pseudonyms,
    parse_population,
    pseudonym,
)

if TYPE_CHECKING:
    from careassure.accounts.models import Organisation, User

KEY_ENV = "CAREASSURE_PSEUDONYM_KEY"
MANAGE = "casetracking.manage"
REIDENTIFY = "casetracking.reidentify"
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class PseudonymKeyMissing(ApplicationError):
    """The pseudonym key is not set in the environment (or is too short)."""


class PopulationInvalid(ApplicationError):
    """The imported file has errors; `errors` lists every one (row, column, value, rule)."""

    def __init__(self, error: PopulationError) -> None:
        super().__init__(
            f"The file has {len(error.errors)} "
            f"{'error' if len(error.errors) == 1 else 'errors'}. Nothing was imported.",
            {"errors": error.errors},
        )
        self.errors = error.errors


def pseudonym_key() -> str:
    """The key from the environment. It is never stored in the database."""
    key = env_str(KEY_ENV, "")
    try:
        return check_key(key)
    except PseudonymKeyError as exc:
        raise PseudonymKeyMissing(
            "Case tracking cannot pseudonymise people because the pseudonym key is not set up. "
            f"Ask your CareAssure administrator to set {KEY_ENV} (at least 16 characters)."
        ) from exc


def list_size_default() -> int:
    return int(getattr(settings, "CAREASSURE_CASE_TRACKING_LIST_SIZE", DEFAULT_LIST_SIZE))


def age_bands() -> tuple[tuple[int, str], ...]:
    """(lowest age, label) pairs, youngest first; setting CAREASSURE_CASE_TRACKING_AGE_BANDS."""
    bands = getattr(settings, "CAREASSURE_CASE_TRACKING_AGE_BANDS", DEFAULT_AGE_BANDS)
    return tuple((int(lower), str(label)) for lower, label in bands)


def cqc_selects() -> int:
    return int(getattr(settings, "CAREASSURE_CASE_TRACKING_CQC_SELECTS", DEFAULT_CQC_SELECTS))


def _membership(org: Organisation, actor: User) -> Membership | None:
    return Membership.objects.filter(organisation=org, user=actor).first()


def _demographics(people: list[Person], chosen: tuple[Person, ...]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for attr in ("gender", "ethnicity"):
        population = Counter(getattr(p, attr) for p in people)
        in_list = Counter(getattr(p, attr) for p in chosen)
        summary[attr] = [
            {"value": value, "in_population": population[value], "in_list": in_list[value]}
            for value in sorted(population)
        ]
    return summary


@transaction.atomic
def case_list_import(
    *,
    org: Organisation,
    actor: User,
    data: bytes,
    filename: str = "",
    cycle: Any = None,
    size: int | None = None,
    seed: int | None = None,
) -> CaseList:
    """Check every row of the file, then build and store the pseudonymised list.
    All or nothing: any error and nothing is stored. Replaces the cycle's previous list."""
    require_permission(_membership(org, actor), MANAGE)
    key = pseudonym_key()
    size = size or list_size_default()
    if not 1 <= size <= 500:
        raise ApplicationError("The list size must be between 1 and 500", {"field": "size"})
    if not data:
        raise ApplicationError("The selected file is empty", {"field": "file"})
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError("The selected file must be smaller than 20 MB", {"field": "file"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            "The selected file must be a CSV file saved as UTF-8", {"field": "file"}
        ) from exc
    try:
        people = parse_population(text, file=filename or "upload", today=timezone.localdate())
    except PopulationError as exc:
        raise PopulationInvalid(exc) from exc
    seed = seed if seed is not None else secrets.randbelow(10**9)
    bands = age_bands()
    result = build_case_list(people, seed=seed, size=size, dimensions=default_dimensions(bands))

    replaced = list(
        CaseList.objects.filter(organisation=org, cycle=cycle).values_list("pk", flat=True)
    )
    for old_id in replaced:
        audit_record(
            event=AuditEventType.CASE_LIST_DELETED,
            actor=actor,
            organisation=org,
            extra={"case_list": old_id, "reason": "replaced by a new import"},
        )
    CaseList.objects.filter(pk__in=replaced).delete()
    case_list = CaseList.objects.create(
        organisation=org,
        cycle=cycle,
        seed=seed,
        target_size=size,
        population_size=result.population_size,
        key_fingerprint=key_fingerprint(key),
        coverage=[
            {
                "dimension": c.dimension,
                "dimension_title": c.dimension_title,
                "value": c.value,
                "in_population": c.in_population,
                "in_list": c.in_list,
            }
            for c in result.coverage
        ],
        demographics=_demographics(people, result.people),
        source_filename=filename[-255:],
        created_by=actor,
    )
    CaseEntry.objects.bulk_create(
        [
            CaseEntry(
                case_list=case_list,
                pseudonym=pseudonym(p.person_id, key),
                age_band=age_band(p.age, bands),
                primary_support_reason=p.primary_support_reason,
                service_type=p.service_type,
                setting=p.setting,
                locality=p.locality,
                unpaid_carer=p.unpaid_carer,
                transition=p.transition,
                safeguarding=p.safeguarding,
                first_contact_date=p.first_contact_date,
                assessment_date=p.assessment_date,
                last_review_date=p.last_review_date,
            )
            for p in result.people
        ]
    )
    audit_record(
        event=AuditEventType.CASE_LIST_BUILT,
        actor=actor,
        organisation=org,
        obj=case_list,
        extra={
            "population_size": result.population_size,
            "list_size": len(result.people),
            "seed": seed,
            "missing_strata": len(result.missing),
            "replaced": replaced,
        },
    )
    return case_list


ENTRY_FIELDS = ["selected_by_cqc", "consent_status", "consent_by", "contact_status"]


@transaction.atomic
def case_entry_update(
    *,
    entry: CaseEntry,
    actor: User,
    selected_by_cqc: bool,
    consent_status: str,
    consent_by: str,
    contact_status: str,
) -> CaseEntry:
    org = entry.case_list.organisation
    require_permission(_membership(org, actor), MANAGE)
    if consent_status not in ConsentStatus.values:
        raise ApplicationError("Select whether consent was given", {"field": "consent_status"})
    if contact_status not in ContactStatus.values:
        raise ApplicationError("Select the contact status", {"field": "contact_status"})
    if consent_status == ConsentStatus.NOT_ASKED:
        consent_by = ""
    elif consent_by not in ConsentBy.values:
        raise ApplicationError("Select who gave or refused consent", {"field": "consent_by"})
    limit = cqc_selects()
    if selected_by_cqc and not entry.selected_by_cqc:
        already = entry.case_list.entries.filter(selected_by_cqc=True).count()
        if already >= limit:
            raise ApplicationError(
                f"CQC selects {limit} people and {already} are already marked. "
                "Unmark one before marking another",
                {"field": "selected_by_cqc"},
            )
    before = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    entry.selected_by_cqc = selected_by_cqc
    entry.consent_status = consent_status
    entry.consent_by = consent_by
    entry.contact_status = contact_status
    entry.save(update_fields=[*ENTRY_FIELDS, "updated_at"])
    audit_record(
        event=AuditEventType.CASE_ENTRY_UPDATED,
        actor=actor,
        organisation=org,
        obj=entry,
        before=before,
        after={name: getattr(entry, name) for name in ENTRY_FIELDS},
    )
    return entry


EXPORT_COLUMNS: list[tuple[str, str]] = [
    ("pseudonym", "Pseudonym"),
    ("age_band", "Age band"),
    ("primary_support_reason", "Primary support reason"),
    ("service_type", "Service type"),
    ("setting", "Setting"),
    ("locality", "Locality"),
    ("unpaid_carer", "Has an unpaid carer"),
    ("transition", "In transition from children's services"),
    ("safeguarding", "Safeguarding involvement"),
    ("first_contact_date", "First contact"),
    ("assessment_date", "Assessment"),
    ("last_review_date", "Last review"),
    ("selected_by_cqc", "Selected by CQC"),
    ("consent_status", "Consent"),
    ("consent_by", "Consent given or refused by"),
    ("contact_status", "Contact"),
]


def csv_safe(text: str) -> str:
    """Stop a spreadsheet treating a cell as a formula (=, +, -, @ at the start)."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def export_rows(case_list: CaseList) -> list[list[str]]:
    rows = []
    for entry in case_list.entries.order_by("pseudonym"):
        row = []
        for name, _ in EXPORT_COLUMNS:
            value = getattr(entry, name)
            if isinstance(value, bool):
                text = "yes" if value else "no"
            elif value is None:
                text = ""
            elif name in {"consent_status", "consent_by", "contact_status"}:
                text = str(getattr(entry, f"get_{name}_display")())
            elif hasattr(value, "isoformat"):
                text = value.isoformat()
            else:
                text = str(value)
            row.append(csv_safe(text))
        rows.append(row)
    return rows


def case_list_export(*, case_list: CaseList, actor: User, fmt: str) -> bytes:
    """The list as CSV or XLSX: pseudonyms and pathway fields only, no personal identifiers."""
    org = case_list.organisation
    require_permission(_membership(org, actor), MANAGE)
    header = [label for _, label in EXPORT_COLUMNS]
    rows = export_rows(case_list)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        data = out.getvalue().encode("utf-8-sig")
    elif fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Case tracking list"
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        raise ApplicationError("Choose CSV or XLSX")
    with transaction.atomic():
        audit_record(
            event=AuditEventType.CASE_LIST_EXPORTED,
            actor=actor,
            organisation=org,
            obj=case_list,
            extra={"format": fmt, "rows": len(rows)},
        )
    return data


def case_reidentify(*, case_list: CaseList, actor: User, person_ids: list[str]) -> dict[str, str]:
    """Match the council's own person ids to pseudonyms in the list (pseudonym -> person id).

    Needs the separate re-identification permission. The ids are hashed and compared, never
    stored; the audit row records how many were entered and which pseudonyms matched."""
    org = case_list.organisation
    require_permission(_membership(org, actor), REIDENTIFY)
    key = pseudonym_key()
    if key_fingerprint(key) != case_list.key_fingerprint:
        raise ApplicationError(
            "The pseudonym key has changed since this list was built, so people cannot be "
            "matched. Build the list again, or ask your administrator to restore the old key."
        )
    ids = [pid.strip() for pid in person_ids if pid.strip()]
    if not ids:
        raise ApplicationError("Enter at least one person ID", {"field": "person_ids"})
    listed = set(case_list.entries.values_list("pseudonym", flat=True))
    matches = match_pseudonyms(ids, listed, key)
    with transaction.atomic():
        audit_record(
            event=AuditEventType.CASE_REIDENTIFIED,
            actor=actor,
            organisation=org,
            obj=case_list,
            extra={"ids_entered": len(ids), "matched_pseudonyms": sorted(matches)},
        )
    return matches
