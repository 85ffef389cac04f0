from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# A Wednesday afternoon in the default zone: outside everyone's default quiet hours and
# after the digest hour, so a test about something else is not held by the clock it
# happens to run at. Tests about quiet hours and digests travel on from here.
AFTERNOON = datetime(2026, 6, 10, 14, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def _afternoon() -> Iterator[None]:
    with time_machine.travel(AFTERNOON, tick=True):
        yield
