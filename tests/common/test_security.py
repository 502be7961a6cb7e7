"""Security headers, audit rules and error pages."""

from __future__ import annotations

import pytest
from django.test import Client

from careassure.common.audit import AuditEventType, audit_record

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy() -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_each_request_gets_a_new_nonce() -> None:
    first = Client().get("/")["Content-Security-Policy"]
    second = Client().get("/")["Content-Security-Policy"]
    assert first != second


def test_audit_refuses_a_write_with_no_actor() -> None:
    with pytest.raises(ValueError, match="needs an actor"):
        audit_record(event=AuditEventType.ORGANISATION_CREATED)


def test_unknown_pages_get_the_govuk_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_csrf_failure_gets_a_plain_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Sorry, we could not save that" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/cookies/", "/privacy/", "/sign-in/"])
def test_public_pages_render(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert '<html lang="en-GB"' in response.content.decode()


def test_stateless_views_keep_the_security_headers_and_never_touch_the_session() -> None:
    response = Client().get("/healthz")
    assert response.content == b"ok"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_failing_stateless_view_gets_the_error_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.urls import ResolverMatch

    from careassure.common import middleware

    def broken(request: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(
        middleware, "resolve", lambda path: ResolverMatch(broken, (), {}, url_name="healthz")
    )
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 500
    assert '<html lang="en-GB"' in response.content.decode()
