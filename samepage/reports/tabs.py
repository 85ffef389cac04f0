"""The "Progress reports" tab of a child's record (registered in ``apps.py``): shown to
whoever may read the child's progress."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.reports.permissions import ReportsAccess
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab


def _shown(record: StudentAccess) -> bool:
    return ReportsAccess(record).can_view


REPORTS_TAB = StudentTab(
    section="reports",
    label=_("Progress reports"),
    url_name="reports:list",
    shown=_shown,
    order=40,
)
