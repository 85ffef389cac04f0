"""The progress pages end to end: the tab, a goal's chart and entries, recording a score
or a home observation, voiding, correcting, a phase line, how a goal is measured, and
bad input answered with a message, never a 500."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from samepage.progress.models import DataPoint, PhaseChange, ProgressAlert
from samepage.progress.tests.helpers import began, measure, plan_goal, record
from samepage.updates.tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _goal_url(measurement, name="progress:goal"):
    return reverse(name, args=[measurement.student_id, measurement.goal_lineage])


def _measured(world, **fields):
    return measure(
        world,
        baseline_date=began(world).isoformat(),
        target_date=(world.today + timedelta(days=200)).isoformat(),
        **fields,
    )


def test_the_family_sees_each_goal_and_its_chart_with_a_table_of_the_scores(world):
    measurement = _measured(world)
    record(world.provider, measurement, day=world.today - timedelta(days=3), value="44")
    record(
        world.parent, measurement, day=world.today - timedelta(days=2), value="50", series="home"
    )
    parent = client_for(world.parent)
    overview = parent.get(reverse("progress:overview", args=[world.child.pk]))
    assert overview.status_code == 200
    assert _goal_url(measurement) in overview.content.decode()
    page = parent.get(_goal_url(measurement)).content.decode()
    assert "<svg" in page and "School data" in page and "Home observation" in page
    table = page[page.index("<table") : page.index("</table>")]
    assert len(re.findall(r"<tr><td>", table)) == 2
    # The parent may add a home observation, not a school score.
    assert "Add a home observation" in page and "Record a score" not in page


def test_a_provider_records_a_score_and_a_resent_form_stores_it_once(world):
    measurement = _measured(world)
    url = _goal_url(measurement, "progress:record")
    provider = client_for(world.provider)
    assert provider.get(url).status_code == 200
    form = {"day": world.today.isoformat(), "value": "52", "client_key": str(uuid.uuid4())}
    first = provider.post(url, form)
    assert first.status_code == 303
    again = provider.post(url, form)
    assert again.status_code == 303 and again["Location"] == first["Location"]
    point = DataPoint.objects.get()
    assert point.series == "school" and point.entered_by == world.provider
    assert first["Location"].endswith(f"#point-{point.pk}")


def test_the_family_records_a_home_observation_that_never_counts(world):
    measurement = _measured(world)
    response = client_for(world.parent).post(
        _goal_url(measurement, "progress:record"),
        {"day": world.today.isoformat(), "value": "60", "client_key": str(uuid.uuid4())},
    )
    assert response.status_code == 303
    point = DataPoint.objects.get()
    assert point.series == "home" and not point.counts


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {
                "kind": "percent",
                "unit": "",
                "baseline_value": "40",
                "target_value": "80",
                "mastery_value": "80",
            },
            "100",
        ),
        ({}, "has not come yet"),
    ],
)
def test_bad_scores_get_a_message_and_store_nothing(world, fields, words):
    measurement = _measured(world, **fields)
    day = world.today + timedelta(days=1) if words == "has not come yet" else world.today
    value = "101" if words == "100" else "50"
    response = client_for(world.provider).post(
        _goal_url(measurement, "progress:record"),
        {"day": day.isoformat(), "value": value, "client_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not DataPoint.objects.exists()


def test_a_bad_score_is_refused_in_spanish_for_a_spanish_reader(world):
    measurement = _measured(world, kind="percent", unit="", mastery_value="80")
    world.provider.language = "es"
    world.provider.save(update_fields=["language"])
    response = client_for(world.provider).post(
        _goal_url(measurement, "progress:record"),
        {"day": world.today.isoformat(), "value": "120", "client_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert 'lang="es"' in response.content.decode()
    assert "100" in response.content.decode()


def test_another_students_goal_and_a_goal_of_no_plan_are_not_found(world):
    measurement = _measured(world)
    other_goal = plan_goal(world, world.other_child, signer=world.other_parent)
    provider = client_for(world.provider)
    wrong = reverse("progress:goal", args=[world.child.pk, other_goal.lineage_id])
    assert provider.get(wrong).status_code == 404
    missing = reverse("progress:record", args=[world.child.pk, uuid.uuid4()])
    assert provider.post(missing, {"value": "1"}).status_code == 404
    assert client_for(world.other_parent).get(_goal_url(measurement)).status_code == 404


def test_who_may_not_record_is_refused(world):
    measurement = _measured(world)
    url = _goal_url(measurement, "progress:record")
    form = {"day": world.today.isoformat(), "value": "50", "client_key": str(uuid.uuid4())}
    # The student's own account reads the chart but is not the family at home.
    assert client_for(world.student_user).get(_goal_url(measurement)).status_code == 200
    assert client_for(world.student_user).post(url, form).status_code == 403
    assert not DataPoint.objects.exists()


def test_a_general_education_teacher_records_without_seeing_the_chart(world):
    measurement = _measured(world)
    record(world.provider, measurement, value="41")
    teacher = client_for(world.gen_ed_teacher)
    assert teacher.get(_goal_url(measurement)).status_code == 403
    form_page = teacher.get(_goal_url(measurement, "progress:record"))
    assert form_page.status_code == 200
    assert "<svg" not in form_page.content.decode()
    form = {"day": world.today.isoformat(), "value": "47", "client_key": str(uuid.uuid4())}
    assert teacher.post(_goal_url(measurement, "progress:record"), form).status_code == 303
    assert DataPoint.objects.filter(entered_by=world.gen_ed_teacher).count() == 1


def test_void_and_correct_keep_the_old_entry_listed(world):
    measurement = _measured(world)
    wrong = record(world.provider, measurement, value="14")
    provider = client_for(world.provider)
    void_url = reverse("progress:void", args=[world.child.pk, wrong.pk])
    assert provider.post(void_url, {"reason": ""}).status_code == 400
    assert provider.post(void_url, {"reason": "Typed 14 for 41"}).status_code == 303
    wrong.refresh_from_db()
    assert wrong.is_void and wrong.void_reason == "Typed 14 for 41"
    # A voided entry cannot be voided or corrected again.
    assert provider.get(void_url).status_code == 404
    second = record(world.provider, measurement, value="50")
    correct_url = reverse("progress:correct", args=[world.child.pk, second.pk])
    assert provider.get(correct_url).status_code == 200
    response = provider.post(
        correct_url,
        {
            "day": second.day.isoformat(),
            "value": "55",
            "reason": "Miscounted",
            "client_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 303
    page = provider.get(_goal_url(measurement)).content.decode()
    assert "<del>" in page and "Miscounted" in page
    # The parent may not void the school's score.
    assert (
        client_for(world.parent)
        .post(
            reverse("progress:void", args=[world.child.pk, DataPoint.objects.standing().get().pk]),
            {"reason": "no"},
        )
        .status_code
        == 403
    )


def test_a_phase_line_is_marked_with_what_changed(world):
    measurement = _measured(world)
    url = _goal_url(measurement, "progress:phase")
    provider = client_for(world.provider)
    assert provider.post(url, {"day": world.today.isoformat(), "change": ""}).status_code == 400
    response = provider.post(url, {"day": world.today.isoformat(), "change": "Added picture cues"})
    assert response.status_code == 303
    assert PhaseChange.objects.get().change == "Added picture cues"
    assert "Added picture cues" in provider.get(_goal_url(measurement)).content.decode()
    assert client_for(world.parent).post(url, {"change": "x"}).status_code == 403


def test_setting_how_a_goal_is_measured_starts_from_its_words_and_notices_a_stale_form(world):
    goal = plan_goal(world)
    url = reverse("progress:measure", args=[world.child.pk, goal.lineage_id])
    manager = client_for(world.case_manager)
    form_page = manager.get(url)
    assert form_page.status_code == 200
    fields = {
        "kind": "rate",
        "unit": "wcpm",
        "direction": "increase",
        "baseline_value": "40",
        "baseline_date": began(world).isoformat(),
        "target_value": "90",
        "target_date": (world.today + timedelta(days=100)).isoformat(),
        "mastery_value": "90",
        "mastery_sessions": "3",
    }
    assert manager.post(url, fields).status_code == 303
    stale = {**fields, "unit": "words", "revision": "1"}
    current = manager.get(url).content.decode()
    found = re.search(r'name="revision" value="(\d+)"', current)
    assert found is not None
    revision = found.group(1)
    assert manager.post(url, {**fields, "unit": "wpm", "revision": revision}).status_code == 303
    conflict = manager.post(url, stale)
    assert conflict.status_code == 409
    assert "Someone else saved" in conflict.content.decode()
    assert client_for(world.parent).get(url).status_code == 403


def test_four_low_scores_open_one_alert_that_the_family_hears_of(
    world, django_capture_on_commit_callbacks
):
    from samepage.notifications.models import Notice

    measurement = _measured(world)
    with django_capture_on_commit_callbacks(execute=True):
        for days_ago in (30, 25, 20, 15, 10, 5, 1):
            record(
                world.provider, measurement, day=world.today - timedelta(days=days_ago), value="40"
            )
    alert = ProgressAlert.objects.get(rule="four_point")
    assert alert.advice == "change_instruction" and alert.below
    notices = Notice.objects.filter(kind="progress.alert_change")
    assert notices.filter(recipient=world.parent).count() == 1
    assert not notices.filter(recipient=world.provider).exists()  # who entered the data
    page = client_for(world.parent).get(_goal_url(measurement)).content.decode()
    assert "The last 4 scores were below the line to the goal." in page
