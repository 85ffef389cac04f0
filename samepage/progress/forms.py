"""Forms for progress data: a point, a void or correction, a phase line and how a goal
is measured. Thin: the actions check every value again (range, day, trials) with
messages in the user's language, so the pages and the API agree."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.forms import DateInput
from samepage.progress.models import Direction, MeasurementKind

_NUMBER = {"inputmode": "decimal", "autocomplete": "off"}
_WHOLE = {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}


class PointForm(forms.Form):
    """One value for a goal; a trials goal asks "how many correct, of how many"."""

    day = forms.CharField(label=_("Day"), widget=DateInput(), required=False)
    value = forms.CharField(label=_("Value"), widget=forms.TextInput(attrs=_NUMBER), required=False)
    numerator = forms.CharField(
        label=_("Number correct"), widget=forms.TextInput(attrs=_WHOLE), required=False
    )
    denominator = forms.CharField(
        label=_("Trials"), widget=forms.TextInput(attrs=_WHOLE), required=False
    )
    # Made when the form is opened: the same form sent twice stores one point.
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, trials: bool, unit: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        if trials:
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]
            if unit:
                self.fields["value"].label = _("Value (%(unit)s)") % {"unit": unit}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("The team sees who changed it and why."),
    )


class CorrectionForm(PointForm, ReasonForm):
    """A new value for a wrong point, and why; the old point stays, voided."""


class PhaseForm(forms.Form):
    day = forms.CharField(label=_("Day it changed"), widget=DateInput(), required=False)
    change = forms.CharField(
        label=_("What changed in how the goal is taught"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MeasurementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How it is measured"),
        choices=[("", "---"), *MeasurementKind.choices],
        required=False,
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", "---"), *Direction.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    baseline_value = forms.CharField(
        label=_("Baseline"), widget=forms.TextInput(attrs=_NUMBER), required=False
    )
    baseline_date = forms.CharField(label=_("Baseline date"), widget=DateInput(), required=False)
    target_value = forms.CharField(
        label=_("Target"), widget=forms.TextInput(attrs=_NUMBER), required=False
    )
    target_date = forms.CharField(label=_("Target date"), widget=DateInput(), required=False)
    mastery_value = forms.CharField(
        label=_("Level that counts as met"),
        widget=forms.TextInput(attrs=_NUMBER),
        required=False,
    )
    mastery_sessions = forms.CharField(
        label=_("Sessions in a row"), widget=forms.TextInput(attrs=_WHOLE), required=False
    )
    scale_max = forms.CharField(
        label=_("Highest level (rubric or prompt scales)"),
        widget=forms.TextInput(attrs=_NUMBER),
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RulesForm(forms.Form):
    four_point_needs = forms.CharField(
        label=_("Points needed before the four-point rule"),
        widget=forms.TextInput(attrs=_WHOLE),
        required=False,
        help_text=_("Common practice: 6."),
    )
    four_point_run = forms.CharField(
        label=_("Last scores the four-point rule looks at"),
        widget=forms.TextInput(attrs=_WHOLE),
        required=False,
        help_text=_(
            "Common practice: 4. When all of them are on one side of the line to the goal, "
            "the team hears of it."
        ),
    )
    trend_needs = forms.CharField(
        label=_("Points needed before the trend rule"),
        widget=forms.TextInput(attrs=_WHOLE),
        required=False,
        help_text=_("Common practice: 8."),
    )
    trend_tolerance = forms.CharField(
        label=_("How far the trend may differ from the line and still be similar"),
        widget=forms.TextInput(attrs=_NUMBER),
        required=False,
        help_text=_("A share of the line's slope: 0.1 means 10%."),
    )
