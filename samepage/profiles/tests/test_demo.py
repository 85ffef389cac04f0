"""The demo profiles are written through the real actions, with the right people."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samepage.home import demo
from samepage.profiles.models import (
    Attribution,
    CorrectionRequest,
    ProfileEntry,
    StudentVoiceEntry,
    VoiceSource,
)

pytestmark = pytest.mark.django_db


def test_seed_profiles():
    today = timezone.localdate()
    demo.seed(today)
    # The demo district seeds its profiles itself (schools/demo.py → seed_profiles).
    jamie = ProfileEntry.objects.filter(student__legal_first_name="Jamie")
    assert jamie.filter(attribution=Attribution.GUARDIAN).count() >= 12
    # Jamie's staff observations: Maria Lee's, which the family asked to correct, and
    # the calming strategy his teacher added from the problem-solving log (problems/demo).
    observations = jamie.filter(attribution=Attribution.STAFF_OBSERVATION)
    assert observations.count() == 2
    observation = observations.get(correction_requests__isnull=False)
    assert observation.author.email.startswith("maria.lee@")
    assert CorrectionRequest.objects.filter(entry=observation).count() == 1
    sofia = ProfileEntry.objects.filter(student__legal_first_name="Sofía")
    assert sofia.exists()
    assert all(e.author.email.startswith("rosa.hernandez@") for e in sofia)
    assert "es muy cariñosa" in sofia.get(section="strengths").text
    maya = StudentVoiceEntry.objects.filter(student__legal_first_name="Maya")
    assert {v.source for v in maya} == {VoiceSource.WRITTEN_BY_STUDENT}
    daniel = StudentVoiceEntry.objects.filter(student__legal_first_name="Daniel")
    assert {v.source for v in daniel} == {VoiceSource.RECORDED_BY_STAFF}
