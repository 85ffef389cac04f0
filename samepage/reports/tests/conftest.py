from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# A Wednesday afternoon in the default zone: the district's today stays one day while a
# test records scores "today" and a period ends on it, and the family's emails are not
# held by quiet hours.
AFTERNOON = datetime(2026, 11, 18, 14, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def _afternoon() -> Iterator[None]:
    with time_machine.travel(AFTERNOON, tick=True):
        yield
