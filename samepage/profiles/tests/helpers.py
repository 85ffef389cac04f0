"""Writing profile entries as the named people of the ``world`` fixture."""

from __future__ import annotations

from typing import Any

from django.test import Client

from samepage.profiles import actions
from samepage.profiles.models import ProfileEntry, StudentVoiceEntry, Visibility
from samepage.profiles.permissions import ProfileAccess
from samepage.teams.permissions import student_access


def access_of(user: Any, student: Any) -> ProfileAccess:
    access = student_access(user, student)
    assert access is not None
    return ProfileAccess(access, user.pk)


def write(
    user: Any,
    student: Any,
    section: str = "strengths",
    text: str = "Kind and curious.",
    visibility: str = Visibility.TEAM,
) -> ProfileEntry:
    return actions.check_add_entry(
        actor=user,
        student=student,
        access=access_of(user, student),
        section=section,
        text=text,
        visibility=visibility,
    )


def say(
    user: Any, student: Any, prompt: str = "good_at", text: str = "Drawing."
) -> StudentVoiceEntry:
    return actions.check_add_voice(
        actor=user, student=student, access=access_of(user, student), prompt=prompt, text=text
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's profile rows.

    ``entry_id``: a team-visible staff observation by the case manager (the parent may
    ask for a correction, only the case manager edits it); ``request_id``: the parent's
    open correction request on it; ``voice_id``: an answer the student wrote.
    """
    child = world.child
    observation = write(world.case_manager, child, "triggers", "Leaves the room when loud.")
    correction = actions.check_request_correction(
        observation, actor=world.parent, text="He leaves because it is loud."
    )
    voice = say(world.student_user, child)
    return {
        "entry_id": str(observation.pk),
        "request_id": str(correction.pk),
        "voice_id": str(voice.pk),
    }
