"""A test that reads the mail outbox runs at a pinned hour.

Notice emails wait for the end of the recipient's quiet hours (21:00-07:00 in their
zone by default), so a test that expects one in the outbox and runs at the real clock
passes by day and fails by night. Each such test module pins the clock itself
(``time_machine``) or sits under a ``conftest.py`` that does.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the samepage package

READS_OUTBOX = re.compile(r"\bmailoutbox\b|\bmail\.outbox\b")
PINS_CLOCK = re.compile(r"\btime_machine\.travel\(|\bimport time_machine\b|\b_afternoon\b")

# Account emails (invitations, password resets) leave at once at any hour: they are not
# notices and never wait for quiet hours.
SENT_AT_ONCE = {"accounts"}


def _pinned_by_conftest(path: Path) -> bool:
    for folder in path.parents:
        conftest = folder / "conftest.py"
        if conftest.exists() and PINS_CLOCK.search(conftest.read_text()):
            return True
        if folder == ROOT:
            return False
    return False


def _modules_reading_the_outbox() -> list[Path]:
    return [
        path for path in sorted(ROOT.rglob("test_*.py")) if READS_OUTBOX.search(path.read_text())
    ]


def test_every_module_that_reads_the_outbox_pins_the_clock() -> None:
    unpinned = [
        str(path.relative_to(ROOT))
        for path in _modules_reading_the_outbox()
        if path.relative_to(ROOT).parts[0] not in SENT_AT_ONCE
        and not PINS_CLOCK.search(path.read_text())
        and not _pinned_by_conftest(path)
    ]
    assert unpinned == [], (
        "These test modules expect mail but run at the real hour, so quiet hours hold "
        "their notices at night; pin the clock (time_machine) or use the notifications "
        "tests' _afternoon fixture:\n  " + "\n  ".join(unpinned)
    )


def test_the_guard_sees_modules_that_read_the_outbox() -> None:
    found = {str(path.relative_to(ROOT)) for path in _modules_reading_the_outbox()}
    assert "conversations/tests/test_xss.py" in found
    assert "notifications/tests/test_email.py" in found
    assert _pinned_by_conftest(ROOT / "conversations" / "tests" / "test_xss.py")
