"""The JSON API at /api/v1: every operation needs a token or a signed-in session.

The OpenAPI document (/api/v1/openapi.json) and its docs page (/api/v1/docs, Swagger UI
from this server's own static files) are public: they describe the API and hold no data,
so client generators and fuzzers can read them without signing in.

Every error answers one documented shape: ``ErrorOut`` (``detail``), and for every 400
``ValidationErrorOut`` (``detail`` and ``errors``, field by field). ``_declare_errors``
puts them on every operation of the document.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samepage.api import messages
from samepage.api.auth import API_AUTH, auth_failed_response
from samepage.api.errors import (
    JsonBodyParser,
    body_error,
    is_path_error,
    ninja_validation_body,
    validation_error_body,
)
from samepage.api.routers import (
    accounts,
    concerns,
    conversations,
    deadlines,
    minutes,
    notifications,
    plans,
    problems,
    profiles,
    progress,
    reports,
    students,
    teams,
    updates,
)
from samepage.api.schemas import ErrorOut, ValidationErrorOut

api = NinjaAPI(
    title="SamePage API",
    version="1",
    description=(
        "Read what you can already see in SamePage, and make the same changes the pages "
        "allow (team, consent). Authenticate with a personal API token "
        "(`Authorization: Bearer sp_…`, created on your settings page) or a signed-in "
        'browser session. Every error answers `{"detail": …}`; every 400 also has '
        "`errors`, what to fix field by field."
    ),
    urls_namespace="api-v1",
    auth=API_AUTH,
    openapi_url="/openapi.json",
    # Swagger UI from ninja's bundled static files ("ninja" is an installed app), so the
    # page loads under our CSP (script-src 'self') and without any CDN.
    docs=Swagger(),
    docs_url="/docs",
    parser=JsonBodyParser(),
)

ROUTERS: list[Router] = [
    accounts.router,
    students.router,
    teams.router,
    plans.router,
    concerns.router,
    profiles.router,
    conversations.router,
    problems.router,
    updates.router,
    progress.router,
    reports.router,
    deadlines.router,
    minutes.router,
    notifications.router,
]

# Answers any operation can give besides its own: the auth layer's 401, a permission
# function's 403/404, a 400 for parameters or a body that do not validate, the 405 for a
# method the path does not take, and the 500 page's JSON.
COMMON_ERRORS: dict[int, Any] = {
    400: ValidationErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    405: ErrorOut,
    500: ErrorOut,
}


def _declare_errors(routers: list[Router]) -> None:
    """Document ``COMMON_ERRORS`` on every operation that does not declare its own."""
    for router in routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for status, schema in COMMON_ERRORS.items():
                    if status not in operation.response_models:
                        # Ninja wraps each response schema the same way for its document.
                        model = operation._create_response_model(schema)
                        operation.response_models[status] = model


@api.exception_handler(AuthenticationError)
def authentication_failed(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return auth_failed_response(exc)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # One message for "missing" and "not yours", so the answer reveals nothing.
    return api.create_response(request, {"detail": str(messages.NOT_FOUND)}, status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or str(messages.FORBIDDEN)
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # An action refused the input: say what to fix, per field, in the caller's language.
    return api.create_response(request, validation_error_body(exc), status=400)


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # A path id that is not a whole number in range names no record that could exist:
    # the same 404 as a missing one. A bad query or body value is the caller's to fix.
    if is_path_error(exc.errors):
        return not_found(request, Http404())
    return api.create_response(request, ninja_validation_body(exc.errors), status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises HttpError(400) for a body it cannot parse (not JSON, or NUL in its
    # text: JsonBodyParser); other statuses keep theirs.
    if exc.status_code == 400:
        return api.create_response(request, body_error(exc), status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


_declare_errors(ROUTERS)
for _router in ROUTERS:
    api.add_router("", _router)
