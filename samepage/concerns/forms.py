"""Forms for the concerns pages. The actions check everything again (length, choices,
that a link target belongs to this student), so the API and the pages agree.

Text areas carry no ``maxlength``: a browser cuts pasted text at that length without
telling anyone. The action answers too-long text with a clear message instead, and the
form comes back with every word still in it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.concerns.models import ParentConcern
from samepage.concerns.selectors import LinkTarget
from samepage.core.forms import DateInput
from samepage.plans.models import Plan
from samepage.plans.presenters import plan_label
from samepage.plans.selectors import with_summary


class ConcernForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=ParentConcern.Category)
    importance = forms.ChoiceField(
        label=_("How important is it?"),
        choices=ParentConcern.Importance,
        initial=ParentConcern.Importance.MEDIUM,
    )
    text = forms.CharField(
        label=_("Your concern, in your own words"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        strip=False,
        help_text=_("Up to 5,000 characters. The team reads it exactly as you write it."),
    )


class HeardConcernForm(ConcernForm):
    heard_from = forms.ChoiceField(label=_("Who told you?"))

    def __init__(self, *args: Any, guardians: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["heard_from"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(str(g.pk), g.display_name) for g in guardians]
        self.fields["text"].label = _("The concern, in their words")
        self.order_fields(["heard_from", "category", "importance", "text"])


def link_choices(targets: list[LinkTarget]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The targets under the plan each belongs to (<optgroup label="IEP 2025–26, in
    effect">, then the next plan's draft), so the same goal in this year's plan and in
    next year's draft are two choices a person can tell apart. One query for the plans.
    """
    plan_ids = list(dict.fromkeys(t.plan_id for t in targets))
    plans = with_summary(Plan.objects.filter(pk__in=plan_ids)).select_related("student__district")
    labels = {plan.pk: plan_label(plan) for plan in plans}
    return [
        (
            labels[plan_id],
            _numbered([(t.value, t.text[:120]) for t in targets if t.plan_id == plan_id]),
        )
        for plan_id in plan_ids
        if plan_id in labels
    ]


def _numbered(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Two items of one plan worded alike get "(1)", "(2)" in plan order."""
    counts = Counter(text for _value, text in choices)
    seen: Counter[str] = Counter()
    numbered = []
    for value, text in choices:
        if counts[text] > 1:
            seen[text] += 1
            text = f"{text} ({seen[text]})"
        numbered.append((value, text))
    return numbered


class LinkForm(forms.Form):
    target = forms.ChoiceField(label=_("What in the plan answers it?"))
    note = forms.CharField(
        label=_("Note for the family (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, targets: list[LinkTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *link_choices(targets)]

    def plan_and_target(self) -> tuple[str, str]:
        plan_id, _sep, target = self.cleaned_data["target"].partition("|")
        return plan_id, target


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the team declines"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeferForm(forms.Form):
    until = forms.DateField(label=_("Come back to it by"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("Why later (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
