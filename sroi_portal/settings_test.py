"""Settings for the test suite: the normal settings with a throw-away SECRET_KEY when none is set."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from .settings import *  # noqa: E402,F401,F403

# Users are made by the hundred in tests: a fast hasher (never used outside the test suite).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Templates use {% static %}; the test suite does not depend on a collectstatic manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# Rate-limit counts (API, password reset) in this process's memory, never in a Redis the
# environment may point at; the root conftest empties it before every test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sroi-tests"}}
