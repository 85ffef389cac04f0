"""The "Deadlines" tab of a child's record (registered in ``apps.py``): shown to whoever
may read the child's deadlines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.deadlines.permissions import DeadlinesAccess
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab


def _shown(record: StudentAccess) -> bool:
    return DeadlinesAccess(record).can_view


DEADLINES_TAB = StudentTab(
    section="deadlines",
    label=_("Deadlines"),
    url_name="deadlines:student",
    shown=_shown,
    order=50,
)
