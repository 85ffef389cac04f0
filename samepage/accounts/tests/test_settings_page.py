from __future__ import annotations

import pytest
from django.urls import reverse

from samepage.core.models import AuditEvent

SETTINGS = "/accounts/settings/"


def test_anonymous_is_sent_to_login(client, db):  # type: ignore[no-untyped-def]
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_page_shows_preferences_two_factor_and_tokens(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_language">' in html
    assert '<label for="id_time_zone">' in html
    assert '<option value="America/Chicago" selected>' in html
    assert reverse("accounts:two_factor") in html
    assert '<label for="id_name">' in html
    assert "style=" not in html


def test_change_language_and_time_zone(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.post(SETTINGS, {"language": "es", "time_zone": "Europe/Madrid"})
    assert response.status_code == 302
    world.parent.refresh_from_db()
    assert (world.parent.language, world.parent.time_zone) == ("es", "Europe/Madrid")
    event = AuditEvent.objects.get(action="user.preferences_changed", actor=world.parent)
    assert event.changes["time_zone"] == ["America/Chicago", "Europe/Madrid"]
    # The next page speaks Spanish.
    assert 'lang="es"' in client.get(SETTINGS).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "en", "time_zone": "Mars/Olympus_Mons"}, "is not a time zone we know"),
        ({"language": "klingon", "time_zone": "UTC"}, "is not a language SamePage speaks"),
        ({"language": "en", "time_zone": ""}, "This field is required"),
    ],
)
def test_bad_preferences_are_explained_and_change_nothing(client, world, data, message):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    response = client.post(SETTINGS, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "aria-describedby=" in html
    world.parent.refresh_from_db()
    assert (world.parent.language, world.parent.time_zone) == ("en", "America/Chicago")
    assert not AuditEvent.objects.filter(action="user.preferences_changed").exists()


def test_time_zone_list_is_places_grouped_by_region(client, world):  # type: ignore[no-untyped-def]
    client.force_login(world.parent)
    html = client.get(SETTINGS).content.decode()
    assert '<optgroup label="Americas">' in html
    assert '<optgroup label="Europe">' in html
    assert '<option value="America/Chicago" selected>Chicago</option>' in html
    assert '<option value="America/Los_Angeles">Los Angeles</option>' in html
    assert '<option value="America/Mexico_City">Mexico City</option>' in html
    for alias in ("Etc/GMT+5", "US/Central", "America/Buenos_Aires", "GMT", "EST5EDT"):
        assert f'value="{alias}"' not in html


def test_a_saved_alias_is_kept_and_shown(client, world):  # type: ignore[no-untyped-def]
    type(world.parent).objects.filter(pk=world.parent.pk).update(time_zone="US/Central")
    client.force_login(world.parent)
    html = client.get(SETTINGS).content.decode()
    assert '<optgroup label="Your current setting">' in html
    assert '<option value="US/Central" selected>' in html
    response = client.post(SETTINGS, {"language": "es", "time_zone": "US/Central"})
    assert response.status_code == 302
    world.parent.refresh_from_db()
    assert (world.parent.language, world.parent.time_zone) == ("es", "US/Central")
