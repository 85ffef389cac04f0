"""The "Services" tab of a child's record (registered in ``apps.py``): shown to whoever
may read the child's service minutes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.minutes.permissions import MinutesAccess
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab


def _shown(record: StudentAccess) -> bool:
    return MinutesAccess(record).can_view


SERVICES_TAB = StudentTab(
    section="services",
    label=_("Services"),
    url_name="minutes:services",
    shown=_shown,
    order=40,
)
