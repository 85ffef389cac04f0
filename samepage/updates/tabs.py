"""The "Timeline" tab of a child's record (registered in ``apps.py``): shown to whoever
may see the child's timeline of updates, home notes and the plan's news."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab
from samepage.updates.permissions import UpdatesAccess


def _shown(record: StudentAccess) -> bool:
    return UpdatesAccess(record).can_see_timeline


TIMELINE_TAB = StudentTab(
    section="timeline",
    label=_("Timeline"),
    url_name="updates:timeline",
    shown=_shown,
    order=20,
)
