"""A text saved as a private draft stays its author's, even after the entry is shared."""

from __future__ import annotations

from samepage.profiles import actions
from samepage.profiles.models import Visibility
from samepage.profiles.tests.helpers import client_for, write

PRIVATE = "Private first thoughts R1"
SHARED = "What the team reads R2"


def _published(world):
    entry = write(world.case_manager, world.child, "calming", PRIVATE, Visibility.PRIVATE_DRAFT)
    actions.check_edit_entry(
        entry,
        actor=world.case_manager,
        text=SHARED,
        visibility=Visibility.TEAM,
        expected_revision=entry.revision,
    )
    return entry


def _history(world, user, entry) -> tuple[str, str]:
    client = client_for(user)
    base = f"/students/{world.child.pk}/profile/entries/{entry.pk}/history"
    page = client.get(base + "/")
    api = client.get(f"/api/v1{base}")
    assert page.status_code == 200
    assert api.status_code == 200
    return page.content.decode(), api.content.decode()


def test_others_read_the_history_from_the_first_shared_text(world):
    entry = _published(world)
    for reader in (world.parent, world.provider, world.gen_ed_teacher, world.student_user):
        page, api = _history(world, reader, entry)
        assert SHARED in page
        assert PRIVATE not in page
        assert PRIVATE not in api
        assert [
            r["number"]
            for r in client_for(reader)
            .get(f"/api/v1/students/{world.child.pk}/profile/entries/{entry.pk}/history")
            .json()["items"]
        ] == [2]


def test_the_author_still_reads_their_private_text(world):
    entry = _published(world)
    page, api = _history(world, world.case_manager, entry)
    assert PRIVATE in page
    assert PRIVATE in api
