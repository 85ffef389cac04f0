"""Writing in the problem-solving log as the named people of the ``world`` fixture."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client

from samepage.core.dates import district_today
from samepage.problems import actions
from samepage.problems.models import AgreedTry, SituationIdea, TrickySituation, TryOutcome
from samepage.problems.permissions import ProblemAccess
from samepage.teams.permissions import student_access


def access_of(user: Any, student: Any) -> ProblemAccess:
    access = student_access(user, student)
    assert access is not None
    return ProblemAccess(access)


def raise_situation(
    user: Any,
    student: Any,
    summary: str = "Melts down at the end of recess",
    what: str = "Hides under the slide and will not come in.",
    **extra: Any,
) -> TrickySituation:
    return actions.check_raise_situation(
        student,
        actor=user,
        access=access_of(user, student),
        summary=summary,
        what_happens=what,
        **extra,
    )


def idea(
    user: Any, situation: TrickySituation, text: str = "A two-minute warning."
) -> SituationIdea:
    return actions.check_add_idea(
        situation, actor=user, access=access_of(user, situation.student), text=text
    )


def agree(
    user: Any,
    situation: TrickySituation,
    owner: Any,
    what: str = "Give a visual timer two minutes before the bell.",
    start_in: int = 0,
    follow_up_in: int = 14,
    today: Any = None,
) -> AgreedTry:
    day = today or district_today(situation.student.district)
    return actions.check_agree_try(
        situation,
        actor=user,
        access=access_of(user, situation.student),
        what=what,
        owner_id=owner.pk,
        due_on=day + timedelta(days=start_in),
        follow_up_on=day + timedelta(days=follow_up_in),
    )


def outcome(user: Any, agreed: AgreedTry, result: str = "helped", note: str = "") -> TryOutcome:
    return actions.check_record_outcome(
        agreed,
        actor=user,
        access=access_of(user, agreed.situation.student),
        result=result,
        note=note,
    )


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's problem-solving rows.

    ``situation_id``: an open situation the parent raised; ``try_id``: a try on it that
    the parent owns, whose outcome (recorded by the case manager) helped, not yet added
    to the profile.
    """
    situation = raise_situation(world.parent, world.child)
    agreed = agree(world.case_manager, situation, world.parent)
    outcome(world.case_manager, agreed)
    return {"situation_id": str(situation.pk), "try_id": str(agreed.pk)}
