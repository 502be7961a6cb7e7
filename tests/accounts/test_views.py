"""Sign-in, sign-out, the dashboard and choosing a council."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from careassure.accounts.models import Organisation, User
from careassure.accounts.roles import Role
from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_the_right_password_goes_to_the_dashboard(assessment_lead: User) -> None:
    client = Client()
    response = client.post("/sign-in/", {"username": "ben_lead", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/").content.decode()
    assert "Kent County Council" in dashboard
    assert "You are signed in as assessment lead." in dashboard
    event = AuditEvent.objects.get(event_type=AuditEventType.USER_SIGNED_IN)
    assert event.actor == assessment_lead


def test_sign_in_with_a_wrong_password_shows_a_govuk_error(assessment_lead: User) -> None:
    response = Client().post("/sign-in/", {"username": "ben_lead", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a correct username and password" in html
    assert "<title>Error: Sign in" in html


def test_sign_in_with_nothing_entered_names_each_field() -> None:
    html = Client().post("/sign-in/", {}).content.decode()
    assert 'href="#id_username">Enter your username</a>' in html
    assert 'href="#id_password">Enter your password</a>' in html


def test_sign_in_never_redirects_off_site(assessment_lead: User) -> None:
    response = Client().post(
        "/sign-in/?next=https://evil.example/",
        {"username": "ben_lead", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/dashboard/"


def test_dashboard_needs_sign_in() -> None:
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/dashboard/")


def test_a_user_with_no_council_is_refused(db: None) -> None:
    user = User.objects.create_user(username="nobody", password=PASSWORD)
    client = Client()
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 403


def test_sign_out_needs_post_and_ends_the_session(
    assessment_lead: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(assessment_lead)
    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_choosing_a_council_only_offers_the_users_own(
    kent: Organisation,
    staffordshire: Organisation,
    make_member: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    user = make_member("multi_user", kent, Role.VIEWER)
    client = client_for(user)
    # Not a member of Staffordshire: the choice is refused and the council is unchanged.
    response = client.post("/choose-council/", {"organisation": staffordshire.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "Kent County Council" in client.get("/dashboard/").content.decode()


def test_choosing_another_of_the_users_councils_switches(
    kent: Organisation,
    staffordshire: Organisation,
    make_member: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    from careassure.accounts.models import Membership

    user = make_member("multi_user", kent, Role.VIEWER)
    Membership.objects.create(user=user, organisation=staffordshire, role=Role.ADMIN)
    client = client_for(user)
    client.post("/choose-council/", {"organisation": staffordshire.pk})
    html = client.get("/dashboard/").content.decode()
    assert "You are signed in as administrator." in html
    assert "Staffordshire County Council" in html
