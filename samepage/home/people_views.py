"""The people page: the families and staff a person may invite, and their invitations.

It reads who may see which students (the permission layer in teams), so it lives here
in the top layer, not with the accounts it invites.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.accounts import actions
from samepage.core.bounds import paginate
from samepage.core.forms import report_errors
from samepage.home import selectors
from samepage.home.permissions import (
    access_invitable_person,
    access_invitation,
    can_invite_staff,
    can_use_people_page,
)


def _require_people_page(request: HttpRequest) -> None:
    if not can_use_people_page(request.user):
        raise Http404


@require_GET
@login_required
def people(request: HttpRequest) -> HttpResponse:
    _require_people_page(request)
    # A district has as many families as students: one page at a time, and the rows
    # are built for that page only (core.bounds.paginate).
    page = paginate(selectors.people_list(request.user), request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {
            "rows": selectors.people_rows(request.user, page),
            "page": page,
            "invites_staff": can_invite_staff(request.user),
        },
    )


@login_required
@require_POST
def invite(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_people_page(request)
    person = access_invitable_person(request.user, person_id)
    try:
        actions.do_invite(person, actor=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
    return redirect("home:people", permanent=False)


@login_required
@require_POST
def resend_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    _require_people_page(request)
    invitation = access_invitation(request.user, invitation_id)
    try:
        actions.do_resend_invitation(invitation, actor=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(
            request,
            _("A new invitation link was sent to %(email)s. Earlier links no longer work.")
            % {"email": invitation.user.email},
        )
    return redirect("home:people")


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    _require_people_page(request)
    invitation = access_invitation(request.user, invitation_id)
    try:
        actions.do_revoke_invitation(invitation, actor=request.user)
    except ValidationError as e:
        report_errors(request, e)
    else:
        messages.success(
            request,
            _("The invitation for %(email)s was withdrawn.") % {"email": invitation.user.email},
        )
    return redirect("home:people")
