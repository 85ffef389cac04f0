from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Wednesday 16 December 2026, mid-afternoon where the test district is: a school week
# with days before and after "today", in a month that began on a Tuesday, whose last
# full week (7–13 December) is December's alone. Every test here that asks the
# district's "today" gets this day, whatever day it runs on.
WEDNESDAY = datetime(2026, 12, 16, 14, 0, tzinfo=ZoneInfo("America/Chicago"))


@pytest.fixture(autouse=True)
def _wednesday() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY, tick=True):
        yield
