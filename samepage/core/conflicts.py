"""Optimistic versioning: the second of two concurrent saves gets a conflict, not a
silent overwrite, and nothing either person wrote is lost."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """Someone saved this part since the form was opened.

    Carries both versions so the conflict page can show them side by side: ``theirs``
    (what is saved now, with its revision) and ``yours`` (what was submitted).
    """

    message = _(
        "Someone else saved this part while you were editing. Nothing was lost: compare "
        "both versions below, then save again."
    )

    def __init__(self, *, theirs: dict[str, Any], yours: dict[str, Any], revision: int) -> None:
        super().__init__(str(self.message))
        self.theirs = theirs
        self.yours = yours
        self.revision = revision
