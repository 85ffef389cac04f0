"""Writing conversations as the named people of the ``world`` fixture."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from samepage.conversations import actions
from samepage.conversations.models import Message, Thread
from samepage.conversations.permissions import ConversationAccess, conversation_access_for
from samepage.core.uploads import check_upload


def access_of(user: Any, student: Any) -> ConversationAccess:
    access = conversation_access_for(user, student)
    assert access is not None, f"{user} may not see {student}'s messages"
    return access


def to_team(user: Any, student: Any, body: str = "Hello, team.", **extra: Any) -> Message:
    return actions.check_post_to_team(
        actor=user, access=access_of(user, student), body=body, **extra
    )


def staff_thread(
    user: Any, student: Any, title: str = "Behaviour plan worries", body: str = "Staff only."
) -> Message:
    return actions.check_start_thread(
        actor=user, access=access_of(user, student), kind=Thread.Kind.STAFF, title=title, body=body
    )


def private(user: Any, student: Any, other: Any, body: str = "Just between us.") -> Message:
    return actions.check_start_thread(
        actor=user,
        access=access_of(user, student),
        kind=Thread.Kind.PRIVATE,
        with_id=other.pk,
        body=body,
    )


def reply(user: Any, thread: Thread, body: str = "Thanks.", **extra: Any) -> Message:
    return actions.check_post_message(
        thread, actor=user, access=access_of(user, thread.student), body=body, **extra
    )


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "homework.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def checked_png() -> Any:
    return check_upload(png_upload())


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's conversation rows.

    ``thread_id``: the child's team thread; ``message_id``: the parent's message in it,
    with a picture attached (only the parent may withdraw it).
    """
    child = world.child
    to_team(world.case_manager, child, "Welcome to Casey's team thread.")
    message = to_team(world.parent, child, "Thank you!", attachment=checked_png())
    return {"thread_id": str(message.thread_id), "message_id": str(message.pk)}
