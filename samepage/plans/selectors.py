"""Read queries for plans, with the joins pages and the API need."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull

from samepage.core.dates import district_today, on_each_district_today
from samepage.plans.models import (
    Plan,
    PlanAcknowledgement,
    PlanQuestion,
    PlanReply,
    PlanSignature,
    PlanVersion,
    SharedDraft,
)
from samepage.plans.permissions import PlanAccess, visible_plans
from samepage.schools.models import Student
from samepage.schools.search import search_words
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import visible_students

# What a plan's label and overdue notice need, as annotations (see ``with_summary``).
SUMMARY_FIELDS = (
    "summary_start",
    "summary_took_effect",
    "summary_review_due",
    "summary_in_effect",
    "summary_final",
    "summary_draft",
    "summary_shared",
    "summary_replaced",
)


def _versions(status: str | None = None) -> QuerySet[PlanVersion]:
    versions = PlanVersion.objects.filter(plan=OuterRef("pk"))
    return versions.filter(status=status) if status else versions


def _some(rows: QuerySet[Any]) -> IsNull:
    """Whether ``rows`` has a row, as ``(SELECT id … LIMIT 1) IS NOT NULL``.

    Not ``EXISTS``: PostgreSQL may answer an EXISTS in a select list by hashing every
    matching row of the table once (tens of thousands of versions) even when the list
    keeps 50 plans; a scalar subquery is asked only for the rows a page keeps.
    """
    return IsNull(Subquery(rows.order_by().values("pk")[:1]), False)


def with_summary(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Annotate what tells one plan from another, in the same query as the plans.

    ``summary_start``: when the plan was meant to start (its school year);
    ``summary_took_effect``: the day it first took effect (None: not yet);
    ``summary_review_due``: the annual review date of the version in effect;
    the ``summary_<state>`` flags: which states its versions are in. Read by
    ``presenters.plan_state`` and ``presenters.plan_label``.
    """
    status = PlanVersion.Status
    return plans.annotate(
        summary_start=Subquery(_versions().order_by("number").values("proposed_start")[:1]),
        summary_took_effect=Subquery(
            _versions()
            .filter(effective_from__isnull=False)
            .order_by()
            .values("plan")
            .annotate(first=Min("effective_from"))
            .values("first")[:1]
        ),
        # Kept on the plan by triggers (migration 0003): the newest in-effect version's.
        summary_review_due=F("review_due"),
        summary_in_effect=_some(_versions(status.IN_EFFECT)),
        summary_final=_some(_versions(status.FINAL)),
        summary_draft=_some(_versions(status.DRAFT)),
        summary_shared=_some(
            SharedDraft.objects.filter(version__plan=OuterRef("pk"), version__status=status.DRAFT)
        ),
        summary_replaced=_some(_versions(status.SUPERSEDED)),
    )


def summarize(plan: Plan) -> Plan:
    """Give one plan the ``with_summary`` annotations (one query; none if it has them).

    Not ``with_summary`` itself: for one plan the same answers come from its versions'
    few columns (``summarize_from``), a query that is cheap to build as well as to run
    (the seven subqueries cost more to compile than PostgreSQL takes to answer them).
    """
    if all(hasattr(plan, name) for name in SUMMARY_FIELDS):
        return plan
    rows = list(
        PlanVersion.objects.filter(plan_id=plan.pk)
        .order_by("number")
        .annotate(has_shared_copy=_some(SharedDraft.objects.filter(version=OuterRef("pk"))))
        # Read with the versions, not from ``plan``: triggers keep it, so it is fresh
        # even when ``plan`` was loaded before a version took effect.
        .values_list(
            "status", "proposed_start", "effective_from", "has_shared_copy", "plan__review_due"
        )
    )
    _set_summary(
        plan,
        [(status, start, took_effect) for status, start, took_effect, _shared, _due in rows],
        shared_on_draft=any(
            shared and status == PlanVersion.Status.DRAFT for status, _s, _t, shared, _d in rows
        ),
        review_due=rows[0][4] if rows else plan.review_due,
    )
    return plan


