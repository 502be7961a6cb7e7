"""Production: everything comes from the environment; a missing secret key stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from careassure.config.settings.base import *  # noqa: F403
from careassure.config.settings.base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("Set CAREASSURE_SECRET_KEY to a long random value.")
