"""Test settings: fast hashing, in-memory email, no secure-cookie requirement over http."""

from careassure.config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Case tracking: a fixed pseudonym key for tests (read from the environment, never stored).
import os  # noqa: E402

os.environ.setdefault("CAREASSURE_PSEUDONYM_KEY", "test-only-pseudonym-key-not-secret")