def summarize_from(plan: Plan, versions: list[PlanVersion], shared: list[SharedDraft]) -> Plan:
    """The ``with_summary`` annotations from the plan's versions (every one of them, by
    number) and shared drafts (with their versions) already read: no query."""
    _set_summary(
        plan,
        [(v.status, v.proposed_start, v.effective_from) for v in versions],
        shared_on_draft=any(s.version.status == PlanVersion.Status.DRAFT for s in shared),
        review_due=plan.review_due,
    )
    return plan


def _set_summary(
    plan: Plan,
    versions: list[tuple[str, date | None, date | None]],
    *,
    shared_on_draft: bool,
    review_due: date | None,
) -> None:
    """What ``with_summary`` annotates, from ``(status, proposed_start, effective_from)``
    of each version in number order."""
    status = PlanVersion.Status
    statuses = {row[0] for row in versions}
    took_effect = [row[2] for row in versions if row[2] is not None]
    plan.summary_start = versions[0][1] if versions else None  # type: ignore[attr-defined]
    plan.summary_took_effect = min(took_effect) if took_effect else None  # type: ignore[attr-defined]
    plan.summary_review_due = review_due  # type: ignore[attr-defined]
    plan.summary_in_effect = status.IN_EFFECT in statuses  # type: ignore[attr-defined]
    plan.summary_final = status.FINAL in statuses  # type: ignore[attr-defined]
    plan.summary_draft = status.DRAFT in statuses  # type: ignore[attr-defined]
    plan.summary_shared = shared_on_draft  # type: ignore[attr-defined]
    plan.summary_replaced = status.SUPERSEDED in statuses  # type: ignore[attr-defined]


def review_overdue_since(plan: Plan) -> date | None:
    """The annual review date of a plan in effect, if it has passed in the district."""
    summarize(plan)
    due: date | None = plan.summary_review_due  # type: ignore[attr-defined]
    if due is None or plan.ended_at is not None:
        return None
    return due if due < district_today(plan.student.district) else None


# What a row of a plan list reads of its plan and student (``presenters.plan_rows``):
# the frozen ``content`` of versions and the student's other columns stay unread.
PLAN_ROW_FIELDS = (
    "plan_type",
    "ended_at",
    "created_at",
    "student",
    "student__legal_first_name",
    "student__preferred_name",
    "student__legal_last_name",
    "student__district",
    "student__district__time_zone",
)


def plan_list(user: Any, *, student: Student | None = None, search: str = "") -> QuerySet[Plan]:
    """Plans ``user`` may see, by student name, newest first, for list pages: only
    ``PLAN_ROW_FIELDS`` and the ``with_summary`` annotations, no version's frozen
    content (constant queries).

    ``search`` works as the student list's: each word begins a word of the student's
    names or ID (schools/search.py; the students' trigram index serves it).
    """
    plans = visible_plans(user)
    if student is not None:
        plans = plans.filter(student=student)
    for word in search_words(search):
        plans = plans.filter(student__search_name__contains=f" {word}")
    return (
        with_summary(plans)
        .select_related("student__district")
        .only(*PLAN_ROW_FIELDS)
        .order_by("student__legal_last_name", "student__legal_first_name", "-created_at", "pk")
    )


def versions_for(plan: Plan, access: PlanAccess) -> list[PlanVersion]:
    """The versions this person may see: drafts only for staff who may see drafts."""
    versions = PlanVersion.objects.filter(plan=plan).order_by("number")
    if not access.can_see_drafts:
        versions = versions.exclude(status=PlanVersion.Status.DRAFT)
    return list(versions)


def versions_listed(plan: Plan) -> list[PlanVersion]:
    """Every version of the plan by number, without the frozen ``content`` (pages that
    list versions show none of it; a version's content can be hundreds of kilobytes)."""
    return list(PlanVersion.objects.filter(plan=plan).defer("content").order_by("number"))


def shown_versions(versions: list[PlanVersion], access: PlanAccess) -> list[PlanVersion]:
    """``versions_for`` from every version already read."""
    if access.can_see_drafts:
        return list(versions)
    return [v for v in versions if v.status != PlanVersion.Status.DRAFT]


