"""Posting updates and writing home notes as the named people of the ``world`` fixture."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from samepage import factories as f
from samepage.teams import actions as team_actions
from samepage.teams.permissions import student_access
from samepage.updates import actions
from samepage.updates.models import HomeNote, QuickUpdate
from samepage.updates.permissions import UpdatesAccess, updates_access_for


def access_of(user: Any, student: Any) -> UpdatesAccess:
    access = updates_access_for(user, student)
    assert access is not None
    return access


def post(
    user: Any,
    student: Any,
    text: str = "Casey read two pages aloud today.",
    day: str = "good",
    tags: list[str] | None = None,
    language: str | None = None,
) -> QuickUpdate:
    return actions.check_post_update(
        student,
        actor=user,
        access=access_of(user, student),
        text=text,
        day=day,
        tags=tags,
        language=language,
    )


def note(
    user: Any, student: Any, text: str = "Rough night, little sleep.", kind: str = "sleep"
) -> HomeNote:
    return actions.check_write_note(
        student, actor=user, access=access_of(user, student), text=text, kind=kind
    )


def advocate_with(world: Any, name: str, scopes: list[str]) -> Any:
    """An advocate the parent gave consent to, for ``scopes``, from today for 60 days."""
    advocate = f.make_user(name, is_advocate=True)
    today = world.today
    team_actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=advocate.email,
        scopes=scopes,
        purpose="Help between meetings",
        starts_on=today,
        expires_on=today + timedelta(days=60),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    return advocate


def png_upload(name: str = "night.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's updates rows.

    ``update_id``: a quick update by the case manager (only she may withdraw it);
    ``note_id``: a home note by the parent with a photo (only she may withdraw it;
    whoever reads messages may open the photo).
    """
    update = post(world.case_manager, world.child)
    home_note = actions.check_write_note(
        world.child,
        actor=world.parent,
        access=access_of(world.parent, world.child),
        text="Rough night.",
        upload=png_upload(),
    )
    return {"update_id": str(update.pk), "note_id": str(home_note.pk)}
