"""Settings for `make bench`: production-like (DEBUG off) over plain HTTP on loopback, plus a baseline page."""

import os

os.environ.setdefault(
    "SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-bench"
)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("SAFETY_PLAN_KEYS", "vZhaQfxS7pxz9CnH-0ir6hY2kD4sXTcvzkOo6Bo_5hI=")

from peersupport.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# No collectstatic step: serve static files from the app folders, as the tests do.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The bench measures the story page with and without its cached reply cards (one lever).
STORIES_THREAD_CACHE = os.environ.get("BENCH_THREAD_CACHE", "on") != "off"
