"""The JSON API at /api/v1: every operation needs a token or a signed-in session."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from samepage.api import messages
from samepage.api.auth import API_AUTH, auth_failed_response, require_api_auth
from samepage.api.errors import validation_error_body
from samepage.api.routers import accounts, concerns, plans, profiles, students, teams

api = NinjaAPI(
    title="SamePage API",
    version="1",
    description=(
        "Read what you can already see in SamePage, and make the same changes the pages "
        "allow (team, consent). Authenticate with a personal API token "
        "(`Authorization: Bearer sp_…`, created on your settings page) or a signed-in "
        "browser session."
    ),
    urls_namespace="api-v1",
    auth=API_AUTH,
    openapi_url="/openapi.json",
    # The interactive docs page loads scripts from a CDN, which our CSP forbids.
    docs_url=None,
    docs_decorator=require_api_auth,
)


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


api.add_router("", accounts.router)
api.add_router("", students.router)
api.add_router("", teams.router)
api.add_router("", plans.router)
api.add_router("", concerns.router)
api.add_router("", profiles.router)
