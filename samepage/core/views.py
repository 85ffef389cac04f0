"""Error pages, in the site's layout and the reader's language (JSON under /api/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samepage.core.bounds import BadQuery


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=status)
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A BadQuery carries a translated message saying what to fix; other 400s (a bad
    # Host header, a malformed upload) keep the general one, whose text may be technical.
    detail = str(exception) if isinstance(exception, BadQuery) else ""
    return _error(
        request,
        400,
        _("Something was wrong with that request"),
        detail or _("Please go back and try again. If it keeps happening, tell your school."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else ""
    return _error(
        request,
        403,
        _("You can look, but not change this"),
        detail or _("Your role on this child's team does not allow this change."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("There is nothing here, or it is not shared with you."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Something went wrong on our side"),
        _("Nothing you entered was lost. Please try again in a minute."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("This form has expired"),
        _("Please go back, reload the page and send the form again."),
    )
