"""Settings, read from the environment.

Unset DATABASE_URL → a SQLite file; unset REDIS_URL → in-memory channel layer, local-memory
cache and Celery tasks run inline. Set, the same code runs on PostgreSQL, channels-redis, a
Redis cache and a Redis broker. Every variable is listed in the README.
"""

import base64
import hashlib
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from peersupport.logconfig import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # A production server must never fall back to a known key: sessions and password
        # reset links would be forgeable.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-do-not-use-in-production"
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # A short key can be guessed offline from any signed cookie or link.
    raise ImproperlyConfigured(
        "SECRET_KEY is too short: use at least 50 random characters (for example: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'). Generate it once and "
        "keep it in .env: a new key signs everyone out and breaks every e-mailed link."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
# Who the site says it is, in pages and e-mails (never the host name), who runs it, and where
# people can write. The about, guidelines and terms pages read these until an administrator
# writes their own text in the admin (Pages).
SITE_NAME = env.str("SITE_NAME", default="Peer Support")
SITE_OPERATOR = env.str("SITE_OPERATOR", default="")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="")
if not DEBUG:
    # Half-configured production fails at start-up, naming the variable, rather than e-mailing
    # links that point at localhost or refusing every form as a cross-site request.
    if not SITE_URL:
        raise ImproperlyConfigured(
            "SITE_URL is not set. Set it to the address people use, e.g. "
            "https://peersupport.example.org (e-mailed links are built from it)."
        )
    if not CSRF_TRUSTED_ORIGINS:
        raise ImproperlyConfigured(
            "CSRF_TRUSTED_ORIGINS is not set. Set it to the site's origin, e.g. "
            "https://peersupport.example.org (usually the same as SITE_URL)."
        )

# The personal safety plan is encrypted at rest (cryptography's MultiFernet): SAFETY_PLAN_KEYS
# holds Fernet keys, comma-separated, newest first. The newest encrypts; every key decrypts, so
# a key can be rotated (add the new one in front, run `manage.py safety_plan_reencrypt`, then
# drop the old one). In debug a development key is derived from SECRET_KEY.
SAFETY_PLAN_KEYS = env.list("SAFETY_PLAN_KEYS", default=[])
if not SAFETY_PLAN_KEYS:
    if not DEBUG:
        # Never a known or derived key in production: a database dump alone must reveal nothing.
        raise ImproperlyConfigured(
            "SAFETY_PLAN_KEYS is not set. Set it to one or more Fernet keys, comma-separated, "
            "newest first (for example: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'). Keep every key: plans written with a key "
            "cannot be read without it."
        )
    SAFETY_PLAN_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"peersupport-safety-plan-dev:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
for _number, _key in enumerate(SAFETY_PLAN_KEYS, start=1):
    try:
        _raw = base64.urlsafe_b64decode(_key.encode())
    except ValueError:
        _raw = b""
    if len(_raw) != 32:
        raise ImproperlyConfigured(
            f"SAFETY_PLAN_KEYS: key {_number} is not a Fernet key (32 bytes, URL-safe base64). "
            "Generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "peersupport",
    "peersupport.accounts",
    "peersupport.notifications",
    "peersupport.pages",
    "peersupport.safety_plan",
    "groups",
    "stories",
    "moderation",
    "resources",
    "groups.sessions.apps.SessionsConfig",
    "groups.chat.apps.ChatConfig",
]

MIDDLEWARE = [
    # /healthz answers whatever the Host header (orchestrators probe by address).
    "peersupport.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "peersupport.middleware.PermissionsPolicyMiddleware",
    "peersupport.middleware.AsyncWhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "peersupport.safety_plan.middleware.ClearSiteDataOnSignOutMiddleware",
    "peersupport.accounts.middleware.UserTimezoneMiddleware",
    "peersupport.accounts.middleware.SessionActivityMiddleware",
]

ROOT_URLCONF = "peersupport.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peersupport.context_processors.site",
                "peersupport.notifications.context_processors.unread",
                "peersupport.accounts.context_processors.privacy",
            ],
        },
    },
]

