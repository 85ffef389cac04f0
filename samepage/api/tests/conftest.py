from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def _reset_language_and_time_zone() -> Iterator[None]:
    # Token requests activate their owner's language in the test's own thread; keep one
    # Spanish-speaking test from changing the language the next test runs in.
    yield
    translation.deactivate()
    timezone.deactivate()
