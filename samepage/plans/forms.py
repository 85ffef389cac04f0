"""Forms for editing a plan's draft: parsing only. The rules (ranges, dates in order,
minutes a school week can hold) live in the editing actions, so pages and the API
refuse the same things with the same words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.forms import DateInput
from samepage.plans.actions.editing import LINE_LIMIT, TEXT_LIMIT
from samepage.plans.models import Accommodation, Service
from samepage.plans.sections import AREAS, Section


def _revision_field() -> forms.IntegerField:
    # The revision the form was opened at; a stale one is a conflict, not an overwrite.
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("This form is missing its version. Reload the page and try again."),
            "invalid": _("This form is missing its version. Reload the page and try again."),
        },
    )


def _blank_first(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Not chosen")), *((str(k), v) for k, v in choices)]


def form_initial(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored or submitted values as form initial data (objectives one per line)."""
    return {
        name: "\n".join(value) if isinstance(value, list) else value
        for name, value in values.items()
    }


class SectionForm(forms.Form):
    """The fields of one narrative section, built from the section registry."""

    def __init__(self, definition: Section, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for f in definition.fields:
            field: forms.Field
            if f.kind == "text":
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_LIMIT
                )
            elif f.kind == "line":
                field = forms.CharField(max_length=LINE_LIMIT)
            elif f.kind == "date":
                field = forms.CharField(widget=DateInput)
            elif f.kind == "number":
                field = forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}))
            elif f.kind == "choice":
                field = forms.ChoiceField(choices=_blank_first(f.choices))
            else:
                field = forms.BooleanField()
            field.required = False
            field.label = f.label
            field.help_text = f.help
            self.fields[f.name] = field
        self.fields["revision"] = _revision_field()

    def section_data(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data.get(f.name) for f in self.definition.fields}


class DatesForm(forms.Form):
    proposed_start = forms.DateField(label=_("Plan starts"), widget=DateInput)
    proposed_end = forms.DateField(
        label=_("Plan ends"),
        widget=DateInput,
        help_text=_("A plan lasts at most one year."),
    )
    revision = _revision_field()


class ItemForm(forms.Form):
    """Shared by goals, services and accommodations: the revision only when editing."""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["revision"] = _revision_field()

    def item_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "revision"}


class GoalForm(ItemForm):
    area = forms.ChoiceField(label=_("Area"), choices=_blank_first(AREAS))
    statement = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        help_text=_("What the student will be able to do, measurably, by the end of the plan."),
    )
    baseline = forms.CharField(
        label=_("Where the student is now (baseline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    target = forms.CharField(
        label=_("Target"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
    )
    measurement_method = forms.CharField(
        label=_("How it is measured"), max_length=300, required=False
    )
    schedule = forms.CharField(label=_("How often it is measured"), max_length=200, required=False)
    mastery_criterion = forms.CharField(
        label=_("When it counts as met"), max_length=300, required=False
    )
    objectives = forms.CharField(
        label=_("Short-term objectives or benchmarks"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line. Steps toward the goal along the way."),
    )


class ServiceForm(ItemForm):
    category = forms.ChoiceField(
        label=_("Kind of service"), choices=_blank_first(Service.Category.choices)
    )
    description = forms.CharField(
        label=_("Service"),
        max_length=300,
        help_text=_("For example: speech-language therapy."),
    )
    provider_role = forms.CharField(
        label=_("Provided by"),
        max_length=120,
        required=False,
        help_text=_("A role, for example: speech-language pathologist."),
    )
    minutes = forms.IntegerField(label=_("Minutes"), required=False)
    frequency_unit = forms.ChoiceField(
        label=_("How often"), choices=_blank_first(Service.Unit.choices), required=False
    )
    start_date = forms.DateField(label=_("Starts"), widget=DateInput, required=False)
    end_date = forms.DateField(label=_("Ends"), widget=DateInput, required=False)
    setting = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("For example: general education classroom, therapy room."),
    )
    delivery = forms.ChoiceField(
        label=_("Direct or consultation"), choices=Service.Delivery.choices
    )
    grouping = forms.ChoiceField(label=_("Individual or group"), choices=Service.Grouping.choices)


class AccommodationForm(ItemForm):
    description = forms.CharField(
        label=_("Accommodation or modification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Accommodation.Kind.choices)
    applies_to = forms.ChoiceField(
        label=_("Where it applies"), choices=Accommodation.AppliesTo.choices
    )


ITEM_FORMS: dict[str, type[ItemForm]] = {
    "goals": GoalForm,
    "services": ServiceForm,
    "accommodations": AccommodationForm,
}


class RemoveItemForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is being taken out (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
        help_text=_("For example: the goal was met. The team and the family will see this."),
    )
    revision = _revision_field()
