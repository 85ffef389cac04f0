from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# The header says "99+" past this.
UNREAD_SHOWN_UP_TO = 99


def unread_notices(request: HttpRequest) -> dict[str, Any]:
    """The header's unread count, from the person's stored count: no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = user.unread_notice_count
    return {"unread_notices": f"{UNREAD_SHOWN_UP_TO}+" if count > UNREAD_SHOWN_UP_TO else count}
