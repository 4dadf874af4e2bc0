"""Settings for the test suite: the normal settings with a throw-away SECRET_KEY when none is set."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from .settings import *  # noqa: E402,F401,F403
