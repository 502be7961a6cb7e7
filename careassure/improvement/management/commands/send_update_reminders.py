"""Remind action owners whose requested monthly update has not arrived. Run daily (cron)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from careassure.improvement.services import update_reminders_send

SYSTEM_ACTOR = "cli:send-update-reminders"


class Command(BaseCommand):
    help = "Email a reminder to owners whose update was requested at least --after-days ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after-days", type=int,
            default=getattr(settings, "CAREASSURE_UPDATE_REMINDER_DAYS", 7),
            help="Days after the request (or the last reminder) before reminding (default 7)",
        )  # fmt: skip
        parser.add_argument("--period", help="Only this month, YYYY-MM")
        parser.add_argument(
            "--base-url", default=getattr(settings, "CAREASSURE_BASE_URL", "http://127.0.0.1:8000/"),
            help="The service's address, for the link in the email",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["after_days"] < 1:
            self.stderr.write("--after-days must be 1 or more")
            raise SystemExit(2)
        reminded = update_reminders_send(
            now=timezone.now(), after_days=options["after_days"], base_url=options["base_url"],
            system_actor=SYSTEM_ACTOR, period=options.get("period"),
        )  # fmt: skip
        for request in reminded:
            self.stdout.write(
                f"Reminded {request.sent_to} about {request.action.ref} ({request.period})"
            )
        self.stdout.write(f"{len(reminded)} reminders sent")
