"""Signature requested (to those who sign, when a plan is made final) and consent
expiring (to the family and the grantee, N days before, once per end date)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from samepage import factories as f
from samepage.notifications.emails import send_notice_email_now
from samepage.notifications.models import Notice
from samepage.notifications.reminders import notify_expiring_consents
from samepage.notifications.tests.helpers import grant_consent, recipients_of
from samepage.plans.actions import lifecycle
from samepage.plans.permissions import plan_access
from samepage.teams import actions as team_actions
from samepage.teams.models import ConsentGrant, Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_version(world, django_capture_on_commit_callbacks):
    plan = f.make_plan(world.child, actor=world.case_manager)
    version = f.fill_plan(plan)
    lifecycle.do_share_draft(version, actor=world.case_manager)
    lifecycle.do_record_meeting(version, actor=world.case_manager, meeting_date=world.today)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.check_finalize(version, actor=world.case_manager)
    return version


def test_finalizing_asks_the_signer_for_their_signature_in_their_language(
    world, final_version, mailoutbox
):
    assert recipients_of("plan.signature_requested") == {"Alice Lane"}
    notice = Notice.objects.get(kind="plan.signature_requested")
    assert str(notice.title) == "Your signature is requested on Casey's plan"
    assert notice.link == f"/plans/{final_version.plan_id}/"
    assert [m.subject for m in mailoutbox if world.parent.email in m.to] == [
        "Your signature is requested on Casey's plan"
    ]


def test_one_who_signed_meanwhile_is_not_asked_by_email(world, final_version, mailoutbox):
    notice = Notice.objects.get(kind="plan.signature_requested")
    Notice.objects.filter(pk=notice.pk).update(emailed_at=None)
    lifecycle.do_sign(
        final_version,
        actor=world.parent,
        access=plan_access(world.parent, final_version.plan),
        decision="agree",
        typed_name="Alice Lane",
        consent_to_initial_services=True,
    )
    assert send_notice_email_now(notice.pk) is False


def _expiring(world, days: int) -> ConsentGrant:
    grant = grant_consent(world, world.advocate, [Scope.PLANS])
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_on=world.today + timedelta(days=days))
    grant.refresh_from_db()
    return grant


def test_a_consent_ending_soon_is_told_to_the_family_and_the_grantee_once(world, settings):
    settings.SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS = 14
    grant = _expiring(world, 10)
    assert notify_expiring_consents() == 1
    assert recipients_of("consent.expiring") == {"Alice Lane", "Ada Advocate"}
    notice = Notice.objects.get(kind="consent.expiring", recipient=world.advocate)
    expires = grant.expires_on.isoformat()
    day = date_format(grant.expires_on, "DATE_FORMAT")
    assert str(notice.title) == f"Sharing Casey's record with Ada Advocate ends on {day}"
    assert expires not in str(notice.title)
    with translation.override("es"):
        # The day in the reader's own words, read when the title is shown.
        assert date_format(grant.expires_on, "DATE_FORMAT") in str(notice.title)
        assert " de " in date_format(grant.expires_on, "DATE_FORMAT")
    assert notice.key.endswith(f":{expires}")
    assert notice.actor is None
    # Run again (or twice a day): nobody is told twice.
    call_command("notify_expiring_consents")
    assert Notice.objects.filter(kind="consent.expiring").count() == 2


def test_an_extended_consent_is_told_of_its_new_end(world, settings):
    settings.SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS = 14
    grant = _expiring(world, 3)
    notify_expiring_consents()
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_on=world.today + timedelta(days=12))
    notify_expiring_consents()
    assert Notice.objects.filter(kind="consent.expiring", recipient=world.parent).count() == 2


def test_a_consent_far_from_its_end_or_revoked_is_not_told(world, settings):
    settings.SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS = 14
    _expiring(world, 20)
    assert notify_expiring_consents() == 0
    grant = ConsentGrant.objects.get()
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_on=world.today + timedelta(days=5))
    team_actions.do_revoke_consent(ConsentGrant.objects.get(pk=grant.pk), actor=world.parent)
    assert notify_expiring_consents() == 0
    assert not Notice.objects.filter(kind="consent.expiring").exists()


def test_a_revoked_consents_expiry_email_is_not_sent(world, settings, mailoutbox):
    settings.SAMEPAGE_CONSENT_EXPIRY_NOTICE_DAYS = 14
    grant = _expiring(world, 5)
    notice_count = Notice.objects.count()
    mailoutbox.clear()
    notify_expiring_consents()
    assert Notice.objects.count() == notice_count + 2
    notice = Notice.objects.get(kind="consent.expiring", recipient=world.parent)
    Notice.objects.filter(pk=notice.pk).update(emailed_at=None)
    team_actions.do_revoke_consent(grant, actor=world.parent)
    assert send_notice_email_now(notice.pk) is False
