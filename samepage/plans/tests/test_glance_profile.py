"""The plan at a glance shows what the profile says about the child's triggers, calming
strategies and how they learn best, as far as the reader may see the profile."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from samepage import factories as f
from samepage.profiles.tests.helpers import client_for, write
from samepage.teams import actions as team_actions
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db


def _plan(world):
    return f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager).plan


def _profile(world) -> None:
    write(world.parent, world.child, "triggers", "Loud crowded rooms; he taps his pencil first.")
    write(world.parent, world.child, "calming", "A quiet corner and his headphones.")
    write(world.parent, world.child, "learning", "Show him an example first, step by step.")
    write(world.parent, world.child, "health", "Peanut allergy.")
    write(world.parent, world.child, "hopes", "One good friend at school.")


def test_teacher_glance_shows_triggers_calming_and_learning_from_the_profile(world):
    plan = _plan(world)
    _profile(world)
    html = client_for(world.gen_ed_teacher).get(f"/plans/{plan.pk}/glance/").content.decode()
    # Headings are the profile's own section names.
    assert "What upsets or sets them off, and early signs" in html
    assert "What calms them" in html
    assert "How they learn best" in html
    assert "Loud crowded rooms; he taps his pencil first." in html
    assert "A quiet corner and his headphones." in html
    assert "Show him an example first, step by step." in html
    assert "Written by Alice Lane (parent)" in html
    # The plan's strengths are still there, and only the three sections come along.
    assert "Curious, kind, loves building things." in html
    assert "One good friend at school." not in html
    assert "Peanut allergy." not in html


def test_glance_pdf_carries_the_profile_too(world):
    plan = _plan(world)
    _profile(world)
    response = client_for(world.gen_ed_teacher).get(f"/plans/{plan.pk}/glance/pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "A quiet corner and his headphones." in text
    assert "Show him an example first, step by step." in text


def test_private_drafts_never_reach_the_glance_not_even_the_authors(world):
    plan = _plan(world)
    write(world.parent, world.child, "calming", "Still thinking about this.", "private_draft")
    for user in (world.parent, world.gen_ed_teacher, world.case_manager):
        html = client_for(user).get(f"/plans/{plan.pk}/glance/").content.decode()
        assert "Still thinking about this." not in html


def test_empty_sections_say_nothing_is_recorded(world):
    plan = _plan(world)
    write(world.parent, world.child, "calming", "A quiet corner.")
    html = client_for(world.gen_ed_teacher).get(f"/plans/{plan.pk}/glance/").content.decode()
    notes = html.split('id="glance-notes"')[1].split("</section>")[0]
    assert "How they learn best" in notes
    assert notes.count("Nothing recorded.") == 2


def test_advocate_without_the_profile_scope_sees_no_profile_on_the_glance(world):
    plan = _plan(world)
    _profile(world)
    today = timezone.localdate()
    team_actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=["plans"],
        purpose="Help at the annual meeting",
        starts_on=today,
        expires_on=today + timedelta(days=90),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    response = client_for(world.advocate).get(f"/plans/{plan.pk}/glance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Extra time on tests" in html
    assert "A quiet corner and his headphones." not in html
    assert "What calms them" not in html


def test_glance_queries_do_not_grow_with_profile_entries(world):
    plan = _plan(world)
    client = client_for(world.gen_ed_teacher)
    url = f"/plans/{plan.pk}/glance/"
    write(world.parent, world.child, "calming", "One")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        entry = write(world.case_manager, world.child, "triggers", f"Observation {n}")
        from samepage.profiles import actions

        actions.check_request_correction(entry, actor=world.parent, text="Please fix")
    with CaptureQueriesContext(connection) as six:
        html = client.get(url).content.decode()
    assert html.count("Disputed: a correction was requested on") == 5
    assert len(six) == len(one)