def shared_drafts(plan: Plan, *, with_content: bool = True) -> list[SharedDraft]:
    """The plan's shared drafts, newest first, with their versions and open questions
    counted; ``with_content=False`` leaves the frozen copies unread (lists of them)."""
    drafts = (
        SharedDraft.objects.filter(version__plan=plan)
        .select_related("version", "shared_by")
        .annotate(
            open_questions=Count("questions", filter=Q(questions__status=PlanQuestion.Status.OPEN))
        )
        .order_by("-version__number", "-number")
    )
    if not with_content:
        drafts = drafts.defer("content", "version__content")
    return list(drafts)


def last_shared_copy(version: PlanVersion) -> SharedDraft | None:
    """The copy of this draft the family has now (None: it was never shared)."""
    return SharedDraft.objects.filter(version=version).order_by("-number").first()


def newest_shared_number(plan: Plan) -> int | None:
    """The number of the plan's most recent shared draft."""
    return (
        SharedDraft.objects.filter(version__plan=plan)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )


def questions_for(shared: SharedDraft) -> list[PlanQuestion]:
    return list(
        PlanQuestion.objects.filter(shared_draft=shared)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=PlanReply.objects.select_related("author").order_by("created_at", "id"),
            )
        )
        .order_by("created_at", "id")
    )


def signatures_for(version: PlanVersion) -> list[PlanSignature]:
    return list(
        PlanSignature.objects.filter(version=version).select_related("signer").order_by("signed_at")
    )


def teachers_to_acknowledge(version: PlanVersion) -> list[dict[str, Any]]:
    """General-education teachers on the team and whether they acknowledged ``version``."""
    student = version.plan.student
    teachers = (
        TeamMembership.objects.current()
        .filter(student=student, team_role=TeamMembership.TeamRole.GENERAL_ED_TEACHER)
        .select_related("user")
        .order_by("user__full_name")
    )
    acknowledged = {
        a.user_id: a.acknowledged_at for a in PlanAcknowledgement.objects.filter(version=version)
    }
    return [{"user": m.user, "acknowledged_at": acknowledged.get(m.user_id)} for m in teachers]


def glance_version(plan: Plan) -> PlanVersion | None:
    """The version a teacher works from: the one in effect, else the newest final one."""
    versions = list(
        PlanVersion.objects.filter(
            plan=plan, status__in=[PlanVersion.Status.IN_EFFECT, PlanVersion.Status.FINAL]
        ).order_by("-number")
    )
    chosen = next((v for v in versions if v.status == PlanVersion.Status.IN_EFFECT), None)
    chosen = chosen or (versions[0] if versions else None)
    if chosen is not None:
        chosen.plan = plan
    return chosen


def acknowledged_at(version: PlanVersion, user: Any) -> datetime | None:
    """When ``user`` acknowledged ``version``, if they did (one query)."""
    return (
        PlanAcknowledgement.objects.filter(version=version, user=user)
        .order_by()
        .values_list("acknowledged_at", flat=True)
        .first()
    )


def next_plan_drafts(plan: Plan) -> list[SharedDraft]:
    """Shared drafts of the plans that follow ``plan`` (next year's, being written),
    newest first, so the plan in effect can point the family to them. Their plans come
    annotated for ``presenters.plan_label`` (one more query, only when there are any)."""
    drafts = list(
        SharedDraft.objects.filter(
            version__plan__previous_plan=plan,
            version__status=PlanVersion.Status.DRAFT,
            version__plan__ended_at__isnull=True,
        )
        .select_related("version", "version__plan", "version__plan__student__district")
        # Links to them show none of the frozen copies.
        .defer("content", "version__content")
        .order_by("-version__plan__created_at", "-number")
    )
    if drafts:
        ids = {d.version.plan_id for d in drafts}
        rows = with_summary(Plan.objects.filter(pk__in=ids)).values("pk", *SUMMARY_FIELDS)
        summaries = {row.pop("pk"): row for row in rows}
        for shared in drafts:
            for name, value in summaries[shared.version.plan_id].items():
                setattr(shared.version.plan, name, value)
    return drafts


