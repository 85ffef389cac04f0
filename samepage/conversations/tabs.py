"""The "Conversations" tab of a child's record (registered in ``apps.py``): shown to
whoever may read the child's messages, with how many they have not read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samepage.conversations.permissions import conversation_access
from samepage.conversations.selectors import unread_total
from samepage.teams.permissions import StudentAccess
from samepage.teams.tabs import StudentTab


def _shown(record: StudentAccess) -> bool:
    return conversation_access(record) is not None


def _unread(record: StudentAccess) -> int:
    access = conversation_access(record)
    return unread_total(access) if access is not None else 0


CONVERSATIONS_TAB = StudentTab(
    section="conversations",
    label=_("Conversations"),
    url_name="conversations:list",
    shown=_shown,
    count=_unread,
    order=10,
)
