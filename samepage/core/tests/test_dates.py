"""The district's "today": one date per district, whatever the server's or UTC's date."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from samepage import factories as f
from samepage.core.dates import district_date, district_today, local_date, zone_of
from samepage.teams.actions import check_grant_consent
from samepage.teams.models import ConsentGrant, TeamMembership
from samepage.teams.permissions import student_access, visible_students

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NOV_18 = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("moment", "district_day", "utc_day"),
    [
        # 00:30 UTC: still the evening of the 17th in Chicago.
        (datetime.combine(NOV_18, time(0, 30), tzinfo=UTC), date(2026, 11, 17), NOV_18),
        # 23:30 in Chicago: already the 19th in UTC.
        (datetime.combine(NOV_18, time(23, 30), tzinfo=CHICAGO), NOV_18, date(2026, 11, 19)),
    ],
)
def test_the_districts_today_is_not_the_utc_date(moment, district_day, utc_day):
    district = f.make_district(time_zone="America/Chicago")
    with time_machine.travel(moment, tick=False):
        assert district_today(district) == district_day
        assert district_date(timezone.now(), district) == district_day
        assert timezone.localdate(timezone.now(), UTC) == utc_day


def test_a_district_without_a_known_zone_uses_the_default_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    nameless = f.make_district()
    nameless.time_zone = "Mars/Olympus_Mons"  # validation keeps this out of the database
    assert zone_of(nameless) == CHICAGO
    assert zone_of(None) == CHICAGO


def test_a_person_sees_a_moment_on_their_own_day():
    moment = datetime.combine(NOV_18, time(23, 30), tzinfo=CHICAGO)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert local_date(moment) == date(2026, 11, 19)
    with timezone.override(CHICAGO):
        assert local_date(moment) == NOV_18


@pytest.fixture
def two_coasts():  # type: ignore[no-untyped-def]
    """One child in Oregon and one in Tokyo, both shared with Ada and taught by Tom."""
    oregon = f.make_district("Pacific Unified", time_zone="America/Los_Angeles")
    tokyo = f.make_district("Tokyo International", time_zone="Asia/Tokyo")
    kids = {
        "oregon": f.make_student(f.make_school(oregon)),
        "tokyo": f.make_student(f.make_school(tokyo)),
    }
    ada = f.make_user("Ada Advocate", is_advocate=True)
    return kids, ada


def _grant_until(child, ada, day):  # type: ignore[no-untyped-def]
    parent = f.make_user()
    f.make_guardian(child, parent)
    start = day - timedelta(days=30)
    return check_grant_consent(
        actor=parent,
        student=child,
        access=student_access(parent, child),
        grantee_email=ada.email,
        scopes=["plans"],
        purpose="Help at the meeting",
        starts_on=start,
        expires_on=day,
        signature_name="A Parent",
        consent_confirmed=True,
        today=start,
    )


def test_a_list_across_districts_uses_each_childs_own_today(two_coasts):
    kids, ada = two_coasts
    # 05:30 UTC on the 19th: 21:30 on the 18th in Oregon, 14:30 on the 19th in Tokyo.
    moment = datetime.combine(date(2026, 11, 19), time(5, 30), tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        grants = {key: _grant_until(child, ada, NOV_18) for key, child in kids.items()}
        assert district_today(kids["oregon"].district) == NOV_18
        assert district_today(kids["tokyo"].district) == date(2026, 11, 19)
        # Both expire on the 18th: still running in Oregon, over in Tokyo.
        assert {g.pk for g in ConsentGrant.objects.active()} == {grants["oregon"].pk}
        assert {key: g.status() for key, g in grants.items()} == {
            "oregon": "active",
            "tokyo": "expired",
        }
        assert list(visible_students(ada)) == [kids["oregon"]]
        # A membership starting on the 19th has begun in Tokyo, not yet in Oregon.
        teacher = f.make_user("Tom Teacher")
        for child in kids.values():
            f.add_to_team(child, teacher, f.TeamRole.OTHER, start_date=date(2026, 11, 19))
        current = TeamMembership.objects.current().filter(user=teacher)
        assert [m.student for m in current] == [kids["tokyo"]]
        mine = TeamMembership.objects.filter(user=teacher)
        assert {m.student_id: m.is_current() for m in mine} == {
            kids["oregon"].pk: False,
            kids["tokyo"].pk: True,
        }


@pytest.mark.parametrize("hour", range(0, 24, 3))
def test_the_list_agrees_with_each_records_own_status_at_every_hour(two_coasts, hour):
    kids, ada = two_coasts
    with time_machine.travel(datetime.combine(NOV_18, time(hour, 0), tzinfo=UTC), tick=False):
        grants = [
            _grant_until(child, ada, district_today(child.district) + timedelta(days=offset))
            for child in kids.values()
            for offset in (-1, 0, 1)
        ]
        listed = set(ConsentGrant.objects.active().values_list("pk", flat=True))
        assert listed == {g.pk for g in grants if g.status() == "active"}
        assert len(listed) == 4  # today and tomorrow in each district, not yesterday


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "Australia/Eucla", "America/St_Johns"])
@pytest.mark.parametrize("seconds_from_midnight", [-61, -1, 0, 1, 59, 60])
def test_the_cached_reading_of_every_zones_date_is_exact_around_each_midnight(
    zone, seconds_from_midnight
):
    # on_each_district_today reads the world's zones once per UTC minute. Zones whose
    # offset is not a whole hour (+5:45, +8:45, -3:30) meet midnight inside an hour:
    # the reading must still change exactly at their midnight, not up to a minute late.
    from samepage.core.dates import _dates_of_zones, _this_minute

    local_midnight = datetime.combine(NOV_18, time(0, 0), tzinfo=zoneinfo.ZoneInfo(zone))
    moment = local_midnight + timedelta(seconds=seconds_from_midnight)
    with time_machine.travel(moment, tick=False):
        default_day, others = _dates_of_zones(_this_minute(), "UTC")
        day_of = {name: day for day, names in others for name in names}
        assert day_of.get(zone, default_day) == timezone.localdate(moment, zoneinfo.ZoneInfo(zone))
