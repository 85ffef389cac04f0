from io import StringIO

import pytest
from django.core.management import call_command

from samepage.accounts.models import User
from samepage.home import demo
from samepage.schools.models import District, Guardian, StaffProfile, Student
from samepage.teams.models import TeamMembership

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_district_and_prints_a_login_per_role():
    output = _seed()
    assert District.objects.filter(name="Riverbend Unified").count() == 1
    for login in demo.DEMO_LOGINS:
        assert login.email in output
        assert User.objects.get(email=login.email).check_password(demo.demo_password())


def test_seed_demo_is_idempotent():
    _seed()
    counts = (User.objects.count(), Student.objects.count(), TeamMembership.objects.count())
    assert "already there" in _seed()
    assert (User.objects.count(), Student.objects.count(), TeamMembership.objects.count()) == counts


@pytest.mark.django_db(transaction=True)
def test_seed_demo_reset_starts_over():
    # transaction=True: --reset runs flush outside any transaction, as it does for real.
    _seed()
    count = Student.objects.count()
    Student.objects.filter(legal_first_name="Jamie").update(grade="9")
    User.objects.create_user("extra@example.org", "pw-123456789", full_name="Extra")
    _seed("--reset")
    assert Student.objects.count() == count
    assert Student.objects.get(legal_first_name="Jamie").grade == "3"
    assert not User.objects.filter(email="extra@example.org").exists()


def test_seed_demo_if_empty_leaves_a_used_database_alone():
    User.objects.create_user("someone@example.org", "pw-123456789", full_name="Someone")
    assert "was not added" in _seed("--if-empty")
    assert not District.objects.exists()


def test_demo_district_has_every_role_and_the_cases_later_features_need():
    _seed()
    roles = set(StaffProfile.objects.values_list("role", flat=True))
    assert {
        "district_admin",
        "school_leader",
        "case_manager",
        "gen_ed_teacher",
        "provider",
    } <= roles
    rosa = User.objects.get(email="rosa.hernandez@family.example")
    assert rosa.language == "es"
    maya = Student.objects.get(legal_first_name="Maya")
    assert maya.account is not None
    from samepage.core.dates import district_today

    today = district_today(maya.district)
    assert maya.district.time_zone == "America/Los_Angeles"  # Oregon keeps Pacific time
    assert maya.age_on(today) >= 16
    daniel = Student.objects.get(legal_first_name="Daniel")
    assert daniel.age_on(today) == 17
    assert Guardian.objects.filter(is_restricted=True).exists()
    assert Guardian.objects.filter(holds_educational_rights=False).exists()
    assert Student.objects.filter(plan_type="504").exists()
    assert Student.objects.filter(status="exited").exists()
    # District IDs keep their leading zeros.
    assert Student.objects.get(legal_first_name="Jamie").district_student_id == "000412"
    assert User.objects.get(email="sam.okafor@advocates.example").is_advocate


def test_student_id_unique_per_district_but_not_across_districts():
    from django.core.exceptions import ValidationError

    from samepage import factories as f

    school = f.make_school()
    f.make_student(school, district_student_id="007")
    with pytest.raises(ValidationError):
        f.make_student(school, district_student_id="007")
    f.make_student(f.make_school(), district_student_id="007")


def test_demo_plans_cover_every_lifecycle_state():
    from samepage.plans.models import PlanQuestion, PlanVersion

    _seed()
    statuses = set(PlanVersion.objects.values_list("status", flat=True))
    assert statuses == {"draft", "final", "in_effect", "superseded", "ended"}
    assert PlanVersion.objects.filter(kind="amendment", status="in_effect").exists()
    assert PlanQuestion.objects.filter(status="open").exists()
    assert PlanVersion.objects.filter(
        plan__student__legal_first_name="Maya",
        content__sections__transition__course_of_study__isnull=False,
    ).exists()
    assert PlanVersion.objects.filter(plan__plan_type="504", status="in_effect").exists()
