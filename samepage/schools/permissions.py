"""Who sets the district's own settings (its reporting calendar, its words for the
ratings, its school calendar, its service-minutes threshold, its progress rules).

One rule for every settings page, so they cannot disagree: the district's special
education administrator only. Anyone else, signed in, answers 403 with a message that
names the setting; a settings page names no child's record, so nothing is hidden by a
404 (the person already knows their own district exists).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from samepage.schools.models import District, StaffProfile
from samepage.schools.roles import roles_for

SETTINGS_ONLY = gettext_lazy("Only the district's special education administrator can do this.")


def access_district_settings(user: Any, *, refusal: Any = SETTINGS_ONLY) -> District:
    """The district whose settings ``user`` administers; 403 (``refusal``) for anyone
    who is not a district administrator."""
    staff = roles_for(user).staff
    if staff is None:
        raise PermissionDenied(str(refusal))
    if staff.role != StaffProfile.Role.DISTRICT_ADMIN:
        raise PermissionDenied(str(refusal))
    return staff.district


def check_district_settings(
    actor: Any, district: District, *, refusal: Any = SETTINGS_ONLY
) -> None:
    """Refuse (403) a write to ``district``'s settings by anyone but its administrator.
    ``actor`` None is the system itself (the demo, an import)."""
    if actor is None:
        return
    if access_district_settings(actor, refusal=refusal).pk != district.pk:
        raise PermissionDenied(str(refusal))
