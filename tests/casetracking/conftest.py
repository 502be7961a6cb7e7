from __future__ import annotations

import pytest

from careassure.casetracking.models import CaseList
from careassure.casetracking.services import case_list_import
from careassure.core.casetracking.synthetic import population_csv, synthetic_population

KEY = "test-only-pseudonym-key-not-secret"


def population_bytes(n: int = 120, seed: int = 4) -> bytes:
    return population_csv(synthetic_population(n, seed=seed)).encode()


@pytest.fixture
def case_list(kent, assessment_lead) -> CaseList:
    return case_list_import(
        org=kent, actor=assessment_lead, data=population_bytes(), filename="people.csv", seed=42
    )
