"""Forms for signing in, two-factor, invitations, settings and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from samepage.accounts.actions import do_change_password, do_reset_password
from samepage.accounts.models import validate_language, validate_time_zone
from samepage.accounts.time_zones import time_zone_choices


def language_choices() -> list[tuple[str, Any]]:
    # Names stay lazy so each request shows them in its own language.
    return list(settings.LANGUAGES)


class PlainLabelsForm(forms.Form):
    """Labels without Django's trailing colon: screen readers read them as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignInForm(PlainLabelsForm):
    # "username" because django-axes and the browser tests look for that field name.
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(PlainLabelsForm):
    code = forms.CharField(
        label=_("Six-digit code"),
        min_length=6,
        max_length=6,
        help_text=_("The code your authenticator app shows for SamePage right now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("Enter the six-digit code from your authenticator app."),
            "min_length": _("The code has six digits."),
            "max_length": _("The code has six digits."),
        },
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits, with no letters."))
        return code


class PreferencesForm(PlainLabelsForm):
    language = forms.CharField(
        label=_("Language"),
        widget=forms.Select(),
        validators=[validate_language],
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        help_text=_("Meeting times and deadlines are shown in this time zone."),
        widget=forms.Select(),
        validators=[validate_time_zone],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.choices = language_choices()  # type: ignore[attr-defined]
        # A saved zone outside the list of places (an old alias) stays selectable.
        current = self.data.get("time_zone") if self.is_bound else None
        current = current or self.initial.get("time_zone")
        self.fields["time_zone"].widget.choices = time_zone_choices(current)  # type: ignore[attr-defined]


class AcceptInvitationForm(PreferencesForm):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["password1", "password2", "language", "time_zone"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return cleaned


class ApiTokenForm(PlainLabelsForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Something to recognise it by, such as the program that will use it."),
    )


class ResetSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's form, saving through our action so the change is audited."""

    def save(self, commit: bool = True) -> Any:
        return do_reset_password(self.user, self.cleaned_data["new_password1"], actor=self.user)


class ChangePasswordForm(PasswordChangeForm):  # type: ignore[type-arg]
    """Django's checks (current password, validators, typed twice), in our words.

    Saves through ``do_change_password`` so the change is audited.
    """

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("That is not your current password. Please type it again."),
        "password_mismatch": _("The two new passwords do not match."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("Type the new password again")

    def save(self, commit: bool = True) -> Any:
        return do_change_password(self.user, self.cleaned_data["new_password1"], actor=self.user)
