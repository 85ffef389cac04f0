"""Small factories for tests: real rows made through the real actions."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from samepage.accounts import actions as account_actions
from samepage.accounts.models import User
from samepage.core.dates import district_today
from samepage.plans.actions import lifecycle
from samepage.plans.actions.lifecycle import do_create_plan
from samepage.plans.models import Accommodation, Goal, PlanSection, PlanVersion, Service
from samepage.plans.permissions import plan_access
from samepage.schools import actions as school_actions
from samepage.schools.models import District, Guardian, School, StaffProfile, Student
from samepage.teams import actions as team_actions
from samepage.teams.models import TeamMembership

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def make_user(name: str | None = None, *, email: str | None = None, **extra: Any) -> User:
    n = next(_counter)
    name = name or f"Person {n}"
    email = email or f"{name.lower().replace(' ', '.')}.{n}@example.org"
    return account_actions.do_create_user(
        actor=None, email=email, full_name=name, password=extra.pop("password", PASSWORD), **extra
    )


def make_district(name: str | None = None, **extra: Any) -> District:
    return school_actions.do_create_district(
        actor=None,
        name=name or f"District {next(_counter)}",
        state=extra.pop("state", "OR"),
        **extra,
    )


def make_school(district: District | None = None, name: str | None = None) -> School:
    return school_actions.do_create_school(
        actor=None, district=district or make_district(), name=name or f"School {next(_counter)}"
    )


def make_student(school: School | None = None, **extra: Any) -> Student:
    n = next(_counter)
    values: dict[str, Any] = {
        "district_student_id": f"{n:06d}",
        "legal_first_name": f"Kid{n}",
        "legal_last_name": "Example",
        "date_of_birth": date(2015, 3, 14),
        "grade": "4",
    }
    values.update(extra)
    return school_actions.do_create_student(actor=None, school=school or make_school(), **values)


def make_guardian(student: Student, user: User | None = None, **extra: Any) -> Guardian:
    return school_actions.do_link_guardian(
        actor=None,
        student=student,
        user=user or make_user("Guardian"),
        relationship=extra.pop("relationship", Guardian.Relationship.PARENT),
        **extra,
    )


def make_staff(
    district: District, role: str, *, schools: list[School] | None = None, name: str = "Staff"
) -> User:
    user = make_user(name)
    school_actions.do_create_staff_profile(
        actor=None, user=user, district=district, role=role, schools=schools or []
    )
    return user


def add_to_team(student: Student, user: User, team_role: str, **extra: Any) -> TeamMembership:
    return team_actions.do_add_team_member(
        actor=None, student=student, user=user, team_role=team_role, **extra
    )


StaffRole = StaffProfile.Role
TeamRole = TeamMembership.TeamRole


def make_plan(student: Student, actor: Any = None, **extra: Any) -> Any:
    return do_create_plan(student, actor=actor, **extra)


def fill_plan(plan: Any) -> Any:
    """Fill a plan's draft with everything finalize requires (direct rows: test setup)."""
    version = PlanVersion.objects.get(plan=plan, status="draft")
    data: dict[str, dict[str, Any]] = {
        "participants": {"participants": "Alice Lane (parent), Carol Case (case manager)"},
        "strengths": {"strengths": "Curious, kind, loves building things."},
        "parent_concerns": {"concerns": "Reading at home is hard."},
        "present_levels": {
            "academic_levels": "Reads 40 words per minute.",
            "disability_impact": "Decoding slows access to grade-level texts.",
        },
        "special_factors": {"assistive_technology_needed": True, "notes": "Text-to-speech."},
        "progress_reporting": {"method": "Weekly probes", "frequency": "Every quarter"},
        "assessment": {"participation": "regular_with_accommodations"},
        "lre": {
            "percent_general_education": 80,
            "explanation": "Reading support in a small group.",
        },
        "placement": {"placement": "General classroom with resource support"},
        "esy": {"decision": "not_needed", "justification": "Keeps skills over breaks."},
        "review": {"review_date": "2027-06-01"},
    }
    for section in PlanSection.objects.filter(version=version):
        if section.key in data:
            section.data = data[section.key]
            section.save(update_fields=["data"])
    if plan.plan_type == "iep":
        Goal.objects.create(
            version=version,
            area="academic",
            statement="Read grade-level text fluently",
            baseline="40 wcpm",
            target="90 wcpm",
            measurement_method="Oral reading probes",
            schedule="Weekly",
            mastery_criterion="3 probes in a row",
        )
    start = version.proposed_start
    Service.objects.create(
        version=version,
        category="special_education",
        description="Reading instruction",
        provider_role="Special education teacher",
        minutes=150,
        frequency_unit="week",
        start_date=start,
        end_date=version.proposed_end,
        setting="Resource room",
    )
    Accommodation.objects.create(version=version, description="Extra time on tests")
    return version


def make_plan_in_effect(student: Student, *, signer: User, actor: Any = None, **extra: Any) -> Any:
    """A plan finalized after a meeting and signed in agreement (in effect)."""
    plan = make_plan(student, actor, **extra)
    version = fill_plan(plan)
    lifecycle.do_record_meeting(version, actor=actor, meeting_date=version.proposed_start)
    lifecycle.check_finalize(version, actor=actor)
    lifecycle.do_sign(
        version,
        actor=signer,
        access=plan_access(signer, version.plan),
        decision="agree",
        typed_name=signer.full_name,
        consent_to_initial_services=True,
    )
    version.refresh_from_db()
    return version


def amend_into_effect(
    version: Any, *, actor: Any, signer: User, accommodation: str = "Tests read aloud"
) -> Any:
    """An amendment of a plan in effect that adds one accommodation, signed into effect."""
    amendment = lifecycle.do_start_amendment(
        version.plan,
        actor=actor,
        reason="Add a reader for tests",
        parts=["accommodations"],
        effective_date=district_today(version.plan.student.district),
    )
    Accommodation.objects.create(version=amendment, description=accommodation)
    lifecycle.check_finalize(amendment, actor=actor)
    lifecycle.do_sign(
        amendment,
        actor=signer,
        access=plan_access(signer, amendment.plan),
        decision="agree",
        typed_name=signer.full_name,
    )
    amendment.refresh_from_db()
    return amendment
