"""The progress API end to end: the same rules as the pages, keyset pages, a resent point
stored once, clear 400s in the reader's language, 404 for another student's goal."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from samepage.progress.models import DataPoint
from samepage.progress.tests.helpers import began, measure, plan_goal, record
from samepage.updates.tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _url(world, rest: str) -> str:
    return f"/api/v1/students/{world.child.pk}/{rest}"


def _measured(world, **fields):
    return measure(
        world,
        baseline_date=began(world).isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
        **fields,
    )


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_provider_records_points_and_a_resent_one_is_stored_once(world):
    measurement = _measured(world)
    url = _url(world, f"measurements/{measurement.pk}/points")
    key = str(uuid.uuid4())
    provider = client_for(world.provider)
    first = _post(provider, url, {"day": world.today.isoformat(), "value": "51", "client_key": key})
    assert first.status_code == 201, first.content
    again = _post(provider, url, {"day": world.today.isoformat(), "value": "51", "client_key": key})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert DataPoint.objects.count() == 1
    listed = client_for(world.parent).get(url).json()
    assert [p["value"] for p in listed["items"]] == ["51.000"]
    assert listed["items"][0]["entered_by"]["name"] == world.provider.display_name


def test_points_come_in_keyset_pages_newest_day_first(world):
    measurement = _measured(world)
    for days_ago in range(5):
        record(world.provider, measurement, day=world.today - timedelta(days=days_ago), value="50")
    url = _url(world, f"measurements/{measurement.pk}/points")
    parent = client_for(world.parent)
    first = parent.get(url, {"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next"]
    rest = parent.get(url, {"limit": 3, "cursor": first["next"]}).json()
    days = [p["day"] for p in first["items"] + rest["items"]]
    assert days == sorted(days, reverse=True) and len(set(days)) == 5
    assert rest["next"] is None
    assert parent.get(url, {"cursor": "forged"}).status_code == 400


def test_bad_points_get_clear_errors_and_the_family_records_only_home_observations(world):
    measurement = _measured(world, kind="percent", unit="", mastery_value="80")
    url = _url(world, f"measurements/{measurement.pk}/points")
    provider = client_for(world.provider)
    above = _post(
        provider,
        url,
        {"day": world.today.isoformat(), "value": "140", "client_key": str(uuid.uuid4())},
    )
    assert above.status_code == 400 and "value" in above.json()["errors"]
    future = _post(
        provider,
        url,
        {
            "day": (world.today + timedelta(days=3)).isoformat(),
            "value": "40",
            "client_key": str(uuid.uuid4()),
        },
    )
    assert future.status_code == 400 and "day" in future.json()["errors"]
    parent = client_for(world.parent)
    school = _post(
        parent,
        url,
        {"day": world.today.isoformat(), "value": "40", "client_key": str(uuid.uuid4())},
    )
    assert school.status_code == 403
    home = _post(
        parent,
        url,
        {
            "day": world.today.isoformat(),
            "value": "40",
            "series": "home",
            "client_key": str(uuid.uuid4()),
        },
    )
    assert home.status_code == 201 and home.json()["counts"] is False
    assert not DataPoint.objects.filter(series="school").exists()


def test_another_students_measurement_is_not_found(world):
    _measured(world)
    other_goal = plan_goal(world, world.other_child, signer=world.other_parent)
    other = measure(world, other_goal, actor=world.district_admin)
    provider = client_for(world.provider)
    url = _url(world, f"measurements/{other.pk}/points")
    assert provider.get(url).status_code == 404
    assert (
        _post(
            provider,
            url,
            {"day": world.today.isoformat(), "value": "1", "client_key": str(uuid.uuid4())},
        ).status_code
        == 404
    )


def test_void_correct_analysis_and_alerts(world):
    measurement = _measured(world)
    points = [
        record(world.provider, measurement, day=world.today - timedelta(days=3 * i), value="40")
        for i in range(6)
    ]
    provider = client_for(world.provider)
    void = _post(provider, _url(world, f"points/{points[0].pk}/void"), {"reason": "Typo"})
    assert void.status_code == 200 and void.json()["voided_at"]
    assert (
        _post(provider, _url(world, f"points/{points[0].pk}/void"), {"reason": "x"}).status_code
        == 400
    )
    fixed = _post(
        provider,
        _url(world, f"points/{points[1].pk}/correct"),
        {"reason": "Misread", "value": "42", "client_key": str(uuid.uuid4())},
    )
    assert fixed.status_code == 201 and fixed.json()["corrects_id"] == points[1].pk
    said = client_for(world.parent).get(_url(world, f"measurements/{measurement.pk}/analysis"))
    assert said.status_code == 200
    data = said.json()
    assert data["aim"]["slope"] > 0 and data["chart_svg"].startswith("<svg")
    # Six low scores opened the four-point alert; the void left five, too few: cleared.
    alerts = client_for(world.parent).get(_url(world, "alerts")).json()["items"]
    assert [(a["rule"], bool(a["cleared_at"])) for a in alerts] == [("four_point", True)]
    assert "below the line" in alerts[0]["text"]


def test_setting_a_measurement_notices_a_stale_revision(world):
    goal = plan_goal(world)
    url = _url(world, "measurements")
    manager = client_for(world.case_manager)
    fields = {
        "goal_lineage": str(goal.lineage_id),
        "kind": "rate",
        "direction": "increase",
        "unit": "wcpm",
        "baseline_value": "40",
    }
    made = _post(manager, url, fields)
    assert made.status_code == 200, made.content
    revision = made.json()["revision"]
    assert _post(manager, url, {**fields, "unit": "wpm", "revision": revision}).status_code == 200
    stale = _post(manager, url, {**fields, "unit": "words", "revision": revision})
    assert stale.status_code == 409 and stale.json()["theirs"]["unit"] == "wpm"
    assert _post(client_for(world.parent), url, fields).status_code == 403
    listed = client_for(world.parent).get(_url(world, "measurements")).json()
    assert listed["items"][0]["goal"]
