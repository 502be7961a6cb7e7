"""JSON Schemas for the calculator's input and output, generated from the pydantic models.

The committed copies in ``docs/schemas/`` are written by ``write_json_schemas`` and a test
checks that they are up to date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from careassure.core.charging.models import ChargingInput, ChargingResult

SCHEMA_FILES = {
    "charging-input.schema.json": "input",
    "charging-output.schema.json": "output",
}


def input_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``ChargingInput`` (what a JSON API request body holds)."""
    schema = ChargingInput.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def output_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``ChargingResult`` as serialised to JSON."""
    schema = ChargingResult.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render_json_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_json_schemas(folder: Path) -> list[Path]:
    """Write both schemas into ``folder`` (``docs/schemas`` in the repository)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, kind in SCHEMA_FILES.items():
        schema = input_json_schema() if kind == "input" else output_json_schema()
        path = folder / filename
        path.write_text(render_json_schema(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    import sys

    write_json_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas"))
