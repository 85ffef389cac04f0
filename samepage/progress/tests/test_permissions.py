"""Who may read and record a child's progress data, from the one permission layer."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from samepage.progress import actions
from samepage.progress.models import DataPoint
from samepage.progress.permissions import access_measurement, access_point, access_progress
from samepage.progress.tests.helpers import access_of, measure, plan_goal, record
from samepage.teams.models import Capability, TeamMembership
from samepage.updates.tests.helpers import advocate_with

pytestmark = pytest.mark.django_db


def _abilities(world, user):
    a = access_of(user, world.child)
    return (a.can_view, a.can_enter_school_data, a.can_enter_home_data)


def test_what_each_role_may_do(world):
    progress = advocate_with(world, "Pat Progress", ["progress"])
    plans_only = advocate_with(world, "Mo Plans", ["plans"])
    expected = {
        world.parent: (True, False, True),
        world.case_manager: (True, True, False),
        world.provider: (True, True, False),
        # Gina records what she sees in class (her capability) without the progress part.
        world.gen_ed_teacher: (False, True, False),
        world.school_leader: (True, False, False),
        world.district_admin: (True, True, False),
        world.student_user: (True, False, False),
        progress: (True, False, False),
        plans_only: (False, False, False),
    }
    assert {user: _abilities(world, user) for user in expected} == expected


def test_outsiders_get_404(world):
    for user in (
        world.other_parent,
        world.restricted_parent,
        world.outside_provider,
        world.other_school_leader,
        world.outsider_admin,
        world.advocate,
    ):
        with pytest.raises(Http404):
            access_progress(user, world.child.pk)
    with pytest.raises(Http404):
        access_progress(world.parent, "nope")


def test_read_only_and_no_part_get_403(world):
    with pytest.raises(PermissionDenied):
        access_progress(world.gen_ed_teacher, world.child.pk)
    assert access_progress(world.gen_ed_teacher, world.child.pk, action="enter_school")
    for user, action in [
        (world.school_leader, "enter_school"),
        (world.parent, "enter_school"),
        (world.provider, "enter_home"),
        (world.student_user, "enter_home"),
        (world.student_user, "enter"),
        (world.parent, "set_measurement"),
        (world.parent, "made_up"),
    ]:
        with pytest.raises(PermissionDenied):
            access_progress(user, world.child.pk, action=action)


def test_school_series_only_by_staff_who_enter_progress(world):
    m = measure(world)
    for user in (world.school_leader, world.parent, world.student_user):
        with pytest.raises(PermissionDenied):
            record(user, m)
    TeamMembership.objects.filter(student=world.child, user=world.provider).update(
        capabilities=[Capability.VIEW_RECORD]
    )
    with pytest.raises(PermissionDenied):
        record(world.provider, m)
    assert record(world.gen_ed_teacher, m).entered_by == world.gen_ed_teacher
    assert DataPoint.objects.count() == 1


def test_home_series_only_by_the_family(world):
    m = measure(world)
    progress = advocate_with(world, "Pat Progress", ["progress"])
    for user in (world.case_manager, world.provider, world.student_user, progress):
        with pytest.raises(PermissionDenied):
            record(user, m, series="home")
    assert record(world.parent, m, series="home").series == "home"


def test_only_staff_who_enter_progress_set_a_measurement(world):
    goal = plan_goal(world)
    for user in (world.parent, world.school_leader):
        with pytest.raises(PermissionDenied):
            actions.check_set_measurement(
                world.child,
                goal.lineage_id,
                actor=user,
                access=access_of(user, world.child),
                kind="rate",
                direction="increase",
            )


def test_lookups_answer_404_for_another_students_rows(world):
    m = measure(world)
    point = record(world.provider, m)
    other = measure(
        world,
        plan_goal(world, world.other_child, signer=world.other_parent),
        actor=world.district_admin,
    )
    assert access_measurement(world.parent, world.child.pk, m.pk)[1] == m
    assert access_point(world.parent, world.child.pk, point.pk)[1] == point
    with pytest.raises(Http404):
        access_measurement(world.parent, world.child.pk, other.pk)
    with pytest.raises(Http404):
        access_measurement(world.parent, world.child.pk, "x")
    with pytest.raises(Http404):
        access_point(world.other_parent, world.other_child.pk, point.pk)
    with pytest.raises(PermissionDenied):
        access_point(world.parent, world.child.pk, point.pk, action="change")
    assert access_point(world.provider, world.child.pk, point.pk, action="change")[1] == point
