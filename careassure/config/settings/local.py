"""Local development and the demo: debug pages and plain-http cookies."""

from careassure.config.env import env_bool, env_str
from careassure.config.settings.base import *  # noqa: F403
from careassure.config.settings.base import VAR_DIR

DEBUG = env_bool("CAREASSURE_DEBUG", True)
SECRET_KEY = env_str("CAREASSURE_SECRET_KEY", "local-development-only-not-secret")
SESSION_COOKIE_SECURE = env_bool("CAREASSURE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
VAR_DIR.mkdir(exist_ok=True)

# Case tracking: a published demo pseudonym key for local use only (production sets its own).
import os  # noqa: E402

os.environ.setdefault("CAREASSURE_PSEUDONYM_KEY", "local-demo-only-pseudonym-key-not-secret")
