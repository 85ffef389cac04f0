"""Forms for the team, consent and access-log pages: parsing only, no rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samepage.core.bounds import FilterDateField
from samepage.core.forms import DateInput
from samepage.teams.models import STAFF_TEAM_ROLES, Capability, Scope, TeamMembership


class _ReadChoices(forms.models.ModelChoiceIterator):
    """The choices from the queryset's rows as already read (the page counted them):
    Django's own iterator runs the query again through a server-side cursor, which
    PostgreSQL plans for the first rows, not for the whole short list."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    iterator = _ReadChoices

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.staff_profile.get_role_display()})"


class AddMemberForm(forms.Form):
    user = StaffChoiceField(
        label=_("Person"),
        queryset=None,  # set per student: only the district's staff
        error_messages={"invalid_choice": _("Choose a person from the list.")},
    )
    team_role = forms.ChoiceField(
        label=_("Team role"),
        choices=[
            (c, label) for c, label in TeamMembership.TeamRole.choices if c in STAFF_TEAM_ROLES
        ],
    )
    discipline = forms.CharField(
        label=_("Discipline"),
        required=False,
        max_length=60,
        help_text=_("For related-service providers, e.g. speech-language pathology."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(
        label=_("Access ends on"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty to end access now."),
    )


class CapabilitiesForm(forms.Form):
    capabilities = forms.MultipleChoiceField(
        label=_("What this person may do"),
        choices=Capability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ConsentForm(forms.Form):
    grantee_email = forms.EmailField(
        label=_("Email of the person you are sharing with"),
        help_text=_(
            "An advocate or another person outside the school. "
            "We send them an invitation if they are new."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What they may see"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.CharField(
        label=_("Why you are sharing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput, required=False)
    expires_on = forms.DateField(
        label=_("Ends"),
        widget=DateInput,
        required=False,
        help_text=_("At most one year after it starts. You can revoke it sooner at any time."),
    )
    signature_name = forms.CharField(
        label=_("Type your full name to sign"), max_length=200, required=False
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "I give my consent for this person to see these parts of my child's record, "
            "for this purpose, until the end date."
        ),
        required=False,
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        # ``today``: the district's, the earliest day a consent may start.
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = today


class AccessLogFilterForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False, empty_value=None)
    # Bounded, so 9999-12-31 is a message on the field rather than an overflow.
    since = FilterDateField(label=_("From"), widget=DateInput, required=False)
    until = FilterDateField(label=_("To"), widget=DateInput, required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Everyone"))] + [(p.pk, p.full_name) for p in people]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The “to” date cannot be before the “from” date."))
        return data
