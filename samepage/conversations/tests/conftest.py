from __future__ import annotations

from samepage.notifications.tests.conftest import _afternoon

# A conversation's notices are emailed; the clock is pinned outside quiet hours as in
# the notifications app's tests, so no test here depends on the hour it runs at.
__all__ = ["_afternoon"]
