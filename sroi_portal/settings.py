"""Settings for sroi-portal.

Every setting that differs between installations comes from an environment variable; each one is
listed with its default in the README (section "Configuration"). There are no secret defaults:
``SECRET_KEY`` is required unless ``DEBUG`` is on.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-debug-on"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (or DEBUG=true for local development)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "sroi_portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "sroi_portal",
    "contracts",
    "bouwblokken",
    "banenafspraak",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sroi_portal.processing_log.RequestIdMiddleware",  # X-Request-ID: the trace id of the processing log
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A body over the limit is a 413 before anything reads it (sroi_portal/limits.py).
    "sroi_portal.limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; logs out before django-otp looks at the user.
    "sroi_portal.accounts.session_limits.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sroi_portal.accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sroi_portal.api.middleware.APIVersionMiddleware",
    # Turns a lock-out (too many failed logins) into the Dutch 429 page; last, as axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sroi_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sroi_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "sroi_portal.wsgi.application"

# Database: the embedded default is a SQLite file; DATABASE_URL takes PostgreSQL
# (postgres://user:password@host:port/name).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "sroi_portal.User"

# Argon2id first (Django's first recommendation: memory-hard, cheap in CPU per sign-in compared with
# PBKDF2 at 1.2 million iterations); older PBKDF2 hashes still verify and are rehashed with Argon2
# at the user's next sign-in (Django does this when the first hasher differs).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The portal answers in Dutch whatever the browser asks (Accept-Language) or the language cookie says,
# until another language's translation is complete: SROI_LANGUAGES lists the languages whose
# catalogue is complete (comma-separated codes; Dutch, the source language, is always the first and
# the default). LocaleMiddleware never switches to a language that is not listed, so Django's own
# texts (form errors, "Dit veld is vereist."), number formats (17.484) and <html lang> stay Dutch.
LANGUAGE_CODE = "nl"
LOCALE_PATHS = [BASE_DIR / "locale"]
_LANGUAGE_NAMES = {"nl": _("Nederlands"), "en": _("Engels"), "de": _("Duits"), "fr": _("Frans")}
LANGUAGES = [("nl", _LANGUAGE_NAMES["nl"])] + [
    (code, _LANGUAGE_NAMES.get(code, code)) for code in dict.fromkeys(env_list("SROI_LANGUAGES", "nl")) if code != "nl"
]
for _code, _name in LANGUAGES[1:]:
    if not any((Path(path) / _code / "LC_MESSAGES" / "django.mo").exists() for path in LOCALE_PATHS):
        raise ImproperlyConfigured(
            f"SROI_LANGUAGES lists {_code!r}, but there is no translation catalogue locale/{_code}/LC_MESSAGES/django.mo: "
            "list a language only once its translation is complete."
        )
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Evidence and reports are private: MEDIA is never served from a public URL, only through
    # permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Accounts ---------------------------------------------------------------------------------
# Users log in with their e-mail address (the username still works for the admin). Axes comes
# first: it refuses a locked-out e-mail address/IP combination before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "sroi_portal.accounts.backends.EmailBackend"]
# Two-step verification (TOTP, django-otp; sroi_portal/accounts/mfa.py): required for these roles
# (and for anyone with Django admin access), optional for the others (account page).
SROI_MFA_REQUIRED_ROLES = env_list("SROI_MFA_REQUIRED_ROLES", "inkoop,sr_team,beheerder")
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "SROI-portaal")
# After a wrong code a device waits 1, 2, 4, 8... seconds (times this factor) before the next try.
OTP_TOTP_THROTTLE_FACTOR = int(env("OTP_TOTP_THROTTLE_FACTOR", "1"))
OTP_STATIC_THROTTLE_FACTOR = int(env("OTP_STATIC_THROTTLE_FACTOR", "1"))
# The admin never shows a device's secret key or its QR code (not even to the administrator).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Lock-out after repeated failed logins (django-axes; sroi_portal/accounts/lockout.py): after
# AXES_FAILURE_LIMIT failures for one e-mail address (from any IP address), that account is locked,
# and after AXES_FAILURE_LIMIT failures from one IP address (on any accounts), that address is
# locked, each for AXES_COOLOFF_MINUTES minutes. Lifted in the admin, with axes_reset_username or
# axes_reset_ip. A successful login clears only that account's failures from that address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "sroi_portal.accounts.lockout.LockoutHandler"
AXES_USERNAME_FORM_FIELD = "username"  # the e-mail field of EmailAuthenticationForm
AXES_USERNAME_CALLABLE = "sroi_portal.accounts.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "sroi_portal.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
# The client's IP address for the lock (sroi_portal/accounts/lockout.py: client_ip_address). By
# default REMOTE_ADDR only: X-Forwarded-For is never trusted, since any client can send it. Behind a
# reverse proxy REMOTE_ADDR is the proxy's address for everyone, so the lock would be per e-mail
# address only; then set SROI_TRUSTED_PROXY_COUNT to the number of proxies in front of the portal
# (each appends the address it received the request from to X-Forwarded-For), and optionally
# SROI_TRUSTED_PROXY_IPS (addresses or networks of the proxy next to the portal; the header is
# ignored on requests from anywhere else). docs/deployment.md has the nginx line.
SROI_TRUSTED_PROXY_COUNT = int(env("SROI_TRUSTED_PROXY_COUNT", "0"))
SROI_TRUSTED_PROXY_IPS = env_list("SROI_TRUSTED_PROXY_IPS", "")
AXES_CLIENT_IP_CALLABLE = "sroi_portal.accounts.lockout.client_ip_address"
# Days an invitation link for a supplier's contact stays valid (single use).
SROI_INVITATION_VALID_DAYS = int(env("SROI_INVITATION_VALID_DAYS", "7"))
# Address of the portal as users reach it, for links in e-mails sent outside a request
# (invitations); within a request the request's own host is used.
SROI_PORTAL_URL = env("SROI_PORTAL_URL", "http://localhost:8000").rstrip("/")

# --- Evidence uploads ---------------------------------------------------------------------------
# Largest evidence file accepted (bytes); PDF, PNG and JPEG only, checked by content.
SROI_EVIDENCE_MAX_BYTES = int(env("SROI_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Sign-in through OpenID Connect (optional; sroi_portal/accounts/oidc.py) ---------------------
# Two providers, each off until its client id is set:
# - "eherkenning": an eHerkenning broker (OIDC) for suppliers, environment prefix OIDC_ (the names
#   mozilla-django-oidc uses, so earlier installations keep working). The company's KvK number picks
#   the supplier organisation, the acting person's pseudonym the user; no e-mail claim is needed.
# - "medewerkers": the municipality's own identity provider for staff, prefix SROI_STAFF_OIDC_.
#   Only existing staff users sign in (roles and municipalities stay managed in the portal).
# The routes (/account/oidc/<provider>/...) always exist and answer 404 for a provider that is not
# configured. Every value is listed in the README and docs/deployment.md ("Inloggen via OpenID Connect").
def _oidc_provider(prefix, *, default_scopes, extra):
    client_id = env(f"{prefix}RP_CLIENT_ID")
    if not client_id:
        return None
    acr_values = env(f"{prefix}ACR_VALUES", "")
    conf = {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": env(f"{prefix}RP_CLIENT_SECRET", ""),
        "OIDC_RP_SIGN_ALGO": env(f"{prefix}RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env(f"{prefix}RP_SCOPES", default_scopes),
        "OIDC_OP_ISSUER": env(f"{prefix}OP_ISSUER"),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": env(f"{prefix}OP_AUTHORIZATION_ENDPOINT"),
        "OIDC_OP_TOKEN_ENDPOINT": env(f"{prefix}OP_TOKEN_ENDPOINT"),
        "OIDC_OP_USER_ENDPOINT": env(f"{prefix}OP_USER_ENDPOINT") or None,  # optional: claims from the ID token
        "OIDC_OP_JWKS_ENDPOINT": env(f"{prefix}OP_JWKS_ENDPOINT"),
        "OIDC_OP_LOGOUT_ENDPOINT": env(f"{prefix}OP_LOGOUT_ENDPOINT") or None,  # end_session_endpoint
        "OIDC_USE_PKCE": env_bool(f"{prefix}USE_PKCE", True),
        "OIDC_TOKEN_USE_BASIC_AUTH": env_bool(f"{prefix}TOKEN_USE_BASIC_AUTH", False),
        "OIDC_VERIFY_SSL": env_bool(f"{prefix}VERIFY_SSL", True),
        "OIDC_TIMEOUT": int(env(f"{prefix}TIMEOUT", "10")),
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": acr_values} if acr_values else {},
        **extra,
    }
    required = ("OIDC_OP_ISSUER", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")
    missing = [prefix + name.removeprefix("OIDC_") for name in required if not conf[name]]
    if missing:
        raise ImproperlyConfigured(f"{prefix}RP_CLIENT_ID is set, so these must be set too: {', '.join(missing)}")
    return conf


def _eherkenning_provider():
    return _oidc_provider("OIDC_", default_scopes="openid", extra={
        # Claim names (comma-separated; the first one present counts). Defaults: the names of the
        # eHerkenning attribute catalogue as brokers pass them, and the short forms some brokers use.
        "KVK_CLAIMS": env_list("SROI_EHERKENNING_KVK_CLAIM", env("OIDC_KVK_CLAIM", "") or "urn:etoegang:1.9:EntityConcernedID:KvKnr,kvk"),
        "PSEUDONYM_CLAIMS": env_list("SROI_EHERKENNING_PSEUDONYM_CLAIM", "urn:etoegang:core:ActingSubjectID,sub"),
        "LOA_CLAIMS": env_list("SROI_EHERKENNING_LOA_CLAIM", "urn:etoegang:core:LevelOfAssurance,acr"),
        # Lowest level of assurance accepted: EH1, EH2, EH2+, EH3 or EH4.
        "MIN_LOA": env("SROI_EHERKENNING_MIN_LOA", "EH3"),
        # A person of a known supplier without an invitation gets an account at first sign-in.
        "CREATE_USERS": env_bool("SROI_EHERKENNING_CREATE_USERS", False),
    })


def _staff_provider():
    return _oidc_provider("SROI_STAFF_OIDC_", default_scopes="openid email", extra={
        # The claim matched (case-insensitively) to a staff user's e-mail address on the first
        # sign-in; the provider's sub is stored then and finds the user afterwards.
        "MATCH_CLAIM": env("SROI_STAFF_OIDC_MATCH_CLAIM", "email"),
        # Roles that may sign in this way (suppliers never: they use eHerkenning).
        "ROLES": env_list("SROI_STAFF_OIDC_ROLES", "inkoop,sr_team,beheerder,raadslid"),
        # The provider asserted multi-factor authentication when amr holds one of these, or acr is
        # one of these: then the portal's own second step is not asked again in that session.
        "MFA_AMR": env_list("SROI_STAFF_OIDC_MFA_AMR", "mfa,otp,hwk"),
        "MFA_ACR": env_list("SROI_STAFF_OIDC_MFA_ACR", ""),
    })


SROI_OIDC_PROVIDERS = {
    key: conf for key, conf in (("eherkenning", _eherkenning_provider()), ("medewerkers", _staff_provider())) if conf
}
OIDC_ENABLED = bool(SROI_OIDC_PROVIDERS)
# Seconds of difference between the provider's clock and ours tolerated on exp/iat/nbf of an ID token.
SROI_OIDC_CLOCK_SKEW_SECONDS = int(env("SROI_OIDC_CLOCK_SKEW_SECONDS", "60"))
# Roles that may not sign in with a password (page, admin) once their provider is configured:
# leverancier needs eHerkenning, the other roles the staff provider.
SROI_PASSWORD_LOGIN_DISABLED_ROLES = env_list("SROI_PASSWORD_LOGIN_DISABLED_ROLES", "")
AUTHENTICATION_BACKENDS += ["sroi_portal.accounts.oidc.EHerkenningBackend", "sroi_portal.accounts.oidc.StaffBackend"]
# A form may lead to these origins (CSP form-action, added in the security block below): the
# invitation's "Koppelen met eHerkenning" and logging out redirect to the provider.
SROI_OIDC_FORM_ACTION_ORIGINS = sorted({
    "{0.scheme}://{0.netloc}".format(urlsplit(conf[name]))
    for conf in SROI_OIDC_PROVIDERS.values()
    for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_LOGOUT_ENDPOINT")
    if conf.get(name)
})

# --- REST API (NL API Design Rules) -----------------------------------------------------------
API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sroi_portal.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sroi_portal.api.problems.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SROI-portaal API",
    "DESCRIPTION": "Social return (SROI) en banenafspraak: contracten, verplichtingen, "
    "bouwblokken en registraties.",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Celery -------------------------------------------------------------------------------------
# Without a broker URL, tasks run eagerly in-process (the embedded default keeps working). With
# Redis (CELERY_BROKER_URL=redis://host:6379/0) a worker runs them and celery beat schedules the
# periodic ones. Every task is safe to run twice: it is acknowledged only when done (acks_late),
# redelivered when a worker dies, and retried with exponential backoff on transient errors.
_CELERY_BROKER = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not _CELERY_BROKER
# Eager mode never talks to a broker: an in-memory transport stands in for one.
CELERY_BROKER_URL = _CELERY_BROKER or "memory://localhost/"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", _CELERY_BROKER or None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", "900"))
CELERY_TASK_SOFT_TIME_LIMIT = int(env("CELERY_TASK_SOFT_TIME_LIMIT", "840"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task after this many seconds: longer than any time limit.
# A worker that died entirely (not only a pool child) leaves its task unacknowledged: another
# worker takes it over once this timeout has passed. Workers look for such tasks every
# CELERY_UNACKED_RESTORE_INTERVAL seconds, scanning Redis on every CELERY_UNACKED_RESTORE_THROTTLE-th
# look (kombu's defaults: 10 and 10, so roughly every 100 s).
# socket_connect_timeout: a Redis host that does not answer is given up on quickly.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", str(4 * 3600))),
    "unacked_restore_interval": int(env("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": int(env("CELERY_UNACKED_RESTORE_THROTTLE", "10")),
    "socket_connect_timeout": 2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
# The web app publishes with this short retry policy (reporting.outbox): with Redis down, a
# request gives up on the broker in well under a second and the work waits in the outbox.
SROI_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.2}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# PDF reports run on their own queue, so a long report never waits behind the nightly recompute
# (and can get its own worker). Workers consume both queues unless configured otherwise:
#   celery -A sroi_portal worker -Q celery,rapporten
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "reporting.tasks.generate_council_report": {"queue": "rapporten"},
}
# Retry defaults of the portal's tasks (reporting.tasks.PortalTask): on database or broker
# hiccups a task is retried up to SROI_TASK_MAX_RETRIES times, waiting 2, 4, 8... seconds (with
# jitter), at most SROI_TASK_RETRY_BACKOFF_MAX seconds.
SROI_TASK_MAX_RETRIES = int(env("SROI_TASK_MAX_RETRIES", "5"))
SROI_TASK_RETRY_BACKOFF_MAX = int(env("SROI_TASK_RETRY_BACKOFF_MAX", "600"))
# Periodic tasks (celery beat, times in TIME_ZONE).
from celery.schedules import crontab  # noqa: E402

SROI_NIGHTLY_RECOMPUTE_HOUR = int(env("SROI_NIGHTLY_RECOMPUTE_HOUR", "2"))
SROI_REMINDERS_HOUR = int(env("SROI_REMINDERS_HOUR", "7"))
CELERY_BEAT_SCHEDULE = {
    "cijfers-nachtelijk-herberekenen": {
        "task": "reporting.tasks.recompute_all_figures",
        "schedule": crontab(minute=30, hour=SROI_NIGHTLY_RECOMPUTE_HOUR),
    },
    "herinneringen-versturen": {
        "task": "reporting.tasks.send_reminders",
        "schedule": crontab(minute=15, hour=SROI_REMINDERS_HOUR),
    },
    "plaatsingscijfers-wekelijks-hertellen": {
        "task": "reporting.tasks.refresh_placement_figures",
        "schedule": crontab(minute=30, hour=SROI_NIGHTLY_RECOMPUTE_HOUR + 1, day_of_week="sunday"),
    },
    # Work kept in the outbox while Redis was down (reporting.outbox) is sent on.
    "uitgestelde-taken-versturen": {"task": "reporting.tasks.flush_outbox", "schedule": 60.0},
    # Evidence and candidate details are deleted SROI_RETENTION_YEARS after settlement.
    "bewaartermijn-toepassen": {"task": "bouwblokken.retention_run", "schedule": crontab(minute=45, hour=3)},
    # Open data: version 1 of every year closed on SROI_OPEN_DATA_PUBLICATION_DATE (reporting.opendata).
    "open-data-publiceren": {"task": "reporting.tasks.publish_open_data", "schedule": crontab(minute=15, hour=4)},
}
# Contracts per batch of the figures recompute (one grouped query and one bulk write per batch).
# 10,000: at land scale a night without changes took 10-12 s against 25.6 s with 2,000, at the same
# worker memory (~88 MB); docs/performance.md, "Herberekening na optimalisatie".
SROI_FIGURES_BATCH_SIZE = int(env("SROI_FIGURES_BATCH_SIZE", "10000"))
# Council reports (PDF) are stored in the private default storage under this folder and are only
# downloadable through a permission-checked view.
SROI_REPORTS_DIR = env("SROI_REPORTS_DIR", "raadsrapportages")

# --- E-mail (Django 6.1 MAILERS) ---------------------------------------------------------------------
# Console in development; SMTP when EMAIL_HOST is set (or EMAIL_BACKEND names another backend).
# EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes each message to a file in
# EMAIL_FILE_PATH (used by the production-like test run). Tests use Django's locmem outbox.
EMAIL_BACKEND_NAME = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if env("EMAIL_HOST") else "django.core.mail.backends.console.EmailBackend",
)
if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend"):
    _MAILER_OPTIONS = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "username": env("EMAIL_HOST_USER", ""),
        "password": env("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(env("EMAIL_TIMEOUT", "30")),
    }
elif EMAIL_BACKEND_NAME.endswith("filebased.EmailBackend"):
    _MAILER_OPTIONS = {"file_path": env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
else:
    _MAILER_OPTIONS = {}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME, "OPTIONS": _MAILER_OPTIONS}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sroi-portaal@localhost")
# Reminders (reporting.reminders), each sent once per occasion:
# - the yearly report of the year before is due at the start of the year and overdue after
#   SROI_YEARLY_REPORT_DEADLINE (MM-DD, default 31 March);
# - an SR-team member hears once a week when its queue holds registrations waiting longer than
#   SROI_QUEUE_MAX_DAYS days;
# - a supplier hears about contracts awarded at most SROI_CONTACT_REMINDER_WINDOW_DAYS ago
#   without contact after SROI_CONTACT_WORKING_DAYS working days (below).
SROI_YEARLY_REPORT_DEADLINE = env("SROI_YEARLY_REPORT_DEADLINE", "03-31")
SROI_QUEUE_MAX_DAYS = int(env("SROI_QUEUE_MAX_DAYS", "10"))
SROI_CONTACT_REMINDER_WINDOW_DAYS = int(env("SROI_CONTACT_REMINDER_WINDOW_DAYS", "60"))
# Public open data (reporting.opendata, SROI-RULES.md §4): a year is closed, and its open data
# published as version 1, on this day of the next year (MM-DD, default 1 March).
SROI_OPEN_DATA_PUBLICATION_DATE = env("SROI_OPEN_DATA_PUBLICATION_DATE", "03-01")

# --- Domain settings (assumptions from SROI-RULES.md, changeable per installation) ----------------
# The portal's clock (sroi_portal.clock): None = the real date. Tests set an ISO date here to pin
# today(); it is not read from the environment, so no deployment can move its own clock.
SROI_TODAY = None
# How many months before the contract start a placement may have started (rules §2).
SROI_MAX_MONTHS_BEFORE_CONTRACT_START = int(env("SROI_MAX_MONTHS_BEFORE_CONTRACT_START", "12"))
# Age at the start of a placement from which the 55+ bonus applies (rules §2, assumption).
SROI_BONUS_55_PLUS_AGE = int(env("SROI_BONUS_55_PLUS_AGE", "55"))
# Years after settlement after which evidence and candidate details are deleted (rules §4, assumption).
SROI_RETENTION_YEARS = int(env("SROI_RETENTION_YEARS", "7"))
# Days a row of the processing log (Logboek dataverwerkingen) is kept; purged by the nightly
# bouwblokken.retention_run and by `manage.py purge_verwerkingen`. Default 7 years.
SROI_PROCESSING_LOG_RETENTION_DAYS = int(env("SROI_PROCESSING_LOG_RETENTION_DAYS", "2557"))
# Working days within which a supplier must contact the SR-team after award (rules §3).
SROI_CONTACT_WORKING_DAYS = int(env("SROI_CONTACT_WORKING_DAYS", "5"))
# Spreadsheet import of contracts: largest file (bytes) and most rows accepted.
SROI_IMPORT_MAX_BYTES = int(env("SROI_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
SROI_IMPORT_MAX_ROWS = int(env("SROI_IMPORT_MAX_ROWS", "20000"))
# An .xlsx is a zip: its members together may unpack to at most this many bytes (a zip bomb is refused
# before openpyxl opens it; sroi_portal.spreadsheets.check_xlsx).
SROI_IMPORT_MAX_UNPACKED_BYTES = int(env("SROI_IMPORT_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024)))
# Largest plan of approach (PDF) the SR-team can attach at intake.
SROI_PLAN_MAX_BYTES = int(env("SROI_PLAN_MAX_BYTES", str(10 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}


# === Security (issue #6) ==========================================================================
# Headers, cookies, sessions and API tokens. Defaults are the production values whenever DEBUG is
# off; only what depends on how the portal is put behind TLS comes from the environment (see
# docs/security.md and docs/operations.md). `manage.py check --deploy` is clean with the production
# environment (DEBUG off, SECRET_KEY, ALLOWED_HOSTS, SECURE_SSL_REDIRECT=true).
from django.utils.csp import CSP  # noqa: E402

# Content-Security-Policy (Django's built-in middleware): the portal uses no inline script or
# style; everything comes from its own origin, and no other site may frame it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CSP["form-action"] += SROI_OIDC_FORM_ACTION_ORIGINS  # the sign-in providers (OIDC block above)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# TLS. Behind a reverse proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=true (the proxy
# must then set X-Forwarded-Proto itself and strip it from clients).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^gezondheid$"]  # the container health check speaks plain HTTP
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)

# Cookies: Secure unless DEBUG (browsers accept Secure cookies on http://localhost), HttpOnly,
# SameSite=Lax. The portal's one script (static/js/menu.js, the menu on small screens) reads no
# cookies, so the CSRF cookie is HttpOnly too.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form refused by the CSRF check gets the portal's Dutch page (problem+json under /api/).
CSRF_FAILURE_VIEW = "sroi_portal.views_errors.csrf_failure"
# Sessions end after SESSION_COOKIE_AGE seconds (default 8 hours: one working day) and when the
# browser closes.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# API tokens (Authorization: Token <key>) expire API_TOKEN_TTL_DAYS days after they were made;
# an expired or deleted (revoked: manage.py revoke_token <username>) token gets 401.
API_TOKEN_TTL_DAYS = int(env("API_TOKEN_TTL_DAYS", "90"))
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "sroi_portal.api.authentication.ExpiringTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
# The OpenAPI schema documents the problem+json error responses of every operation.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "sroi_portal.api.schema.AutoSchema"
# Filters are strict: an empty or out-of-range filter parameter is a 400 (sroi_portal/api/filters.py).
REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] = ["sroi_portal.api.filters.FilterBackend"]


# === Limits against abuse (issue #11) =============================================================
# The cache shared by all processes: the API rate limits and the password-reset limit count in it.
# CACHE_URL (redis://host:6379/1), else the Redis broker of Celery when there is one, else each
# process's own memory (development; counts are then per process).
_CACHE_URL = env("CACHE_URL", "") or (_CELERY_BROKER if _CELERY_BROKER.startswith(("redis://", "rediss://")) else "")
if _CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "sroi-cache",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sroi-portal"}}
# API rate limits (sroi_portal/api/throttling.py): per user (token or session) and, without a user,
# per client address; over the limit 429 problem+json with Retry-After. DRF rate format N/period.
SROI_API_THROTTLE_USER = env("SROI_API_THROTTLE_USER", "300/minute")
SROI_API_THROTTLE_ANON = env("SROI_API_THROTTLE_ANON", "30/minute")
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "sroi_portal.api.throttling.UserThrottle",
    "sroi_portal.api.throttling.AnonThrottle",
]
# Password-reset mails per e-mail address asked for, per hour (sroi_portal/accounts/forms.py); the
# page answers the same either way.
SROI_PASSWORD_RESET_MAX_PER_HOUR = int(env("SROI_PASSWORD_RESET_MAX_PER_HOUR", "3"))
# A signed-in session ends after this many minutes without requests, as well as SESSION_COOKIE_AGE
# seconds after signing in (sroi_portal/accounts/session_limits.py).
SROI_SESSION_IDLE_MINUTES = int(env("SROI_SESSION_IDLE_MINUTES", "30"))
# Largest request body (bytes) of the API and of forms without files: 413 above it
# (sroi_portal/limits.py). Pages with file uploads take the largest file limit above plus 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440)))
# A changed password (any way: page, reset link, admin, changepassword) revokes the user's API
# tokens: the validator's password_changed hook (sroi_portal/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS.append({"NAME": "sroi_portal.accounts.passwords.RevokeAPITokensOnPasswordChange"})
