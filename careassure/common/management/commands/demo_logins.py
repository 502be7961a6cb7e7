from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from careassure.common.demo import DEMO_USERS, OTHER_USERS, demo_password


class Command(BaseCommand):
    help = "Print how to sign in to the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        lines = [
            "",
            "CareAssure demo: open http://127.0.0.1:8000 and sign in with one of these",
            f"usernames. Every demo user's password is: {demo_password()}",
            "",
        ]
        for username, first, last, role, _ in DEMO_USERS:
            lines.append(f"  {username:<20} {first} {last}, {role.label} (Kent County Council)")
        for username, first, last, role, _ in OTHER_USERS:
            lines.append(
                f"  {username:<20} {first} {last}, {role.label} (Staffordshire County Council)"
            )
        lines += ["", "Public pages need no sign-in. Press Ctrl+C to stop the server.", ""]
        self.stdout.write("\n".join(lines))