WSGI_APPLICATION = None
ASGI_APPLICATION = "peersupport.asgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Under ASGI each request may run on a different thread, so persistent per-thread
    # connections leak; a psycopg connection pool is the supported way to reuse them.
    if env.bool("DB_POOL", default=True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN", default=2),
            "max_size": env.int("DB_POOL_MAX", default=10),
            "timeout": 10,
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: cache, channel layer, Celery broker ---------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ps",
        }
    }
    # The publish/subscribe layer sends one Redis message per server process per broadcast and
    # fans out locally, which keeps chat delivery fast in a busy room. It may drop a message
    # under pressure; chat never depends on it for completeness (every socket fills gaps from
    # the database and the client syncs now and then). CHANNEL_LAYER=core picks the list-based
    # layer instead.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": {
                "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "core": "channels_redis.core.RedisChannelLayer",
            }[env.str("CHANNEL_LAYER", default="pubsub")],
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env.str("CHANNELS_PREFIX", default="ps")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not bool(REDIS_URL) or env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=False
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
# Longer than the longest task, so an unacknowledged job is redelivered only after a worker
# really died, never while one is still working on it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    # Accounts whose 14-day deletion grace period is over are purged (idempotent).
    "account-purges-due": {
        "task": "peersupport.accounts.tasks.account_purges_due",
        "schedule": 60 * 60,
    },
    # Digests go out at each member's chosen hour in their own time zone.
    "notification-digests-due": {
        "task": "peersupport.notifications.tasks.notification_digests_due",
        "schedule": 15 * 60,
    },
    # A broker outage or a dead worker delays an e-mail; this makes sure it is never lost.
    "notification-outbox-sweep": {
        "task": "peersupport.notifications.tasks.notification_outbox_sweep",
        "schedule": 5 * 60,
    },
    # resources: e-mail administrators the resources due for review, Monday mornings.
    "resources-review-reminder": {
        "task": "resources.tasks.resource_review_reminder_send",
        "schedule": crontab(minute=0, hour=7, day_of_week="monday"),
    },
    # safety: alert administrators about urgent cases nobody acknowledged in time.
    "safety-escalations-due": {
        "task": "moderation.tasks.safety_escalations_due",
        "schedule": 60,
    },
    # the risk protocol: remind facilitators of the follow-ups they planned.
    "case-follow-ups-due": {
        "task": "moderation.tasks.case_follow_ups_due",
        "schedule": 60,
    },
    # safety: a broker outage or a dead worker delays a scan; this makes sure it is never lost.
    "safety-scan-sweep": {
        "task": "moderation.tasks.safety_scan_sweep",
        "schedule": 2 * 60,
    },
    # sessions: reminders 24 hours and 15 minutes before, to those going; each goes exactly
    # once, and a run after an outage sends what is still useful (never a reminder too late).
    "session-reminders-due": {
        "task": "groups.sessions.tasks.session_reminders_due",
        "schedule": 60,
    },
    # chat: connections a crashed server never closed stop counting as "here now".
    "chat-presence-sweep": {
        "task": "groups.chat.tasks.chat_presence_sweep",
        "schedule": 2 * 60,
    },
    # privacy: expired data exports are deleted at once; lost export builds are re-enqueued.
    "data-exports-sweep": {
        "task": "peersupport.accounts.tasks.data_exports_sweep",
        "schedule": 5 * 60,
    },
    # retention (see the privacy notice and the README): chat past each group's retention,
    # safety-scan match details after 90 days, sent e-mail outbox rows after 30 days.
    "retention-chat-messages": {
        "task": "groups.chat.tasks.chat_retention_apply",
        "schedule": crontab(minute=10, hour=3),
    },
    "retention-safety-scan-details": {
        "task": "moderation.tasks.safety_scan_details_purge",
        "schedule": crontab(minute=20, hour=3),
    },
    "retention-email-outbox": {
        "task": "peersupport.notifications.tasks.notification_outbox_purge",
        "schedule": crontab(minute=30, hour=3),
    },
}
# With tasks inline and no beat process (the embedded default, `make run`), the web process
# runs the beat schedule itself (peersupport/scheduler.py), so escalation, sweeps and digests
# still happen. Off when a real `celery beat` runs (REDIS_URL set) and in tests.
PERIODIC_JOBS_IN_PROCESS = env.bool(
    "PERIODIC_JOBS_IN_PROCESS", default=CELERY_TASK_ALWAYS_EAGER and not REDIS_URL
)
PERIODIC_JOBS_TICK_SECONDS = env.float("PERIODIC_JOBS_TICK_SECONDS", default=5.0)
# Where data exports (ZIP files) wait for their owner, outside any public URL. With several
# processes (web, worker) this must be storage they share, e.g. a volume.
DATA_EXPORT_ROOT = env.str("DATA_EXPORT_ROOT", default=str(BASE_DIR / "private" / "exports"))
# Minutes an urgent case may wait for a facilitator before administrators are alerted.
SAFETY_ESCALATE_AFTER_MINUTES = env.int("SAFETY_ESCALATE_AFTER_MINUTES", default=15)

