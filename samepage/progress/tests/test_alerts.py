"""Decision-rule alerts: opened when a rule fires, told once to the team and the family
in their own language, cleared when the data stops saying it, and never moved by the
family's home observations."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from samepage.notifications.kinds import title_of
from samepage.notifications.models import Notice
from samepage.progress import actions
from samepage.progress.models import ProgressAlert, ProgressSettings
from samepage.progress.tests.helpers import access_of, began, measure, record

pytestmark = pytest.mark.django_db


def _measured(world, **fields):
    return measure(
        world,
        baseline_date=began(world).isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
        **fields,
    )


def _scores(world, measurement, values, *, start=40, series="school", user=None):
    """One score every 3 days ending today, oldest first."""
    user = user or world.provider
    days = len(values)
    return [
        record(
            user,
            measurement,
            day=world.today - timedelta(days=3 * (days - i)),
            value=v,
            series=series,
        )
        for i, v in enumerate(values)
    ]


def _notices(kind):
    return Notice.objects.filter(kind=kind)


def test_low_scores_alert_once_and_more_low_scores_tell_nobody_again(
    world, django_capture_on_commit_callbacks
):
    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 5)
    assert not ProgressAlert.objects.exists()  # five points: the rule needs six
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"])
    assert ProgressAlert.objects.filter(rule="four_point", cleared_at__isnull=True).count() == 1
    assert _notices("progress.alert_change").filter(recipient=world.parent).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["41", "40"])
    assert ProgressAlert.objects.filter(rule="four_point").count() == 1
    assert _notices("progress.alert_change").filter(recipient=world.parent).count() == 1


def test_two_rules_saying_the_same_at_once_are_one_notice(
    world, django_capture_on_commit_callbacks
):
    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 9)
    rules = set(ProgressAlert.objects.values_list("rule", flat=True))
    assert rules == {"four_point", "trend"}
    assert _notices("progress.alert_change").filter(recipient=world.case_manager).count() == 1


def test_an_alert_clears_when_the_data_stops_saying_it_and_a_new_one_tells_again(
    world, django_capture_on_commit_callbacks
):
    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 6)
        high = record(world.provider, measurement, value="95")
    alert = ProgressAlert.objects.get(rule="four_point")
    assert alert.cleared_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_void_point(
            high,
            actor=world.provider,
            access=access_of(world.provider, world.child),
            reason="Wrong student's probe",
        )
    assert ProgressAlert.objects.filter(rule="four_point", cleared_at__isnull=True).count() == 1
    assert _notices("progress.alert_change").filter(recipient=world.parent).count() == 2


def test_home_observations_never_fire_a_rule(world, django_capture_on_commit_callbacks):
    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 9, series="home", user=world.parent)
    assert not ProgressAlert.objects.exists()
    assert not Notice.objects.filter(kind__startswith="progress.").exists()


def test_a_goal_to_decrease_alerts_when_scores_stay_above_the_line(
    world, django_capture_on_commit_callbacks
):
    measurement = _measured(
        world,
        kind="frequency",
        unit="outbursts a day",
        direction="decrease",
        baseline_value="10",
        target_value="2",
        mastery_value="2",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["10"] * 6)
    alert = ProgressAlert.objects.get(rule="four_point")
    assert alert.advice == "change_instruction" and not alert.below


def test_mastery_is_told_as_met(world, django_capture_on_commit_callbacks):
    measurement = _measured(world, mastery_value="60", mastery_sessions=3)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["61", "62", "63"])
    assert ProgressAlert.objects.filter(rule="mastery", advice="met").exists()
    notice = _notices("progress.goal_met").get(recipient=world.parent)
    assert "counts as met" in title_of(notice.kind, notice.params)


def test_the_district_sets_how_many_points_the_four_point_rule_needs(
    world, django_capture_on_commit_callbacks
):
    ProgressSettings.objects.create(
        district=world.child.district, four_point_needs=4, four_point_run=3
    )
    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 4)
    alert = ProgressAlert.objects.get(rule="four_point")
    assert alert.run == 3


def test_the_family_reads_the_alert_in_their_own_language(
    world, django_capture_on_commit_callbacks
):
    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 6)
    notice = _notices("progress.alert_change").get(recipient=world.parent)
    with translation.override("es"):
        title = title_of(notice.kind, notice.params)
    assert "meta" in title and "cambiar cómo se enseña" in title
    assert "Casey" in title


def test_the_alert_email_has_the_words_and_the_chart_in_the_readers_language(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    import time_machine

    measurement = _measured(world)
    world.parent.language = "es"
    world.parent.save(update_fields=["language"])
    # Mid-afternoon of the district's today: outside everyone's quiet hours.
    zone = ZoneInfo(world.child.district.time_zone)
    afternoon = datetime.combine(world.today, time(14, 0), tzinfo=zone)
    with time_machine.travel(afternoon), django_capture_on_commit_callbacks(execute=True):
        _scores(world, measurement, ["40"] * 6)
    sent = [m for m in mailoutbox if m.to == [world.parent.email]]
    assert len(sent) == 1
    assert "Las últimas 4 puntuaciones estuvieron por debajo de la línea hacia la meta." in (
        sent[0].body
    )
    html = sent[0].alternatives[0][0]
    assert "<svg" in html and "<table" in html and 'lang="es"' in html
