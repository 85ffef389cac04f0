"""``{% student_tabs access section as tabs %}``: the tabs other apps add to a child's
record nav (``teams/tabs.py``), each shown only when the reader may open it."""

from __future__ import annotations

from typing import Any

from django import template

from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import ShownTab, tabs_for

register = template.Library()


@register.simple_tag
def student_tabs(access: Any, section: str = "") -> list[ShownTab]:
    # Some pages hand the nav another app's access object; its ``record`` is the student's.
    record = access if isinstance(access, StudentAccess) else getattr(access, "record", None)
    return tabs_for(record if isinstance(record, StudentAccess) else None, section)
