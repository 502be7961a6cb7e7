"""Content Security Policy with a per-request nonce for the one inline script GOV.UK uses, and
a short cut past the session middleware for stateless views."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch, resolve, reverse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; "
            "img-src 'self' data:; "
            "font-src 'self'; "
            "object-src 'none'; "
            "base-uri 'self'; "
            "form-action 'self'; "
            "frame-ancestors 'none'",
        )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class StatelessViewsMiddleware:
    """Answer the URLs named in ``CAREASSURE_STATELESS_URL_NAMES`` without the middleware after
    this one in ``MIDDLEWARE`` (sessions, CSRF, authentication, the organisation, messages).

    Those views never read ``request.session``, the user, the organisation or messages, and
    take no form POST that CSRF protects (the JSON API is CSRF-exempt and has no
    authentication), so that middleware only costs time for them; ``request.user`` is an
    anonymous user for the error pages. The security headers, the Content Security Policy,
    static files and the host check come from the middleware before this one, which still
    runs. Other URLs pass through unchanged.

    The URLs have no parameters, so each one's ``ResolverMatch`` is worked out once and kept
    (resolving a path against every URL pattern costs more than the health check itself).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: frozenset[str] | None = None
        self._matches: dict[str, ResolverMatch] = {}

    def _stateless_paths(self) -> frozenset[str]:
        if self._paths is None:
            names = getattr(settings, "CAREASSURE_STATELESS_URL_NAMES", ())
            self._paths = frozenset(reverse(name) for name in names)
        return self._paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in self._stateless_paths():
            return self.get_response(request)
        # Error pages (404, 500) show the navigation for a signed-out visitor.
        request.user = AnonymousUser()
        match = self._matches.get(request.path_info)
        if match is None:
            match = self._matches[request.path_info] = resolve(request.path_info)
        request.resolver_match = match
        response: HttpResponse | None = match.func(request, *match.args, **match.kwargs)
        if response is None:
            raise ValueError(f"The view {match.view_name} returned None.")
        render = getattr(response, "render", None)
        if callable(render):  # REST framework's responses are rendered late, as in Django
            response = render()
        return response
