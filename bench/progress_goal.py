"""A goal with five years of data: entering a score, drawing the chart, the report and
the service minutes.

    .venv/bin/python bench/progress_goal.py [--years 5] [--per-week 3] [--rounds 30]
        [--server postgres://postgres@127.0.0.1:5432] [--keep]

On its own scratch PostgreSQL database (``samepage_bench_progress``, dropped at the end
unless ``--keep``): one student whose reading goal's lineage runs through five years of
plans, with ``--per-week`` school scores a week (780 over five years) and a home
observation a month. Measured through Django's test ``Client`` and the full middleware
stack, as the speech therapist on the team:

- the goal's page (the chart of every point, the table, alerts, projection, the newest
  entries);
- the entry: posting one score on the goal's page (validation, the insert, its audit
  row, the decision rules worked out again from every point);
- the analysis API (lines, verdicts and the same SVG);
- the chart alone (``render_svg`` from the analysis, no request);
- the child's progress tab (every goal's latest scores and alerts);
- a progress report for the last quarter, drafted from that goal (page and PDF), and
  the same report issued (its PDF laid out once, then read back);
- the services tab with five years of the goal's service sessions logged (two a week,
  one in ten missed), its week and month sums and make-up ledger.

It reports p50 and p95 per operation and the query count of each request. Results go to
bench/results/progress_goal.json and bench/results/progress_goal.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH_DB = "samepage_bench_progress"


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _setup_django(server: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{SCRATCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    anchors = Path(tempfile.gettempdir()) / "samepage-bench-progress-anchors"
    os.environ.setdefault("SAMEPAGE_AUDIT_ANCHOR_DIR", str(anchors))
    os.environ.setdefault("SAMEPAGE_AUDIT_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _world(years: int, per_week: int) -> dict[str, Any]:
    """One student, their therapist and parent, a goal measured over ``years`` years."""
    from samepage import factories as f
    from samepage.core.dates import district_today
    from samepage.plans.models import Goal
    from samepage.progress import actions
    from samepage.progress.models import DataPoint, Series
    from samepage.progress.permissions import progress_access_for
    from samepage.teams import actions as team_actions
    from samepage.teams.models import TeamMembership

    district = f.make_district("Progress Bench District")
    school = f.make_school(district, "Progress Bench Elementary")
    student = f.make_student(school, legal_first_name="Bench", legal_last_name="Reader")
    parent = f.make_user("Bench Parent")
    f.make_guardian(student, parent)
    manager = f.make_staff(
        district, f.StaffRole.CASE_MANAGER, schools=[school], name="Bench Manager"
    )
    therapist = f.make_staff(
        district, f.StaffRole.PROVIDER, schools=[school], name="Bench Therapist"
    )
    today = district_today(district)
    start = today - timedelta(days=365 * years)
    for user, role in (
        (manager, TeamMembership.TeamRole.CASE_MANAGER),
        (therapist, TeamMembership.TeamRole.PROVIDER),
    ):
        team_actions.do_add_team_member(
            actor=None, student=student, user=user, team_role=role, start_date=start
        )
    version = f.make_plan_in_effect(student, signer=parent, actor=manager, proposed_start=start)
    goal = Goal.objects.filter(version=version).first()
    assert goal is not None
    access = progress_access_for(manager, student)
    measurement = actions.check_set_measurement(
        student,
        goal.lineage_id,
        actor=manager,
        access=access,
        kind="rate",
        unit="wcpm",
        direction="increase",
        baseline_value="20",
        baseline_date=start,
        target_value="120",
        target_date=today + timedelta(days=200),
        mastery_value="120",
        mastery_sessions=3,
    )
    weeks = 52 * years
    rows = []
    for week in range(weeks):
        for n in range(per_week):
            day = start + timedelta(days=7 * week + 2 * n)
            if day >= today:
                continue
            rows.append(
                DataPoint(
                    measurement=measurement,
                    day=day,
                    value=Decimal(20 + week * 0.3 + n),
                    entered_by=therapist,
                )
            )
        if week % 4 == 0:
            rows.append(
                DataPoint(
                    measurement=measurement,
                    day=start + timedelta(days=7 * week + 1),
                    value=Decimal(22 + week * 0.3),
                    series=Series.HOME,
                    entered_by=parent,
                )
            )
    DataPoint.objects.bulk_create(rows, batch_size=1000)
    sessions = _sessions(student, version, therapist, start, today)
    return {
        "student": student,
        "therapist": therapist,
        "measurement": measurement,
        "today": today,
        "points": len(rows),
        "sessions": sessions,
        "report": _report(student, manager, today),
        "manager": manager,
    }


def _sessions(student: Any, version: Any, therapist: Any, start: Any, today: Any) -> int:
    """Two sessions a school week of the plan's service since ``start``, one in ten missed."""
    from samepage.minutes.models import MissedReason, ServiceSession, SessionStatus
    from samepage.plans.models import Service

    service = Service.objects.filter(version=version).first()
    assert service is not None
    rows = []
    day = start
    n = 0
    while day < today:
        if day.weekday() in (1, 3):
            missed = n % 10 == 9
            rows.append(
                ServiceSession(
                    student=student,
                    service_lineage=service.lineage_id,
                    day=day,
                    minutes=30,
                    status=SessionStatus.MISSED if missed else SessionStatus.DELIVERED,
                    missed_reason=MissedReason.STUDENT_ABSENT if missed else "",
                    entered_by=therapist,
                )
            )
            n += 1
        day += timedelta(days=1)
    ServiceSession.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _report(student: Any, manager: Any, today: Any) -> Any:
    """The child's progress report for the quarter that ends today, as drafted."""
    from samepage import factories as f
    from samepage.reports import actions as report_actions

    admin = f.make_staff(student.district, f.StaffRole.DISTRICT_ADMIN, name="Bench Admin")
    period = report_actions.check_add_period(
        student.district,
        actor=admin,
        name="Bench quarter",
        starts=today - timedelta(days=89),
        ends=today,
    )
    report = report_actions.generate_report(student, period, actor=manager)
    assert report is not None
    return report


