"""Render Vega-Lite charts (built with altair) to SVG on the server, so pages need no
JavaScript and reports can embed the same image. Every chart shown has alt text and a table."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

import vl_convert as vlc


@lru_cache(maxsize=64)
def _svg_from_spec(spec_json: str) -> str:
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


def chart_svg(spec: dict[str, Any]) -> str:
    return _svg_from_spec(json.dumps(spec, sort_keys=True))


def chart_data_uri(spec: dict[str, Any]) -> str:
    svg = chart_svg(spec)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
