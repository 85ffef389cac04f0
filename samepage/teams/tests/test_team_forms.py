"""The team page's checkbox lists render exactly as Django's own widget does."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.translation import override

from samepage.teams.forms import CapabilitiesForm, ConsentForm
from samepage.teams.models import Capability
from samepage.teams.templatetags.team_forms import checkbox_list, form_of


@pytest.mark.parametrize(
    "form",
    [
        CapabilitiesForm(initial={"capabilities": list(Capability.values)}, prefix="m1"),
        CapabilitiesForm(initial={"capabilities": []}, prefix="m22"),
        CapabilitiesForm(initial={"capabilities": ["view_record", "manage_team"]}, prefix="m3"),
        CapabilitiesForm({"m4-capabilities": ["edit_plan", "nonsense"]}, prefix="m4"),
        CapabilitiesForm(),
    ],
)
def test_capability_boxes_are_djangos_markup(form):
    assert str(checkbox_list(form["capabilities"])) == str(form["capabilities"])


def test_in_spanish_and_for_other_checkbox_lists_too():
    with override("es"):
        form = CapabilitiesForm(initial={"capabilities": ["edit_plan"]}, prefix="m9")
        assert str(checkbox_list(form["capabilities"])) == str(form["capabilities"])
    consent = ConsentForm({"scopes": ["plans"]})
    assert str(checkbox_list(consent["scopes"])) == str(consent["scopes"])


def test_labels_and_values_are_escaped_as_django_escapes_them():
    class Odd(forms.Form):
        pick = forms.MultipleChoiceField(
            choices=[('a"<b>', "<script>x</script> & y"), ("2", "Two")],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"}),
            required=False,
        )

    form = Odd(initial={"pick": ['a"<b>']})
    assert str(checkbox_list(form["pick"])) == str(form["pick"])


def test_any_other_widget_renders_through_django():
    form = CapabilitiesForm()
    form.fields["capabilities"].widget = forms.SelectMultiple(choices=Capability.choices)
    assert str(checkbox_list(form["capabilities"])) == str(form["capabilities"])


def test_form_of_finds_the_members_form():
    one = CapabilitiesForm(prefix="m1")
    assert form_of({1: one}, 1) is one
    assert form_of({1: one}, 2) is None
