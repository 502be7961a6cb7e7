from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from careassure.common.navigation import navigation_items

SERVICE_NAME = "CareAssure"


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": SERVICE_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "organisation": getattr(request, "organisation", None),
        "membership": getattr(request, "membership", None),
        "nav_items": navigation_items(request),
    }
