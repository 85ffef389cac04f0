"""Error pages, in the site's layout and the reader's language (JSON under /api/), and
the health check a load balancer asks."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from samepage.core.bounds import BadQuery

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """200 "ok" while this process can reach the database, else 503: nothing else.

    For load balancers and process supervisors, so it needs no sign-in, reads no session
    and no record, and says nothing about the data or the error (the log gets that).
    One round trip to the database, so it can be asked every second.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return HttpResponse(b"unavailable", status=503, content_type="text/plain")
    return HttpResponse(b"ok", content_type="text/plain")


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
