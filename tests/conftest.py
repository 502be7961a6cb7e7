"""Shared fixtures: two councils and a named member for each role (persona fixtures)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from careassure.accounts.models import Membership, Organisation, User
from careassure.accounts.roles import Role

PASSWORD = "a-test-password-123"  # noqa: S105


@pytest.fixture
def kent(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Kent County Council", ons_code="E10000016", region="south_east", org_type="county"
    )


@pytest.fixture
def staffordshire(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Staffordshire County Council",
        ons_code="E10000028",
        region="west_midlands",
        org_type="county",
    )


@pytest.fixture
def make_member(db: None) -> Callable[..., User]:
    def make(username: str, org: Organisation, role: Role, *, can_reidentify: bool = False) -> User:
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.split("_")[0].title(),
            last_name="Tester",
            email=f"{username}@example.org",
        )
        Membership.objects.create(
            user=user, organisation=org, role=role, can_reidentify=can_reidentify
        )
        return user

    return make


@pytest.fixture
def council_admin(kent: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("aisha_admin", kent, Role.ADMIN, can_reidentify=True)


@pytest.fixture
def assessment_lead(kent: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("ben_lead", kent, Role.ASSESSMENT_LEAD)


@pytest.fixture
def second_lead(kent: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("grace_lead", kent, Role.ASSESSMENT_LEAD)


@pytest.fixture
def contributor(kent: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("chloe_contributor", kent, Role.CONTRIBUTOR)


@pytest.fixture
def viewer(kent: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("dev_viewer", kent, Role.VIEWER)


@pytest.fixture
def board_member(kent: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("esther_board", kent, Role.BOARD_MEMBER)


@pytest.fixture
def other_council_user(staffordshire: Organisation, make_member: Callable[..., User]) -> User:
    return make_member("fergus_other", staffordshire, Role.ADMIN, can_reidentify=True)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
