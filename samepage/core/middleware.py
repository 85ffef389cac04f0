"""Request-level guards shared by every page and the API."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Answer 413 with a readable message before reading a body that is too large.

    Sits after the language is chosen, so the message is in the person's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.SAMEPAGE_MAX_REQUEST_BYTES
        if length > limit:
            message = _(
                "That was too much to send at once (%(size)s MB). "
                "The most SamePage accepts is %(limit)s MB."
            ) % {"size": round(length / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            response = TemplateResponse(
                request,
                "core/error.html",
                {"title": _("Request too large"), "message": message},
                status=413,
            )
            return response.render()
        return self.get_response(request)
