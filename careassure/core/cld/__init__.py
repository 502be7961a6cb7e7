"""Client Level Data (CLD): specification, validation and loading into DuckDB."""

from careassure.core.cld.errors import CldError, CldFileError, CldSpecError
from careassure.core.cld.findings import Finding
from careassure.core.cld.ingest import LoadReport, load_file, load_files, validate_files

__all__ = [
    "CldError",
    "CldFileError",
    "CldSpecError",
    "Finding",
    "LoadReport",
    "load_file",
    "load_files",
    "validate_files",
]
