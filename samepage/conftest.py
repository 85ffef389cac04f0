"""Named people for tests (STYLE rule 9): one small district and an outsider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from samepage import factories as f
from samepage.accounts.models import User
from samepage.core.dates import district_today, zone_of
from samepage.schools.models import School, Student

# A school day either side of midnight: the date rules must hold at both instants.
STRADDLE_DAY = date(2026, 11, 18)
STRADDLE_INSTANTS = ["00:30 UTC", "23:30 in the district"]


def straddle_instant(which: str) -> datetime:
    """00:30 UTC (still the evening before in America/Chicago, the default zone) or 23:30
    in the test district's zone (already the next day in UTC)."""
    if which == "00:30 UTC":
        return datetime.combine(STRADDLE_DAY, time(0, 30), tzinfo=UTC)
    return datetime.combine(STRADDLE_DAY, time(23, 30), tzinfo=zone_of(None))


@pytest.fixture(params=STRADDLE_INSTANTS)
def straddle_midnight(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """Run the test with the clock at each side of midnight (the clock still ticks).

    Use it before anything that writes rows (``pytest.mark.usefixtures`` in the module's
    ``pytestmark``, or as the first argument), so the rows are made at the pinned time.
    """
    moment = straddle_instant(request.param)
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture(autouse=True)
def _start_in_english():  # type: ignore[no-untyped-def]
    # A request by a Spanish-speaking user activates Spanish for the rest of the thread;
    # each test starts from the default language, whatever ran before it on this worker.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _start_in_the_default_time_zone() -> Iterator[None]:
    # A request activates the signed-in person's zone for the rest of the thread, like
    # the language: a later test asking for "today" in the current zone would get, say,
    # Tokyo's date for part of every day.
    from django.utils import timezone

    timezone.deactivate()
    yield
    timezone.deactivate()


@receiver(connection_created)
def _commit_without_waiting_for_the_disk(sender: object, connection: Any, **kwargs: Any) -> None:
    # The test databases are thrown away: a PostgreSQL commit need not wait for its WAL
    # to reach the disk (SQLite's test file already syncs only at checkpoints, WAL mode
    # with synchronous=NORMAL). Nothing a test sees changes; commits stop costing a flush.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; tests make many accounts. Production keeps Argon2
    # (asserted in core/tests/test_settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _pdfs_fail_on_external_resources(monkeypatch):  # type: ignore[no-untyped-def]
    # WeasyPrint swallows a fetcher's ordinary errors; strict mode makes any PDF the suite
    # renders (plan, glance, one-page profile) fail its test if it refers to a URL.
    from samepage.core import pdf

    monkeypatch.setattr(pdf, "FAIL_ON_EXTERNAL_RESOURCES", True)


@pytest.fixture(autouse=True)
def _stored_files_in_the_tests_own_folder(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Files the app stores (final plans' PDFs) go to a folder of each test's own, not to
    # var/media, where processes running side by side would share them.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class World:
    school: School
    other_school: School
    child: Student
    other_child: Student
    parent: User  # Alice: guardian of child, holds rights
    other_parent: User  # Bob: guardian of other_child only
    restricted_parent: User  # court order: sees nothing of child
    case_manager: User  # Carol: case manager on child's team
    provider: User  # Priya: speech therapist on child's team
    outside_provider: User  # Omar: provider, not on the team
    gen_ed_teacher: User  # Gina: general-education teacher on the team
    other_school_leader: User  # leader of other_school
    school_leader: User  # leader of school
    district_admin: User
    advocate: User  # no consent yet
    student_user: User  # the child's own account
    outsider_admin: User  # district admin of another district

    @property
    def today(self) -> date:
        """The test district's today: the date every rule about ``child`` compares with."""
        return district_today(self.child.district)


@pytest.fixture
def world(db: None) -> World:
    district = f.make_district("Testwood Unified")
    school = f.make_school(district, "Testwood Elementary")
    other_school = f.make_school(district, "Testwood Middle")
    child = f.make_student(school, legal_first_name="Casey", legal_last_name="Lane")
    other_child = f.make_student(other_school, legal_first_name="Drew", legal_last_name="Moss")
    parent = f.make_user("Alice Lane")
    other_parent = f.make_user("Bob Moss")
    restricted_parent = f.make_user("Rex Lane")
    f.make_guardian(child, parent)
    f.make_guardian(other_child, other_parent)
    f.make_guardian(child, restricted_parent, is_restricted=True)
    case_manager = f.make_staff(
        district, f.StaffRole.CASE_MANAGER, schools=[school], name="Carol Case"
    )
    provider = f.make_staff(district, f.StaffRole.PROVIDER, schools=[school], name="Priya Speech")
    outside_provider = f.make_staff(
        district, f.StaffRole.PROVIDER, schools=[school], name="Omar Other"
    )
    gen_ed = f.make_staff(
        district, f.StaffRole.GENERAL_ED_TEACHER, schools=[school], name="Gina General"
    )
    leader = f.make_staff(district, f.StaffRole.SCHOOL_LEADER, schools=[school], name="Lee Leader")
    other_leader = f.make_staff(
        district, f.StaffRole.SCHOOL_LEADER, schools=[other_school], name="Otto Leader"
    )
    admin = f.make_staff(district, f.StaffRole.DISTRICT_ADMIN, name="Dee Admin")
    f.add_to_team(child, case_manager, f.TeamRole.CASE_MANAGER)
    f.add_to_team(child, provider, f.TeamRole.PROVIDER, discipline="Speech")
    f.add_to_team(child, gen_ed, f.TeamRole.GENERAL_ED_TEACHER)
    advocate = f.make_user("Ada Advocate", is_advocate=True)
    student_user = f.make_user("Casey Lane")
    from samepage.schools.actions import do_link_student_account

    do_link_student_account(actor=None, student=child, user=student_user)
    elsewhere = f.make_district("Elsewhere Unified")
    outsider_admin = f.make_staff(elsewhere, f.StaffRole.DISTRICT_ADMIN, name="Eve Elsewhere")
    return World(
        school=school,
        other_school=other_school,
        child=child,
        other_child=other_child,
        parent=parent,
        other_parent=other_parent,
        restricted_parent=restricted_parent,
        case_manager=case_manager,
        provider=provider,
        outside_provider=outside_provider,
        gen_ed_teacher=gen_ed,
        other_school_leader=other_leader,
        school_leader=leader,
        district_admin=admin,
        advocate=advocate,
        student_user=student_user,
        outsider_admin=outsider_admin,
    )
