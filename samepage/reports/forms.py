"""Forms of the progress report pages: labels and help in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.reports.models import MAX_COMMENT, MAX_EVIDENCE, MAX_NARRATIVE, Rating


class EntryForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), required=False)
    narrative = forms.CharField(
        label=_("What the team says about this goal"),
        required=False,
        max_length=MAX_NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_note = forms.CharField(
        label=_("Other evidence (optional)"),
        help_text=_("For example a work sample or an observation, when scores do not tell it."),
        required=False,
        max_length=MAX_EVIDENCE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_reference = forms.CharField(
        label=_("Where the evidence is kept (optional)"),
        required=False,
        max_length=300,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, labels: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [*labels] if labels is not None else [*Rating.choices]
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.choices = [("", _("Not rated yet")), *choices]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment for the team"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = periods
