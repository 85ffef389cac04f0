"""Conversations for the demo district. Synthetic content only.

- Sofía Hernández: a bilingual team thread. Rosa writes in Spanish, Maria Lee (case
  manager) and Priya Patel (speech) in English; the last two messages are unread for
  Rosa.
- Jamie Rivera: a team thread whose latest message Jordan has not read, a staff-only
  thread about his reading group (never shown to the family), and a private thread
  between Jordan and Maria Lee.

Called by samepage/home/demo.py after the teams and consents exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from samepage.conversations import actions
from samepage.conversations.models import Thread
from samepage.conversations.permissions import conversation_access_for


def _team(user: Any, student: Any, body: str, language: str) -> Any:
    return actions.check_post_to_team(
        actor=user,
        access=conversation_access_for(user, student),
        body=body,
        language=language,
    )


def _start(user: Any, student: Any, body: str, **extra: Any) -> Any:
    return actions.check_start_thread(
        actor=user, access=conversation_access_for(user, student), body=body, **extra
    )


def _reply(user: Any, thread: Thread, body: str, language: str = "en") -> Any:
    return actions.check_post_message(
        thread,
        actor=user,
        access=conversation_access_for(user, thread.student),
        body=body,
        language=language,
    )


def seed_conversations(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    lee, patel = staff["maria.lee"], staff["priya.patel"]
    jordan, rosa = people["jordan.rivera"], people["rosa.hernandez"]
    jamie, sofia = students["Jamie"], students["Sofía"]

    first = _team(
        rosa,
        sofia,
        "Hola a todos. Sofía está practicando en casa los sonidos **r** y **s** con las "
        "tarjetas que nos dieron. ¿Cuántos minutos al día recomiendan?",
        "es",
    )
    sofia_thread = first.thread
    _reply(
        lee,
        sofia_thread,
        "Thank you, Rosa! Ten minutes a day is plenty. Short and often works best.",
    )
    _reply(
        rosa,
        sofia_thread,
        "Perfecto, gracias. Lo haremos después de la cena.",
        "es",
    )
    _reply(
        patel,
        sofia_thread,
        "Sofía said *three* new words with the r sound in speech today. Great progress!",
    )
    _reply(
        lee,
        sofia_thread,
        "Reminder: the annual meeting is next month. An interpreter will be there.",
    )

    hello = _team(
        lee,
        jamie,
        "Welcome to Jamie's team conversation. Write here anything the whole team should "
        "know: how the week went, questions, ideas.",
        "en",
    )
    _reply(jordan, hello.thread, "Thanks! Reading homework went better this week.")
    _reply(
        lee,
        hello.thread,
        "So glad to hear it. We capped reading homework at 15 minutes, as we agreed:\n"
        "- read aloud for 10 minutes\n- talk about the story for 5",
    )

    _start(
        lee,
        jamie,
        "Priya, can we move Jamie's reading group to the morning? He tires after lunch.",
        kind=Thread.Kind.STAFF,
        title="Jamie's reading group schedule",
    )
    _start(
        jordan,
        jamie,
        "Could we talk before the meeting about the classroom aide?",
        kind=Thread.Kind.PRIVATE,
        with_id=lee.pk,
    )
