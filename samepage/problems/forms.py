"""Forms for the problem-solving pages. The actions check everything again (lengths,
that an owner is on the team, that a linked entry is this child's, the dates), so the
pages and the API agree.

Text areas carry no ``maxlength``: a browser cuts pasted text without saying so; the
action answers too-long text with a clear message and the form keeps every word.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.forms import DateInput
from samepage.problems.models import SituationStatus, TryResult
from samepage.profiles.models import ProfileEntry


def _area(label: Any, rows: int = 3, help_text: Any = "", required: bool = False) -> Any:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        help_text=help_text,
    )


class SituationForm(forms.Form):
    summary = forms.CharField(
        label=_("The situation, in a few words"),
        required=False,
        help_text=_("For example: “Melts down when the schedule changes”."),
    )
    what_happens = _area(_("What happens"), rows=4)
    when_it_happens = _area(_("When it happens (optional)"), rows=2)
    where_it_happens = _area(_("Where it happens (optional)"), rows=2)


class RaiseForm(SituationForm):
    entries = forms.MultipleChoiceField(
        label=_("Linked to the profile (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Triggers or calming strategies already in the child's profile."),
    )

    def __init__(self, *args: Any, entries: list[ProfileEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(e.pk), f"{e.get_section_display()}: {e.text[:100]}") for e in entries]
        if not entries:
            del self.fields["entries"]


class EditSituationForm(SituationForm):
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class IdeaForm(forms.Form):
    text = _area(_("Your idea"), rows=3)


class TryForm(forms.Form):
    what = _area(_("What the team agreed to try"), rows=3)
    owner = forms.ChoiceField(label=_("Who owns it"))
    due_on = forms.DateField(label=_("Start by"), widget=DateInput(), required=False)
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        widget=DateInput(),
        required=False,
        help_text=_("The day the team looks at how it went. Not before the start."),
    )

    def __init__(self, *args: Any, owners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(str(u.pk), u.display_name) for u in owners]


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(
        label=_("How did it go?"), choices=TryResult.choices, widget=forms.RadioSelect
    )
    note = _area(_("Note (optional)"), rows=2)


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Why close it?"),
        choices=[
            (SituationStatus.RESOLVED, SituationStatus.RESOLVED.label),
            (SituationStatus.STOPPED, SituationStatus.STOPPED.label),
        ],
        widget=forms.RadioSelect,
    )


class ToProfileForm(forms.Form):
    section = forms.ChoiceField(
        label=_("Add it to the profile as"),
        choices=[
            ("calming", _("A calming strategy (what calms them)")),
            ("triggers", _("A trigger (what upsets them, and early signs)")),
        ],
        widget=forms.RadioSelect,
        initial="calming",
    )
    text = _area(
        _("What the profile will say"),
        rows=4,
        help_text=_("Leave it empty to use the words of the try (or of the situation)."),
    )
