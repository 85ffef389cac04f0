"""What kind of person a signed-in user is, for navigation and home pages.

This answers "which home page and menu", never "may they see this record": that is the
permission layer's job (``*/permissions.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from samepage.schools.models import Guardian, StaffProfile, Student


@dataclass(frozen=True)
class Roles:
    staff: StaffProfile | None
    is_guardian: bool
    student: Student | None
    is_advocate: bool

    @property
    def primary(self) -> str:
        if self.staff is not None:
            return self.staff.role
        if self.is_guardian:
            return "guardian"
        if self.student is not None:
            return "student"
        if self.is_advocate:
            return "advocate"
        return "none"

    @property
    def is_staff_member(self) -> bool:
        return self.staff is not None


def roles_for(user: Any) -> Roles:
    """The roles of ``user``, computed once per user object (so once per request)."""
    cached = getattr(user, "_samepage_roles", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        roles = Roles(staff=None, is_guardian=False, student=None, is_advocate=False)
    else:
        # One query for all three facts (every page and API call asks): the person's
        # staff profile and own student record ride on a fresh read of their user row.
        found = (
            get_user_model()
            ._default_manager.filter(pk=user.pk)
            .select_related("staff_profile__district", "student_record__district")
            .annotate(has_guardianship=Exists(Guardian.objects.filter(user=OuterRef("pk"))))
            .first()
        )
        # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
        staff: StaffProfile | None = getattr(found, "staff_profile", None)
        student: Student | None = getattr(found, "student_record", None)
        roles = Roles(
            staff=staff,
            is_guardian=bool(found and found.has_guardianship),
            student=student,
            is_advocate=user.is_advocate,
        )
    user._samepage_roles = roles
    return roles
