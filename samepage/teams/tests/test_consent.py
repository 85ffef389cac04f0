"""Families' consent for outside people: signed, scoped, expiring, revocable."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.accounts.models import User
from samepage.core.dates import zone_of
from samepage.core.models import AuditEvent
from samepage.teams import actions
from samepage.teams.models import ConsentGrant
from samepage.teams.permissions import Part, student_access, visible_students

# Date rules are tested either side of midnight (conftest.straddle_midnight).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("straddle_midnight")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(today, **overrides):
    data = {
        "grantee_email": "ada.advocate@example.org",
        "scopes": ["profile", "plans"],
        "purpose": "Help at the annual meeting",
        "starts_on": today.isoformat(),
        "expires_on": (today + timedelta(days=90)).isoformat(),
        "signature_name": "Alice Lane",
        "consent_confirmed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _grant(world, **overrides) -> ConsentGrant:
    today = world.today
    values = {
        "grantee_email": world.advocate.email,
        "scopes": ["profile", "plans"],
        "purpose": "Help at the annual meeting",
        "starts_on": today,
        "expires_on": today + timedelta(days=90),
        "signature_name": "Alice Lane",
        "consent_confirmed": True,
    }
    values.update(overrides)
    return actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        **values,
    )


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_guardian_grants_an_advocate_scoped_access(world):
    client = _client(world.parent)
    response = client.post(
        f"/students/{world.child.pk}/consent/grant/",
        _form(world.today, grantee_email=world.advocate.email),
        HTTP_USER_AGENT="Firefox test",
    )
    assert response.status_code == 302
    grant = ConsentGrant.objects.get()
    assert grant.grantee == world.advocate
    assert grant.signature_name == "Alice Lane"
    assert grant.signature_user_agent == "Firefox test"
    assert grant.signature_ip == "127.0.0.1"
    access = student_access(_fresh(world.advocate), world.child)
    assert access is not None
    assert access.can_view(Part.PLANS)
    assert not access.can_view(Part.PROGRESS)
    assert access.purpose == "Help at the annual meeting"
    assert AuditEvent.objects.filter(action="consent.granted").count() == 1


def test_advocate_gets_403_for_parts_outside_the_grant(world):
    _grant(world, scopes=["profile"])
    client = _client(world.advocate)
    assert client.get(f"/students/{world.child.pk}/").status_code == 200
    assert client.get(f"/students/{world.child.pk}/team/").status_code == 403


def test_granting_to_a_new_email_creates_an_invited_account(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _grant(world, grantee_email="new.person@example.org")
    person = User.objects.get(email="new.person@example.org")
    assert not person.has_usable_password()
    assert person.invitations.count() == 1
    assert any("new.person@example.org" in m.to for m in mailoutbox)


def test_expired_grant_gives_no_access(world):
    start = world.today - timedelta(days=100)
    _grant(world, starts_on=start, expires_on=start + timedelta(days=30), today=start)
    assert student_access(_fresh(world.advocate), world.child) is None
    assert _client(world.advocate).get(f"/students/{world.child.pk}/").status_code == 404


def test_revocation_takes_effect_on_the_advocates_very_next_request(world):
    grant = _grant(world)
    advocate = _client(world.advocate)
    assert advocate.get(f"/students/{world.child.pk}/").status_code == 200
    response = _client(world.parent).post(f"/students/{world.child.pk}/consent/{grant.pk}/revoke/")
    assert response.status_code == 302
    assert advocate.get(f"/students/{world.child.pk}/").status_code == 404
    assert "Casey" not in advocate.get("/students/").content.decode()


def test_revoking_twice_is_a_clear_error_and_changes_nothing(world):
    grant = _grant(world)
    client = _client(world.parent)
    client.post(f"/students/{world.child.pk}/consent/{grant.pk}/revoke/")
    grant.refresh_from_db()
    revoked_at = grant.revoked_at
    before = AuditEvent.objects.count()
    response = client.post(f"/students/{world.child.pk}/consent/{grant.pk}/revoke/")
    assert response.status_code == 400
    assert "already revoked" in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at == revoked_at
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"expires_on": ""}, "expires_on", "needs an end date"),
        ({"expires_on": "2099-01-01"}, "expires_on", "at most one year"),
        ({"scopes": []}, "scopes", "at least one part"),
        ({"purpose": "  "}, "purpose", "why you are sharing"),
        ({"signature_name": ""}, "signature_name", "full name to sign"),
        ({"consent_confirmed": None}, "consent_confirmed", "Tick the box"),
        ({"starts_on": "2000-01-01"}, "starts_on", "cannot start in the past"),
        ({"scopes": ["secrets"]}, "scopes", "Select a valid choice"),
    ],
)
def test_bad_consent_input_is_a_clear_error_and_nothing_changes(world, overrides, field, message):
    before = (ConsentGrant.objects.count(), AuditEvent.objects.count())
    response = _client(world.parent).post(
        f"/students/{world.child.pk}/consent/grant/", _form(world.today, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert (ConsentGrant.objects.count(), AuditEvent.objects.count()) == before


def test_consent_to_ones_own_account_is_refused(world):
    response = _client(world.parent).post(
        f"/students/{world.child.pk}/consent/grant/",
        _form(world.today, grantee_email=world.parent.email),
    )
    assert response.status_code == 400
    assert "your own account" in response.content.decode()
    assert not ConsentGrant.objects.exists()


def test_expiry_one_year_out_is_allowed_but_not_a_day_more(world):
    today = date(2027, 3, 1)
    _grant(world, starts_on=today, expires_on=date(2028, 3, 1), today=today)
    with pytest.raises(ValidationError, match="at most one year"):
        _grant(world, starts_on=today, expires_on=date(2028, 3, 2), today=today)


@pytest.mark.parametrize("who", ["case_manager", "district_admin", "gen_ed_teacher"])
def test_staff_see_consents_but_cannot_create_them_for_a_family(world, who):
    client = _client(getattr(world, who))
    page = client.get(f"/students/{world.child.pk}/consent/")
    if who == "gen_ed_teacher":
        assert page.status_code == 403
    else:
        assert page.status_code == 200
        assert "Give consent" not in page.content.decode()
    response = client.post(f"/students/{world.child.pk}/consent/grant/", _form(world.today))
    assert response.status_code == 403
    assert not ConsentGrant.objects.exists()


def test_guardian_without_educational_rights_cannot_grant(world):
    no_rights = f.make_user("Nora Lane")
    f.make_guardian(world.child, no_rights, holds_educational_rights=False)
    client = _client(no_rights)
    assert client.get(f"/students/{world.child.pk}/consent/").status_code == 200
    response = client.post(f"/students/{world.child.pk}/consent/grant/", _form(world.today))
    assert response.status_code == 403
    assert not ConsentGrant.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.check_grant_consent(
            actor=no_rights,
            student=world.child,
            access=student_access(no_rights, world.child),
            **{
                "grantee_email": world.advocate.email,
                "scopes": ["plans"],
                "purpose": "x",
                "starts_on": world.today,
                "expires_on": world.today,
                "signature_name": "Nora",
                "consent_confirmed": True,
            },
        )


def test_grant_of_another_student_is_not_found(world):
    grant = actions.check_grant_consent(
        actor=world.other_parent,
        student=world.other_child,
        access=student_access(world.other_parent, world.other_child),
        grantee_email=world.advocate.email,
        scopes=["plans"],
        purpose="x",
        starts_on=world.today,
        expires_on=world.today,
        signature_name="Bob Moss",
        consent_confirmed=True,
    )
    response = _client(world.parent).post(f"/students/{world.child.pk}/consent/{grant.pk}/revoke/")
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_rights_transfer_to_the_student_at_the_age_of_majority(world):
    child = world.child
    child.date_of_birth = world.today.replace(year=world.today.year - 19)
    child.save(update_fields=["date_of_birth"])
    student_view = student_access(_fresh(world.student_user), child)
    parent_view = student_access(_fresh(world.parent), child)
    assert student_view is not None and student_view.can_grant_consent
    assert student_view.can_view(Part.ACCESS_LOG)
    assert parent_view is not None and not parent_view.can_grant_consent


def test_advocate_sees_the_families_who_granted_access(world):
    _grant(world)
    body = _client(world.advocate).get("/students/shared-with-me/").content.decode()
    assert "Casey Lane" in body
    assert "Profile, Plans" in body
    assert "Active" in body


def test_staff_only_notes_never_reach_family_even_with_staff_capabilities(world):
    access = student_access(world.parent, world.child)
    assert access is not None
    assert not access.can_see_staff_notes
    provider_view = student_access(world.provider, world.child)
    assert provider_view is not None
    assert provider_view.can_see_staff_notes


def test_invalid_grantee_email_is_reported_with_the_other_errors(world):
    with pytest.raises(ValidationError) as error:
        _grant(world, grantee_email="not-an-email", purpose="")
    assert set(error.value.message_dict) == {"grantee_email", "purpose"}
    assert not User.objects.filter(email="not-an-email").exists()


def test_refusing_staff_as_grantee_does_not_reveal_their_name(world):
    with pytest.raises(ValidationError) as error:
        _grant(world, grantee_email=world.outside_provider.email)
    message = " ".join(error.value.message_dict["grantee_email"])
    assert "works for the school district" in message
    assert "Omar" not in message


# Pinned: the same however many consents there are (7 here). The consent page reads the
# parent's own consents too, as one of the reaches of the access definition; one more
# is the record nav's unread-messages badge (teams/tabs.py).
QUERIES_CONSENT_PAGE = 11
QUERIES_SHARED_WITH_ME = 6


def test_consent_and_shared_with_me_pages_have_pinned_query_counts(
    world, django_assert_max_num_queries
):
    for n in range(6):
        other = f.make_user(f"Advocate {n}", is_advocate=True)
        _grant(world, grantee_email=other.email)
    _grant(world)
    parent = _client(world.parent)
    with django_assert_max_num_queries(QUERIES_CONSENT_PAGE):
        response = parent.get(f"/students/{world.child.pk}/consent/")
    assert response.content.decode().count('<th scope="row">') == 7
    advocate_client = _client(world.advocate)
    with django_assert_max_num_queries(QUERIES_SHARED_WITH_ME):
        response = advocate_client.get("/students/shared-with-me/")
    assert "Casey Lane" in response.content.decode()


def test_a_consent_expiring_today_runs_through_the_districts_whole_day(world, straddle_midnight):
    # At 00:30 UTC it is still yesterday evening in the district, at 23:30 there it is
    # already tomorrow in UTC: "today" is the district's at both.
    # The clock was pinned before the named people were made.
    assert abs(world.child.created_at - straddle_midnight) < timedelta(minutes=5)
    utc_day = timezone.localdate(timezone.now(), UTC)
    assert world.today != utc_day, "the instants straddle midnight only outside UTC"
    assert world.today == timezone.localdate(straddle_midnight, zone_of(world.child.district))
    grant = _grant(world, starts_on=world.today, expires_on=world.today)
    advocate = _fresh(world.advocate)
    assert grant.status() == "active"
    assert ConsentGrant.objects.active().filter(pk=grant.pk).exists()
    assert student_access(advocate, world.child) is not None
    assert visible_students(advocate).filter(pk=world.child.pk).exists()
    assert _client(world.advocate).get(f"/students/{world.child.pk}/").status_code == 200
    next_midnight = datetime.combine(
        world.today + timedelta(days=1), time(0, 0, 1), tzinfo=zone_of(world.child.district)
    )
    with time_machine.travel(next_midnight, tick=False):
        grant = ConsentGrant.objects.select_related("student__district").get(pk=grant.pk)
        assert grant.status() == "expired"
        assert not ConsentGrant.objects.active().filter(pk=grant.pk).exists()
        assert student_access(_fresh(world.advocate), world.child) is None
        assert not visible_students(_fresh(world.advocate)).filter(pk=world.child.pk).exists()
