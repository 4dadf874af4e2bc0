"""Settings for production: DJANGO_SETTINGS_MODULE=sroi_portal.settings_production.

The normal settings (every value from the environment, see README "Configuration") with the
production choices made unconditional:

- DEBUG is always off (DEBUG=true in the environment is refused, not ignored);
- SECRET_KEY and ALLOWED_HOSTS must be set;
- static files come from WhiteNoise's compressed manifest storage (run collectstatic at build);
- cookies are Secure and HttpOnly, HSTS is on, HTTP is redirected to HTTPS; behind a proxy that
  terminates TLS, SECURE_PROXY_SSL_HEADER=true trusts its X-Forwarded-Proto (the proxy must set
  it and strip it from clients). SECURE_SSL_REDIRECT=false only when the proxy redirects itself.

``manage.py check --deploy`` is clean with SECRET_KEY (50+ random characters), ALLOWED_HOSTS and
SECURE_SSL_REDIRECT unset or true. docker-compose.yml and docs/deployment.md use this module.
"""

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("sroi_portal.settings_production never runs with DEBUG on; unset DEBUG.")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECURE_SSL_REDIRECT", "true")

from .settings import *  # noqa: E402,F401,F403
from .settings import STORAGES, env, env_bool, env_list  # noqa: E402

DEBUG = False

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated host names).")

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^gezondheid$"]  # the container health check speaks plain HTTP
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