# --- Authentication (django-allauth) --------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "peersupport.accounts.forms.SignupExtraForm"
# "optional": a new member signs in at once and can post their first story; the address is
# confirmed from a banner and the e-mailed link. Until it is, groups.permissions
# (can_receive_email, can_be_facilitator) sends no e-mail notifications and allows no
# facilitator role: the README lists what verification gates.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_SIGNUP_REDIRECT_URL = "welcome:welcome"
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "peersupport.accounts.adapter.AccountAdapter"
# allauth's rate limits stay on (its defaults), tightened for sign-in and sign-up. Failed
# sign-ins: 10 a minute from one address whatever the account, and 5 in any 5 minutes per
# (address, account) -- the adapter puts the address in the "key" -- a sliding window that
# slows a guesser down to one try a minute and never locks the owner out from elsewhere.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Days a member may still cancel their account's deletion by signing in.
ACCOUNT_DELETION_GRACE_DAYS = env.int("ACCOUNT_DELETION_GRACE_DAYS", default=14)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="")
if not EMAIL_BACKEND:
    if env.str("EMAIL_HOST", default=""):
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    elif DEBUG:
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    else:
        # Without a mail server nobody can verify an address or reset a password; say so now
        # instead of printing sign-in links into the log.
        raise ImproperlyConfigured(
            "No e-mail is configured. Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, "
            "EMAIL_HOST_PASSWORD) for your mail server, or choose EMAIL_BACKEND explicitly."
        )
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    # Same output in development; with DEBUG off the body (which may hold a sign-in or reset
    # link, as good as a password) is withheld from the log.
    EMAIL_BACKEND = "peersupport.mail.ConsoleEmailBackend"
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "EMAIL_USE_SSL and EMAIL_USE_TLS are both on: choose one (SSL for port 465, "
        "TLS/STARTTLS for port 587)."
    )
EMAIL_PORT = env.int("EMAIL_PORT", default=465 if EMAIL_USE_SSL else 587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
# A stalled mail server must not hold a worker for ever; the task retries with backoff.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Peer Support <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features no page here uses are switched off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
CSRF_FAILURE_VIEW = "peersupport.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # No SECURE_PROXY_SSL_HEADER: Django would then believe X-Forwarded-Proto from anyone.
    # The web server (peersupport/serve.py) takes the scheme from X-Forwarded-Proto only when
    # the request comes from FORWARDED_ALLOW_IPS, and Django reads it from there.

# A strict Content-Security-Policy: nothing inline, nothing third-party. The data: image
# source is for the QR code on the two-factor set-up page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Logging --------------------------------------------------------------------------------
# One line per event with time, level and logger; LOG_FORMAT=json for a log collector. The
# web server (peersupport/serve.py) and Celery use the same configuration.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = logging_config(level=env.str("LOG_LEVEL", default="INFO"), fmt=LOG_FORMAT)

# --- The product's own knobs ----------------------------------------------------------------
DEMO_PASSWORD = "peer-support-demo"

# --- moderation -----------------------------------------------------------------------------
# Distinct members' reports that hide an item pending review ("someone may be at risk"
# reports don't count: a person decides those).
MODERATION_AUTO_HIDE_REPORTS = env.int("MODERATION_AUTO_HIDE_REPORTS", default=3)
# How many of a member's first stories in a group wait for a facilitator.
MODERATION_HOLD_FIRST_POSTS = env.int("MODERATION_HOLD_FIRST_POSTS", default=1)
# Reports one member may send per window (count, seconds).
MODERATION_REPORT_RATE = (
    env.int("MODERATION_REPORT_RATE_COUNT", default=10),
    env.int("MODERATION_REPORT_RATE_SECONDS", default=600),
)
