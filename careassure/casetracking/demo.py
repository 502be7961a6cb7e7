"""Demo case tracking for Kent: a list of 50 built from 400 synthetic people (generated
reproducibly; every person is invented), 10 marked as selected by CQC, with consent and
contact recorded for some of them. Safe to re-run."""

from __future__ import annotations

from careassure.casetracking import selectors
from careassure.casetracking.models import ConsentBy, ConsentStatus, ContactStatus
from careassure.casetracking.services import case_entry_update, case_list_import
from careassure.common.demo import DemoContext
from careassure.core.casetracking.synthetic import population_csv, synthetic_population

POPULATION_SEED = 2024
LIST_SEED = 20240701
POPULATION_SIZE = 400

# (consent status, given or refused by, contact status) for the 10 people CQC selects.
SELECTED_STATES = [
    (ConsentStatus.GIVEN, ConsentBy.PERSON, ContactStatus.CONTACTED),
    (ConsentStatus.GIVEN, ConsentBy.FAMILY_CARER, ContactStatus.CONTACTED),
    (ConsentStatus.GIVEN, ConsentBy.PERSON, ContactStatus.CONTACTED),
    (ConsentStatus.GIVEN, ConsentBy.PERSON, ContactStatus.ATTEMPTED),
    (ConsentStatus.REFUSED, ConsentBy.PERSON, ContactStatus.NOT_CONTACTED),
    (ConsentStatus.GIVEN, ConsentBy.FAMILY_CARER, ContactStatus.CONTACTED),
    (ConsentStatus.NOT_ASKED, "", ContactStatus.ATTEMPTED),
    (ConsentStatus.NOT_ASKED, "", ContactStatus.UNABLE),
    (ConsentStatus.REFUSED, ConsentBy.FAMILY_CARER, ContactStatus.NOT_CONTACTED),
    (ConsentStatus.NOT_ASKED, "", ContactStatus.NOT_CONTACTED),
]


def seed_demo(context: DemoContext) -> None:
    org = context.organisation
    lead = context.users["assessment_lead"]
    cycle = selectors.current_cycle(org=org)
    if selectors.case_list_current(org=org, cycle=cycle) is not None:
        return
    people = synthetic_population(POPULATION_SIZE, seed=POPULATION_SEED)
    case_list = case_list_import(
        org=org,
        actor=lead,
        data=population_csv(people).encode(),
        filename="synthetic-kent-population.csv",
        cycle=cycle,
        seed=LIST_SEED,
    )
    # CQC's choice in the demo: every fifth person in pseudonym order.
    entries = list(case_list.entries.order_by("pseudonym"))[::5]
    for entry, (consent, by, contact) in zip(entries, SELECTED_STATES, strict=False):
        case_entry_update(
            entry=entry,
            actor=lead,
            selected_by_cqc=True,
            consent_status=consent,
            consent_by=by,
            contact_status=contact,
        )
