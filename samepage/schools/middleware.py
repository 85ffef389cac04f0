"""The staff two-factor requirement: who is staff is a fact of the district (schools)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from samepage.schools.roles import roles_for

# Pages a staff member without two-factor may still open (besides the two-factor pages).
EXEMPT_PREFIXES = ("/static/", "/language/")


class StaffTwoFactorMiddleware:
    """When SAMEPAGE_REQUIRE_STAFF_2FA is on, staff must set up and use two-factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SAMEPAGE_REQUIRE_STAFF_2FA and self._must_verify(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": gettext(
                            "Staff accounts must sign in with two-factor authentication."
                        )
                    },
                    status=403,
                )
            return redirect("accounts:two_factor")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        path = request.path
        if path.startswith(EXEMPT_PREFIXES):
            return False
        if path in {
            reverse("accounts:two_factor"),
            reverse("accounts:two_factor_verify"),
            reverse("accounts:logout"),
        }:
            return False
        if not roles_for(user).is_staff_member:
            return False
        is_verified = getattr(user, "is_verified", None)
        return not (is_verified is not None and is_verified())
