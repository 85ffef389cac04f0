"""A person's notification choices: an email channel per category, text messages per
category for families (with their mobile number), then quiet hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.accounts.forms import PlainLabelsForm
from samepage.accounts.models import normalize_phone_number, validate_phone_number
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.models import Channel

TEXT_PREFIX = "text_"


class EmailPreferencesForm(PlainLabelsForm):
    """One email choice per category (its field named by the category); for families, a
    "text message too" box per category and their mobile number; then quiet hours."""

    phone_number = forms.CharField(
        label=_("Mobile phone number for text messages"),
        help_text=_(
            "With the country code, for example +1 512 555 0100. Leave empty for no texts."
        ),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours start"),
        help_text=_("No email or text is sent between these times; it waits until they end."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours end"),
        help_text=_("In your time zone. The same start and end means no quiet hours."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, texts: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts = texts
        last = {
            name: self.fields.pop(name) for name in ("phone_number", "quiet_from", "quiet_until")
        }
        for category, label in CATEGORIES.items():
            self.fields[category] = forms.ChoiceField(
                label=label, choices=Channel.choices, widget=forms.RadioSelect
            )
            if texts:
                self.fields[TEXT_PREFIX + category] = forms.BooleanField(
                    label=_("Also a text message: %(category)s") % {"category": label},
                    required=False,
                )
        if not texts:
            del last["phone_number"]
        self.fields.update(last)

    def clean_phone_number(self) -> str:
        value = normalize_phone_number(self.cleaned_data.get("phone_number", ""))
        if value:
            validate_phone_number(value)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wants_texts = self.texts and any(self.text_choices().values())
        if wants_texts and not cleaned.get("phone_number") and "phone_number" not in self.errors:
            self.add_error("phone_number", _("Add your mobile number to get text messages."))
        return cleaned

    def channels(self) -> dict[str, str]:
        return {category: self.cleaned_data[category] for category in CATEGORIES}

    def text_choices(self) -> dict[str, bool]:
        """Text messages per category; empty for someone who cannot choose them."""
        if not self.texts:
            return {}
        return {c: bool(self.cleaned_data.get(TEXT_PREFIX + c)) for c in CATEGORIES}
