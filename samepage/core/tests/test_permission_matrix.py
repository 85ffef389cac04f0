"""Every route × every kind of person → the exact answer (200 / 302 / 400 / 403 / 404).

A row is one route and one HTTP method. Routes and the methods each view accepts are
read from the views themselves (see ``matrix_checks``), so a new route, or a method a
view starts to accept, without a row here fails ``test_every_route_has_a_row``. Writes
send input that the permission layer must judge first: allowed people get past it (and,
where the input is deliberately bad, a 400), everyone else gets 401, 403 or 404.

Refused writes change nothing: around every non-GET request the test reads every row of
every table, and for each answer of 400 or above, each request by someone not signed in,
and each request of a row marked ``writes=False``, no row may be added, removed or
changed, audit rows included. Only the tables and columns named in
``matrix_checks.ALWAYS_VOLATILE`` and a row's own ``volatile`` may differ, each with why,
and a 400 may log that it showed the record again (``_may_log_a_read``).

Columns (named people):
  par  the child's guardian (holds rights)        oth  another child's guardian
  rst  the child's court-restricted guardian      cm   the child's case manager
  prv  speech therapist on the team               opr  provider not on the team
  gen  general-education teacher on the team      osl  leader of another school
  adm  district administrator                     aac  advocate, active consent
  aex  advocate, expired consent                  arv  advocate, revoked consent
  stu  the student's own account                  ano  not signed in
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samepage import factories as f
from samepage.accounts import actions as account_actions
from samepage.accounts.invitation_links import invitation_token
from samepage.accounts.models import User
from samepage.api.tests.test_route_inventory import openapi_operations
from samepage.concerns.actions import check_add_concern
from samepage.concerns.permissions import concern_access_for
from samepage.conversations.tests.helpers import matrix_params as conversation_matrix_params
from samepage.core.models import AccessEvent
from samepage.core.tests.matrix_checks import (
    ANY_METHOD_READ_ONLY,
    METHODS,
    Snapshot,
    changes,
    route_methods,
    snapshot,
)
from samepage.minutes.tests.helpers import matrix_params as minutes_matrix_params
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.tests.helpers import make_notice
from samepage.notifications.tests.helpers import matrix_params as notification_matrix_params
from samepage.plans.actions import lifecycle
from samepage.plans.models import Accommodation, Goal, Service
from samepage.problems.tests.helpers import matrix_params as problem_matrix_params
from samepage.profiles.tests.helpers import matrix_params as profile_matrix_params
from samepage.progress.tests.helpers import matrix_params as progress_matrix_params
from samepage.reports.tests.helpers import matrix_params as report_matrix_params
from samepage.teams import actions as team_actions
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import student_access
from samepage.updates.tests.helpers import matrix_params as update_matrix_params

COLUMNS = "par oth rst cm prv opr gen osl adm aac aex arv stu ano".split()  # noqa: SIM905


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # exactly as the URL resolver spells it
    codes: str  # one code per column, in COLUMNS order
    data: Any = None  # form dict, or a JSON-able object for the API
    # False: nobody's request may change anything, whatever it answers.
    writes: bool = True
    # Tables or "table.column"s this row may change even when it refuses, and why.
    volatile: dict[str, str] | None = None

    def expected(self) -> dict[str, int]:
        values = self.codes.split()
        assert len(values) == len(COLUMNS), f"{self.method} {self.route}: {len(values)} codes"
        return {column: int(code) for column, code in zip(COLUMNS, values, strict=True)}


far_future = "2100-01-01"
STUDENT = "students/<int:student_id>/"
PLAN = "plans/<int:plan_id>/"
DRAFT = PLAN + "draft/"
PROFILE = STUDENT + "profile/"
PENTRY = PROFILE + "entries/<int:entry_id>/"
VOICE = STUDENT + "voice/"
EDIT_GET = "403 404 404 200 403 404 403 404 200 403 404 404 403 302"
EDIT_POST = "403 404 404 400 403 404 403 404 400 403 404 404 403 302"
BAD_REVISION = {"revision": "not a number"}
# The district's settings pages: its administrator only (a bad form: 400).
DISTRICT_ADMIN_ONLY = "403 403 403 403 403 403 403 403 200 403 403 403 403 302"
DISTRICT_ADMIN_BAD_POST = "403 403 403 403 403 403 403 403 400 403 403 403 403 302"
API = "api/v1/"
APROF = API + "students/<student_id>/profile"
SITS = STUDENT + "situations/"
SIT = SITS + "<int:situation_id>/"
STRY = SIT + "tries/<int:try_id>/"
ASITS = API + "students/<student_id>/situations"
ASIT = ASITS + "/<situation_id>"
# Team conversations.
CONV = STUDENT + "conversations/"
THREAD = CONV + "<int:thread_id>/"
MESSAGE = THREAD + "messages/<int:message_id>/"
ATHREADS = API + "students/<student_id>/threads"
# Progress reports.
REPORT = STUDENT + "reports/<int:report_id>/"
# Progress data.
PROG = STUDENT + "progress/"
PGOAL = PROG + "goals/<uuid:lineage>/"
PPOINT = PROG + "points/<int:point_id>/"
APROG = API + "students/<student_id>/"
AMEAS = APROG + "measurements/<measurement_id>"

# A wrong password is counted per address and person: the lockout at work, not a write.
SIGN_IN_COUNTS = {
    "axes_accessattempt": "django-axes counts failed sign-ins to lock out guessing",
}
# django-otp counts wrong codes on the device so guessing slows down.
CODE_COUNTS = {
    "otp_totp_totpdevice.throttling_failure_count": "django-otp counts wrong codes",
    "otp_totp_totpdevice.throttling_failure_timestamp": "django-otp counts wrong codes",
}

ROWS = [
    # --- pages anyone may open -------------------------------------------------------
    # codes, in column order: par oth rst cm prv opr gen osl adm aac aex arv stu ano
    Row("GET", "", "302 302 302 302 302 302 302 302 302 302 302 302 302 302"),
    # The load balancer's health check answers the same to everyone, signed in or not.
    Row("GET", "healthz", "200 200 200 200 200 200 200 200 200 200 200 200 200 200"),
    Row("GET", "home/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"),
    Row(
        "POST",
        "language/",
        "302 302 302 302 302 302 302 302 302 302 302 302 302 302",
        {"language": "en", "next": "/home/"},
    ),
    # Signed-in people are sent home instead of seeing the sign-in form again.
    Row("GET", "accounts/login/", "302 302 302 302 302 302 302 302 302 302 302 302 302 200"),
    # A wrong password (a different address per person, so no lockout) is shown the form.
    Row(
        "POST",
        "accounts/login/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        {"username": "COLUMN@nobody.example.org", "password": "wrong"},
        volatile=SIGN_IN_COUNTS,
    ),
    Row("POST", "accounts/logout/", "302 302 302 302 302 302 302 302 302 302 302 302 302 302"),
    Row("GET", "accounts/two-factor/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"),
    # A wrong code confirms no authenticator; the student never opened the set-up page,
    # so is sent to it (see the fixture) rather than given a set-up by a refused request.
    Row(
        "POST",
        "accounts/two-factor/",
        "400 400 400 400 400 400 400 400 400 400 400 400 302 302",
        {"action": "confirm", "code": "000000"},
        volatile=CODE_COUNTS,
    ),
    # Nobody here is half-way through signing in: everyone is sent to sign in again.
    Row(
        "GET",
        "accounts/two-factor/verify/",
        "302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    ),
    Row(
        "POST",
        "accounts/two-factor/verify/",
        "302 302 302 302 302 302 302 302 302 302 302 302 302 302",
        {"code": "000000"},
        writes=False,
    ),
    Row(
        "GET", "accounts/password-reset/", "200 200 200 200 200 200 200 200 200 200 200 200 200 200"
    ),
    # An unknown address is told the same as a known one, and nothing is stored either way.
    Row(
        "POST",
        "accounts/password-reset/",
        "302 302 302 302 302 302 302 302 302 302 302 302 302 302",
        {"email": "nobody@example.org"},
        writes=False,
    ),
    # Django's form views treat PUT as POST; a PUT body is not a form, so it is refused.
    Row(
        "PUT",
        "accounts/password-reset/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        writes=False,
    ),
    Row(
        "GET",
        "accounts/password-reset/sent/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    Row(
        "GET",
        "accounts/password-reset/<uidb64>/<token>/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    # A link that is not real sets no password.
    Row(
        "POST",
        "accounts/password-reset/<uidb64>/<token>/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        {"new_password1": "Brand-new-pass-123", "new_password2": "Brand-new-pass-123"},
        writes=False,
    ),
    Row(
        "PUT",
        "accounts/password-reset/<uidb64>/<token>/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
        writes=False,
    ),
    Row(
        "GET",
        "accounts/password-reset/complete/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    # An open invitation's link works for whoever holds it; passwords that differ are
    # refused and the account is not set up.
    Row(
        "GET",
        "accounts/invitations/<str:token>/",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    ),
    Row(
        "POST",
        "accounts/invitations/<str:token>/",
        "400 400 400 400 400 400 400 400 400 400 400 400 400 400",
        {
            "password1": "Brand-new-pass-123",
            "password2": "Other-new-pass-456",
            "language": "en",
            "time_zone": "America/Chicago",
        },
    ),
    Row("GET", "accounts/settings/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"),
    # Language and time zone: each person changes only their own; bad values are a 400.
    Row(
        "POST",
        "accounts/settings/",
        "400 400 400 400 400 400 400 400 400 400 400 400 400 302",
        {"language": "tlh", "time_zone": "Mars/Olympus_Mons"},
    ),
    Row(
        "POST",
        "accounts/settings/tokens/",
        "400 400 400 400 400 400 400 400 400 400 400 400 400 302",
        {"name": ""},
    ),
    # Each person changes only their own password; a wrong current one is a 400.
    Row(
        "POST",
        "accounts/settings/password/",
        "400 400 400 400 400 400 400 400 400 400 400 400 400 302",
        {"old_password": "not-it", "new_password1": "x", "new_password2": "y"},
    ),
    Row(
        "POST",
        "accounts/settings/tokens/<int:token_id>/revoke/",
        "302 404 404 404 404 404 404 404 404 404 404 404 404 302",
    ),
    # --- help for families: public, no sign-in needed --------------------------------
    Row("GET", "help/glossary/", "200 200 200 200 200 200 200 200 200 200 200 200 200 200"),
    Row("GET", "help/rights/", "200 200 200 200 200 200 200 200 200 200 200 200 200 200"),
    # --- notifications: each person's own, nobody else's ------------------------------
    Row("GET", "notifications/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"),
    Row(
        "POST",
        "notifications/read-all/",
        "302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    ),
    # The notice is the parent's: anyone else's request finds nothing (404).
    Row(
        "POST",
        "notifications/<int:notice_id>/open/",
        "302 404 404 404 404 404 404 404 404 404 404 404 404 302",
    ),
    # Each person's own email settings.
    Row(
        "GET", "notifications/settings/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"
    ),
    Row(
        "POST",
        "notifications/settings/",
        "302 302 302 302 302 302 302 302 302 302 302 302 302 302",
        {
            # Every category (apps add their own), a few of them chosen otherwise.
            **dict.fromkeys(CATEGORIES, "each"),
            "questions": "digest",
            "concerns": "none",
            "quiet_from": "22:00",
            "quiet_until": "06:30",
        },
    ),
    # District administrators: their district's failed deliveries, and "retry now".
    Row(
        "GET",
        "notifications/deliveries/",
        "404 404 404 404 404 404 404 404 200 404 404 404 404 302",
    ),
    Row(
        "POST",
        "notifications/deliveries/<int:delivery_id>/retry/",
        "404 404 404 404 404 404 404 404 302 404 404 404 404 302",
    ),
    # The API: the caller's own notices and preferences (a notice is the parent's).
    Row("GET", API + "me/notifications", "200 200 200 200 200 200 200 200 200 200 200 200 200 401"),
    Row(
        "POST",
        API + "me/notifications/read-all",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 401",
    ),
    Row(
        "POST",
        API + "me/notifications/<notice_id>/read",
        "200 404 404 404 404 404 404 404 404 404 404 404 404 401",
    ),
    Row(
        "GET",
        API + "me/notification-preferences",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 401",
    ),
    # Valid for everyone: staff's text choices are ignored, a family's need the number.
    Row(
        "PUT",
        API + "me/notification-preferences",
        "200 200 200 200 200 200 200 200 200 200 200 200 200 401",
        {
            "categories": [
                {"category": c, "email": "digest", "text": c == "plans"} for c in CATEGORIES
            ],
            "phone_number": "+15125550100",
            "quiet_from": "21:30",
            "quiet_until": "07:00",
        },
    ),
    # The signed unsubscribe link needs no sign-in; here it carries another signed value
    # (an invitation's token, another salt), so it is refused for everyone alike.
    Row(
        "GET",
        "notifications/unsubscribe/<str:token>/",
        "400 400 400 400 400 400 400 400 400 400 400 400 400 400",
    ),
    Row(
        "POST",
        "notifications/unsubscribe/<str:token>/",
        "400 400 400 400 400 400 400 400 400 400 400 400 400 400",
        {"List-Unsubscribe": "One-Click"},
    ),
    # --- people and invitations (staff only) ----------------------------------------
    Row("GET", "accounts/people/", "404 404 404 200 200 200 200 200 200 404 404 404 404 302"),
    Row(
        "POST",
        "accounts/people/<int:person_id>/invite/",
        "404 404 404 302 302 404 302 404 302 404 404 404 404 302",
    ),
    Row(
        "POST",
        "accounts/invitations/<int:invitation_id>/resend/",
        "404 404 404 302 302 404 302 404 302 404 404 404 404 302",
    ),
    Row(
        "POST",
        "accounts/invitations/<int:invitation_id>/revoke/",
        "404 404 404 302 302 404 302 404 302 404 404 404 404 302",
    ),
    # --- students --------------------------------------------------------------------
    Row("GET", "students/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"),
    Row(
        "GET", "students/shared-with-me/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"
    ),
    Row("GET", STUDENT, "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row("GET", STUDENT + "team/", "200 404 404 200 200 404 200 404 200 403 404 404 200 302"),
    Row(
        "POST",
        STUDENT + "team/add/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"user": "", "team_role": ""},
    ),
    Row(
        "POST",
        STUDENT + "team/<int:membership_id>/end/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"end_date": "not a date"},
    ),
    Row(
        "POST",
        STUDENT + "team/<int:membership_id>/capabilities/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"mMEMBER-capabilities": ["launch_rockets"]},
    ),
    Row("GET", STUDENT + "consent/", "200 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        STUDENT + "consent/grant/",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 302",
        {"grantee_email": ""},
    ),
    Row(
        "POST",
        STUDENT + "consent/<int:grant_id>/revoke/",
        "302 404 404 403 403 404 403 404 403 403 404 404 403 302",
    ),
    Row("GET", STUDENT + "access-log/", "200 404 404 403 403 404 403 404 200 403 404 404 403 302"),
    # --- the child's profile ("about me") and student voice ------------------------
    Row("GET", PROFILE, "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row("GET", PROFILE + "add/", "200 404 404 200 200 404 200 404 200 403 404 404 200 302"),
    Row(
        "POST",
        PROFILE + "add/",
        "400 404 404 400 400 404 400 404 400 403 404 404 400 302",
        {"section": "", "text": ""},
    ),
    # Only the author (here the case manager) edits or archives an entry.
    Row("GET", PENTRY + "edit/", "403 404 404 200 403 404 403 404 403 403 404 404 403 302"),
    Row(
        "POST",
        PENTRY + "edit/",
        "403 404 404 400 403 404 403 404 403 403 404 404 403 302",
        BAD_REVISION,
    ),
    Row("GET", PENTRY + "archive/", "403 404 404 200 403 404 403 404 403 403 404 404 403 302"),
    Row(
        "POST",
        PENTRY + "archive/",
        "403 404 404 400 403 404 403 404 403 403 404 404 403 302",
        BAD_REVISION,
    ),
    Row("GET", PENTRY + "history/", "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    # The family asks for a staff observation to be corrected; staff who may view the
    # record answer.
    Row("GET", PENTRY + "correction/", "200 404 404 403 403 404 403 404 403 403 404 404 200 302"),
    Row(
        "POST",
        PENTRY + "correction/",
        "400 404 404 403 403 404 403 404 403 403 404 404 400 302",
        {"text": ""},
    ),
    Row(
        "GET",
        PROFILE + "corrections/<int:request_id>/answer/",
        "403 404 404 200 200 404 403 404 200 403 404 404 403 302",
    ),
    Row(
        "POST",
        PROFILE + "corrections/<int:request_id>/answer/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"decision": ""},
    ),
    Row("GET", PROFILE + "one-page/", "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row(
        "GET", PROFILE + "one-page/pdf/", "200 404 404 200 200 404 200 404 200 200 404 404 200 302"
    ),
    Row("GET", VOICE, "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row("GET", VOICE + "add/", "403 404 404 200 200 404 200 404 200 403 404 404 200 302"),
    Row(
        "POST",
        VOICE + "add/",
        "403 404 404 400 400 404 400 404 400 403 404 404 400 302",
        {"prompt": "", "text": ""},
    ),
    Row(
        "GET",
        VOICE + "<int:voice_id>/edit/",
        "403 404 404 403 403 404 403 404 403 403 404 404 200 302",
    ),
    Row(
        "POST",
        VOICE + "<int:voice_id>/edit/",
        "403 404 404 403 403 404 403 404 403 403 404 404 400 302",
        BAD_REVISION,
    ),
    Row(
        "GET",
        VOICE + "<int:voice_id>/history/",
        "200 404 404 200 200 404 200 404 200 200 404 404 200 302",
    ),
    # --- parent concerns traced into the plan -----------------------------------------
    Row("GET", STUDENT + "concerns/", "200 404 404 200 200 404 403 404 200 200 404 404 200 302"),
    # Families and an advocate with the plans scope add concerns; staff record one heard
    # by phone; only staff who edit plans link, decline or defer.
    Row(
        "POST",
        STUDENT + "concerns/add/",
        "400 404 404 403 403 404 403 404 403 400 404 404 403 302",
        {"add-category": "reading", "add-importance": "high", "add-text": ""},
    ),
    Row(
        "POST",
        STUDENT + "concerns/heard/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"heard-heard_from": "", "heard-text": ""},
    ),
    Row(
        "GET",
        STUDENT + "concerns/trace/",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 302",
    ),
    Row(
        "GET",
        STUDENT + "concerns/<int:concern_id>/",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 302",
    ),
    Row(
        "POST",
        STUDENT + "concerns/<int:concern_id>/link/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"link-target": "nowhere"},
    ),
    Row(
        "POST",
        STUDENT + "concerns/<int:concern_id>/decline/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"decline-reason": ""},
    ),
    Row(
        "POST",
        STUDENT + "concerns/<int:concern_id>/defer/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"defer-until": "2000-01-01"},
    ),
    # --- plans -----------------------------------------------------------------------
    Row("GET", "plans/", "200 200 200 200 200 200 200 200 200 200 200 200 200 302"),
    Row(
        "POST",
        "plans/new/<int:student_id>/",
        "403 404 404 302 403 404 403 404 302 403 404 404 403 302",
    ),
    Row("GET", PLAN, "200 404 404 200 200 404 403 404 200 200 404 404 200 302"),
    Row(
        "GET",
        PLAN + "versions/<int:number>/",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 302",
    ),
    Row("POST", PLAN + "share/", "403 404 404 302 403 404 403 404 302 403 404 404 403 302"),
    Row(
        "GET",
        PLAN + "shared/<int:shared_number>/",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 302",
    ),
    Row(
        "POST",
        PLAN + "shared/<int:shared_number>/ask/",
        "400 404 404 400 400 404 403 404 400 400 404 404 400 302",
        {"anchor": "plan"},
    ),
    Row(
        "POST",
        PLAN + "questions/<int:question_id>/reply/",
        "400 404 404 400 400 404 403 404 400 400 404 404 400 302",
        {"text": ""},
    ),
    # The asker (the parent) resolves it; staff who answer are then told it is already
    # resolved; other readers may not close someone else's question.
    Row(
        "POST",
        PLAN + "questions/<int:question_id>/resolve/",
        "303 404 404 400 400 404 403 404 400 403 404 404 403 302",
    ),
    Row(
        "POST",
        PLAN + "meeting/",
        "403 404 404 302 403 404 403 404 302 403 404 404 403 302",
        {"meeting_date": "not a date"},
    ),
    Row("GET", PLAN + "finalize/", "403 404 404 200 403 404 403 404 200 403 404 404 403 302"),
    Row("POST", PLAN + "finalize/", "403 404 404 400 403 404 403 404 400 403 404 404 403 302"),
    Row(
        "GET",
        PLAN + "versions/<int:number>/sign/",
        "200 404 404 403 403 404 403 404 403 403 404 404 403 302",
    ),
    Row(
        "POST",
        PLAN + "versions/<int:number>/sign/",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 302",
        {"decision": "agree", "typed_name": "Alice Lane"},
    ),
    Row("GET", PLAN + "amend/", "403 404 404 200 403 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        PLAN + "amend/",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 302",
        {"reason": "More time", "parts": ["services"], "effective_date": "TODAY"},
    ),
    Row(
        "POST",
        PLAN + "end/",
        "403 404 404 302 403 404 403 404 302 403 404 404 403 302",
        {"reason": "Moved away"},
    ),
    # --- plan documents: compare, PDF, plan at a glance, acknowledgements ----------
    Row("GET", PLAN + "compare/", "200 404 404 200 200 404 403 404 200 200 404 404 200 302"),
    Row(
        "GET", PLAN + "since-last-year/", "200 404 404 200 200 404 403 404 200 200 404 404 200 302"
    ),
    Row(
        "GET",
        PLAN + "versions/<int:number>/pdf/",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 302",
    ),
    # The general-education teacher works from the plan at a glance, not the full plan.
    Row("GET", PLAN + "glance/", "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row("GET", PLAN + "glance/pdf/", "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row(
        "POST",
        PLAN + "glance/acknowledge/",
        "403 404 404 403 403 404 303 404 403 403 404 404 403 302",
        {"version": "1"},
    ),
    Row(
        "GET", PLAN + "acknowledgements/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"
    ),
    # --- editing a plan's draft: only staff who may edit; bad input is a 400 --------
    Row("GET", DRAFT + "", EDIT_GET),
    Row("GET", DRAFT + "dates/", EDIT_GET),
    Row("POST", DRAFT + "dates/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "sections/<slug:key>/", EDIT_GET),
    Row("POST", DRAFT + "sections/<slug:key>/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "goals/new/", EDIT_GET),
    Row("POST", DRAFT + "goals/new/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "goals/<int:goal_id>/", EDIT_GET),
    Row("POST", DRAFT + "goals/<int:goal_id>/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "goals/<int:goal_id>/remove/", EDIT_GET),
    Row("POST", DRAFT + "goals/<int:goal_id>/remove/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "services/new/", EDIT_GET),
    Row("POST", DRAFT + "services/new/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "services/<int:service_id>/", EDIT_GET),
    Row("POST", DRAFT + "services/<int:service_id>/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "services/<int:service_id>/remove/", EDIT_GET),
    Row("POST", DRAFT + "services/<int:service_id>/remove/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "accommodations/new/", EDIT_GET),
    Row("POST", DRAFT + "accommodations/new/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "accommodations/<int:accommodation_id>/", EDIT_GET),
    Row("POST", DRAFT + "accommodations/<int:accommodation_id>/", EDIT_POST, BAD_REVISION),
    Row("GET", DRAFT + "accommodations/<int:accommodation_id>/remove/", EDIT_GET),
    Row("POST", DRAFT + "accommodations/<int:accommodation_id>/remove/", EDIT_POST, BAD_REVISION),
    # --- JSON API --------------------------------------------------------------------
    # The API's description is public: it says what exists, never whose data.
    Row("GET", API + "openapi.json", "200 200 200 200 200 200 200 200 200 200 200 200 200 200"),
    Row("GET", API + "docs", "200 200 200 200 200 200 200 200 200 200 200 200 200 200"),
    Row("GET", API + "me", "200 200 200 200 200 200 200 200 200 200 200 200 200 401"),
    Row("GET", API + "me/grants", "200 200 200 200 200 200 200 200 200 200 200 200 200 401"),
    Row("GET", API + "students", "200 200 200 200 200 200 200 200 200 200 200 200 200 401"),
    Row(
        "GET",
        API + "students/<student_id>",
        "200 404 404 200 200 404 200 404 200 200 404 404 200 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/team",
        "200 404 404 200 200 404 200 404 200 403 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/team",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"user_id": "OUTSIDER", "team_role": "provider"},
    ),
    Row(
        "POST",
        API + "students/<student_id>/team/<membership_id>/end",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"end_date": "2000-01-01"},
    ),
    Row(
        "PUT",
        API + "students/<student_id>/team/<membership_id>/capabilities",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"capabilities": ["launch_rockets"]},
    ),
    Row(
        "GET",
        API + "students/<student_id>/consents",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/consents",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 401",
        {
            "grantee_email": "someone@example.org",
            "scopes": ["plans"],
            "purpose": "x",
            "starts_on": "TODAY",
            "expires_on": far_future,
            "signature_name": "A",
            "consent_confirmed": True,
        },
    ),
    Row(
        "POST",
        API + "students/<student_id>/consents/<grant_id>/revoke",
        "200 404 404 403 403 404 403 404 403 403 404 404 403 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/access-log",
        "200 404 404 403 403 404 403 404 200 403 404 404 403 401",
    ),
    # --- JSON API: plans ------------------------------------------------------------
    Row("GET", API + "plans", "200 200 200 200 200 200 200 200 200 200 200 200 200 401"),
    Row(
        "GET",
        API + "students/<student_id>/plans",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/plans",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {},
    ),
    Row("GET", API + "plans/<plan_id>", "200 404 404 200 200 404 403 404 200 200 404 404 200 401"),
    Row(
        "GET",
        API + "plans/<plan_id>/versions/<number>",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/share",
        "403 404 404 201 403 404 403 404 201 403 404 404 403 401",
        {"message": "Please read"},
    ),
    Row(
        "GET",
        API + "plans/<plan_id>/shared",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "GET",
        API + "plans/<plan_id>/shared/<shared_number>",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/shared/<shared_number>/questions",
        "400 404 404 400 400 404 403 404 400 400 404 404 400 401",
        {"anchor": "nowhere", "text": "?"},
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/questions/<question_id>/replies",
        "400 404 404 400 400 404 403 404 400 400 404 404 400 401",
        {"text": ""},
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/questions/<question_id>/resolve",
        "200 404 404 400 400 404 403 404 400 403 404 404 403 401",
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/meeting",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"meeting_date": far_future},
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/finalize",
        "403 404 404 409 403 404 403 404 409 403 404 404 403 401",
        {"overrides": {}},
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/versions/<number>/signatures",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 401",
        {"decision": "agree", "typed_name": "A"},
    ),
    Row(
        "GET",
        API + "plans/<plan_id>/versions/<number>/signatures",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/amendments",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"reason": "x", "parts": ["services"], "effective_date": far_future},
    ),
    Row(
        "POST",
        API + "plans/<plan_id>/versions/<number>/acknowledgements",
        "403 404 404 403 403 404 201 404 403 403 404 404 403 401",
    ),
    Row(
        "GET",
        API + "plans/<plan_id>/acknowledgements",
        "403 404 404 200 200 404 403 404 200 403 404 404 403 401",
    ),
    # --- JSON API: profile and student voice -----------------------------------------
    Row("GET", APROF, "200 404 404 200 200 404 200 404 200 200 404 404 200 401"),
    Row(
        "POST",
        APROF + "/entries",
        "400 404 404 400 400 404 400 404 400 403 404 404 400 401",
        {"section": "", "text": ""},
    ),
    Row(
        "PUT",
        APROF + "/entries/<entry_id>",
        "403 404 404 400 403 404 403 404 403 403 404 404 403 401",
        {"text": "x"},
    ),
    Row(
        "POST",
        APROF + "/entries/<entry_id>/archive",
        "403 404 404 400 403 404 403 404 403 403 404 404 403 401",
        {},
    ),
    Row(
        "GET",
        APROF + "/entries/<entry_id>/history",
        "200 404 404 200 200 404 200 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        APROF + "/entries/<entry_id>/corrections",
        "400 404 404 403 403 404 403 404 403 403 404 404 400 401",
        {"text": ""},
    ),
    Row(
        "POST",
        APROF + "/corrections/<request_id>/answer",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"decision": ""},
    ),
    Row(
        "GET",
        API + "students/<student_id>/voice",
        "200 404 404 200 200 404 200 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/voice",
        "403 404 404 400 400 404 400 404 400 403 404 404 400 401",
        {"prompt": "", "text": ""},
    ),
    # --- JSON API: parent concerns ------------------------------------------------------
    Row(
        "GET",
        API + "students/<student_id>/concerns",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/concerns",
        "400 404 404 400 403 404 403 404 400 400 404 404 403 401",
        {"category": "reading", "text": ""},
    ),
    Row(
        "GET",
        API + "students/<student_id>/concerns/trace",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/concerns/<concern_id>",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/concerns/<concern_id>/link",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"plan_id": 0, "target": "goal:forged"},
    ),
    Row(
        "POST",
        API + "students/<student_id>/concerns/<concern_id>/decline",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"reason": ""},
    ),
    Row(
        "POST",
        API + "students/<student_id>/concerns/<concern_id>/defer",
        "403 404 404 400 403 404 403 404 400 403 404 404 403 401",
        {"until": "2000-01-01"},
    ),
    # --- team conversations ----------------------------------------------------------
    # The parent, staff with the full record and the district administrator read the
    # child's messages; the general-education teacher (no "message the family"), the
    # minor student and an advocate whose consent leaves out messages may not (403).
    # The target thread is the team thread; its message is the parent's, with a picture.
    Row("GET", CONV, "200 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row("GET", CONV + "new/", "200 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        CONV + "new/",
        "400 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"kind": "", "body": ""},
    ),
    # The team thread exists: its short address sends readers to it.
    Row("GET", CONV + "team/", "302 404 404 302 302 404 403 404 302 403 404 404 403 302"),
    Row(
        "POST",
        CONV + "team/",
        "400 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"body": ""},
    ),
    Row("GET", THREAD, "200 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row("POST", THREAD, "400 404 404 400 400 404 403 404 400 403 404 404 403 302", {"body": ""}),
    # htmx polls it for new messages; opened as a page, it sends readers to the thread.
    Row(
        "GET",
        THREAD + "new-messages/",
        "302 404 404 302 302 404 403 404 302 403 404 404 403 302",
    ),
    # Only the author withdraws a message (it stays, shown as withdrawn).
    Row(
        "POST",
        MESSAGE + "withdraw/",
        "303 404 404 403 403 404 403 404 403 403 404 404 403 302",
    ),
    Row(
        "GET",
        MESSAGE + "attachment/",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 302",
    ),
    Row("GET", ATHREADS, "200 404 404 200 200 404 403 404 200 403 404 404 403 401"),
    Row(
        "POST",
        ATHREADS,
        "400 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"kind": "team", "body": ""},
    ),
    Row(
        "GET",
        ATHREADS + "/<thread_id>/messages",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 401",
    ),
    Row(
        "POST",
        ATHREADS + "/<thread_id>/messages",
        "400 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"body": ""},
    ),
    Row(
        "POST",
        ATHREADS + "/<thread_id>/read",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 401",
        {},
    ),
    Row(
        "POST",
        ATHREADS + "/<thread_id>/messages/<message_id>/withdraw",
        "200 404 404 403 403 404 403 404 403 403 404 404 403 401",
    ),
    # --- problem-solving log (samepage/problems): whoever sees the profile reads it,
    # raises situations and adds ideas; staff on the team agree tries; the owner (here
    # the parent) or team staff record how it went; the raiser (the parent) or team
    # staff edit, close, reopen; whoever may write in the profile adds what helped.
    Row("GET", SITS, "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row("GET", SITS + "new/", "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row(
        "POST",
        SITS + "new/",
        "400 404 404 400 400 404 400 404 400 400 404 404 400 302",
        {"summary": ""},
    ),
    Row("GET", SIT, "200 404 404 200 200 404 200 404 200 200 404 404 200 302"),
    Row("GET", SIT + "edit/", "200 404 404 200 200 404 200 404 403 403 404 404 403 302"),
    Row(
        "POST",
        SIT + "edit/",
        "400 404 404 400 400 404 400 404 403 403 404 404 403 302",
        {"summary": ""},
    ),
    Row(
        "POST",
        SIT + "close/",
        "400 404 404 400 400 404 400 404 403 403 404 404 403 302",
        {"close-status": ""},
    ),
    # The situation is open: reopening it again changes nothing and goes back to it.
    Row("POST", SIT + "reopen/", "302 404 404 302 302 404 302 404 403 403 404 404 403 302"),
    Row(
        "POST",
        SIT + "ideas/",
        "400 404 404 400 400 404 400 404 400 400 404 404 400 302",
        {"idea-text": ""},
    ),
    Row(
        "POST",
        SIT + "tries/",
        "403 404 404 400 400 404 400 404 403 403 404 404 403 302",
        {"try-what": ""},
    ),
    Row(
        "POST",
        STRY + "outcome/",
        "400 404 404 400 400 404 400 404 403 403 404 404 403 302",
        {},
    ),
    Row("GET", STRY + "to-profile/", "200 404 404 200 200 404 200 404 200 403 404 404 200 302"),
    Row(
        "POST",
        STRY + "to-profile/",
        "400 404 404 400 400 404 400 404 400 403 404 404 400 302",
        {"section": ""},
    ),
    Row("GET", ASITS, "200 404 404 200 200 404 200 404 200 200 404 404 200 401"),
    Row(
        "POST",
        ASITS,
        "400 404 404 400 400 404 400 404 400 400 404 404 400 401",
        {"summary": ""},
    ),
    Row("GET", ASIT, "200 404 404 200 200 404 200 404 200 200 404 404 200 401"),
    Row(
        "PUT",
        ASIT,
        "400 404 404 400 400 404 400 404 403 403 404 404 403 401",
        {"summary": ""},
    ),
    Row(
        "POST",
        ASIT + "/ideas",
        "400 404 404 400 400 404 400 404 400 400 404 404 400 401",
        {"text": ""},
    ),
    Row(
        "POST",
        ASIT + "/tries",
        "403 404 404 400 400 404 400 404 403 403 404 404 403 401",
        {"what": ""},
    ),
    Row(
        "POST",
        ASIT + "/tries/<try_id>/outcome",
        "400 404 404 400 400 404 400 404 403 403 404 404 403 401",
        {"result": ""},
    ),
    Row(
        "POST",
        ASIT + "/tries/<try_id>/profile",
        "400 404 404 400 400 404 400 404 400 403 404 404 400 401",
        {"section": ""},
    ),
    Row(
        "POST",
        ASIT + "/close",
        "400 404 404 400 400 404 400 404 403 403 404 404 403 401",
        {"status": ""},
    ),
    # Open already: reopening changes nothing and answers the situation.
    Row("POST", ASIT + "/reopen", "200 404 404 200 200 404 200 404 403 403 404 404 403 401"),
    # --- progress data (samepage/progress) ------------------------------------------
    # Whoever has the progress part reads the tab, a goal's chart and entries (the
    # family, the student, staff who view the record; not the plans-only advocate nor
    # the general-education teacher). Staff who enter progress record scores (the
    # teacher too: the form alone; the district administrator, as everywhere); staff who
    # also read the chart set how a goal is measured and mark phase lines;
    # guardians add home observations. A school score is voided or corrected by staff
    # who enter progress and read it (the teacher, their own only), a home observation
    # by the family.
    Row("GET", PROG, "200 404 404 200 200 404 403 404 200 403 404 404 200 302"),
    Row("GET", PGOAL, "200 404 404 200 200 404 403 404 200 403 404 404 200 302"),
    Row("GET", PGOAL + "record/", "200 404 404 200 200 404 200 404 200 403 404 404 403 302"),
    Row(
        "POST",
        PGOAL + "record/",
        "400 404 404 400 400 404 400 404 400 403 404 404 403 302",
        {"day": "", "value": "", "client_key": ""},
    ),
    Row("GET", PGOAL + "measure/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        PGOAL + "measure/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"kind": "percent", "direction": "increase", "baseline_value": "120"},
    ),
    Row("GET", PGOAL + "phase/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        PGOAL + "phase/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"day": "", "change": ""},
    ),
    Row("GET", PPOINT + "void/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        PPOINT + "void/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"reason": ""},
    ),
    Row("GET", PPOINT + "correct/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        PPOINT + "correct/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"reason": "", "value": "", "client_key": ""},
    ),
    # A group session: whoever enters progress on any team (not the district
    # administrator, who is on none); choosing no students shows the chooser again.
    Row(
        "GET", "students/progress/group/", "403 403 403 200 200 403 200 403 403 403 403 403 403 302"
    ),
    Row(
        "POST",
        "students/progress/group/",
        "403 403 403 200 200 403 200 403 403 403 403 403 403 302",
        {"day": ""},
    ),
    # The district's thresholds for the decision rules: its administrators only.
    Row(
        "GET", "students/progress/rules/", "403 403 403 403 403 403 403 403 200 403 403 403 403 302"
    ),
    Row(
        "POST",
        "students/progress/rules/",
        "403 403 403 403 403 403 403 403 400 403 403 403 403 302",
        {"four_point_run": "0"},
    ),
    # The district's reporting periods, words for the ratings, school calendar and
    # service-minutes settings: its administrator only, as the progress rules. The input
    # is bad (the last day before the first, words too long), so nothing is stored;
    # archiving a period or a day is allowed to the administrator (303) and no one else.
    Row("GET", "district/reporting-periods/", DISTRICT_ADMIN_ONLY),
    Row(
        "POST",
        "district/reporting-periods/",
        DISTRICT_ADMIN_BAD_POST,
        {"name": "Q", "starts": "2026-12-10", "ends": "2026-12-01"},
    ),
    Row("GET", "district/reporting-periods/<int:period_id>/", DISTRICT_ADMIN_ONLY),
    Row(
        "POST",
        "district/reporting-periods/<int:period_id>/",
        DISTRICT_ADMIN_BAD_POST,
        {"name": "", "starts": "2026-12-10", "ends": "2026-12-01"},
    ),
    Row(
        "POST",
        "district/reporting-periods/<int:period_id>/archive/",
        "403 403 403 403 403 403 403 403 303 403 403 403 403 302",
    ),
    Row("GET", "district/rating-labels/", DISTRICT_ADMIN_ONLY),
    Row("POST", "district/rating-labels/", DISTRICT_ADMIN_BAD_POST, {"met_en": "x" * 101}),
    Row("GET", "students/services/calendar/", DISTRICT_ADMIN_ONLY),
    Row(
        "POST",
        "students/services/calendar/",
        DISTRICT_ADMIN_BAD_POST,
        {"first": "2026-12-10", "last": "2026-12-01", "name": "Break"},
    ),
    Row(
        "POST",
        "students/services/calendar/<int:closure_id>/archive/",
        "403 403 403 403 403 403 403 403 303 403 403 403 403 302",
    ),
    Row("GET", "students/services/settings/", DISTRICT_ADMIN_ONLY),
    Row(
        "POST",
        "students/services/settings/",
        DISTRICT_ADMIN_BAD_POST,
        {"threshold_percent": "0", "alert_after_school_days": "5"},
    ),
    # The progress API: the same answers as the pages. The teacher records through the
    # API as on the glance page (the measurement's id is not secret from the team).
    Row("GET", APROG + "measurements", "200 404 404 200 200 404 403 404 200 403 404 404 200 401"),
    Row(
        "POST",
        APROG + "measurements",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {
            "goal_lineage": "LINEAGE",
            "kind": "percent",
            "direction": "increase",
            "baseline_value": "120",
        },
    ),
    Row("GET", AMEAS + "/analysis", "200 404 404 200 200 404 403 404 200 403 404 404 200 401"),
    Row("GET", AMEAS + "/points", "200 404 404 200 200 404 403 404 200 403 404 404 200 401"),
    Row(
        "POST",
        AMEAS + "/points",
        # School data: the parent's own series is "home".
        "403 404 404 400 400 404 400 404 400 403 404 404 403 401",
        {"day": far_future, "value": "50", "client_key": "00000000-0000-4000-8000-000000000001"},
    ),
    Row(
        "POST",
        AMEAS + "/phase-changes",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"day": far_future, "change": "x"},
    ),
    Row(
        "POST",
        APROG + "points/<point_id>/void",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"reason": ""},
    ),
    Row(
        "POST",
        APROG + "points/<point_id>/correct",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"reason": "", "value": "50", "client_key": "00000000-0000-4000-8000-000000000001"},
    ),
    Row("GET", APROG + "alerts", "200 404 404 200 200 404 403 404 200 403 404 404 200 401"),
    # --- quick updates, home notes and the timeline (samepage/updates) ---------------
    # Whoever reads messages reads updates and notes; the timeline is open to those with
    # messages or plans (each entry by its own part: the minor student and the plans-only
    # advocate see the plan's events). Staff who may message the family post updates;
    # the family writes home notes; only the writer withdraws.
    Row("GET", STUDENT + "timeline/", "200 404 404 200 200 404 403 404 200 200 404 404 200 302"),
    Row("GET", STUDENT + "updates/new/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"),
    Row(
        "POST",
        STUDENT + "updates/new/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"day": "", "text": ""},
    ),
    Row(
        "POST",
        STUDENT + "updates/<int:update_id>/withdraw/",
        "403 404 404 303 403 404 403 404 403 403 404 404 403 302",
    ),
    Row(
        "GET",
        STUDENT + "home-notes/new/",
        "200 404 404 403 403 404 403 404 403 403 404 404 403 302",
    ),
    Row(
        "POST",
        STUDENT + "home-notes/new/",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 302",
        {"kind": "", "text": ""},
    ),
    Row(
        "POST",
        STUDENT + "home-notes/<int:note_id>/withdraw/",
        "303 404 404 403 403 404 403 404 403 403 404 404 403 302",
    ),
    Row(
        "GET",
        STUDENT + "home-notes/<int:note_id>/file/",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 302",
    ),
    Row(
        "GET",
        API + "students/<student_id>/updates",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/updates",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"text": "", "day": ""},
    ),
    Row(
        "POST",
        API + "students/<student_id>/updates/<update_id>/withdraw",
        "403 404 404 200 403 404 403 404 403 403 404 404 403 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/home-notes",
        "200 404 404 200 200 404 403 404 200 403 404 404 403 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/home-notes",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 401",
        {"text": ""},
    ),
    Row(
        "POST",
        API + "students/<student_id>/home-notes/<note_id>/withdraw",
        "200 404 404 403 403 404 403 404 403 403 404 404 403 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/timeline",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    # --- deadlines (samepage/deadlines) ----------------------------------------------
    # Whoever reads the plans reads the child's deadlines (the family, the student, staff
    # who view the full record, an advocate whose consent covers plans; not the
    # general-education teacher, whose view leaves out the plans: 403).
    Row("GET", STUDENT + "deadlines/", "200 404 404 200 200 404 403 404 200 200 404 404 200 302"),
    Row(
        "GET",
        API + "students/<student_id>/deadlines",
        "200 404 404 200 200 404 403 404 200 200 404 404 200 401",
    ),
    # --- progress reports (samepage/reports) -----------------------------------------
    # Whoever reads progress reads issued reports (the family and the student included;
    # the general-education teacher and an advocate whose consent leaves out progress do
    # not). The report here is issued: nobody edits or issues it again (403, whoever
    # writes reports); staff who enter progress start its correction (the case manager
    # first, then the others are told one is being drafted); the family (a guardian, not
    # the minor student) acknowledges and comments. A school's generation page is for
    # its leader and case managers and the district's administrator; other staff there
    # get 403, everyone else 404.
    Row("GET", STUDENT + "reports/", "200 404 404 200 200 404 403 404 200 403 404 404 200 302"),
    Row(
        "POST",
        STUDENT + "reports/new/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"period": "0"},
    ),
    Row("GET", REPORT, "200 404 404 200 200 404 403 404 200 403 404 404 200 302"),
    Row("GET", REPORT + "pdf/", "200 404 404 200 200 404 403 404 200 403 404 404 200 302"),
    Row(
        "GET",
        REPORT + "goals/<int:goal_entry_id>/",
        "403 404 404 403 403 404 403 404 403 403 404 404 403 302",
    ),
    Row(
        "POST",
        REPORT + "goals/<int:goal_entry_id>/",
        "403 404 404 403 403 404 403 404 403 403 404 404 403 302",
        {"rating": "insufficient"},
    ),
    Row("POST", REPORT + "issue/", "403 404 404 403 403 404 403 404 403 403 404 404 403 302"),
    Row("POST", REPORT + "correct/", "403 404 404 303 303 404 403 404 303 403 404 404 403 302"),
    Row("POST", REPORT + "acknowledge/", "303 404 404 403 403 404 403 404 403 403 404 404 403 302"),
    Row(
        "POST",
        REPORT + "comments/",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 302",
        {"text": ""},
    ),
    Row(
        "GET",
        "schools/<int:school_id>/reports/",
        "404 404 404 200 403 403 403 404 200 404 404 404 404 302",
    ),
    Row(
        "POST",
        "schools/<int:school_id>/reports/",
        "404 404 404 400 403 403 403 404 400 404 404 404 404 302",
        {"period": "0"},
    ),
    Row(
        "GET",
        "schools/<int:school_id>/reports/jobs/<int:job_id>/",
        "404 404 404 200 403 403 403 404 200 404 404 404 404 302",
    ),
    Row(
        "GET",
        API + "students/<student_id>/reports",
        "200 404 404 200 200 404 403 404 200 403 404 404 200 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/reports/<report_id>",
        "200 404 404 200 200 404 403 404 200 403 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/reports/<report_id>/acknowledge",
        "200 404 404 403 403 404 403 404 403 403 404 404 403 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/reports/<report_id>/comments",
        "400 404 404 403 403 404 403 404 403 403 404 404 403 401",
        {"text": ""},
    ),
    # --- service minutes (samepage/minutes) ------------------------------------------
    # Whoever reads progress reads the services, their delivery and the sessions (the
    # family and the student included; the general-education teacher and an advocate
    # whose consent leaves out progress do not). Staff who may log service minutes log
    # and void; the input below is bad (zero minutes, no reason), so nothing is stored.
    Row("GET", STUDENT + "services/", "200 404 404 200 200 404 403 404 200 403 404 404 200 302"),
    Row(
        "GET", STUDENT + "services/log/", "403 404 404 200 200 404 403 404 200 403 404 404 403 302"
    ),
    Row(
        "POST",
        STUDENT + "services/log/",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 302",
        {"service": "SERVICE", "day": "TODAY", "minutes": "0", "status": "delivered"},
    ),
    # The case manager voids the session; after her, the others who may are told it
    # was already voided (303 back to the page, nothing changed).
    Row(
        "POST",
        STUDENT + "services/sessions/<int:session_id>/void/",
        "403 404 404 303 303 404 403 404 303 403 404 404 403 302",
        {"reason": "Logged on the wrong day"},
    ),
    Row(
        "GET",
        API + "students/<student_id>/services",
        "200 404 404 200 200 404 403 404 200 403 404 404 200 401",
    ),
    Row(
        "GET",
        API + "students/<student_id>/service-sessions",
        "200 404 404 200 200 404 403 404 200 403 404 404 200 401",
    ),
    Row(
        "POST",
        API + "students/<student_id>/service-sessions",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"service": "SERVICE", "day": "TODAY", "minutes": 0, "status": "delivered"},
    ),
    Row(
        "POST",
        API + "students/<student_id>/service-sessions/<session_id>/void",
        "403 404 404 400 400 404 403 404 400 403 404 404 403 401",
        {"reason": ""},
    ),
]

# Routes that serve nothing of their own, and why.
NOT_ROUTES = {
    API: "django-ninja's placeholder for the API root; it has no view of ours",
}


@dataclass
class Setup:
    users: dict[str, Any]
    params: dict[str, str]


@pytest.fixture
def setup(world) -> Setup:
    today = timezone.localdate()
    child = world.child

    def advocate_with(name: str, *, start_days_ago: int, days: int, revoke: bool = False):
        advocate = f.make_user(name, is_advocate=True)
        start = today - timedelta(days=start_days_ago)
        grant = team_actions.check_grant_consent(
            actor=world.parent,
            student=child,
            access=student_access(world.parent, child),
            grantee_email=advocate.email,
            scopes=["profile", "plans"],
            purpose="Meeting help",
            starts_on=start,
            expires_on=start + timedelta(days=days),
            signature_name="Alice Lane",
            consent_confirmed=True,
            today=start,
        )
        if revoke:
            team_actions.do_revoke_consent(grant, actor=world.parent)
        return advocate

    users = {
        "par": world.parent,
        "oth": world.other_parent,
        "rst": world.restricted_parent,
        "cm": world.case_manager,
        "prv": world.provider,
        "opr": world.outside_provider,
        "gen": world.gen_ed_teacher,
        "osl": world.other_school_leader,
        "adm": world.district_admin,
        "aac": advocate_with("Ann Active", start_days_ago=5, days=60),
        "aex": advocate_with("Ed Expired", start_days_ago=100, days=30),
        "arv": advocate_with("Rita Revoked", start_days_ago=5, days=60, revoke=True),
        "stu": world.student_user,
        "ano": None,
    }
    # Targets for writes: a grant the parent may revoke, a guardian to invite, an
    # invitation to resend and revoke, a token of the parent's, a membership to change.
    outsider = f.make_user("Otto Outside")
    revocable = team_actions.check_grant_consent(
        actor=world.parent,
        student=child,
        access=student_access(world.parent, child),
        grantee_email=outsider.email,
        scopes=["plans"],
        purpose="Tutor",
        starts_on=today,
        expires_on=today,
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    invitee = f.make_user("Ivy Lane", password=None)
    f.make_guardian(child, invitee)
    invited = f.make_user("Ian Lane", password=None)
    f.make_guardian(child, invited)
    invitation = account_actions.do_invite(invited, actor=None)
    token, _raw = account_actions.do_create_api_token(world.parent, actor=world.parent, name="t")
    # Everyone but the student has the two-factor set-up page open (it starts a set-up).
    for column, user in users.items():
        if user is not None and column != "stu":
            account_actions.do_start_two_factor_setup(user, actor=user)
    membership = TeamMembership.objects.get(student=child, user=world.gen_ed_teacher)
    # A plan in effect (version 1, signed by the parent) with an amendment in draft
    # (version 2, whose goal lost its schedule so finalize stops at a warning), shared
    # with one question.
    in_effect = f.make_plan_in_effect(child, signer=world.parent, actor=world.case_manager)
    plan = in_effect.plan
    amendment = lifecycle.do_start_amendment(
        plan,
        actor=world.case_manager,
        reason="More time",
        parts=["services"],
        effective_date=today,
    )
    Goal.objects.filter(version=amendment).update(schedule="")
    shared = lifecycle.do_share_draft(amendment, actor=world.case_manager)
    question = lifecycle.do_ask_question(shared, actor=world.parent, anchor="plan", text="Why?")
    params = {
        "student_id": str(child.pk),
        "membership_id": str(membership.pk),
        "grant_id": str(revocable.pk),
        "person_id": str(invitee.pk),
        "invitation_id": str(invitation.pk),
        "token_id": str(token.pk),
        "uidb64": "MQ",
        # The invitation link carries a signed token; the password-reset link's is fake.
        "<str:token>": invitation_token(invitation),
        "token": "not-a-real-token",
        "MEMBER": str(membership.pk),
        "OUTSIDER": str(world.outsider_admin.pk),
        "TODAY": today.isoformat(),
        "plan_id": str(plan.pk),
        "number": str(in_effect.number),
        "shared_number": str(shared.number),
        "question_id": str(question.pk),
        "key": "strengths",
        "goal_id": str(Goal.objects.get(version=amendment).pk),
        "service_id": str(Service.objects.get(version=amendment).pk),
        "accommodation_id": str(Accommodation.objects.get(version=amendment).pk),
    }
    for part in (
        profile_matrix_params(world),
        conversation_matrix_params(world),
        problem_matrix_params(world),
        update_matrix_params(world),
        minutes_matrix_params(world),
        progress_matrix_params(world),
        report_matrix_params(world),
        notification_matrix_params(world),
    ):
        _merge_params(params, part)
    concern = check_add_concern(
        child,
        actor=world.parent,
        access=concern_access_for(world.parent, child),
        category="reading",
        text="Reading is hard.",
        importance="high",
    )
    params["concern_id"] = str(concern.pk)
    params["notice_id"] = str(make_notice(world.parent, child).pk)
    return Setup(users=users, params=params)


def _merge_params(params: dict[str, str], part: dict[str, str]) -> None:
    """Adds one app's parameters; two apps naming different rows alike is an error.

    A name given twice would send one app's route the other's id, which passes only while
    the two ids happen to be equal (as they are on a fresh SQLite database, not on
    PostgreSQL, whose sequences other tests have moved on).
    """
    clash = {name for name in part if name in params and params[name] != part[name]}
    assert not clash, f"parameter names used by two apps: {sorted(clash)}"
    params.update(part)


def _url(route: str, params: dict[str, str]) -> str:
    path = "/" + route
    for spelling, value in params.items():
        if spelling.startswith("<"):
            path = path.replace(spelling, value)
    for name, value in params.items():
        for spelling in (
            f"<int:{name}>",
            f"<str:{name}>",
            f"<slug:{name}>",
            f"<uuid:{name}>",
            f"<{name}>",
        ):
            path = path.replace(spelling, value)
    assert "<" not in path, path
    return path


def _fill(value: Any, params: dict[str, str]) -> Any:
    text = json.dumps(value)
    for name, replacement in params.items():
        if name.isupper():
            text = text.replace(name, replacement)
    return json.loads(text)


def _request(client: Client, row: Row, params: dict[str, str]) -> int:
    """The answer's status; a 500 raises (the test client re-raises the view's error)."""
    url = _url(row.route, params)
    data = _fill(row.data, params) if row.data is not None else None
    if row.route.startswith(API):
        if row.method == "GET":
            return client.get(url).status_code
        return client.generic(
            row.method, url, json.dumps(data or {}), content_type="application/json"
        ).status_code
    if row.method == "GET":
        return client.get(url, data or {}).status_code
    return client.post(url, data or {}).status_code


def _row_id(row: Row) -> str:
    return f"{row.method} /{row.route}"


def _must_change_nothing(row: Row, column: str, expected: int, actual: int) -> bool:
    # Someone not signed in writes nothing anywhere (the sign-in form, a reset link or
    # an invitation with bad input included); 400 and above is a refusal.
    return not row.writes or column == "ano" or expected >= 400 or actual >= 400


def _may_log_a_read(actual: int) -> list[str]:
    # A form sent back with its errors (400) shows the record again, and every showing
    # of a child's record is logged; a 401/403/404 shows nothing, so logs nothing.
    return [AccessEvent._meta.db_table] if actual == 400 else []


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_permission_matrix(setup: Setup, row: Row) -> None:
    expected = row.expected()
    # Everyone signs in first: signing in writes (session, last_login), a request may not.
    clients = {}
    for column in COLUMNS:
        clients[column] = Client()
        if setup.users[column] is not None:
            clients[column].force_login(setup.users[column])
    is_write = row.method != "GET"
    before: Snapshot | None = None  # the database as the next request finds it
    actual = {}
    changed = {}
    for column in COLUMNS:
        code = expected[column]
        if is_write and before is None and _must_change_nothing(row, column, code, code):
            before = snapshot(row.volatile)
        actual[column] = _request(clients[column], row, {**setup.params, "COLUMN": column})
        if before is None:
            continue  # a read, or a write allowed to change things
        if _must_change_nothing(row, column, code, actual[column]):
            after = snapshot(row.volatile)
            difference = changes(before, after, ignore=_may_log_a_read(actual[column]))
            if difference:
                changed[column] = difference
            before = after
        else:
            before = None
    wrong = {
        c: f"expected {expected[c]}, got {actual[c]}" for c in COLUMNS if actual[c] != expected[c]
    }
    assert wrong == {}
    assert changed == {}, "a refused write changed the database"


def test_every_route_has_a_row() -> None:
    """One row per route and method the view accepts; no row for a method it refuses."""
    rows = {(r.method, r.route) for r in ROWS}
    served = {
        (method, view.route)
        for view in route_methods()
        if view.route not in NOT_ROUTES
        for method in view.methods
    }
    assert sorted(served - rows) == [], "add these routes and methods to the permission matrix"
    assert sorted(rows - served) == [], "these rows name a method the route does not accept"
    for path, method in openapi_operations():
        route = path.lstrip("/").replace("{", "<").replace("}", ">")
        assert (method, route) in rows, f"{method} {path} has no row in the permission matrix"


def test_route_methods_read_each_kind_of_view() -> None:
    methods = {view.route: view.methods for view in route_methods()}
    assert methods["accounts/logout/"] == {"POST"}  # require_POST
    assert methods["plans/<int:plan_id>/finalize/"] == {"GET", "POST"}  # require_http_methods
    assert methods["accounts/password-reset/sent/"] == {"GET"}  # a class-based view
    assert methods["api/v1/students/<student_id>/team"] == {"GET", "POST"}  # ninja
    assert methods[API] == METHODS  # django-ninja's root placeholder is unrestricted
    assert set(ANY_METHOD_READ_ONLY) <= set(methods)


@pytest.mark.django_db
def test_the_snapshot_sees_every_kind_of_change(world) -> None:
    before = snapshot()
    account_actions.do_change_preferences(
        world.parent, actor=world.parent, language="es", time_zone=None
    )
    changed = changes(before, snapshot())
    assert User._meta.db_table in changed
    # Leaving a column out hides that column's change and nothing else.
    volatile = {f"{User._meta.db_table}.language": "test"}
    before = snapshot(volatile)
    account_actions.do_change_preferences(
        world.parent, actor=world.parent, language="en", time_zone=None
    )
    assert User._meta.db_table not in changes(before, snapshot(volatile))


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ANY_METHOD_READ_ONLY))
def test_views_that_answer_any_method_write_nothing(setup: Setup, route: str) -> None:
    """The routes given only a GET row answer other methods too: they must write nothing."""
    client = Client()
    client.force_login(setup.users["par"])
    for method in sorted(METHODS - {"GET"}):
        before = snapshot()
        response = client.generic(method, "/" + route)
        assert response.status_code == 200, method
        assert changes(before, snapshot()) == {}, method
