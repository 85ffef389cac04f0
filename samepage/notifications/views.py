"""The notification centre: a person's notices, opened and marked read; their email
settings; and the signed unsubscribe link emails carry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samepage.accounts.models import User
from samepage.core.bounds import paginate
from samepage.notifications import actions, deliveries, preferences, retries, selectors
from samepage.notifications.forms import TEXT_PREFIX, EmailPreferencesForm
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.permissions import access_notice
from samepage.notifications.unsubscribe import read_token


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


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def email_settings(request: HttpRequest) -> HttpResponse:
    """How and when the person's notices reach them by email (and, for families, by
    text message)."""
    user = request.user
    assert isinstance(user, User)
    texts = preferences.may_choose_texts(user)
    context: dict[str, Any] = {
        "can_see_failed_deliveries": deliveries.may_see_failed_deliveries(user),
    }
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST, texts=texts)
        if form.is_valid():
            actions.do_set_email_preferences(
                user,
                actor=user,
                channels=form.channels(),
                quiet_from=form.cleaned_data["quiet_from"],
                quiet_until=form.cleaned_data["quiet_until"],
                texts=form.text_choices(),
                phone_number=form.cleaned_data["phone_number"] if texts else None,
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        return render(request, "notifications/settings.html", {**context, "form": form}, status=400)
    schedule = preferences.schedule_of(user)
    texted = preferences.texted_categories(user) if texts else set()
    form = EmailPreferencesForm(
        initial={
            **preferences.channels_of(user),
            **{TEXT_PREFIX + c: True for c in texted},
            "phone_number": user.phone_number,
            "quiet_from": schedule.quiet_from,
            "quiet_until": schedule.quiet_until,
        },
        texts=texts,
    )
    return render(request, "notifications/settings.html", {**context, "form": form})


@require_GET
@login_required
def failed_deliveries(request: HttpRequest) -> HttpResponse:
    """District administrators: their district's emails and texts that could not be
    sent, newest first, a page at a time. Anyone else: 404, as for a page that is not."""
    if not deliveries.may_see_failed_deliveries(request.user):
        raise Http404
    page = paginate(deliveries.failed_deliveries(request.user), request.GET.get("page"))
    rows = []
    for delivery in page:
        notice = delivery.notice
        rows.append(
            {
                "pk": delivery.pk,
                "recipient": notice.recipient.display_name,
                "channel": delivery.get_channel_display(),
                "title": notice.title,
                "attempts": delivery.attempts,
                "last_error": delivery.last_error,
                "next_attempt_at": delivery.next_attempt_at,
                "given_up": delivery.given_up_at is not None,
            }
        )
    return render(request, "notifications/failed_deliveries.html", {"page": page, "rows": rows})


@require_POST
@login_required
def retry_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    delivery = deliveries.access_failed_delivery(user, delivery_id)
    if retries.do_retry_delivery_now(delivery, actor=user):
        messages.success(request, _("Sent."))
    else:
        messages.error(
            request,
            _("It could not be sent this time either. SamePage will try again later."),
        )
    return redirect("notifications:failed_deliveries")


# Mail programs POST the one-click unsubscribe (RFC 8058) with no session or CSRF token;
# the signed token in the path is what authorises it, and it can only turn email off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link stops and a button; POST (the button, or a mail
    program's ``List-Unsubscribe=One-Click``) stops it, without signing in."""
    found = read_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    person, categories = found
    labels = [CATEGORIES[c] for c in categories]
    done = request.method == "POST"
    if done:
        actions.do_unsubscribe(person, categories)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"person": person, "labels": labels, "done": done},
    )
