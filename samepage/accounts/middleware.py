"""Per-person language and time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


def speak_as(request: HttpRequest, user: Any) -> None:
    """Use ``user``'s language and time zone for the rest of this request.

    Called by the middleware for signed-in people, and by the API once it knows who
    holds a token (the middleware runs before that).
    """
    if user.language in dict(settings.LANGUAGES):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    try:
        timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class UserPreferencesMiddleware:
    """Speak each signed-in person's language and show times in their time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            speak_as(request, request.user)
        else:
            timezone.deactivate()
        return self.get_response(request)