def overdue_plans(user: Any, students: list[Student] | None = None) -> QuerySet[Plan]:
    """Plans in effect whose annual review date has passed, among the plans ``user``
    may see (optionally only these students'), oldest first, annotated for
    ``presenters.plan_label``: a queryset, so a page of it is one query.

    "Passed" is by each student's district calendar (core.dates.district_today), with
    no query to find the districts.
    """
    plans = visible_plans(user).filter(ended_at__isnull=True)
    if students is not None:
        plans = plans.filter(student__in=[s.pk for s in students])
    past_due = on_each_district_today(
        "student__district__time_zone", lambda today: Q(review_due__lt=today)
    )
    return (
        with_summary(plans.filter(past_due))
        .select_related("student", "student__school", "student__district")
        .order_by("review_due", "student__legal_last_name", "pk")
    )


def overdue_rows(plans: Any) -> list[dict[str, Any]]:
    """``{"plan", "student", "since"}`` for plans from ``overdue_plans`` (or a page of them)."""
    return [
        {"plan": plan, "student": plan.student, "since": plan.summary_review_due} for plan in plans
    ]


def overdue_reviews(user: Any, students: list[Student] | None = None) -> list[dict[str, Any]]:
    """Every overdue review ``user`` may see, as rows (see ``overdue_plans``)."""
    return overdue_rows(overdue_plans(user, students))


def mark_overdue_reviews(user: Any, students: list[Student]) -> list[Student]:
    """Set ``review_overdue_since`` on each student (None when not overdue): one query
    over the same plans as ``overdue_plans``, reading only each one's student and date
    (a caseload row shows the date, not the plan: no summary or joined rows)."""
    plans = visible_plans(user).filter(ended_at__isnull=True, student__in=[s.pk for s in students])
    past_due = on_each_district_today(
        "student__district__time_zone", lambda today: Q(review_due__lt=today)
    )
    since: dict[int, date] = {}
    for student_id, due in (
        plans.filter(past_due).order_by("review_due", "pk").values_list("student_id", "review_due")
    ):
        if due is not None:  # past due, so never empty; the type does not know
            since.setdefault(student_id, due)
    for student in students:
        student.review_overdue_since = since.get(student.pk)  # type: ignore[attr-defined]
    return students


# --- the general-education teacher's home --------------------------------------------


def taught_plans(user: Any) -> QuerySet[PlanVersion]:
    """The versions in effect of the plans of every student ``user`` teaches (is a current
    general-education teacher on the team of), by student name, as one query.

    Each row carries ``acknowledged_at``: when ``user`` confirmed reading that version at
    a glance, or None. Students come from ``visible_students``, and a general-education
    teacher on the team may read the glance of each (``PlanAccess.can_view_glance``).
    """
    # The ids first (one small query: a teacher's own classes): as a subquery beside the
    # plans, versions, students and schools, PostgreSQL joined every plan in effect of
    # the district before keeping the teacher's (0.4 s at 100,000 students).
    taught = list(
        visible_students(user)
        .filter(
            pk__in=TeamMembership.objects.current()
            .filter(user=user, team_role=TeamMembership.TeamRole.GENERAL_ED_TEACHER)
            .values("student_id")
        )
        .values_list("pk", flat=True)
    )
    acknowledged = PlanAcknowledgement.objects.filter(version=OuterRef("pk"), user=user).values(
        "acknowledged_at"
    )[:1]
    return (
        PlanVersion.objects.filter(
            status=PlanVersion.Status.IN_EFFECT,
            plan__ended_at__isnull=True,
            plan__student__in=taught,
        )
        .select_related("plan", "plan__student", "plan__student__school")
        .annotate(acknowledged_at=Subquery(acknowledged))
        .order_by(
            "plan__student__legal_last_name",
            "plan__student__legal_first_name",
            "plan__student_id",
            "plan__plan_type",
            "pk",
        )
    )
