"""Demo notification choices: Rosa Hernández, the Spanish-speaking parent, gets a text
message for each new message about Sofía (in Spanish, with the link), and email as
families do by default."""

from __future__ import annotations

from datetime import date
from typing import Any

from samepage.notifications.actions import do_set_email_preferences

# A number reserved for fiction (555-01xx), in E.164.
ROSA_PHONE = "+15555550142"


def seed_notifications(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    rosa = people["rosa.hernandez"]
    do_set_email_preferences(
        rosa,
        actor=rosa,
        channels={},
        texts={"messages": True},
        phone_number=ROSA_PHONE,
    )
