"""How long "which students may this person see" takes in a 100,000-student district.

Builds a scratch PostgreSQL database (students bulk-inserted, one parent, one case
manager with a caseload of 30, one district admin), then times, for each person, the
first page (50, by name) of ``visible_students`` as the app runs it today (a UNION of
each reach's student ids) beside the same rule written as an OR of IN-subqueries, the
way it was before issue 9. Writes bench/results/visibility.{json,md}.

    .venv/bin/python bench/visibility.py                  # 100,000 students, ~2 minutes
    .venv/bin/python bench/visibility.py --students 1000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    name = "samepage_bench_visibility"
    os.environ["DATABASE_URL"] = f"{args.server}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samepage.settings")
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        rows = _run(args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "visibility.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = [
        f"# visible_students, first page of 50, {args.students:,} students (ms)",
        "",
        "| person | UNION p50 | UNION p95 | OR of IN p50 | OR of IN p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['person']} | {r['union_p50']:.2f} | {r['union_p95']:.2f} | "
        f"{r['or_p50']:.2f} | {r['or_p95']:.2f} |"
        for r in rows
    ]
    (RESULTS / "visibility.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _run(args: argparse.Namespace) -> list[dict[str, float | str]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Q

    from samepage.accounts.models import User
    from samepage.schools.models import District, Guardian, School, StaffProfile, Student
    from samepage.teams.models import STAFF_TEAM_ROLES, ConsentGrant, TeamMembership
    from samepage.teams.permissions import visible_students

    call_command("migrate", verbosity=0)
    district = District.objects.create(name="Big", state="OR", time_zone="America/Los_Angeles")
    schools = [School.objects.create(district=district, name=f"School {n}") for n in range(40)]
    batch = [
        Student(
            district=district,
            school=schools[n % len(schools)],
            district_student_id=f"{n:07d}",
            legal_first_name=f"First{n}",
            legal_last_name=f"Last{n % 997}",
            date_of_birth=date(2014, 1, 1),
            grade="5",
            search_name=f" first{n} last{n % 997} {n:07d}",
        )
        for n in range(args.students)
    ]
    Student.objects.bulk_create(batch, batch_size=5000)
    ids = list(Student.objects.order_by("pk").values_list("pk", flat=True))
    parent = User.objects.create(email="parent@example.org", full_name="Parent")
    Guardian.objects.create(student_id=ids[len(ids) // 2], user=parent, relationship="parent")
    teacher = User.objects.create(email="cm@example.org", full_name="Case Manager")
    StaffProfile.objects.create(user=teacher, district=district, role="teacher")
    TeamMembership.objects.bulk_create(
        TeamMembership(
            student_id=pk,
            user=teacher,
            team_role="case_manager",
            capabilities=["view_record", "edit_plan"],
            start_date=date(2020, 1, 1),
        )
        for pk in ids[:: max(1, len(ids) // 30)][:30]
    )
    admin = User.objects.create(email="admin@example.org", full_name="Admin")
    StaffProfile.objects.create(user=admin, district=district, role="district_admin")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def old_style(user: User) -> Q:
        """The pre-issue-9 shape: one OR of IN-subqueries."""
        condition = Q(pk__in=[])
        staff = StaffProfile.objects.filter(user=user).first()
        if staff is not None:
            if staff.role == "district_admin":
                condition |= Q(district_id=staff.district_id)
            condition |= Q(
                district_id=staff.district_id,
                pk__in=TeamMembership.objects.current(date.today())
                .filter(user=user, team_role__in=STAFF_TEAM_ROLES)
                .values("student_id"),
            )
        condition |= Q(pk__in=user.guardianships.filter(is_restricted=False).values("student_id"))
        condition |= Q(
            pk__in=ConsentGrant.objects.active().filter(grantee=user).values("student_id")
        )
        return condition

    order = ("legal_last_name", "legal_first_name", "pk")
    rows = []
    for label, user in [("parent", parent), ("case manager", teacher), ("district admin", admin)]:
        user = User.objects.get(pk=user.pk)
        union_times, or_times = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            new = list(visible_students(user).order_by(*order)[:50])
            union_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            old = list(Student.objects.filter(old_style(user)).order_by(*order)[:50])
            or_times.append((time.perf_counter() - start) * 1000)
            assert [s.pk for s in new] == [s.pk for s in old], label
        rows.append(
            {
                "person": label,
                "union_p50": statistics.median(union_times),
                "union_p95": sorted(union_times)[int(len(union_times) * 0.95) - 1],
                "or_p50": statistics.median(or_times),
                "or_p95": sorted(or_times)[int(len(or_times) * 0.95) - 1],
            }
        )
    return rows


if __name__ == "__main__":
    main()
