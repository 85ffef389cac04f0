"""Forms of the progress report pages: labels and help in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samepage.core.forms import DateInput
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


class ReportingPeriodForm(forms.Form):
    """A period of the district's reporting calendar. Read as typed: the action checks
    the days (order, overlap, length, reach) with its own messages."""

    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("For example “First quarter” or “Fall trimester”."),
    )
    starts = forms.CharField(label=_("First day"), required=False, widget=DateInput())
    ends = forms.CharField(label=_("Last day"), required=False, widget=DateInput())

    def __init__(self, *args: Any, days_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if days_fixed:
            # Reports are written for it: the days are shown, not sent.
            for name in ("starts", "ends"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Reports are written for this period.")


# A language's name inside a sentence ("in Spanish"): Spanish writes it in lower case
# there ("en español"), not as on the language menu ("Español").
IN_A_SENTENCE = {
    "en": pgettext_lazy("a language named inside a sentence", "English"),
    "es": pgettext_lazy("a language named inside a sentence", "Spanish"),
}


class RatingLabelsForm(forms.Form):
    """The district's own words for each canonical rating, one field per rating and
    language (``<rating>_<language>``); blank reads with SamePage's own words."""

    def __init__(self, *args: Any, languages: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rating, default in Rating.choices:
            for code, language in languages:
                self.fields[f"{rating}_{code}"] = forms.CharField(
                    label=_("“%(rating)s” in %(language)s")
                    % {"rating": default, "language": IN_A_SENTENCE.get(code, language)},
                    required=False,
                    max_length=100,
                    help_text=_("Leave it blank to use SamePage's words."),
                )

    def labels(self, languages: list[tuple[str, Any]]) -> dict[str, dict[str, str]]:
        """{rating: {language: words}} from what was typed."""
        return {
            rating: {code: self.cleaned_data.get(f"{rating}_{code}", "") for code, _n in languages}
            for rating in Rating.values
        }
