"""A person's email choices: a channel per category, and quiet hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.accounts.forms import PlainLabelsForm
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.models import Channel


class EmailPreferencesForm(PlainLabelsForm):
    """One choice per category (its field named by the category), then quiet hours."""

    quiet_from = forms.TimeField(
        label=_("Quiet hours start"),
        help_text=_("No email is sent between these times; it waits until they end."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours end"),
        help_text=_("In your time zone. The same start and end means no quiet hours."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quiet = {name: self.fields.pop(name) for name in ("quiet_from", "quiet_until")}
        for category, label in CATEGORIES.items():
            self.fields[category] = forms.ChoiceField(
                label=label, choices=Channel.choices, widget=forms.RadioSelect
            )
        self.fields.update(quiet)

    def channels(self) -> dict[str, str]:
        return {category: self.cleaned_data[category] for category in CATEGORIES}
