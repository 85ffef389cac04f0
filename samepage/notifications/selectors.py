"""Reads of notices: the centre's list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samepage.notifications.models import Notice
from samepage.notifications.permissions import visible_to


def centre(user: Any) -> QuerySet[Notice]:
    """A person's notices, newest first (the inbox index), without joins: a notice
    carries its title's names and its link."""
    return visible_to(user).order_by("-created_at", "-id")
