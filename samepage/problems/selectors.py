"""Read queries for the problem-solving log: a constant number of queries per page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from samepage.accounts.models import User
from samepage.core.dates import district_today, on_each_district_today
from samepage.problems.models import (
    LINKABLE_SECTIONS,
    AgreedTry,
    SituationIdea,
    SituationProfileLink,
    TrickySituation,
)
from samepage.profiles.models import ProfileEntry, Visibility
from samepage.profiles.permissions import ProfileAccess
from samepage.schools.models import Guardian, Student
from samepage.teams.models import STAFF_TEAM_ROLES, TeamMembership

# The log's order: open situations first, the newest first within each.
LOG_ORDER = ("-is_open", "-created_at", "-id")


def situations_for(student: Student) -> QuerySet[TrickySituation]:
    """A student's situations, open first, with who raised them and counts (1 query)."""
    return (
        TrickySituation.objects.filter(student=student)
        .select_related("raised_by")
        .annotate(
            idea_count=Count("ideas", distinct=True),
            try_count=Count("tries", distinct=True),
        )
        .order_by(*LOG_ORDER)
    )


def situation_detail(situation_qs: QuerySet[TrickySituation]) -> QuerySet[TrickySituation]:
    """A situation with its ideas, tries, outcomes and profile links (5 queries)."""
    tries = AgreedTry.objects.select_related(
        "owner", "agreed_by", "outcome__recorded_by", "outcome__profile_link__entry"
    ).order_by("created_at", "id")
    return situation_qs.select_related("raised_by", "closed_by").prefetch_related(
        Prefetch("ideas", queryset=SituationIdea.objects.select_related("author")),
        Prefetch("tries", queryset=tries),
        Prefetch(
            "profile_links",
            queryset=SituationProfileLink.objects.select_related("entry", "entry__author"),
        ),
    )


def owners_to_choose(student: Student) -> list[User]:
    """Who can own a try: the current staff team, the guardians who are not restricted,
    and the student's own account (2–3 queries)."""
    today = district_today(student.district)
    staff_ids = (
        TeamMembership.objects.current(today)
        .filter(student=student, team_role__in=STAFF_TEAM_ROLES)
        .values("user_id")
    )
    family_ids = Guardian.objects.filter(student=student, is_restricted=False).values("user_id")
    condition = Q(pk__in=staff_ids) | Q(pk__in=family_ids)
    if student.account_id is not None:
        condition |= Q(pk=student.account_id)
    return list(User.objects.filter(condition, is_active=True).order_by("full_name", "pk"))


def linkable_entries(student: Student, access: ProfileAccess) -> list[ProfileEntry]:
    """Entries of this child's profile a situation can point at: triggers and calming
    strategies the whole team sees (never someone's private draft)."""
    rows = (
        ProfileEntry.objects.filter(
            student=student,
            section__in=LINKABLE_SECTIONS,
            visibility=Visibility.TEAM,
            archived_at__isnull=True,
        )
        .select_related("author")
        .order_by("section", "created_at", "id")
    )
    return [entry for entry in rows if access.can_see_entry(entry)]


def follow_ups_due(user: Any) -> QuerySet[AgreedTry]:
    """Tries ``user`` owns whose follow-up day has come (each by its district's today)
    and that have no outcome yet, on situations still open."""
    return (
        AgreedTry.objects.filter(
            on_each_district_today(
                "situation__student__district__time_zone",
                lambda today: Q(follow_up_on__lte=today),
            ),
            owner=user,
            outcome__isnull=True,
            situation__is_open=True,
        )
        .select_related("situation", "situation__student__district", "situation__student__school")
        .order_by("follow_up_on", "id")
    )
