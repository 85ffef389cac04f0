from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_before_and_after() -> Iterator[None]:
    # A request under the Spanish cookie leaves Spanish active in this thread; start each
    # test in English and hand English back to whatever test runs next.
    with translation.override("en"):
        yield
