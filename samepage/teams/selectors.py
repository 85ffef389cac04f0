"""Read queries for teams, consent grants and the record of access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samepage.accounts.models import User
from samepage.core.dates import district_today
from samepage.core.models import AccessEvent, AuditEvent
from samepage.schools.models import StaffProfile, Student
from samepage.schools.search import typed_words
from samepage.teams.models import ConsentGrant, TeamMembership


def team_for(student: Student) -> dict[str, list[TeamMembership]]:
    """Current and past members of a student's team."""
    today = district_today(student.district)
    memberships = list(
        TeamMembership.objects.filter(student=student)
        .select_related("user")
        .order_by("team_role", "user__full_name", "-start_date")
    )
    current = [m for m in memberships if m.is_current(today)]
    past = [m for m in memberships if not m.is_current(today)]
    return {"current": current, "past": past}


def team_history(student: Student, limit: int = 100) -> list[AuditEvent]:
    """Audit events about this student's team memberships, newest first."""
    ids = [
        str(pk)
        for pk in TeamMembership.objects.filter(student=student).values_list("pk", flat=True)
    ]
    return list(
        AuditEvent.objects.filter(target_type="teams.teammembership", target_id__in=ids)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )


def staff_who_can_join(student: Student) -> QuerySet[User]:
    """Staff of the student's district, for the "add a member" form."""
    return (
        User.objects.filter(
            is_active=True,
            staff_profile__district_id=student.district_id,
        )
        .select_related("staff_profile")
        .order_by("full_name")
    )


# How many people the "add a member" list offers at once: a district has thousands of
# staff, so the list shows the student's school's (or a search's) first matches.
STAFF_OFFERED = 25


def staff_to_offer(student: Student, search: str = "") -> QuerySet[User]:
    """The people the "add a member" list shows: with ``search``, the district's staff
    whose name has each typed word; without, the staff of the student's school. At most
    ``STAFF_OFFERED``, by name (the form still accepts anyone of ``staff_who_can_join``)."""
    people = staff_who_can_join(student)
    # Control characters part words (PostgreSQL refuses U+0000 in a LIKE).
    words = typed_words(search)
    if not words:
        people = people.filter(staff_profile__schools=student.school_id)
    for word in words:
        people = people.filter(full_name__icontains=word)
    return people.order_by("full_name", "pk")[:STAFF_OFFERED]


def consent_rows(student: Student) -> QuerySet[ConsentGrant]:
    """A student's consent grants with what each shows, in no order (the API pages it)."""
    # The student's district decides each grant's status (its "today").
    return ConsentGrant.objects.filter(student=student).select_related(
        "student__district", "grantee", "granted_by", "revoked_by"
    )


def consents_for(student: Student) -> list[ConsentGrant]:
    return list(consent_rows(student).order_by("-signed_at"))


@dataclass(frozen=True)
class GrantReceived:
    """A family's grant as its grantee sees it.

    The details (who signed, what is shared, why, for how long) only while the grant
    gives access: once it is revoked or has expired, and before it starts, the grantee
    reads one line saying so, and nothing the family wrote.
    """

    id: int
    student: Student
    status: str
    status_label: Any
    granted_by: User | None = None
    scopes: list[str] = field(default_factory=list)
    scope_labels: list[str] = field(default_factory=list)
    purpose: str | None = None
    starts_on: date | None = None
    expires_on: date | None = None
    # "" while the grant gives access; otherwise the one line the grantee reads.
    note: str = ""

    @property
    def student_id(self) -> int:
        return self.student.pk


def received(grant: ConsentGrant) -> GrantReceived:
    """A grant as its grantee may read it (give it rows from ``grant_rows``)."""
    status = grant.status()
    if status != "active":
        note = (
            _("Access to this record has not started yet.")
            if status == "not_started"
            else _("Your access to this record has ended.")
        )
        return GrantReceived(grant.pk, grant.student, status, grant.status_label, note=note)
    return GrantReceived(
        grant.pk,
        grant.student,
        status,
        grant.status_label,
        granted_by=grant.granted_by,
        scopes=list(grant.scopes),
        scope_labels=grant.scope_labels(),
        purpose=grant.purpose,
        starts_on=grant.starts_on,
        expires_on=grant.expires_on,
    )


def grant_rows(user: Any) -> QuerySet[ConsentGrant]:
    """Grants made to ``user``, with what ``received`` reads, in no order."""
    return ConsentGrant.objects.filter(grantee=user).select_related(
        "student", "student__school", "student__district", "granted_by"
    )


def grants_in_order(user: Any) -> QuerySet[ConsentGrant]:
    """``grant_rows`` as pages list them: unrevoked and longest-lasting first."""
    # Unrevoked first on every database (NULL ordering differs between them).
    return grant_rows(user).order_by(F("revoked_at").asc(nulls_first=True), "-expires_on", "pk")


def grants_received(user: Any) -> list[GrantReceived]:
    """Families who shared a child's record with ``user`` (an advocate), newest first."""
    return [received(grant) for grant in grants_in_order(user)]


ACCESS_LOG_LIMIT = 200


def access_log(
    student: Student,
    *,
    person: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = ACCESS_LOG_LIMIT,
) -> list[AccessEvent]:
    """Views of the child's record, newest first, optionally by person and date range."""
    events = access_log_rows(student, person=person, since=since, until=until)
    return list(events.order_by("-created_at", "-id")[:limit])


def access_log_rows(
    student: Student,
    *,
    person: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessEvent]:
    """``access_log``'s rows in no order and unbounded (the API pages them)."""
    events = AccessEvent.objects.filter(student=student)
    tz = timezone.get_current_timezone()
    if person is not None:
        events = events.filter(user_id=person)
    if since is not None:
        events = events.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until is not None:
        events = events.filter(
            created_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
        )
    return events.select_related("user")


def access_log_people(student: Student) -> list[User]:
    """Everyone who has viewed the record, for the log's person filter."""
    ids = AccessEvent.objects.filter(student=student).values("user_id")
    return list(User.objects.filter(Q(pk__in=ids)).order_by("full_name"))


def staff_titles(user_ids: set[int]) -> dict[int, str]:
    return dict(StaffProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "title"))
