"""`manage.py metrics_refresh`: load a council's extracts (and CLD files) into the dashboard."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careassure.accounts.models import Organisation
from careassure.common.exceptions import ApplicationError
from careassure.metrics.services import metrics_refresh

SYSTEM_ACTOR = "cli:metrics-refresh"


class Command(BaseCommand):
    help = "Work out KPIs (and ASCOF) from a council's extracts and store them for its dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="The council's ONS code, e.g. E10000016.")
        parser.add_argument("--extracts", type=Path, help="Folder holding the KPI extracts.")
        parser.add_argument("--cld", type=Path, nargs="*", default=[], help="CLD CSV files.")
        parser.add_argument("--population", type=Path, help="Population CSV for ASCOF 2B/2C.")
        parser.add_argument("--as-at", type=date.fromisoformat, help="As-at date, YYYY-MM-DD.")
        parser.add_argument("--synthetic", action="store_true", help="Label as synthetic data.")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(ons_code=options["org"]).first()
        if org is None:
            raise CommandError(f"No council with ONS code {options['org']}")
        try:
            run = metrics_refresh(
                org=org,
                extracts_dir=options["extracts"],
                cld_files=options["cld"],
                population=options["population"],
                as_at=options["as_at"],
                system_actor=SYSTEM_ACTOR,
                synthetic=options["synthetic"],
                source_label="Loaded with manage.py metrics_refresh",
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{org.name}: {run.kpi_value_count} KPI values and "
            f"{run.ascof_results.count()} ASCOF results as at {run.as_at.isoformat()} "
            f"(run {run.pk})"
        )
