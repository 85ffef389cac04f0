"""The signed-in person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from samepage.api.auth import api_user
from samepage.api.schemas import ErrorOut, MeOut
from samepage.schools.roles import roles_for

router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The signed-in person")
def me(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    roles = roles_for(user)
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "roles": {"primary": roles.primary, "is_staff_member": roles.is_staff_member},
    }
