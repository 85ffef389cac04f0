"""``{% conversations_link student access %}``: the student page's link to the child's
conversations, with how many messages the reader has not read (the record nav's count:
one query for both)."""

from __future__ import annotations

from typing import Any

from django import template

from samepage.conversations.permissions import conversation_access
from samepage.conversations.tabs import CONVERSATIONS_TAB
from samepage.teams.tabs import tab_new

register = template.Library()


@register.inclusion_tag("conversations/_partials/student_link.html")
def conversations_link(student: Any, access: Any) -> dict[str, Any]:
    conversations = conversation_access(access)
    if conversations is None:
        return {"show": False}
    # The record nav above counted the same messages for its tab's badge: one query.
    unread = tab_new(conversations.record, CONVERSATIONS_TAB.section)
    return {"show": True, "student": student, "unread": unread}
