"""An update tells the family and the team; a home note tells the team only."""

from __future__ import annotations

import pytest
from django.utils import translation

from samepage.notifications.kinds import title_of
from samepage.notifications.models import Notice
from samepage.updates.tests.helpers import advocate_with, note, post

pytestmark = pytest.mark.django_db


def _told(kind: str) -> set[int]:
    return set(Notice.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_an_update_reaches_the_family_and_the_team(world, django_capture_on_commit_callbacks):
    messaging = advocate_with(world, "Mia Messages", ["messages"])
    plans_only = advocate_with(world, "Pat Plans", ["plans"])
    with django_capture_on_commit_callbacks(execute=True):
        update = post(world.case_manager, world.child)
    told = _told("update.posted")
    assert {world.parent.pk, messaging.pk, world.provider.pk} <= told
    assert not told & {
        world.case_manager.pk,  # who wrote it
        plans_only.pk,
        world.restricted_parent.pk,
        world.other_parent.pk,
        world.gen_ed_teacher.pk,
        world.student_user.pk,
    }
    notice = Notice.objects.get(kind="update.posted", recipient=world.parent)
    assert notice.link.endswith(f"#update-{update.pk}")


def test_a_home_note_reaches_the_team_only(world, django_capture_on_commit_callbacks):
    messaging = advocate_with(world, "Mia Messages", ["messages"])
    with django_capture_on_commit_callbacks(execute=True):
        note(world.parent, world.child)
    told = _told("home_note.added")
    assert {world.case_manager.pk, world.provider.pk} <= told
    assert not told & {world.parent.pk, messaging.pk, world.student_user.pk}


def test_the_notice_reads_in_the_recipients_language(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(world.case_manager, world.child)
    notice = Notice.objects.get(kind="update.posted", recipient=world.parent)
    with translation.override("es"):
        assert "actualización" in title_of(notice.kind, notice.params)
