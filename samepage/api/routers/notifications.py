"""The caller's own notices and how they reach them.

Thin, like the pages in samepage/notifications/views.py: ``notifications.permissions``
finds the caller's own notice (anyone else's, or none, is a 404), the actions write, and
preferences are validated by the settings page's own form, so the page and the API
accept and refuse the same input with the same messages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_notifications import (
    MarkedOut,
    NoticeOut,
    PreferencesIn,
    PreferencesOut,
)
from samepage.notifications import actions, preferences, selectors
from samepage.notifications.forms import TEXT_PREFIX, EmailPreferencesForm
from samepage.notifications.kinds import CATEGORIES
from samepage.notifications.models import Notice
from samepage.notifications.permissions import access_notice

router = Router(tags=["notifications"])

READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {400: ValidationErrorOut, **READ}

# Newest first, as in the centre: the inbox index (recipient, -created_at, -id).
NOTICES = Keyset("notices", ("-created_at", "-pk"))
NoticePage = page_of(NoticeOut)


def _notice(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "title": str(notice.title),
        "link": notice.link,
        "student_id": notice.student_id,
        "actor_id": notice.actor_id,
        "created_at": notice.created_at,
        "read_at": notice.read_at,
        "is_unread": notice.is_unread,
    }


@router.get(
    "/me/notifications",
    response={200: NoticePage, 400: ValidationErrorOut, 401: ErrorOut},
    summary="My notices, newest first (titles in my language)",
)
def list_notices(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    user = api_user(request)
    found = NOTICES.page(selectors.centre(user), page)
    return body(found, [_notice(n) for n in found.items])


@router.post(
    "/me/notifications/read-all",
    response={200: MarkedOut, 401: ErrorOut},
    summary="Mark all my notices as read",
)
def read_all(request: HttpRequest) -> dict[str, Any]:
    return {"marked": actions.do_mark_all_read(actor=api_user(request))}


@router.post(
    "/me/notifications/{notice_id}/read",
    response={200: NoticeOut, **READ},
    summary="Mark one of my notices as read",
)
def read_notice(request: HttpRequest, notice_id: RecordId) -> dict[str, Any]:
    user = api_user(request)
    notice = access_notice(user, notice_id)
    return _notice(actions.do_open_notice(notice, actor=user))


def _preferences(user: Any) -> dict[str, Any]:
    channels = preferences.channels_of(user)
    can_text = preferences.may_choose_texts(user)
    texted = preferences.texted_categories(user) if can_text else set()
    schedule = preferences.schedule_of(user)
    return {
        "categories": [
            {
                "category": category,
                "label": str(label),
                "email": channels[category],
                "text": category in texted,
            }
            for category, label in CATEGORIES.items()
        ],
        "can_text": can_text,
        "phone_number": user.phone_number,
        "quiet_from": f"{schedule.quiet_from:%H:%M}",
        "quiet_until": f"{schedule.quiet_until:%H:%M}",
    }


@router.get(
    "/me/notification-preferences",
    response={200: PreferencesOut, 401: ErrorOut},
    summary="How my notices reach me: email and text per category, quiet hours",
)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return _preferences(api_user(request))


@router.put(
    "/me/notification-preferences",
    response={200: PreferencesOut, 400: ValidationErrorOut, 401: ErrorOut},
    summary="Change how my notices reach me (every category, as on the settings page)",
)
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    user = api_user(request)
    texts = preferences.may_choose_texts(user)
    unknown = [c.category for c in payload.categories if c.category not in CATEGORIES]
    if unknown:
        message = _("These are not categories of notice: %(names)s.") % {
            "names": ", ".join(unknown)[:200]
        }
        raise ValidationError({"categories": [message]})
    data: dict[str, str] = {
        "phone_number": payload.phone_number,
        "quiet_from": payload.quiet_from,
        "quiet_until": payload.quiet_until,
    }
    for choice in payload.categories:
        data[choice.category] = choice.email
        if choice.text:
            data[TEXT_PREFIX + choice.category] = "on"
    form = EmailPreferencesForm(data, texts=texts)
    if not form.is_valid():
        raise ValidationError(
            {field: list(errors) for field, errors in form.errors.items()}  # type: ignore[misc]
        )
    actions.do_set_email_preferences(
        user,
        actor=user,
        channels=form.channels(),
        quiet_from=form.cleaned_data["quiet_from"],
        quiet_until=form.cleaned_data["quiet_until"],
        texts=form.text_choices(),
        phone_number=form.cleaned_data["phone_number"] if texts else None,
    )
    user.refresh_from_db(fields=["phone_number"])
    return _preferences(user)
