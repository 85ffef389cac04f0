"""``{% conversations_link student access %}``: the student page's link to the child's
conversations, with how many messages the reader has not read (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from samepage.conversations.permissions import conversation_access
from samepage.conversations.selectors import unread_total

register = template.Library()


@register.inclusion_tag("conversations/_partials/student_link.html")
def conversations_link(student: Any, access: Any) -> dict[str, Any]:
    conversations = conversation_access(access)
    if conversations is None:
        return {"show": False}
    return {"show": True, "student": student, "unread": unread_total(conversations)}
