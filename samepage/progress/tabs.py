"""The "Progress" tab of a child's record (registered in ``apps.py``): shown to whoever
may read the child's progress data, and to staff who record it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.progress.permissions import ProgressAccess
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab


def _shown(record: StudentAccess) -> bool:
    return ProgressAccess(record).can_view


PROGRESS_TAB = StudentTab(
    section="progress",
    label=_("Progress"),
    url_name="progress:overview",
    shown=_shown,
    order=15,
)
