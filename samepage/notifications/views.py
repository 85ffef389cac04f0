"""The notification centre: a person's notices, opened and marked read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samepage.core.bounds import paginate
from samepage.notifications import actions, selectors
from samepage.notifications.permissions import access_notice


@require_GET
@login_required
def centre(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.centre(request.user), request.GET.get("page"))
    return render(request, "notifications/centre.html", {"page": page, "notices": list(page)})


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    if actions.do_mark_all_read(actor=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:centre")


@require_POST
@login_required
def open_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    actions.do_open_notice(notice, actor=request.user)
    # The link is a path this site made; checked anyway, so a notice never sends anyone
    # to another site.
    if url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(notice.link)
    return redirect("notifications:centre")
