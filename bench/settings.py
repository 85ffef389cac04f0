"""Settings for benchmarks: the app's own settings, with a bare view beside its routes.

    DJANGO_SETTINGS_MODULE=bench.settings

Everything else (database, mode, connections, middleware) is exactly what the
environment gives ``samepage.settings``, so a measurement runs the production stack.
Only ``DEBUG`` is off unless ``BENCH_DEBUG=1``: debug mode keeps every query in memory
and renders templates with debug information, which no production request pays for.
"""

from __future__ import annotations

from samepage.env import env_bool
from samepage.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = env_bool("BENCH_DEBUG", False)
