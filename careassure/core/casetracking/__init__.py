"""Case tracking: reading the population file, stratified reproducible sampling of the list of
people CQC chooses from, and keyed-hash pseudonyms. Pure Python: no Django."""

from careassure.core.casetracking.errors import (
    PopulationError,
    PseudonymKeyError,
    RowError,
    SamplingError,
)
from careassure.core.casetracking.population import (
    COLUMN_NAMES,
    COLUMNS,
    Person,
    parse_population,
)
from careassure.core.casetracking.pseudonyms import (
    check_key,
    key_fingerprint,
    match_pseudonyms,
    pseudonym,
)
from careassure.core.casetracking.sampling import (
    DEFAULT_AGE_BANDS,
    DEFAULT_CQC_SELECTS,
    DEFAULT_LIST_SIZE,
    CaseListResult,
    Dimension,
    StratumCoverage,
    age_band,
    build_case_list,
    default_dimensions,
)

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "DEFAULT_AGE_BANDS",
    "DEFAULT_CQC_SELECTS",
    "DEFAULT_LIST_SIZE",
    "CaseListResult",
    "Dimension",
    "Person",
    "PopulationError",
    "PseudonymKeyError",
    "RowError",
    "SamplingError",
    "StratumCoverage",
    "age_band",
    "build_case_list",
    "check_key",
    "default_dimensions",
    "key_fingerprint",
    "match_pseudonyms",
    "parse_population",
    "pseudonym",
]
