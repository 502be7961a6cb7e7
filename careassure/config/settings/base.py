"""Settings shared by every environment. Environments differ only by environment variables."""

from __future__ import annotations

import dj_database_url

from careassure.config.env import BASE_DIR, env_bool, env_int, env_list, env_str

VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str("CAREASSURE_SECRET_KEY", "")
DEBUG = env_bool("CAREASSURE_DEBUG", False)
ALLOWED_HOSTS = env_list("CAREASSURE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "careassure.common",
    "careassure.accounts",
    "careassure.framework",
    "careassure.benchmarking",
    "careassure.charging",
    "careassure.metrics",
    "careassure.improvement",
    "careassure.reports",
    "careassure.assessments",
    "careassure.evidence",
    "careassure.casetracking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "careassure.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The views named in CAREASSURE_STATELESS_URL_NAMES are answered here, without the rest.
    "careassure.common.middleware.StatelessViewsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "careassure.accounts.middleware.OrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
# Views that use no session, user, organisation, messages or CSRF-protected form: the public
# care cost estimate API and the load balancers' health check (see StatelessViewsMiddleware).
CAREASSURE_STATELESS_URL_NAMES = ["charging:api-estimate", "charging:healthz"]

ROOT_URLCONF = "careassure.config.urls"
WSGI_APPLICATION = "careassure.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "careassure" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "careassure.config.jinja2_env.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "careassure.common.context_processors.service",
            ],
        },
    },
    {
        # Django's own templates (admin-free): only used by DRF's browsable pages, which are off.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'careassure.sqlite3'}"),
        conn_max_age=env_int("CAREASSURE_DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "common:start"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    BASE_DIR / "careassure" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded evidence is stored outside the web root and only served through a permission check.
MEDIA_ROOT = env_str("CAREASSURE_MEDIA_ROOT", str(VAR_DIR / "uploads"))

# Security: cookies, CSRF and CSP are on in every environment; HTTPS-only flags follow the
# CAREASSURE_SECURE_COOKIES variable (on in production, off for the local http demo).
SECURE_COOKIES = env_bool("CAREASSURE_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("CAREASSURE_SESSION_AGE_SECONDS", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("CAREASSURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("CAREASSURE_HSTS_SECONDS", 0)
CSRF_FAILURE_VIEW = "careassure.common.views.csrf_failure"

EMAIL_BACKEND = env_str(
    "CAREASSURE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("CAREASSURE_FROM_EMAIL", "careassure@localhost")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CareAssure API",
    "DESCRIPTION": "CQC local authority assessment: scoring, published results and more.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "OAS_VERSION": "3.1.0",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("CAREASSURE_LOG_LEVEL", "INFO")},
    # Libraries that log every step at INFO: keep them to warnings.
    "loggers": {
        name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "py4j", "matplotlib")
    },
}

CAREASSURE_DUCKDB_PATH = env_str("CAREASSURE_DUCKDB_PATH", str(VAR_DIR / "metrics.duckdb"))
AUTH_USER_MODEL = "accounts.User"
