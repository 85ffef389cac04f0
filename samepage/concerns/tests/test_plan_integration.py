"""Concerns inside the plan: the parent-concerns section and the finalize rule."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samepage import factories as f
from samepage.concerns.permissions import concern_access_for
from samepage.concerns.tests.helpers import add, decline, draft_with_goal, link
from samepage.core.dates import district_date
from samepage.plans.actions import lifecycle
from samepage.plans.actions.lifecycle import FinalizeBlocked
from samepage.plans.content import build_content, content_of
from samepage.plans.models import PlanSection

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]

REASON = "The team will meet again in October about lunch; we did not want to wait."


def _ready(world):
    version = draft_with_goal(world)
    # The team met the day the draft was written, in the district: its UTC day may be
    # tomorrow there, which "cannot be in the future".
    meeting_date = district_date(version.created_at, world.child.district)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=meeting_date)
    return version


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_content_carries_the_concerns_verbatim_with_where_they_landed(world):
    version = draft_with_goal(world)
    linked = add(world, text="Reading <b>hurts</b>.")
    link(world, linked, version)
    declined = add(world, text="A full-day aide, please.", category="placement")
    decline(world, declined, reason="He does well with classmates.")
    add(world, text="Lunch alone.", category="social")
    concerns = build_content(version)["concerns"]
    assert [c["text"] for c in concerns] == [
        "Reading <b>hurts</b>.",
        "A full-day aide, please.",
        "Lunch alone.",
    ]
    assert [c["status"] for c in concerns] == ["addressed", "declined", "open"]
    assert concerns[0]["landed"][0]["target_label"] == "Read grade-level text fluently"
    assert concerns[1]["decline_reason"] == "He does well with classmates."
    assert concerns[0]["author"] == world.parent.display_name


def test_concerns_settled_in_another_plan_stay_out(world):
    old = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    concern = add(world)
    link(world, concern, old)
    new = f.make_plan(world.child, world.case_manager)
    draft = new.versions.get()
    assert build_content(draft)["concerns"] == []
    assert [c["id"] for c in build_content(old)["concerns"]] == [concern.pk]
    # The final version was frozen before the concern existed, and stays so.
    assert content_of(old)["concerns"] == []


def test_a_shared_draft_freezes_the_concerns_as_they_stood(world):
    version = draft_with_goal(world)
    concern = add(world)
    shared = lifecycle.do_share_draft(version, actor=world.case_manager)
    link(world, concern, version)
    assert shared.content["concerns"][0]["status"] == "open"
    assert build_content(version)["concerns"][0]["status"] == "addressed"


def test_finalizing_with_an_open_concern_needs_a_reason(world):
    version = _ready(world)
    add(world, text="Lunch alone.")
    with pytest.raises(FinalizeBlocked) as blocked:
        lifecycle.check_finalize(version, actor=world.case_manager)
    warning = next(w for w in blocked.value.warnings if w.code == "unanswered_concerns")
    assert warning.anchor == "section:parent_concerns"
    assert "1 concern" in warning.message
    final = lifecycle.check_finalize(
        version, actor=world.case_manager, overrides={"unanswered_concerns": REASON}
    )
    assert final.status == "final"
    assert final.unanswered_concerns_reason == REASON
    assert final.content is not None
    assert final.content["concerns"][0]["status"] == "open"


def test_answered_concerns_need_no_reason(world):
    version = _ready(world)
    link(world, add(world), version)
    decline(world, add(world, text="An aide."))
    final = lifecycle.check_finalize(version, actor=world.case_manager)
    assert final.status == "final"
    assert final.unanswered_concerns_reason == ""


def test_recorded_concerns_count_as_the_familys_concerns(world):
    version = _ready(world)
    link(world, add(world), version)
    PlanSection.objects.filter(version=version, key="parent_concerns").update(data={})
    _errors, warnings = lifecycle.finalize_findings(version)
    assert "no_parent_concerns" not in {w.code for w in warnings}


def test_the_family_sees_the_reason_and_the_concerns_on_the_final_plan(world):
    version = _ready(world)
    add(world, text="He eats lunch alone <script>alert('x')</script>")
    lifecycle.check_finalize(
        version, actor=world.case_manager, overrides={"unanswered_concerns": REASON}
    )
    url = reverse("plans:version", args=[version.plan_id, version.number])
    page = _client(world.parent).get(url).content.decode()
    assert "Why some concerns are not answered yet" in page
    assert REASON in page
    assert "He eats lunch alone &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "Concerns the family shared" in page


def test_the_finalize_page_asks_for_the_reason(world):
    version = _ready(world)
    add(world, text="Lunch alone.")
    page = _client(world.case_manager).get(reverse("plans:finalize", args=[version.plan_id]))
    assert 'name="reason_unanswered_concerns"' in page.content.decode()
    response = _client(world.case_manager).post(
        reverse("plans:finalize", args=[version.plan_id]),
        {"reason_unanswered_concerns": REASON, "reason_no_accommodations": "x"},
    )
    assert response.status_code in (302, 303)
    version.refresh_from_db()
    assert version.unanswered_concerns_reason == REASON


def test_the_plan_pdf_and_the_api_carry_the_concerns_and_the_reason(world):
    import io

    from django.test import Client
    from pypdf import PdfReader

    from samepage import factories as f
    from samepage.concerns.actions import check_add_concern
    from samepage.plans.actions import lifecycle

    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    check_add_concern(
        world.child,
        actor=world.parent,
        access=concern_access_for(world.parent, world.child),
        category="reading",
        text="Homework takes three hours every night.",
        importance="high",
    )
    lifecycle.do_record_meeting(
        version, actor=world.case_manager, meeting_date=version.proposed_start
    )
    lifecycle.check_finalize(
        version,
        actor=world.case_manager,
        overrides={"unanswered_concerns": "We will meet again about homework in two weeks."},
    )
    client = Client()
    client.force_login(world.parent)
    pdf = client.get(f"/plans/{plan.pk}/versions/1/pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Homework takes three hours every night." in " ".join(text.split())
    body = client.get(f"/api/v1/plans/{plan.pk}").json()
    version_out = next(v for v in body["versions"] if v["number"] == 1)
    assert version_out["unanswered_concerns_reason"] == (
        "We will meet again about homework in two weeks."
    )


def test_a_concerns_link_on_the_plan_leads_to_the_part_that_answers_it(world):
    import re

    version = _ready(world)
    link(world, add(world), version)
    lifecycle.check_finalize(version, actor=world.case_manager)
    url = reverse("plans:version", args=[version.plan_id, version.number])
    page = _client(world.parent).get(url).content.decode()
    fragments = re.findall(r'href="#(goal-[^"]+)"', page)
    assert fragments, "the concern should link to the goal that answers it"
    for fragment in fragments:
        assert f'id="{fragment}"' in page, fragment
