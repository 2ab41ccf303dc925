"""The test run's settings: the platform's own, with a fixed key (the settings refuse to load without one while
DEBUG is off, as the tests run)."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from gongzhi.settings import *  # noqa: E402,F403
