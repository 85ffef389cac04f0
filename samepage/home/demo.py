"""The demo district "Riverbend Unified": fictional people, synthetic data only.

Ages are computed from the day the demo is seeded, so the 16-year-old stays 16 and the
student near the age of majority stays near it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from samepage.accounts import actions as account_actions
from samepage.accounts.models import User
from samepage.concerns.demo import seed_concerns
from samepage.conversations.demo import seed_conversations
from samepage.core.dates import district_today
from samepage.deadlines.demo import seed_deadlines
from samepage.minutes.demo import seed_minutes
from samepage.notifications.demo import seed_notifications
from samepage.plans.demo import seed_plans
from samepage.problems.demo import seed_problems
from samepage.profiles.demo import seed_profiles
from samepage.progress.demo import seed_progress
from samepage.reports.demo import seed_reports
from samepage.schools import actions as school_actions
from samepage.schools.models import District, Guardian, StaffProfile
from samepage.teams import actions as team_actions
from samepage.teams.actions import check_grant_consent, do_revoke_consent
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import student_access
from samepage.updates.demo import seed_updates

DISTRICT_NAME = "Riverbend Unified"
# Riverbend is in Oregon: its "today" (every deadline and expiry) is Pacific time.
DISTRICT_TIME_ZONE = "America/Los_Angeles"


def demo_password() -> str:
    # Demo accounts hold synthetic data only; the password can be changed per machine.
    return os.environ.get("SAMEPAGE_DEMO_PASSWORD", "riverbend-demo-2026")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


# One login per role, printed by `make run` and used by the browser tests.
DEMO_LOGINS = [
    DemoLogin("District administrator", "dana.whitfield@riverbend.example", "Dana Whitfield"),
    DemoLogin("School leader", "marcus.hayes@riverbend.example", "Marcus Hayes"),
    DemoLogin("Case manager", "maria.lee@riverbend.example", "Maria Lee"),
    DemoLogin("General-education teacher", "david.brooks@riverbend.example", "David Brooks"),
    DemoLogin("Speech therapist", "priya.patel@riverbend.example", "Priya Patel"),
    DemoLogin("Parent", "jordan.rivera@family.example", "Jordan Rivera"),
    DemoLogin("Spanish-speaking parent", "rosa.hernandez@family.example", "Rosa Hernández"),
    DemoLogin("Advocate", "sam.okafor@advocates.example", "Sam Okafor"),
    DemoLogin("Student (16+)", "maya.chen@students.riverbend.example", "Maya Chen"),
]


def _years_ago(today: date, years: int, days: int = 0) -> date:
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=days)


def demo_exists() -> bool:
    return District.objects.filter(name=DISTRICT_NAME).exists()


def seed(today: date | None = None) -> District:
    """Create the whole demo district in one transaction (dates counted from its today)."""
    password = demo_password()
    with transaction.atomic():
        return _seed(today, password)


def _seed(today: date | None, password: str) -> District:
    actor = None  # the system itself
    district = school_actions.do_create_district(
        actor=actor,
        name=DISTRICT_NAME,
        state="OR",
        age_of_majority=18,
        time_zone=DISTRICT_TIME_ZONE,
    )
    today = today or district_today(district)
    elementary = school_actions.do_create_school(
        actor=actor,
        district=district,
        name="Riverbend Elementary",
        lowest_grade="K",
        highest_grade="5",
    )
    middle = school_actions.do_create_school(
        actor=actor,
        district=district,
        name="Riverbend Middle",
        lowest_grade="6",
        highest_grade="8",
    )
    high = school_actions.do_create_school(
        actor=actor,
        district=district,
        name="Riverbend High",
        lowest_grade="9",
        highest_grade="12",
    )

    def person(email: str, name: str, **extra: Any) -> User:
        return account_actions.do_create_user(
            actor=actor, email=email, full_name=name, password=password, **extra
        )

    role = StaffProfile.Role
    staff_rows = [
        (
            "dana.whitfield@riverbend.example",
            "Dana Whitfield",
            role.DISTRICT_ADMIN,
            "Director of Special Education",
            "",
            [],
        ),
        (
            "marcus.hayes@riverbend.example",
            "Marcus Hayes",
            role.SCHOOL_LEADER,
            "Principal",
            "",
            [elementary],
        ),
        ("ellen.park@riverbend.example", "Ellen Park", role.SCHOOL_LEADER, "Principal", "", [high]),
        (
            "maria.lee@riverbend.example",
            "Maria Lee",
            role.CASE_MANAGER,
            "Special education teacher",
            "",
            [elementary, middle],
        ),
        (
            "tom.alvarez@riverbend.example",
            "Tom Alvarez",
            role.CASE_MANAGER,
            "Special education teacher",
            "",
            [high],
        ),
        (
            "david.brooks@riverbend.example",
            "David Brooks",
            role.GENERAL_ED_TEACHER,
            "Third-grade teacher",
            "",
            [elementary],
        ),
        (
            "priya.patel@riverbend.example",
            "Priya Patel",
            role.PROVIDER,
            "Speech-language pathologist",
            "Speech-language pathology",
            [elementary, middle],
        ),
        (
            "hannah.wu@riverbend.example",
            "Hannah Wu",
            role.PROVIDER,
            "Occupational therapist",
            "Occupational therapy",
            [elementary],
        ),
        (
            "luis.ortega@riverbend.example",
            "Luis Ortega",
            role.INTERPRETER,
            "Spanish interpreter",
            "",
            [elementary, middle, high],
        ),
    ]
    staff: dict[str, User] = {}
    for email, name, staff_role, title, discipline, schools in staff_rows:
        user = person(email, name)
        school_actions.do_create_staff_profile(
            actor=actor,
            user=user,
            district=district,
            role=staff_role,
            schools=schools,
            title=title,
            discipline=discipline,
        )
        staff[email.split("@")[0]] = user

    advocate = person("sam.okafor@advocates.example", "Sam Okafor", is_advocate=True)

    rel = Guardian.Relationship
    families = [
        # (first, last, years, days, grade, school, categories, plan, id, guardians, extra)
        (
            "Jamie",
            "Rivera",
            9,
            40,
            "3",
            elementary,
            ["autism"],
            "iep",
            "000412",
            [
                ("jordan.rivera@family.example", "Jordan Rivera", rel.PARENT, "en", True, False),
                ("alex.rivera@family.example", "Alex Rivera", rel.PARENT, "en", False, False),
            ],
            {},
        ),
        (
            "Sofía",
            "Hernández",
            12,
            100,
            "6",
            middle,
            ["speech_language_impairment"],
            "iep",
            "000587",
            [("rosa.hernandez@family.example", "Rosa Hernández", rel.MOTHER, "es", True, False)],
            {"home_language": "es"},
        ),
        (
            "Maya",
            "Chen",
            16,
            200,
            "11",
            high,
            ["specific_learning_disability"],
            "iep",
            "001033",
            [("wei.chen@family.example", "Wei Chen", rel.FATHER, "en", True, False)],
            {},
        ),
        (
            "Daniel",
            "Okoro",
            17,
            300,
            "12",
            high,
            ["other_health_impairment"],
            "iep",
            "000951",
            [("grace.okoro@family.example", "Grace Okoro", rel.MOTHER, "en", True, False)],
            {},
        ),
        (
            "Leo",
            "Martin",
            7,
            10,
            "1",
            elementary,
            [],
            "504",
            "001207",
            [("claire.martin@family.example", "Claire Martin", rel.MOTHER, "en", True, False)],
            {},
        ),
        (
            "Ava",
            "Johnson",
            10,
            60,
            "4",
            elementary,
            ["emotional_disturbance"],
            "iep",
            "000733",
            [
                ("tanya.johnson@family.example", "Tanya Johnson", rel.MOTHER, "en", True, False),
                ("chris.johnson@family.example", "Chris Johnson", rel.FATHER, "en", True, True),
            ],
            {},
        ),
        (
            "Noah",
            "Kim",
            13,
            20,
            "7",
            middle,
            ["specific_learning_disability"],
            "iep",
            "000388",
            [("min.kim@family.example", "Min Kim", rel.MOTHER, "en", True, False)],
            {"status": "exited"},
        ),
    ]
    students = {}
    for first, last, years, days, grade, school, cats, plan, sid, guardians, extra in families:
        student = school_actions.do_create_student(
            actor=actor,
            school=school,
            district_student_id=sid,
            legal_first_name=first,
            legal_last_name=last,
            date_of_birth=_years_ago(today, years, days),
            grade=grade,
            disability_categories=cats,
            plan_type=plan,
            **extra,
        )
        household = school_actions.do_create_household(
            actor=actor,
            district=district,
            name=f"{last} household",
            home_language=extra.get("home_language", "en"),
        )
        for email, name, relationship, language, rights, restricted in guardians:
            user = User.objects.filter(email=email).first() or person(
                email, name, language=language
            )
            school_actions.do_link_guardian(
                actor=actor,
                student=student,
                user=user,
                relationship=relationship,
                household=household,
                language=language,
                holds_educational_rights=rights,
                is_restricted=restricted,
                restriction_note="Court order on file (demo)." if restricted else "",
            )
        students[first] = student

    maya_account = person("maya.chen@students.riverbend.example", "Maya Chen")
    school_actions.do_link_student_account(actor=actor, student=students["Maya"], user=maya_account)

    team = TeamMembership.TeamRole
    start = today - timedelta(days=120)
    memberships = [
        ("Jamie", "maria.lee", team.CASE_MANAGER, ""),
        ("Jamie", "david.brooks", team.GENERAL_ED_TEACHER, ""),
        ("Jamie", "priya.patel", team.PROVIDER, "Speech-language pathology"),
        ("Jamie", "marcus.hayes", team.SCHOOL_LEADER, ""),
        ("Sofía", "maria.lee", team.CASE_MANAGER, ""),
        ("Sofía", "priya.patel", team.PROVIDER, "Speech-language pathology"),
        ("Sofía", "luis.ortega", team.INTERPRETER, ""),
        ("Maya", "tom.alvarez", team.CASE_MANAGER, ""),
        ("Maya", "ellen.park", team.SCHOOL_LEADER, ""),
        ("Daniel", "tom.alvarez", team.CASE_MANAGER, ""),
        ("Leo", "maria.lee", team.CASE_MANAGER, ""),
        ("Ava", "maria.lee", team.CASE_MANAGER, ""),
        ("Ava", "hannah.wu", team.PROVIDER, "Occupational therapy"),
    ]
    for first, staff_key, team_role, discipline in memberships:
        team_actions.do_add_team_member(
            actor=actor,
            student=students[first],
            user=staff[staff_key],
            team_role=team_role,
            discipline=discipline,
            start_date=start,
        )
    team_actions.do_add_team_member(
        actor=actor,
        student=students["Maya"],
        user=maya_account,
        team_role=team.STUDENT,
        start_date=start,
    )
    _seed_consents(today, students, advocate)

    families_by_name = {
        u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@family.example")
    }
    seed_plans(today, students, staff, families_by_name)

    seed_profiles(today, students, staff, families_by_name)

    seed_concerns(today, students, staff, families_by_name)
    seed_conversations(today, students, staff, families_by_name)
    seed_problems(today, students, staff, families_by_name)
    seed_updates(today, students, staff, families_by_name)
    seed_minutes(today, students, staff, families_by_name)
    seed_progress(today, students, staff, families_by_name)
    seed_reports(today, students, staff, families_by_name)
    seed_notifications(today, students, staff, families_by_name)
    seed_deadlines(today, students, staff, families_by_name)
    return district


def _seed_consents(today: date, students: dict[str, Any], advocate: User) -> None:
    """Sam Okafor: an active consent (Rivera), an expired one (Hernández), a revoked one
    (Johnson)."""

    rows = [
        (
            "Jamie",
            "jordan.rivera@family.example",
            ["profile", "plans", "progress", "meetings"],
            "Help us prepare for Jamie's annual IEP meeting.",
            today - timedelta(days=20),
            200,
        ),
        (
            "Sofía",
            "rosa.hernandez@family.example",
            ["plans", "meetings"],
            "Apoyo en la reunión del IEP de Sofía.",
            today - timedelta(days=400),
            365,
        ),
        (
            "Ava",
            "tanya.johnson@family.example",
            ["profile", "plans"],
            "Second opinion on Ava's behaviour plan.",
            today - timedelta(days=90),
            300,
        ),
    ]
    for first, guardian_email, scopes, purpose, signed_on, days in rows:
        guardian = User.objects.get(email=guardian_email)
        grant = check_grant_consent(
            actor=guardian,
            student=students[first],
            access=student_access(guardian, students[first]),
            grantee_email=advocate.email,
            scopes=scopes,
            purpose=purpose,
            starts_on=signed_on,
            expires_on=signed_on + timedelta(days=days),
            signature_name=guardian.full_name,
            consent_confirmed=True,
            ip="127.0.0.1",
            user_agent="SamePage demo",
            today=signed_on,
        )
        if first == "Ava":
            do_revoke_consent(grant, actor=guardian)
