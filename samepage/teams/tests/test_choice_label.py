"""``choice_label`` says what Django's ``get_FOO_display`` says, in each language."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from samepage.schools.models import Guardian, Student
from samepage.teams.models import TeamMembership
from samepage.teams.templatetags.team_labels import choice_label


def _values(model, field):
    return [value for value, _label in model._meta.get_field(field).flatchoices]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_choice_reads_as_get_foo_display(language):
    cases = [
        (TeamMembership, "team_role", TeamMembership.TeamRole.values),
        (Student, "plan_type", Student.PlanType.values),
        (Student, "status", Student.Status.values),
        (Guardian, "relationship", _values(Guardian, "relationship")),
        (Guardian, "language", _values(Guardian, "language")),
    ]
    with override(language):
        for model, field, values in cases:
            for value in [*values, "not-a-choice"]:
                row = model(**{field: value})
                display = getattr(row, f"get_{field}_display")()
                assert str(choice_label(row, field)) == str(display)
