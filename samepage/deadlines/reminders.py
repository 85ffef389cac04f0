"""Which stored deadlines call for a reminder on a district's today, and who hears of
each: one table (``WHO_HEARS``), asked when the notice is made and again when it goes.

The notifications app turns each ``Reminder`` into notices (``manage.py
send_deadline_reminders``, daily); this module only says which and to whom, so the rule
stays with the deadlines it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from samepage.deadlines.models import Deadline, DeadlineStatus
from samepage.plans.permissions import PlanAccess
from samepage.schools.models import District
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import StudentAccess

# The two moments a deadline is told of: it comes within the window, and it has passed.
COMING_UP = "coming_up"
OVERDUE = "overdue"

# Who hears of a rule's deadline. The case managers keep every timeline, so they hear of
# each; the family hears only where the next step is theirs to take (their signature, or
# their consent to the first plan's services), and only those who may give it.
CASE_MANAGER = "case_manager"
SIGNER = "signer"
WHO_HEARS: dict[str, frozenset[str]] = {
    "assessment_plan": frozenset({CASE_MANAGER}),
    "initial_evaluation": frozenset({CASE_MANAGER}),
    "initial_iep_meeting": frozenset({CASE_MANAGER}),
    "annual_review": frozenset({CASE_MANAGER}),
    "reevaluation": frozenset({CASE_MANAGER}),
    "progress_report": frozenset({CASE_MANAGER}),
    "transition_plan": frozenset({CASE_MANAGER}),
    "age_of_majority_notice": frozenset({CASE_MANAGER}),
    "plan_signature": frozenset({CASE_MANAGER, SIGNER}),
    "initial_services_consent": frozenset({CASE_MANAGER, SIGNER}),
    "meeting_notice": frozenset({CASE_MANAGER}),
    "records_access": frozenset({CASE_MANAGER}),
    "deferred_concern": frozenset({CASE_MANAGER}),
}


@dataclass(frozen=True)
class Reminder:
    deadline: Deadline
    # COMING_UP or OVERDUE.
    moment: str


def reminders_due(district: District, today: date, within: int) -> list[Reminder]:
    """The district's open deadlines due from ``today`` to ``within`` days on (coming
    up), and those that passed at most ``within`` days ago (overdue).

    A window on each side, so a day the job did not run loses nothing; and no further
    back, so a deadline long overdue (a record entered late, the first run) is left to
    the homes' lists instead of filling inboxes. One query.
    """
    window = timedelta(days=within)
    rows = (
        Deadline.objects.filter(
            student__district=district,
            status=DeadlineStatus.OPEN,
            due_date__gte=today - window,
            due_date__lte=today + window,
        )
        .select_related("student__district")
        .order_by("due_date", "pk")
    )
    return [
        Reminder(row, OVERDUE if row.due_date is not None and row.due_date < today else COMING_UP)
        for row in rows
    ]


def hears_of(access: StudentAccess, deadline: Deadline) -> bool:
    """Whether the person with ``access`` hears of ``deadline`` (the notice kinds'
    audience): while it is still open, its case managers, and the family where
    ``WHO_HEARS`` says the step is theirs and they may take it."""
    if deadline.status != DeadlineStatus.OPEN:
        return False
    who = WHO_HEARS.get(deadline.rule_key, frozenset({CASE_MANAGER}))
    if access.is_staff:
        return CASE_MANAGER in who and TeamMembership.TeamRole.CASE_MANAGER in access.team_roles
    return SIGNER in who and PlanAccess(access).can_sign
