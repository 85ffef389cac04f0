"""Forms for sharing, questions, the meeting, finalizing, signing and amending."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.forms import DateInput
from samepage.plans.models import PlanSignature
from samepage.plans.sections import ITEM_TITLES, items_for, sections_for


class ShareForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the family"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: what changed, and when you would like questions by."),
    )


class QuestionForm(forms.Form):
    anchor = forms.ChoiceField(label=_("About which part"))
    text = forms.CharField(
        label=_("Your question or comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, anchors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["anchor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = anchors


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class MeetingForm(forms.Form):
    meeting_date = forms.DateField(label=_("The team met on"), widget=DateInput)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        # ``today``: the district's, so the suggested date is never "in the future" there.
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].initial = today


class SignForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=PlanSignature.Decision.choices, widget=forms.RadioSelect
    )
    exceptions = forms.CharField(
        label=_("Parts you do not agree with"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    statement = forms.CharField(
        label=_("Your statement (it is kept with the plan)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_initial_services = forms.BooleanField(
        label=_("I consent to my child receiving special education services for the first time."),
        required=False,
    )
    typed_name = forms.CharField(label=_("Type your full name to sign"), max_length=200)

    def __init__(self, *args: Any, first_plan: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not first_plan:
            del self.fields["consent_to_initial_services"]


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plan changes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    parts = forms.MultipleChoiceField(
        label=_("Parts that change"), widget=forms.CheckboxSelectMultiple, required=False
    )
    effective_date = forms.DateField(
        label=_("The change takes effect on"), widget=DateInput, required=False
    )

    def __init__(self, *args: Any, plan_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(s.key, s.title) for s in sections_for(plan_type)] + [
            (kind, ITEM_TITLES[kind]) for kind in items_for(plan_type)
        ]


class EndPlanForm(forms.Form):
    reason = forms.CharField(label=_("Why the plan ends"), max_length=5000, required=False)
