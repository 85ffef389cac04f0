"""The plan's review journey in a real browser: the case manager shares a draft, the
Spanish-speaking parent asks a question in Spanish, the case manager answers, the team
records the meeting and finalizes, and the parent signs."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import sign_in, translated
from samepage.plans.models import PlanQuestion, PlanSignature, PlanVersion

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

QUESTION = "¿Cuántos minutos de terapia del habla recibirá Sofía cada semana?"
ANSWER = "Sixty minutes a week, in two sessions of thirty minutes."


def test_share_question_answer_finalize_and_sign(make_site) -> None:  # type: ignore[no-untyped-def]
    draft = PlanVersion.objects.get(plan__student__legal_first_name="Sofía", status="draft")
    plan_id = draft.plan_id
    staff: Site = make_site()
    parent: Site = make_site()

    # The case manager shares the draft with a message.
    sign_in(staff, "maria.lee@riverbend.example")
    staff.visit(reverse("plans:detail", args=[plan_id]))
    staff.page.get_by_label("Message to the family").fill("Please read before our meeting.")
    staff.navigate(
        lambda: staff.page.get_by_role("button", name="Share this draft with the family").click()
    )
    expect(staff.page.get_by_role("heading", level=1)).to_contain_text("(1)")

    # The parent, whose account is in Spanish, asks about the services in Spanish.
    sign_in(parent, "rosa.hernandez@family.example")
    parent.visit(reverse("plans:shared", args=[plan_id, 1]))
    expect(parent.page.locator("html")).to_have_attribute("lang", "es")
    expect(parent.page.get_by_text("Please read before our meeting.")).to_be_visible()
    parent.page.get_by_label(translated("es", "About which part")).select_option(
        label=translated("es", "Services") + ": Speech therapy"
    )
    parent.page.get_by_label(translated("es", "Your question or comment")).fill(QUESTION)
    parent.navigate(
        lambda: parent.page.get_by_role("button", name=translated("es", "Send to the team")).click()
    )
    expect(parent.page.get_by_text(QUESTION)).to_be_visible()
    question = PlanQuestion.objects.get(text=QUESTION)
    assert question.anchor.startswith("service:")

    # The case manager answers it.
    staff.visit(reverse("plans:shared", args=[plan_id, 1]))
    staff.page.locator(f"#reply-{question.pk}").fill(ANSWER)
    staff.navigate(
        lambda: (
            staff.page.locator(f"#question-{question.pk}")
            .get_by_role("button", name="Send")
            .click()
        )
    )
    question.refresh_from_db()
    assert question.status == "answered"

    # The parent sees the answer.
    parent.visit(reverse("plans:shared", args=[plan_id, 1]))
    expect(parent.page.get_by_text(ANSWER)).to_be_visible()

    # The team meets; the case manager records it and finalizes.
    staff.visit(reverse("plans:detail", args=[plan_id]))
    staff.navigate(lambda: staff.page.get_by_role("button", name="Record the meeting").click())
    staff.navigate(lambda: staff.page.get_by_role("link", name="Check and finalize").click())
    staff.navigate(lambda: staff.page.get_by_role("button", name="Finalize").click())
    draft.refresh_from_db()
    assert draft.status == "final"

    # The parent signs in agreement; the plan is in effect.
    parent.visit(reverse("plans:detail", args=[plan_id]))
    parent.navigate(
        lambda: parent.page.get_by_role(
            "link", name=translated("es", "Review and sign")
        ).first.click()
    )
    parent.page.get_by_label(translated("es", "I agree with this plan"), exact=True).check()
    parent.page.get_by_label(translated("es", "Type your full name to sign")).fill("Rosa Hernández")
    parent.navigate(
        lambda: parent.page.get_by_role("button", name=translated("es", "Sign"), exact=True).click()
    )
    draft.refresh_from_db()
    assert draft.status == "in_effect"
    assert PlanSignature.objects.get(version=draft).typed_name == "Rosa Hernández"
    expect(parent.page.get_by_text(translated("es", "In effect")).first).to_be_visible()
