"""The demo council, its users and the hooks each app uses to add its own demo data.

Each installed app may have a `demo` module with `seed_demo(context: DemoContext) -> None`;
`manage.py demo_seed` calls them in INSTALLED_APPS order. Every seeder must be safe to re-run."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

from careassure.accounts.models import Organisation, User
from careassure.accounts.roles import Role
from careassure.accounts.services import membership_set, organisation_create_or_update

SYSTEM_ACTOR = "cli:demo-seed"
DEMO_PASSWORD_ENV = "CAREASSURE_DEMO_PASSWORD"  # noqa: S105 - the variable name, not a value
DEFAULT_DEMO_PASSWORD = "demo-password"  # noqa: S105 - a published demo credential, local only

DEMO_COUNCIL = {
    "name": "Kent County Council",
    "ons_code": "E10000016",
    "region": "south_east",
    "org_type": "county",
}
OTHER_COUNCIL = {
    "name": "Staffordshire County Council",
    "ons_code": "E10000028",
    "region": "west_midlands",
    "org_type": "county",
}
DEMO_USERS = [
    ("kent.admin", "Aisha", "Khan", Role.ADMIN, True),
    ("kent.lead", "Ben", "Walker", Role.ASSESSMENT_LEAD, False),
    ("kent.contributor", "Chloe", "Evans", Role.CONTRIBUTOR, False),
    ("kent.viewer", "Dev", "Patel", Role.VIEWER, False),
    ("kent.board", "Esther", "Okafor", Role.BOARD_MEMBER, False),
]
OTHER_USERS = [("staffs.lead", "Fergus", "Hall", Role.ASSESSMENT_LEAD, False)]


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD)


@dataclass
class DemoContext:
    organisation: Organisation
    other_organisation: Organisation
    users: dict[str, User] = field(default_factory=dict)

    def user(self, role: Role) -> User:
        return self.users[role.value]


def _user(username: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(demo_password())
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_council_seed() -> DemoContext:
    org = organisation_create_or_update(**DEMO_COUNCIL, system_actor=SYSTEM_ACTOR)
    other = organisation_create_or_update(**OTHER_COUNCIL, system_actor=SYSTEM_ACTOR)
    context = DemoContext(organisation=org, other_organisation=other)
    for username, first, last, role, reidentify in DEMO_USERS:
        user = _user(username, first, last)
        membership_set(
            user=user,
            organisation=org,
            role=role,
            system_actor=SYSTEM_ACTOR,
            can_reidentify=reidentify,
        )
        context.users[role.value] = user
    for username, first, last, role, reidentify in OTHER_USERS:
        user = _user(username, first, last)
        membership_set(
            user=user,
            organisation=other,
            role=role,
            system_actor=SYSTEM_ACTOR,
            can_reidentify=reidentify,
        )
    return context


def app_seeders() -> list[str]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("careassure."):
            continue
        try:
            importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        modules.append(f"{config.name}.demo")
    return modules
