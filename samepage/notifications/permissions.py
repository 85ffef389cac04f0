"""Whose notices someone may see: their own, and nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from samepage.core.bounds import is_record_id
from samepage.notifications.models import Notice


def visible_to(user: Any) -> QuerySet[Notice]:
    """A person's own notices (nobody sees another's, staff included)."""
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def access_notice(user: Any, notice_id: Any) -> Notice:
    """One of ``user``'s notices; another person's, or none, answers 404."""
    if not is_record_id(str(notice_id)):
        raise Http404
    notice = visible_to(user).filter(pk=int(notice_id)).first()
    if notice is None:
        raise Http404
    return notice
