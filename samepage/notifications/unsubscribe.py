"""Signed one-click unsubscribe links: a category's email off, without signing in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from samepage.accounts.models import User
from samepage.notifications.kinds import CATEGORIES

# A salt of its own: no other signed value of this site (an invitation, a session)
# reads as an unsubscribe token, nor this one as theirs.
SALT = "samepage.notifications.unsubscribe"


def make_token(user: Any, categories: str | list[str]) -> str:
    chosen = [categories] if isinstance(categories, str) else list(categories)
    return signing.dumps({"u": user.pk, "c": chosen}, salt=SALT, compress=True)


def unsubscribe_url(user: Any, categories: str | list[str]) -> str:
    """The absolute link an email carries (and its List-Unsubscribe header names).

    ``categories`` is one category (a notice's email) or several (a digest's header).
    It does not expire: a person may find an old email months later, and the link can
    only turn email off, for its own person and category.
    """
    path = reverse("notifications:unsubscribe", args=[make_token(user, categories)])
    return settings.SITE_URL + path


def read_token(token: str) -> tuple[User, list[str]] | None:
    """The person and categories a token names; None when tampered, foreign or stale."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    user_id, categories = value.get("u"), value.get("c")
    if not isinstance(user_id, int) or not isinstance(categories, list) or not categories:
        return None
    if not all(isinstance(c, str) and c in CATEGORIES for c in categories):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    return user, categories
