"""Progress between meetings, in a real browser on a 360 px phone: Priya, the speech
therapist, opens Sofía's speech goal from her home and enters three scores from three
sessions; with the demo's three, the last four are all below the line to the goal and the
four-point rule fires. Rosa, Sofía's Spanish-speaking mother, hears of it in Spanish in
her notifications, opens it to the goal's page and sees the chart, its table and the
rule's words in Spanish. Links and buttons only: the sign-in page is the one typed
address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import translation
from playwright.sync_api import expect

from samepage.accounts.models import User
from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import document_scroll_width, sign_in, translated
from samepage.core.dates import district_today
from samepage.notifications.kinds import title_of
from samepage.notifications.models import Notice
from samepage.progress.models import DataPoint, ProgressAlert
from samepage.schools.models import Student

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

THERAPIST = "priya.patel@riverbend.example"
PARENT = "rosa.hernandez@family.example"
PHONE = {"width": 360, "height": 740}
RULE_WORDS = "The last 4 scores were below the line to the goal."


def _to_goal(site: Site, sofia: Student, language: str = "en") -> None:
    """From the home page: Sofía's record, her Progress tab, then her speech goal."""
    page = site.page
    site.navigate(lambda: page.get_by_role("link", name=sofia.display_name).first.click())
    site.navigate(
        lambda: page.get_by_role(
            "link", name=translated(language, "Progress"), exact=True
        ).first.click()
    )
    site.navigate(lambda: page.get_by_role("link", name="Sofía will say /r/").first.click())


def test_a_therapist_enters_three_scores_and_the_family_hears_in_spanish(  # type: ignore[no-untyped-def]
    make_site,
) -> None:
    sofia = Student.objects.get(legal_first_name="Sofía")
    rosa = User.objects.get(email=PARENT)
    today = district_today(sofia.district)
    assert not ProgressAlert.objects.filter(measurement__student=sofia).exists()

    therapist: Site = make_site(viewport=PHONE)
    sign_in(therapist, THERAPIST)
    _to_goal(therapist, sofia)
    page = therapist.page
    for days_ago, value in ((6, "56"), (3, "55"), (0, "54")):
        day = today - timedelta(days=days_ago)
        page.get_by_label(re.compile(r"^Day:?$")).fill(day.isoformat())
        page.get_by_label(re.compile(r"^Value:?$")).fill(value)
        therapist.navigate(
            lambda: page.get_by_role("button", name="Save the score", exact=True).click()
        )
        expect(page.get_by_role("status").filter(has_text="The score was saved.")).to_be_visible()
        assert document_scroll_width(therapist) <= PHONE["width"]
    school = DataPoint.objects.filter(measurement__student=sofia, series="school")
    assert school.count() == 6
    assert set(school.values_list("entered_by__email", flat=True)) == {THERAPIST}
    expect(page.locator("main")).to_contain_text(RULE_WORDS)
    alert = ProgressAlert.objects.get(measurement__student=sofia, cleared_at__isnull=True)
    assert (alert.rule, alert.advice) == ("four_point", "change_instruction")

    # Rosa hears of it in Spanish, opens the notice, and sees the chart and its words.
    parent: Site = make_site(viewport=PHONE)
    sign_in(parent, PARENT)
    expect(parent.page.locator("html")).to_have_attribute("lang", "es")
    parent.navigate(
        lambda: parent.page.get_by_role(
            "link", name=translated("es", "Notifications"), exact=False
        ).first.click()
    )
    notice = Notice.objects.get(recipient=rosa, kind="progress.alert_change")
    with translation.override("es"):
        title = title_of(notice.kind, notice.params)
    assert "cambiar cómo se enseña" in title
    parent.navigate(lambda: parent.page.get_by_role("button", name=title).first.click())
    main = parent.page.locator("main")
    with translation.override("es"):
        words = translation.ngettext(
            "The last score was below the line to the goal. The team should talk about "
            "changing how this is taught.",
            "The last %(run)s scores were below the line to the goal. The team should "
            "talk about changing how this is taught.",
            4,
        ) % {"run": 4}
    assert words.startswith("Las últimas 4")
    expect(main).to_contain_text(words)
    chart = main.locator("figure svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    # The table beside the chart holds every score: six from school, two from home.
    parent.page.get_by_text(translated("es", "The chart as a table")).click()
    expect(main.locator("details table tbody tr")).to_have_count(8)
    assert document_scroll_width(parent) <= PHONE["width"]
