"""Commands that read or write the application database start Django on demand, so the
pure commands (score, framework, charge, metrics) stay fast and need no database."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careassure.config.settings.local")
    import django

    django.setup()
