from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from careassure.framework.services import framework_versions_sync


class Command(BaseCommand):
    help = "Load the CQC framework versions shipped with CareAssure into the database."

    def handle(self, *args: Any, **options: Any) -> None:
        versions = framework_versions_sync(system_actor="cli:framework-sync")
        for version in versions:
            self.stdout.write(f"{version.key}: {version.title} ({version.status})")
