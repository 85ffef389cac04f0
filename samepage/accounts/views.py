"""Sign-in, two-factor, invitations, people and settings pages. Thin: parse, call, render."""

from __future__ import annotations

import time
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from samepage.accounts import actions, selectors
from samepage.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    ChangePasswordForm,
    CodeForm,
    PreferencesForm,
    SignInForm,
)
from samepage.accounts.invitation_links import check_invitation_token
from samepage.accounts.models import User
from samepage.accounts.permissions import access_api_token

# The person who gave the right password but still owes a two-factor code.
PENDING_USER_KEY = "samepage_2fa_pending_user"
PENDING_BACKEND_KEY = "samepage_2fa_pending_backend"
PENDING_SINCE_KEY = "samepage_2fa_pending_since"
PENDING_NEXT_KEY = "samepage_2fa_pending_next"
PENDING_SECONDS = 5 * 60


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def _setup_in_progress(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=False).exists()


# Signing in and out -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_safe_next(request, next_url))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"].lower(),
            password=form.cleaned_data["password"],
        )
        if user is None:
            # When axes locks the account, its middleware swaps this for the lockout page.
            form.add_error(
                None,
                _(
                    "That email address and password do not match an account. "
                    "Check them and try again, or reset your password."
                ),
            )
        elif _confirmed_device(user) is not None:
            request.session.cycle_key()
            request.session[PENDING_USER_KEY] = user.pk
            request.session[PENDING_BACKEND_KEY] = user.backend  # type: ignore[attr-defined]
            request.session[PENDING_SINCE_KEY] = int(time.time())
            request.session[PENDING_NEXT_KEY] = _safe_next(request, next_url)
            return redirect("accounts:two_factor_verify")
        else:
            login(request, user)
            return redirect(_safe_next(request, next_url))
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER_KEY)
    since = request.session.get(PENDING_SINCE_KEY, 0)
    if user_id is None or time.time() - since > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER_KEY, PENDING_BACKEND_KEY, PENDING_SINCE_KEY, PENDING_NEXT_KEY):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step for people with an authenticator."""
    user = _pending_user(request)
    device = _confirmed_device(user) if user is not None else None
    if user is None or device is None:
        _clear_pending(request)
        messages.error(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", _("Too many wrong codes. Wait a minute, then try the newest code.")
            )
        elif device.verify_token(form.cleaned_data["code"]):
            backend = request.session.get(PENDING_BACKEND_KEY)
            next_url = request.session.get(PENDING_NEXT_KEY) or ""
            _clear_pending(request)
            login(request, user, backend=backend)
            django_otp.login(request, device)
            return redirect(_safe_next(request, next_url))
        else:
            form.add_error(
                "code",
                _("That code did not match. Check the time on your phone and try the newest code."),
            )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


# Two-factor setup -------------------------------------------------------------------------


def _session_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def _qr_svg(device: TOTPDevice) -> str:
    qr = segno.make(device.config_url, error="m")
    return str(
        qr.svg_inline(
            scale=4,
            title=_("QR code to add SamePage to your authenticator app"),
            svgclass="qr-code",
            lineclass="qr-line",
        )
    )


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_http_methods(["GET", "POST"])
@login_required
@sensitive_post_parameters("code")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on (scan, then confirm a code) or off (with a code)."""
    user = request.user
    assert isinstance(user, User)
    confirmed = _confirmed_device(user)
    if request.method == "POST" and confirmed is None and not _setup_in_progress(user):
        # The set-up page was never opened (or was left): starting a set-up here would
        # write on a request that is about to be refused.
        messages.error(request, _("Please reload the page and try again."))
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        action = request.POST.get("action")
        if confirmed is not None and action == "verify":
            # Signed in without a code (e.g. before two-factor became required).
            if confirmed.verify_is_allowed()[0] and confirmed.verify_token(code):
                django_otp.login(request, confirmed)
                messages.success(request, _("Thank you. This sign-in is now verified."))
                return redirect(settings.LOGIN_REDIRECT_URL)
            form.add_error(
                "code",
                _("That code did not match. Check the time on your phone and try the newest code."),
            )
        elif confirmed is not None and action == "disable":
            if actions.do_disable_two_factor(user, actor=user, code=code):
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("That code did not match. Two-factor sign-in is still on."))
        elif confirmed is None and action == "confirm":
            device = actions.do_confirm_two_factor(user, actor=user, code=code)
            if device is not None:
                django_otp.login(request, device)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("accounts:two_factor")
            form.add_error(
                "code",
                _("That code did not match. Check the time on your phone and try the newest code."),
            )
        else:
            form.add_error(None, _("Please reload the page and try again."))
    context: dict[str, Any] = {
        "form": form,
        "enabled": confirmed is not None,
        "session_verified": _session_verified(request),
        "required": settings.SAMEPAGE_REQUIRE_STAFF_2FA,
    }
    if confirmed is None:
        device = actions.do_start_two_factor_setup(user, actor=user)
        context["qr_svg"] = _qr_svg(device)
        context["secret"] = _base32_secret(device)
    status = 200 if not form.errors else 400
    return render(request, "accounts/two_factor.html", context, status=status)


