"""The family's voice in a real browser: the Spanish-speaking parent adds to her child's
profile and shares two concerns; the case manager links one to a goal of the draft plan
and declines the other with a reason; the parent sees both outcomes, in Spanish."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import sign_in, translated
from samepage.concerns.models import ParentConcern
from samepage.profiles.models import ProfileEntry
from samepage.schools.models import Student

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CALMS = "Se calma con música suave y un lugar tranquilo."
SPEAK = "Quiero que Sofía participe más cuando habla en clase."
TUTOR = "Necesita un tutor de matemáticas después de la escuela."
WHY_NOT = "Math is at grade level; the school's free homework club is open to everyone."


def test_profile_and_concerns_reach_the_plan(make_site) -> None:  # type: ignore[no-untyped-def]
    sofia = Student.objects.get(legal_first_name="Sofía")
    parent: Site = make_site()
    staff: Site = make_site()

    # The parent writes in the profile, in Spanish.
    sign_in(parent, "rosa.hernandez@family.example")
    parent.visit(reverse("profiles:entry_add", args=[sofia.pk]))
    parent.page.get_by_label(translated("es", "Part of the profile")).select_option("calming")
    parent.page.get_by_label(translated("es", "What you want the team to know")).fill(CALMS)
    parent.navigate(
        lambda: parent.page.get_by_role("button", name=translated("es", "Add"), exact=True).click()
    )
    expect(parent.page.get_by_text(CALMS)).to_be_visible()
    assert ProfileEntry.objects.get(text=CALMS).author.email == "rosa.hernandez@family.example"

    # …and shares two concerns.
    for category, text in (("communication", SPEAK), ("math", TUTOR)):
        parent.visit(reverse("concerns:list", args=[sofia.pk]))
        parent.page.get_by_label(translated("es", "What is it about?")).select_option(category)
        parent.page.get_by_label(translated("es", "Your concern, in your own words")).fill(text)
        parent.navigate(
            lambda: parent.page.get_by_role(
                "button", name=translated("es", "Share with the team")
            ).click()
        )
        expect(parent.page.get_by_text(text)).to_be_visible()
    speak = ParentConcern.objects.get(text=SPEAK)
    tutor = ParentConcern.objects.get(text=TUTOR)

    # The case manager links the first to the speech goal of the draft plan…
    sign_in(staff, "maria.lee@riverbend.example")
    staff.visit(reverse("concerns:detail", args=[sofia.pk, speak.pk]))
    target = staff.page.get_by_label("What in the plan answers it?")
    goal_option = target.locator("option", has_text="Sofía will say /r/ and /s/").first
    target.select_option(goal_option.get_attribute("value"))
    staff.navigate(lambda: staff.page.get_by_role("button", name="Link", exact=True).click())
    # …and declines the second, saying why.
    staff.visit(reverse("concerns:detail", args=[sofia.pk, tutor.pk]))
    staff.page.get_by_label("Why the team declines").fill(WHY_NOT)
    staff.navigate(lambda: staff.page.get_by_role("button", name="Decline", exact=True).click())
    assert (speak.status, tutor.status) == ("addressed", "declined")

    # The parent sees both outcomes, in Spanish.
    parent.visit(reverse("concerns:list", args=[sofia.pk]))
    expect(parent.page.locator("html")).to_have_attribute("lang", "es")
    speak_card = parent.page.locator("li.card", has_text=SPEAK)
    tutor_card = parent.page.locator("li.card", has_text=TUTOR)
    expect(speak_card).to_contain_text(translated("es", "Answered in the plan"))
    expect(speak_card).to_contain_text("Sofía will say /r/ and /s/")
    expect(tutor_card).to_contain_text(translated("es", "Declined, with a reason"))
    expect(tutor_card).to_contain_text(WHY_NOT)
