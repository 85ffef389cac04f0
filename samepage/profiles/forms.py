"""Forms for the profile and student voice pages.

They only parse: the actions check emptiness and length (so pages and the API give the
same message) and the permission layer decides who may write what.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.profiles.models import CorrectionRequest, Visibility, VoicePrompt

# The number is TEXT_LIMIT; written out so translators see the whole sentence.
_TEXT_HELP = _("Up to 5,000 characters. Write it the way you would say it.")


def _textarea() -> forms.Textarea:
    # No maxlength attribute: the browser would cut text off silently; the server says
    # how long it is instead, and keeps what was typed.
    return forms.Textarea(attrs={"rows": 6})


class EntryForm(forms.Form):
    section = forms.ChoiceField(label=_("Part of the profile"), required=False)
    text = forms.CharField(
        label=_("What you want the team to know"),
        widget=_textarea(),
        required=False,
        strip=False,
        help_text=_TEXT_HELP,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.TEAM,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, sections: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a part")), *list(sections)]


class EditEntryForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=_textarea(), required=False, strip=False, help_text=_TEXT_HELP
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class ArchiveEntryForm(forms.Form):
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What is not right, and what it should say"),
        widget=_textarea(),
        required=False,
        strip=False,
        help_text=_TEXT_HELP,
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (CorrectionRequest.Status.ACCEPTED, _("Accept the correction")),
            (CorrectionRequest.Status.DECLINED, _("Decline the correction")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    answer = forms.CharField(
        label=_("Your answer to the family"),
        widget=_textarea(),
        required=False,
        strip=False,
    )
    corrected_text = forms.CharField(
        label=_("Corrected text (optional, when you accept)"),
        widget=_textarea(),
        required=False,
        strip=False,
        help_text=_("It replaces the observation; the earlier text stays in its history."),
    )


class VoiceForm(forms.Form):
    prompt = forms.ChoiceField(
        label=_("Question"),
        choices=[("", _("Choose a question")), *list(VoicePrompt.choices)],
        required=False,
    )
    text = forms.CharField(
        label=_("Answer"), widget=_textarea(), required=False, strip=False, help_text=_TEXT_HELP
    )


class EditVoiceForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), widget=_textarea(), required=False, strip=False, help_text=_TEXT_HELP
    )
    revision = forms.CharField(widget=forms.HiddenInput, required=False)
