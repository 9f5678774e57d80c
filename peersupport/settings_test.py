"""Settings for the test suite: the same settings, with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# DEBUG is off in tests, as in production, which refuses to start without these.
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("CSRF_TRUSTED_ORIGINS", "http://testserver")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# A fixed test-only key for the safety plan's encryption (production refuses to start without).
os.environ.setdefault("SAFETY_PLAN_KEYS", "nqQQ-VuUkE2oIaUW0rCRZsFStosVdWir-OFo5Ei-6Jc=")

from .settings import *  # noqa: E402,F403
from .settings import DATABASES, IS_POSTGRES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real worker started by a test may write e-mails to files instead (pytest itself always
# uses locmem).
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if IS_POSTGRES:
    # Tests open and close many connections from server threads; a pool would outlive the
    # test database.
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A file, not memory, so a live server thread sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(BASE_DIR, "test-db.sqlite3")}  # noqa: F405
ACCOUNT_RATE_LIMITS = False
# Tests run periodic jobs themselves; a live server must not run its own schedule meanwhile.
PERIODIC_JOBS_IN_PROCESS = False
# Data exports built by tests land inside the checkout, never in the real folder.
DATA_EXPORT_ROOT = os.path.join(BASE_DIR, ".test-exports")  # noqa: F405
