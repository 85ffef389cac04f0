"""The "Timeline" and "Problem solving" tabs of a child's record (registered in
``apps.py``), each shown by its own app's permission rule.

They belong to the updates and problems apps; the home, which sits above both, fills
them in the teams registry (teams/tabs.py) until those apps register their own.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.problems.permissions import ProblemAccess
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab
from samepage.updates.permissions import UpdatesAccess


def _timeline_shown(record: StudentAccess) -> bool:
    return UpdatesAccess(record).can_see_timeline


def _problems_shown(record: StudentAccess) -> bool:
    return ProblemAccess(record).can_view


TIMELINE_TAB = StudentTab(
    section="timeline",
    label=_("Timeline"),
    url_name="updates:timeline",
    shown=_timeline_shown,
    order=20,
)
PROBLEMS_TAB = StudentTab(
    section="problems",
    label=_("Problem solving"),
    url_name="problems:list",
    shown=_problems_shown,
    order=30,
)
