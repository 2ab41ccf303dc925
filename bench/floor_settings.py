"""Settings of the floor run of bench/intake.py: the app's own, with bench/floor.py as the URLconf."""

from gongzhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor"
