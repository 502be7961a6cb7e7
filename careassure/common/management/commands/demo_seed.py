from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand

from careassure.common.demo import app_seeders, demo_council_seed


class Command(BaseCommand):
    help = "Load the demo: framework, published results, the demo council, users and app data."

    def handle(self, *args: Any, **options: Any) -> None:
        context = demo_council_seed()
        self.stdout.write(f"Demo council: {context.organisation.name}")
        for module_name in app_seeders():
            module = importlib.import_module(module_name)
            seed = getattr(module, "seed_demo", None)
            if seed is None:
                continue
            self.stdout.write(f"Loading demo data: {module_name.split('.')[1]}")
            seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
