"""The list and the single lookup agree, in any world hypothesis can make up.

For every person and every student of a generated world (staff of two districts in
different time zones, teams with any capabilities and dates, households with restricted
and rights-holding guardians, student accounts, consents revoked, expired, future or
running): "in the list" is "opens", part by part, and through the pages (200 or 404).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from samepage.accounts.models import User
from samepage.core.dates import district_today
from samepage.plans.models import Plan, PlanVersion
from samepage.plans.permissions import access_plan, visible_plans
from samepage.schools.models import District, Guardian, School, StaffProfile, Student
from samepage.teams.models import STAFF_TEAM_ROLES, Capability, ConsentGrant, Scope, TeamMembership
from samepage.teams.permissions import Part, student_access, student_accesses, visible_students

PARTS = [value for name, value in vars(Part).items() if name.isupper()]
STAFF_ROLES = [None, *StaffProfile.Role.values]

days = st.integers(min_value=-40, max_value=40)

membership = st.fixed_dictionaries(
    {
        "student": st.integers(0, 3),
        "team_role": st.sampled_from(sorted(STAFF_TEAM_ROLES)),
        "capabilities": st.lists(st.sampled_from(Capability.values), unique=True, max_size=4),
        "start": days,
        "length": st.none() | st.integers(0, 30),
    }
)
guardianship = st.fixed_dictionaries(
    {
        "student": st.integers(0, 3),
        "restricted": st.booleans(),
        "rights": st.booleans(),
    }
)
consent = st.fixed_dictionaries(
    {
        "student": st.integers(0, 3),
        "scopes": st.lists(st.sampled_from(Scope.values), unique=True, max_size=6),
        "start": days,
        "length": st.integers(0, 30),
        "revoked": st.booleans(),
    }
)
person = st.fixed_dictionaries(
    {
        "staff_role": st.sampled_from(STAFF_ROLES),
        "district": st.integers(0, 1),
        "leads_school": st.integers(0, 2),
        "memberships": st.lists(membership, max_size=3),
        "guardianships": st.lists(guardianship, max_size=2),
        "consents": st.lists(consent, max_size=2),
        "own_student": st.none() | st.integers(0, 3),
        "is_advocate": st.booleans(),
        "is_active": st.booleans() | st.just(True),
    }
)
world = st.fixed_dictionaries(
    {
        "students_see_own_record": st.tuples(st.booleans(), st.booleans()),
        # An age in years for each of the four students: some have reached majority.
        "ages": st.lists(st.sampled_from([9, 14, 17, 18, 20]), min_size=4, max_size=4),
        "schools": st.lists(st.integers(0, 2), min_size=4, max_size=4),
        # Each student's plan: only an unshared draft, or a version past draft too.
        "plan_finalized": st.lists(st.booleans(), min_size=4, max_size=4),
        "people": st.lists(person, min_size=1, max_size=4),
    }
)


def _build(spec: dict[str, Any]) -> tuple[list[User], list[Student]]:
    """Rows straight into the database: the world is the input, not what is tested."""
    districts = [
        District.objects.create(
            name="Oregon",
            state="OR",
            time_zone="America/Los_Angeles",
            students_see_own_record=spec["students_see_own_record"][0],
        ),
        District.objects.create(
            name="Tokyo",
            state="OR",
            time_zone="Asia/Tokyo",
            students_see_own_record=spec["students_see_own_record"][1],
        ),
    ]
    schools = [
        School.objects.create(district=districts[0], name="North"),
        School.objects.create(district=districts[0], name="South"),
        School.objects.create(district=districts[1], name="East"),
    ]
    students = []
    rows = zip(spec["ages"], spec["schools"], spec["plan_finalized"], strict=True)
    for n, (age, school_index, finalized) in enumerate(rows):
        school = schools[school_index]
        today = district_today(school.district)
        students.append(
            Student.objects.create(
                district=school.district,
                school=school,
                district_student_id=f"S{n}",
                legal_first_name=f"Kid{n}",
                legal_last_name="Example",
                date_of_birth=date(today.year - age, 1, 1) - timedelta(days=1),
                grade="5",
            )
        )
        plan = Plan.objects.create(student=students[-1], plan_type=Plan.PlanType.IEP)
        PlanVersion.objects.create(plan=plan, number=1, status=PlanVersion.Status.DRAFT)
        if finalized:
            PlanVersion.objects.filter(plan=plan).update(status=PlanVersion.Status.FINAL)
            PlanVersion.objects.create(plan=plan, number=2, status=PlanVersion.Status.DRAFT)
    password = make_password(None)
    people = []
    for n, who in enumerate(spec["people"]):
        user = User.objects.create(
            email=f"person{n}@example.org",
            full_name=f"Person {n}",
            password=password,
            is_advocate=who["is_advocate"],
            is_active=who["is_active"],
        )
        people.append(user)
        district = districts[who["district"]]
        if who["staff_role"] is not None:
            staff = StaffProfile.objects.create(
                user=user, district=district, role=who["staff_role"]
            )
            staff.schools.set([schools[who["leads_school"]]])
        # One membership per student and team role (the rule the model enforces).
        by_role = {(m["student"], m["team_role"]): m for m in who["memberships"]}
        for m in by_role.values():
            student = students[m["student"]]
            start = district_today(student.district) + timedelta(days=m["start"])
            TeamMembership.objects.create(
                student=student,
                user=user,
                team_role=m["team_role"],
                capabilities=m["capabilities"],
                start_date=start,
                end_date=None if m["length"] is None else start + timedelta(days=m["length"]),
            )
        for g in who["guardianships"]:
            Guardian.objects.get_or_create(
                student=students[g["student"]],
                user=user,
                defaults={
                    "relationship": Guardian.Relationship.PARENT,
                    "is_restricted": g["restricted"],
                    "holds_educational_rights": g["rights"],
                },
            )
        for c in who["consents"]:
            student = students[c["student"]]
            start = district_today(student.district) + timedelta(days=c["start"])
            ConsentGrant.objects.create(
                student=student,
                granted_by=user,
                grantee=user,
                scopes=c["scopes"],
                purpose="Advice on the plan",
                starts_on=start,
                expires_on=start + timedelta(days=c["length"]),
                signature_name="A Parent",
                signed_at=timezone.now(),
                revoked_at=timezone.now() if c["revoked"] else None,
            )
        if who["own_student"] is not None:
            own = students[who["own_student"]]
            if own.account_id is None:
                own.account = user
                own.save(update_fields=["account"])
    return people, students


class TestListAndLookupAgree(TestCase):
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        # A failure is reported as found: shrinking these worlds takes minutes.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(world)
    def test_in_the_list_is_opens(self, spec: dict[str, Any]) -> None:
        people, students = _build(spec)
        for user in people:
            user = User.objects.get(pk=user.pk)  # no cached roles between checks
            listed = set(visible_students(user).values_list("pk", flat=True))
            by_part = {
                part: set(visible_students(user, part).values_list("pk", flat=True))
                for part in PARTS
            }
            plans_listed = set(visible_plans(user).values_list("student_id", flat=True))
            self.client.force_login(user) if user.is_active else self.client.logout()
            # Many students at once (a home's page) is the single lookup, student by student.
            together = student_accesses(user, [s.pk for s in students])
            for student in students:
                access = student_access(user, student)
                assert together.get(student.pk) == access, (user, student)
                assert (student.pk in listed) == (access is not None), (user, student)
                for part in PARTS:
                    assert (student.pk in by_part[part]) == (
                        access is not None and access.can_view(part)
                    ), (user, student, part)
                plan = Plan.objects.get(student=student)
                try:
                    access_plan(user, plan.pk)
                except (Http404, PermissionDenied):
                    opens = False
                else:
                    opens = True
                assert (student.pk in plans_listed) == opens, (user, student)
                if user.is_active:
                    page = self.client.get(reverse("home:student_detail", args=[student.pk]))
                    assert page.status_code == (200 if student.pk in listed else 404)
