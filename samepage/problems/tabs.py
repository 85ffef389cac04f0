"""The "Problem solving" tab of a child's record (registered in ``apps.py``): shown to
whoever may read the child's problem-solving log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.problems.permissions import ProblemAccess
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab


def _shown(record: StudentAccess) -> bool:
    return ProblemAccess(record).can_view


PROBLEMS_TAB = StudentTab(
    section="problems",
    label=_("Problem solving"),
    url_name="problems:list",
    shown=_shown,
    order=30,
)
