"""Between meetings, in a real browser: the case manager posts a quick update about
Sofía's speech goal; Rosa, her Spanish-speaking mother, hears of it in Spanish in her
notifications, opens it to the timeline and answers with a home note and a photo whose
location is stripped on the way in; the case manager then sees that Rosa saw the update,
and reads her note. Links and buttons only: the sign-in page is the one typed address."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from samepage.accounts.models import User
from samepage.browser_tests.conftest import Site
from samepage.browser_tests.journeys import sign_in, translated
from samepage.notifications.kinds import title_of
from samepage.notifications.models import Notice
from samepage.schools.models import Student
from samepage.updates.models import HomeNote, QuickUpdate, QuickUpdateSeen

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TEACHER = "maria.lee@riverbend.example"
PARENT = "rosa.hernandez@family.example"
UPDATE = "Sofía asked for a turn at circle time and said her whole sentence clearly."
NOTE = "Esta foto es del dibujo que hizo Sofía en casa para su maestra."
GPS_IFD = 0x8825


def _photo_with_location(folder: Path) -> Path:
    """A JPEG whose EXIF says where it was taken (the GPS IFD, tag 0x8825)."""
    exif = Image.Exif()
    exif[0x010F] = "SamePage Test Camera"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (45.0, 31.0, 12.0), 3: "W", 4: (122.0, 40.0, 30.0)})
    path = folder / "dibujo.jpg"
    Image.new("RGB", (64, 48), "orange").save(path, format="JPEG", exif=exif)
    with Image.open(path) as check:
        assert check.getexif().get_ifd(GPS_IFD), "the test photo should carry a location"
    return path


def _to_timeline(site: Site, sofia: Student) -> None:
    """From the home page: Sofía's record, then her timeline (by their links)."""
    site.navigate(lambda: site.page.get_by_role("link", name=sofia.display_name).first.click())
    timeline = reverse("updates:timeline", args=[sofia.pk])
    site.navigate(lambda: site.page.locator(f'main a[href="{timeline}"]').first.click())
    assert site.page.url.startswith(site.url(timeline)), site.page.url


def test_an_update_reaches_the_family_and_their_answer_reaches_the_team(  # type: ignore[no-untyped-def]
    make_site, tmp_path
) -> None:
    sofia = Student.objects.get(legal_first_name="Sofía")
    rosa = User.objects.get(email=PARENT)
    teacher_name = User.objects.get(email=TEACHER).display_name

    # The case manager posts a quick update tagged to Sofía's speech goal, on the page.
    teacher: Site = make_site()
    sign_in(teacher, TEACHER)
    _to_timeline(teacher, sofia)
    teacher.navigate(
        lambda: teacher.page.get_by_role("link", name="Post a quick update", exact=True).click()
    )
    teacher.page.get_by_label("A great day", exact=True).check()
    teacher.page.get_by_label("Your update for the family").fill(UPDATE)
    goal = teacher.page.get_by_role("checkbox", name="Goal: Sofía will say /r/ and /s/")
    goal.first.check()
    teacher.navigate(
        lambda: teacher.page.get_by_role("button", name="Post the update", exact=True).click()
    )
    update = QuickUpdate.objects.get(text=UPDATE)
    assert [t.kind for t in update.tags.all()] == ["goal"]
    card = teacher.page.locator(f"#update-{update.pk}")
    expect(card).to_contain_text(UPDATE)
    expect(card).not_to_contain_text("Seen by")

    # Rosa hears of it in Spanish in her notifications and opens it to the timeline.
    parent: Site = make_site()
    sign_in(parent, PARENT)
    expect(parent.page.locator("html")).to_have_attribute("lang", "es")
    parent.navigate(
        lambda: parent.page.get_by_role(
            "link", name=translated("es", "Notifications"), exact=False
        ).first.click()
    )
    notice = Notice.objects.filter(recipient=rosa, kind="update.posted").latest("pk")
    with translation.override("es"):
        title = title_of(notice.kind, notice.params)
    with translation.override("en"):
        assert title != title_of(notice.kind, notice.params), "the notice should read in Spanish"
    assert teacher_name in title
    parent.navigate(lambda: parent.page.get_by_role("button", name=title).first.click())
    timeline = reverse("updates:timeline", args=[sofia.pk])
    assert parent.page.url.startswith(parent.url(timeline)), parent.page.url
    expect(parent.page.locator(f"#update-{update.pk}")).to_contain_text(UPDATE)
    # Opening the timeline was reading it; Rosa herself is never shown who read what.
    assert QuickUpdateSeen.objects.filter(update=update, user=rosa).count() == 1
    seen_by_es = translated("es", "Seen by %(names)s").split("%")[0].strip()
    expect(parent.page.locator("main")).not_to_contain_text(seen_by_es)

    # She answers with a home note and a photo that knows where it was taken.
    parent.navigate(
        lambda: parent.page.get_by_role(
            "link", name=translated("es", "Write a home note"), exact=True
        ).click()
    )
    parent.page.get_by_label(translated("es", "What is it about? (optional)")).select_option(
        "event"
    )
    parent.page.get_by_label(translated("es", "Your note for the team")).fill(NOTE)
    parent.page.get_by_label(translated("es", "A photo or document (optional)")).set_input_files(
        _photo_with_location(tmp_path)
    )
    parent.navigate(
        lambda: parent.page.get_by_role(
            "button", name=translated("es", "Send to the team"), exact=True
        ).click()
    )
    home_note = HomeNote.objects.select_related("attachment").get(text=NOTE)
    expect(parent.page.locator(f"#home_note-{home_note.pk}")).to_contain_text(NOTE)
    with home_note.attachment.file.open("rb") as stored, Image.open(stored) as photo:
        assert photo.format == "JPEG"
        assert not photo.getexif().get_ifd(GPS_IFD)
        assert not photo.getexif()
        assert "exif" not in photo.info

    # The case manager signs in again and sees that Rosa saw the update, and her note.
    back: Site = make_site()
    sign_in(back, TEACHER)
    _to_timeline(back, sofia)
    card = back.page.locator(f"#update-{update.pk}")
    expect(card).to_contain_text(f"Seen by {rosa.display_name}, ")
    expect(back.page.locator(f"#home_note-{home_note.pk}")).to_contain_text(NOTE)
    expect(back.page.locator(f"#home_note-{home_note.pk} img")).to_be_visible()
