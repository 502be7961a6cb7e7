from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "common/start.jinja")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "common/accessibility.jinja")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "common/cookies.jinja")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "common/privacy.jinja")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "common/error_404.jinja", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "common/error_403.jinja", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "common/error_500.jinja", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "common/error_csrf.jinja", status=403)