def _issued(report: Any, manager: Any) -> Any:
    """The same quarter's report rated and issued (its PDF is then stored once)."""
    from samepage.reports import actions as report_actions
    from samepage.reports.models import GoalReportEntry
    from samepage.reports.permissions import reports_access_for

    access = reports_access_for(manager, report.student)
    for entry in GoalReportEntry.objects.filter(report=report).select_related(
        "report__student__district"
    ):
        report_actions.check_save_entry(
            entry, actor=manager, access=access, rating="sufficient", narrative="Reads more."
        )
    return report_actions.check_issue_report(report, actor=manager, access=access)


def _timed(run: Any, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    run()  # warm
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "queries": queries,
    }


def _measure(world: dict[str, Any], rounds: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from samepage.progress import analysis, chart
    from samepage.progress.alerts import analyse_goal

    measurement = world["measurement"]
    student = world["student"]
    client = Client()
    client.force_login(world["therapist"])
    page = reverse("progress:goal", args=[student.pk, measurement.goal_lineage])
    record = reverse("progress:record", args=[student.pk, measurement.goal_lineage])
    api = f"/api/v1/students/{student.pk}/measurements/{measurement.pk}/analysis"
    overview = reverse("progress:overview", args=[student.pk])
    report = reverse("reports:detail", args=[student.pk, world["report"].pk])
    report_pdf = reverse("reports:pdf", args=[student.pk, world["report"].pk])
    services = reverse("minutes:services", args=[student.pk])

    def get(url: str) -> Any:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    def enter() -> None:
        response = client.post(
            record,
            {"day": world["today"].isoformat(), "value": "80", "client_key": str(uuid.uuid4())},
        )
        assert response.status_code == 303, response.status_code

    def issued() -> dict[str, Any]:
        _issued(world["report"], world["manager"])
        return {"progress report PDF (issued, stored)": _timed(get(report_pdf), rounds)}

    def draw() -> None:
        found = analyse_goal(measurement, student)
        chart.render_svg(analysis.chart_of(found, "Bench"))

    return {
        "goal page": _timed(get(page), rounds),
        "enter a score": _timed(enter, rounds),
        "analysis API": _timed(get(api), rounds),
        "chart alone (read + draw)": _timed(draw, rounds),
        "progress tab": _timed(get(overview), rounds),
        "progress report page": _timed(get(report), rounds),
        "progress report PDF (draft, laid out each time)": _timed(
            get(report_pdf), max(3, rounds // 5)
        ),
        "services tab (5 years of sessions)": _timed(get(services), rounds),
        **issued(),
    }


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        "# A goal with five years of data",
        "",
        f"{result['points']} points on one goal ({result['years']} years, "
        f"{result['per_week']} school scores a week, a home observation a month) and "
        f"{result['sessions']} service sessions; "
        f"{result['rounds']} rounds each, server time through the full middleware stack "
        "(Django test Client), PostgreSQL.",
        "",
        "| operation | p50 ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    for name, row in result["operations"].items():
        lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['queries']} |")
    lines += ["", f"Machine: {result['machine']}; measured {result['measured_at']}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-week", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    _admin(options.server, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    _admin(options.server, f"CREATE DATABASE {SCRATCH_DB}")
    try:
        _setup_django(options.server)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        world = _world(options.years, options.per_week)
        operations = _measure(world, options.rounds)
        result = {
            "years": options.years,
            "per_week": options.per_week,
            "points": world["points"],
            "sessions": world["sessions"],
            "rounds": options.rounds,
            "operations": operations,
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "progress_goal.json").write_text(json.dumps(result, indent=2) + "\n")
        (RESULTS / "progress_goal.md").write_text(_markdown(result))
        print(_markdown(result))
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            _admin(options.server, f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
