"""The form for logging a session and the one for voiding it. Every field is read as
typed (nothing required here): the actions check everything, with the same messages on
the page and in the API, and a form sent back keeps what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.forms import DateInput
from samepage.minutes.models import MissedReason, SessionStatus
from samepage.minutes.selectors import ServiceSummary


class LogSessionForm(forms.Form):
    # The key the form was opened with: a form sent twice stores one session.
    client_key = forms.CharField(widget=forms.HiddenInput, required=False)
    service = forms.CharField(label=_("Service"), required=False, widget=forms.Select)
    day = forms.CharField(label=_("Day"), required=False, widget=DateInput)
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 1440}),
    )
    status = forms.ChoiceField(
        label=_("Did the session happen?"),
        choices=SessionStatus.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    missed_reason = forms.ChoiceField(
        label=_("If it was missed, why?"),
        choices=[("", _("(it was delivered)")), *MissedReason.choices],
        required=False,
    )
    is_make_up = forms.BooleanField(label=_("This session makes up missed minutes"), required=False)
    note = forms.CharField(
        label=_("What happened (the family sees this)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when it was missed for another reason."),
    )
    staff_note = forms.CharField(
        label=_("Note for the team only (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, services: list[ServiceSummary], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["service"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [(s.lineage, s.service.description[:160]) for s in services]


class VoidSessionForm(forms.Form):
    reason = forms.CharField(label=_("Why is it wrong?"), required=False, max_length=2000)


class ClosureForm(forms.Form):
    """A day without school, or a range of them (a break), and why. Read as typed: the
    action checks the days (order, length, weekends, days already marked)."""

    first = forms.CharField(label=_("First day"), required=False, widget=DateInput)
    last = forms.CharField(
        label=_("Last day (for a break of several days)"),
        required=False,
        widget=DateInput,
        help_text=_("Leave it blank for one day. Saturdays and Sundays are skipped."),
    )
    name = forms.CharField(
        label=_("Why there is no school"),
        required=False,
        help_text=_("For example “Winter break” or “Teacher in-service day”."),
    )


class MinutesSettingsForm(forms.Form):
    threshold_percent = forms.CharField(
        label=_("Tell the team and the family when a service's delivery falls below (percent)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Of the minutes due so far in the month. SamePage's default: 80."),
    )
    alert_after_school_days = forms.CharField(
        label=_("School days of a month before its delivery is judged"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("So one missed session early in a month does not alarm anyone. Default: 5."),
    )
    closures_owed = forms.BooleanField(
        label=_("Minutes missed because school was closed are made up"), required=False
    )
