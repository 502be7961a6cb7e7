"""Jinja2 environment: GOV.UK Frontend macros, `url` and `static` globals, display filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape


def url(name: str, *args: Any, query: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
    path = reverse(name, args=args or None, kwargs=kwargs or None)
    if query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"
    return path


def govuk_date(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    """GOV.UK style dates: 5 January 2026 (and 2:30pm)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        text = f"{local.day} {local:%B %Y}"
        if with_time:
            hour = local.hour % 12 or 12
            minute = f":{local.minute:02d}" if local.minute else ""
            text += f" at {hour}{minute}{'am' if local.hour < 12 else 'pm'}"
        return text
    return f"{value.day} {value:%B %Y}"


def number(value: int | float | Decimal | None, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{places}f}"


def environment(**options: Any) -> Environment:
    loader = options.pop("loader", None)
    loaders = [
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ]
    if loader is not None:
        loaders.insert(0, loader)
    options.setdefault("autoescape", select_autoescape(["html", "jinja", "xml"]))
    env = Environment(loader=ChoiceLoader(loaders), **options)  # noqa: S701 - autoescape set above
    env.globals.update({"url": url, "static": static, "get_messages": get_messages})
    env.filters.update({"govuk_date": govuk_date, "number": number})
    return env
