"""Email owners about assessment deadlines that are close or overdue. Run once a day;
running it again on the same day sends nothing new."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from careassure.assessments.reminders import DEFAULT_DAYS_AHEAD, reminders_send


class Command(BaseCommand):
    help = "Email owners of assessment deadlines that are due soon or overdue (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days-ahead",
            type=int,
            default=DEFAULT_DAYS_AHEAD,
            help=f"Start reminding this many days before a due date (default {DEFAULT_DAYS_AHEAD})",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The address of this CareAssure site, used for links in the emails",
        )
        parser.add_argument(
            "--date", default="", help="Run as if today were this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days_ahead: int = options["days_ahead"]
        if days_ahead < 0:
            raise CommandError(f"--days-ahead must be 0 or more, got {days_ahead}")
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"--date must be a date like 2024-04-01, got {options['date']!r}"
                ) from exc
        sent = reminders_send(today=today, days_ahead=days_ahead, base_url=options["base_url"])
        for reminder in sent:
            self.stdout.write(
                f"{reminder.cycle.organisation.name}: {reminder.title} -> {reminder.owner.email}"
            )
        self.stdout.write(f"{len(sent)} reminder(s) sent for {today.isoformat()}")