# Invitations ------------------------------------------------------------------------------


def _invitation_problem(problem: str) -> tuple[str, str, int]:
    messages_by_problem = {
        "invalid": (
            _("This invitation link does not work"),
            _(
                "The link is incomplete or was changed. Copy the whole link from the email, "
                "or ask the school to send a new invitation."
            ),
            400,
        ),
        "replaced": (
            _("A newer invitation was sent"),
            _("This link was replaced by a newer one. Use the link in the most recent email."),
            410,
        ),
        "accepted": (
            _("This invitation was already used"),
            _("Your account is set up. Sign in with your email address and password."),
            410,
        ),
        "revoked": (
            _("This invitation was withdrawn"),
            _("The school withdrew this invitation. Ask them to send a new one if needed."),
            410,
        ),
        "expired": (
            _("This invitation has expired"),
            _("Invitation links work for a limited time. Ask the school to send a new one."),
            410,
        ),
    }
    return messages_by_problem[problem]


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    check = check_invitation_token(token)
    if check.problem is not None or check.invitation is None:
        title, message, status = _invitation_problem(check.problem or "invalid")
        return render(
            request,
            "accounts/invitation_problem.html",
            {"title": title, "message": message, "show_login": check.problem == "accepted"},
            status=status,
        )
    invitation = check.invitation
    person = invitation.user
    initial = {"language": person.language, "time_zone": person.time_zone}
    form = AcceptInvitationForm(request.POST or None, user=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.do_accept_invitation(
                invitation,
                form.cleaned_data["password1"],
                actor=person,
                language=form.cleaned_data["language"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if request.user.is_authenticated:
                logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to SamePage. Your account is ready."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


# Settings and API tokens -------------------------------------------------------------------


def _settings_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)
    context: dict[str, Any] = {
        "preferences_form": PreferencesForm(
            initial={"language": user.language, "time_zone": user.time_zone}
        ),
        "token_form": ApiTokenForm(),
        "password_form": ChangePasswordForm(user),
        "tokens": list(selectors.api_tokens_of(user)),
        "token_days": settings.SAMEPAGE_API_TOKEN_DAYS,
        "two_factor_enabled": _confirmed_device(user) is not None,
        "new_token": None,
    }
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                actions.do_change_preferences(
                    user,
                    actor=user,
                    language=form.cleaned_data["language"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Your settings are saved."))
                return redirect("accounts:settings")
        # Reload: a failed save must not leave half-changed values on the user object.
        user.refresh_from_db(fields=["language", "time_zone"])
        return render(
            request,
            "accounts/settings.html",
            _settings_context(request, preferences_form=form),
            status=400,
        )
    return render(request, "accounts/settings.html", _settings_context(request))


@login_required
@require_POST
@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def change_password(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ChangePasswordForm(user, request.POST)
    if form.is_valid():
        form.save()
        # The new password ends every other session; this one stays signed in.
        update_session_auth_hash(request, user)
        messages.success(
            request,
            _(
                "Your password is changed. Anywhere else you were signed in, you are now "
                "signed out, and your API tokens no longer work: create new ones for the "
                "programs that need them."
            ),
        )
        return redirect(reverse("accounts:settings") + "#password")
    # A failed check must not leave a changed hash on the user object.
    user.refresh_from_db(fields=["password"])
    return render(
        request,
        "accounts/settings.html",
        _settings_context(request, password_form=form),
        status=400,
    )


@login_required
@require_POST
@never_cache
def create_api_token(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = actions.do_create_api_token(
                user, actor=user, name=form.cleaned_data["name"]
            )
        except ValidationError as e:
            # A refusal about the account (two-factor) is not about the name typed.
            form.add_error("name" if e.code in {"required", "max_length"} else None, e)
        else:
            # Shown in this response only; it is never stored and cannot be shown again.
            return render(
                request,
                "accounts/settings.html",
                _settings_context(request, new_token={"token": token, "raw": raw}),
            )
    return render(
        request, "accounts/settings.html", _settings_context(request, token_form=form), status=400
    )


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access_api_token(request.user, token_id)
    actions.do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:settings")
