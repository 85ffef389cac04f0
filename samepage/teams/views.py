"""Team, consent and record-of-access pages for one student."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.core.access_log import record_access
from samepage.core.bounds import paginate
from samepage.core.dates import district_today
from samepage.core.forms import add_validation_errors, report_errors
from samepage.schools.models import Student
from samepage.teams import actions, selectors
from samepage.teams.forms import (
    AccessLogFilterForm,
    AddMemberForm,
    CapabilitiesForm,
    ConsentForm,
    EndMembershipForm,
)
from samepage.teams.permissions import (
    Part,
    access_consent_grant,
    access_membership,
    access_student,
    student_access,
)


def _team_page(
    request: HttpRequest,
    student: Student,
    *,
    add_form: AddMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access = student.access  # type: ignore[attr-defined]
    record_access(user=request.user, access=access, part=Part.TEAM, via="page")
    context: dict[str, Any] = {
        "student": student,
        "access": access,
        **selectors.team_for(student),
    }
    if access.can_manage_team:
        # The list offers a page of people (the school's, or a name search's), never the
        # district's thousands of staff; the form accepts any of them.
        find = request.GET.get("find", "")[:100]
        add_form = add_form or AddMemberForm(people=selectors.staff_who_can_join(student))
        field = add_form.fields["user"]
        field.queryset = selectors.staff_to_offer(student, find)  # type: ignore[attr-defined]
        offered = field.queryset  # type: ignore[attr-defined]  # the field's own copy: read once
        context["add_form"] = add_form
        context["find"] = find
        context["offered_any"] = len(offered) > 0
        context["offered_full"] = len(offered) == selectors.STAFF_OFFERED
        context["history"] = selectors.team_history(student)
        context["capability_forms"] = {
            m.pk: CapabilitiesForm(initial={"capabilities": m.capabilities}, prefix=f"m{m.pk}")
            for m in context["current"]
        }
    return render(request, "teams/team.html", context, status=status)


@require_GET
@login_required
def team(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, part=Part.TEAM)
    return _team_page(request, student)


@require_POST
@login_required
def team_add(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, action="manage_team", part=Part.TEAM)
    form = AddMemberForm(request.POST, people=selectors.staff_who_can_join(student))
    if form.is_valid():
        try:
            membership = actions.check_add_team_member(
                actor=request.user,
                student=student,
                user=form.cleaned_data["user"],
                team_role=form.cleaned_data["team_role"],
                discipline=form.cleaned_data["discipline"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s joined the team.") % {"name": membership.user.display_name},
            )
            return redirect("teams:team", student_id=student.pk)
    return _team_page(request, student, add_form=form, status=400)


@require_POST
@login_required
def team_end(request: HttpRequest, student_id: int, membership_id: int) -> HttpResponse:
    student, membership = access_membership(
        request.user, student_id, membership_id, action="manage_team"
    )
    form = EndMembershipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter a valid date."))
        actions.do_end_team_membership(
            membership, actor=request.user, end_date=form.cleaned_data["end_date"]
        )
    except ValidationError as e:
        report_errors(request, e)
        return _team_page(request, student, status=400)
    if membership.user_id == request.user.pk:
        access = student_access(request.user, student)
        if access is None or not access.can_view(Part.TEAM):
            # Leaving the team took this child off the person's records: go home.
            messages.success(
                request,
                _("You left %(name)s's team. Their record is no longer shared with you.")
                % {"name": student.display_name},
            )
            return redirect("home:home")
    messages.success(request, _("%(name)s left the team.") % {"name": membership.user.display_name})
    return redirect("teams:team", student_id=student.pk)


@require_POST
@login_required
def team_capabilities(request: HttpRequest, student_id: int, membership_id: int) -> HttpResponse:
    student, membership = access_membership(
        request.user, student_id, membership_id, action="manage_team"
    )
    form = CapabilitiesForm(request.POST, prefix=f"m{membership.pk}")
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose capabilities from the list."))
        actions.do_change_capabilities(
            membership, actor=request.user, capabilities=form.cleaned_data["capabilities"]
        )
    except ValidationError as e:
        report_errors(request, e)
        return _team_page(request, student, status=400)
    messages.success(
        request,
        _("Saved what %(name)s may do.") % {"name": membership.user.display_name},
    )
    return redirect("teams:team", student_id=student.pk)


def _consent_page(
    request: HttpRequest, student: Student, *, form: ConsentForm | None = None, status: int = 200
) -> HttpResponse:
    access = student.access  # type: ignore[attr-defined]
    record_access(user=request.user, access=access, part=Part.CONSENT, via="page")
    context = {
        "student": student,
        "access": access,
        "grants": selectors.consents_for(student),
        "form": form
        or (
            ConsentForm(today=district_today(student.district))
            if access.can_grant_consent
            else None
        ),
    }
    return render(request, "teams/consent.html", context, status=status)


@require_GET
@login_required
def consent(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, part=Part.CONSENT)
    return _consent_page(request, student)


@require_POST
@login_required
def consent_grant(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, action="grant_consent", part=Part.CONSENT)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = actions.check_grant_consent(
                actor=request.user,
                student=student,
                access=student.access,  # type: ignore[attr-defined]
                grantee_email=data["grantee_email"],
                scopes=data["scopes"],
                purpose=data["purpose"],
                starts_on=data["starts_on"],
                expires_on=data["expires_on"],
                signature_name=data["signature_name"],
                consent_confirmed=data["consent_confirmed"],
                ip=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s can now see what you chose, until %(date)s.")
                % {"name": grant.grantee.display_name, "date": grant.expires_on},
            )
            return redirect("teams:consent", student_id=student.pk)
    return _consent_page(request, student, form=form, status=400)


@require_POST
@login_required
def consent_revoke(request: HttpRequest, student_id: int, grant_id: int) -> HttpResponse:
    student, grant = access_consent_grant(
        request.user, student_id, grant_id, action="grant_consent"
    )
    try:
        actions.do_revoke_consent(grant, actor=request.user)
    except ValidationError as e:
        report_errors(request, e)
        return _consent_page(request, student, status=400)
    messages.success(
        request,
        _("Consent revoked. %(name)s can no longer see this record.")
        % {"name": grant.grantee.display_name},
    )
    return redirect("teams:consent", student_id=student.pk)


@require_GET
@login_required
def access_log(request: HttpRequest, student_id: int) -> HttpResponse:
    student = access_student(request.user, student_id, part=Part.ACCESS_LOG)
    access = student.access  # type: ignore[attr-defined]
    people = selectors.access_log_people(student)
    form = AccessLogFilterForm(request.GET or None, people=people)
    filters: dict[str, Any] = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = {k: form.cleaned_data.get(k) for k in ("person", "since", "until")}
        else:
            status = 400
    record_access(user=request.user, access=access, part=Part.ACCESS_LOG, via="page")
    events = selectors.access_log(student, **filters)
    return render(
        request,
        "teams/access_log.html",
        {
            "student": student,
            "access": access,
            "form": form,
            "events": events,
            "truncated": len(events) >= selectors.ACCESS_LOG_LIMIT,
            "limit": selectors.ACCESS_LOG_LIMIT,
        },
        status=status,
    )


@require_GET
@login_required
def shared_with_me(request: HttpRequest) -> HttpResponse:
    # An advocate may work with many families: a page at a time (core.bounds.paginate).
    page = paginate(selectors.grants_in_order(request.user), request.GET.get("page"))
    grants = [selectors.received(grant) for grant in page]
    return render(request, "teams/shared_with_me.html", {"grants": grants, "page": page})
