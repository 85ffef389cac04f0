"""Who is calling the API: a personal access token, or a signed-in browser session.

No endpoint is public. Each operation tries, in order:

1. ``ApiTokenAuth``: an ``Authorization`` header. If the header is present it decides
   alone: a working token signs the request in; a malformed header gets a 401 that says
   how to write it; any token that does not work (unknown, revoked, expired, or its owner
   may not use it now) gets one and the same 401. It never falls through to the session,
   so a broken script does not silently act as whoever is signed in to the same browser.
2. ``SignedInSession``: Django's session, with the CSRF check for unsafe methods (a
   browser sends the session cookie on its own; it never sends an Authorization header
   on its own, so tokens need no CSRF check).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from ninja.errors import AuthenticationError
from ninja.security import SessionAuth
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from samepage.accounts.actions import do_note_api_token_use, lacks_required_two_factor
from samepage.accounts.middleware import speak_as
from samepage.accounts.models import TOKEN_PREFIX, ApiToken, User, hash_token
from samepage.api import messages

# Real tokens are about 46 characters; anything far longer is not worth hashing.
MAX_TOKEN_LENGTH = 200


class ApiAuthenticationFailed(AuthenticationError):
    """A 401 whose message tells the caller what to fix."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(status_code=401, message=str(message))


class CsrfCheckFailed(AuthenticationError):
    """A signed-in browser sent an unsafe request without a valid CSRF token."""

    def __init__(self) -> None:
        super().__init__(status_code=403, message=str(messages.CSRF_FAILED))


def user_for_token(request: HttpRequest, raw: str) -> User:
    """The user a working token ``raw`` signs in, or ApiAuthenticationFailed.

    Every way a real token fails (revoked, expired, or its owner may not use it now)
    answers exactly as an unknown token does: same status, body and headers, in the
    request's own language. So a caller holding a dead token learns nothing about why, or
    about the account behind it.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > MAX_TOKEN_LENGTH:
        raise ApiAuthenticationFailed(messages.INVALID_TOKEN)
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token_works(request, token):
        raise ApiAuthenticationFailed(messages.INVALID_TOKEN)
    # Only now is the caller known to be the owner: answer in their language from here on.
    speak_as(request, token.user)
    do_note_api_token_use(token)
    return token.user


def token_works(request: HttpRequest, token: ApiToken) -> bool:
    """Whether ``token`` may sign in this request; each condition on its own line."""
    owner = token.user
    if token.is_revoked:
        return False
    if token.is_expired:
        return False
    if not owner.is_active:
        return False
    if lacks_required_two_factor(owner):
        return False
    # Axes' own answer to "may this person sign in from here now?" (its lockout is per
    # account and address, and lifts after the cool-off), so a token never opens what
    # the sign-in page would keep shut; with lockout turned off, neither locks.
    if not settings.AXES_ENABLED:
        return True
    return not AxesProxyHandler.is_locked(request, credentials={"username": owner.email})


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer sp_…`` with a personal access token."""

    def __call__(self, request: HttpRequest) -> User | None:
        value = request.headers.get(self.header)
        if value is None or not value.strip():
            return None
        scheme, _space, raw = value.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme or not raw or raw != raw.strip() or " " in raw:
            raise ApiAuthenticationFailed(messages.MALFORMED_AUTHORIZATION)
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(request, token)
        # Permission functions read request.user, as they do for pages.
        request.user = user
        return user


class SignedInSession(SessionAuth):
    """Ninja's session auth, checking CSRF only once someone is actually signed in.

    Anonymous requests get the 401 that explains how to sign in rather than a CSRF error,
    and the CSRF failure message is translated.
    """

    def __call__(self, request: HttpRequest) -> User | None:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise CsrfCheckFailed
        return user  # type: ignore[return-value]

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        # Kept for ninja's interface; __call__ above does the work.
        return self(request)


token_auth = ApiTokenAuth()
session_auth = SignedInSession(csrf=True)
API_AUTH = [token_auth, session_auth]


def authenticated_user(request: HttpRequest) -> User:
    """Run the API's authentication outside an operation (for the OpenAPI document)."""
    for auth in API_AUTH:
        user = auth(request)
        if user is not None:
            return user
    raise ApiAuthenticationFailed(messages.SIGN_IN_REQUIRED)


def auth_failed_response(exc: AuthenticationError) -> HttpResponse:
    """JSON for a failed authentication, with the scheme hint RFC 6750 asks for."""
    if isinstance(exc, ApiAuthenticationFailed | CsrfCheckFailed):
        detail = exc.message
    else:
        # Ninja's own "Unauthorized": nobody signed in and no header was sent.
        detail = str(messages.SIGN_IN_REQUIRED)
    response = JsonResponse({"detail": detail}, status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SamePage API"'
    return response


def require_api_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view`` (the OpenAPI document) only to callers the API itself would accept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            authenticated_user(request)
        except AuthenticationError as exc:
            return auth_failed_response(exc)
        return view(request, *args, **kwargs)

    return wrapper


def api_user(request: HttpRequest) -> User:
    """The person an operation runs for; every operation is behind API_AUTH."""
    user = request.user
    assert isinstance(user, User), "API operation reached without authentication"
    return user
