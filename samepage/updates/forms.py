"""Forms for posting a quick update and writing a home note. The actions check
everything again (text, marker, that a tag names this student's current plan item,
the file's real type and size), so the API and the pages agree.

Text areas carry no ``maxlength``: a browser cuts pasted text without saying so; the
action answers too-long text with a message and the form keeps every word.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.uploads import ACCEPT_ATTRIBUTE
from samepage.updates.models import DayMarker, HomeNote
from samepage.updates.selectors import TagChoice


class QuickUpdateForm(forms.Form):
    day = forms.ChoiceField(
        label=_("How did the day go?"),
        choices=DayMarker.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label=_("Your update for the family"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        strip=False,
        help_text=_("A few lines, up to 2,000 characters. **Bold**, *italics* and lists work."),
    )
    tags = forms.MultipleChoiceField(
        label=_("What in the plan is it about? (optional)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, choices: list[TagChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c.value, c.text[:160]) for c in choices]
        if not choices:
            del self.fields["tags"]


class HomeNoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about? (optional)"),
        choices=[("", _("Choose if you like")), *HomeNote.Kind.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("Your note for the team"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        strip=False,
        help_text=_(
            "For example: a rough night, a new medication, a happy weekend. "
            "**Bold**, *italics* and lists work."
        ),
    )
    attachment = forms.FileField(
        label=_("A photo or document (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("Pictures, PDF or office documents. Location data is removed from photos."),
    )
