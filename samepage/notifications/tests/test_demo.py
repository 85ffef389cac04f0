"""The demo's notification choices: the Spanish-speaking parent texts for messages, and
has unread notices waiting in Spanish."""

from __future__ import annotations

import pytest
from django.utils import translation

from samepage.accounts.models import User
from samepage.home import demo
from samepage.notifications.models import Notice
from samepage.notifications.preferences import texted_categories, texts_for
from samepage.notifications.selectors import centre

pytestmark = pytest.mark.django_db


def test_the_demo_parent_gets_texts_for_messages():
    demo.seed()
    rosa = User.objects.get(email="rosa.hernandez@family.example")
    assert rosa.language == "es"
    assert rosa.phone_number == "+15555550142"
    assert texted_categories(rosa) == {"messages"}
    assert texts_for(rosa, "message.posted")
    assert not texts_for(rosa, "plan.draft_shared")


def test_the_demo_parent_has_unread_notices_in_spanish(django_capture_on_commit_callbacks):
    # The demo's events become notices after its commit, as in a real seed.
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    rosa = User.objects.get(email="rosa.hernandez@family.example")
    assert Notice.objects.filter(recipient=rosa, read_at__isnull=True).exists()
    kinds = set(centre(rosa).values_list("kind", flat=True))
    assert "message.posted" in kinds
    with translation.override(rosa.language):
        titles = [str(n.title) for n in centre(rosa)]
    assert any("Sofía" in t for t in titles)
