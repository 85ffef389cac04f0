"""Every write to notices: made from events, opened, marked read; and each person's
email choices.

Notices are each person's copy of an event the acting app already audited (the draft
shared, the concern added…), and opening one is the reader's own bookkeeping; so those
writes keep no audit rows of their own. Email choices are audited: a signed link changes
them without signing in, and "why did I stop getting email?" needs an answer.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from samepage.accounts.models import User
from samepage.core.audit import record_audit
from samepage.core.dates import district_today
from samepage.core.events import Event
from samepage.notifications import preferences
from samepage.notifications.kinds import CATEGORIES, KINDS
from samepage.notifications.models import Channel, EmailSchedule, Notice, NotificationPreference
from samepage.notifications.permissions import may_hear_of
from samepage.schools.models import Guardian, Student
from samepage.teams.models import ConsentGrant, TeamMembership
from samepage.teams.permissions import student_access

logger = logging.getLogger(__name__)


def candidates(student: Student) -> QuerySet[User]:
    """Who might hear of an event about ``student``: the current team, the guardians, the
    people a family gave consent to, and the student's own account. Whether each one
    does is the permission layer's answer, not this list's (see ``recipients``)."""
    today = district_today(student.district)
    ids = set(
        TeamMembership.objects.current(today)
        .filter(student=student)
        .values_list("user_id", flat=True)
    )
    ids |= set(Guardian.objects.filter(student=student).values_list("user_id", flat=True))
    ids |= set(
        ConsentGrant.objects.active(today)
        .filter(student=student)
        .values_list("grantee_id", flat=True)
    )
    if student.account_id is not None:
        ids.add(student.account_id)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def recipients(event: Event) -> list[User]:
    """The people who may see ``event.part`` of the student's record, the actor aside.

    Each one's access comes from ``student_access``, the same answer their pages get:
    a family member never hears of a staff-only part, an advocate only of the parts
    their consent covers, and a court-restricted guardian of nothing. Then the kind's
    audience, if it has one (``permissions.may_hear_of``, the rule the senders ask too).
    """
    actor_id = getattr(event.actor, "pk", None)
    found = []
    for user in candidates(event.student):
        if user.pk == actor_id:
            continue
        access = student_access(user, event.student)
        if not may_hear_of(user, access, part=event.part, kind=event.kind, target=event.target):
            continue
        found.append(user)
    return found


def _params(event: Event) -> dict[str, str]:
    kind = KINDS[event.kind]
    actor = event.actor if getattr(event.actor, "is_authenticated", False) else None
    return {
        "student": event.student.first_name,
        "actor": actor.display_name if actor is not None else "SamePage",
        **kind.names(event.target),
    }


def event_ids(event: Event) -> tuple[Any, ...]:
    """``event`` as the ids a task takes (see ``event_from_ids``)."""
    return (
        event.kind,
        getattr(event.actor, "pk", None),
        event.student.pk,
        event.part,
        ContentType.objects.get_for_model(event.target).pk,
        event.target.pk,
        dict(event.extra),
    )


def event_from_ids(
    kind: str,
    actor_id: int | None,
    student_id: int,
    part: str,
    target_type_id: int,
    target_id: int,
    extra: dict[str, Any],
) -> Event | None:
    """The event again, read back by a task; None when its student or target is gone."""
    student = Student.objects.select_related("district").filter(pk=student_id).first()
    model = ContentType.objects.get_for_id(target_type_id).model_class()
    target = model._default_manager.filter(pk=target_id).first() if model else None
    if student is None or target is None:
        return None
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    return Event(kind, actor, student, part, target, extra)


def notice_key(event: Event) -> str:
    """The event's key, and its occasion when one target has several (``extra["on"]``: a
    consent's expiry date, so an extended consent is told of its new end too)."""
    on = event.extra.get("on")
    return f"{event.key}:{on}" if on else event.key


def make_notices(event: Event) -> list[Notice]:
    """Turn ``event`` into one notice per recipient; the ones made this time.

    Safe to run twice: a person's notice of an event is found by its key, not made again
    (the database's unique constraint decides a race).
    """
    kind = KINDS.get(event.kind)
    if kind is None:
        logger.warning("No notice kind %r; nobody was told.", event.kind)
        return []
    actor = event.actor if getattr(event.actor, "is_authenticated", False) else None
    target_type = ContentType.objects.get_for_model(event.target)
    made = []
    with transaction.atomic():
        params = _params(event)
        link = kind.link(event.target)
        for user in recipients(event):
            notice, created = Notice.objects.get_or_create(
                recipient=user,
                key=notice_key(event),
                defaults={
                    "kind": event.kind,
                    "student": event.student,
                    "actor": actor,
                    "target_type": target_type,
                    "target_id": event.target.pk,
                    "link": link,
                    "part": event.part,
                    "params": params,
                },
            )
            if created:
                made.append(notice)
        if made:
            User.objects.filter(pk__in=[n.recipient_id for n in made]).update(
                unread_notice_count=F("unread_notice_count") + 1
            )
    return made


def recount_unread(user_id: int) -> None:
    """Store how many of a person's notices are unread, counted afresh (one UPDATE on
    the unread index), so a count that drifted mends itself at the next read."""
    unread = (
        Notice.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk=user_id).update(unread_notice_count=Coalesce(Subquery(unread), Value(0)))


def do_open_notice(notice: Notice, *, actor: Any) -> Notice:
    """The recipient opens a notice: it counts as read from now on."""
    with transaction.atomic():
        now = timezone.now()
        if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now):
            notice.read_at = now
            recount_unread(notice.recipient_id)
    return notice


def do_mark_all_read(*, actor: Any) -> int:
    """Every unread notice of ``actor`` counts as read; how many there were."""
    with transaction.atomic():
        marked = Notice.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if marked or actor.unread_notice_count:
            recount_unread(actor.pk)
    return marked


def do_set_email_preferences(
    user: User,
    *,
    actor: Any,
    channels: dict[str, str],
    quiet_from: time | None = None,
    quiet_until: time | None = None,
    texts: dict[str, bool] | None = None,
    phone_number: str | None = None,
) -> None:
    """Store a person's email channel per category, their text-message choices and
    mobile number (families only), and their quiet hours.

    Only categories and channels the app knows are stored; the caller (a form) has
    validated them, and anything else is ignored rather than saved. Audited: a person's
    email choices are also changed without signing in (``do_unsubscribe``).
    """
    with transaction.atomic():
        before = preferences.channels_of(user)
        for category, channel in channels.items():
            if category not in CATEGORIES or channel not in Channel.values:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, category=category, defaults={"channel": channel}
            )
        changes: dict[str, Any] = {
            c: [before[c], ch] for c, ch in channels.items() if c in before and before[c] != ch
        }
        if texts and preferences.may_choose_texts(user):
            texted = preferences.texted_categories(user)
            for category, by_text in texts.items():
                if category not in CATEGORIES or (category in texted) == by_text:
                    continue
                NotificationPreference.objects.update_or_create(
                    user=user,
                    category=category,
                    defaults={"by_text": by_text},
                    create_defaults={
                        "by_text": by_text,
                        "channel": channels.get(category) or preferences.default_channel(user),
                    },
                )
                changes[f"text:{category}"] = [category in texted, by_text]
        if phone_number is not None and phone_number != user.phone_number:
            # The audit says that the number changed, and its last digits, not the number.
            changes["phone_number"] = [_last_digits(user.phone_number), _last_digits(phone_number)]
            user.phone_number = phone_number
            user.save(update_fields=["phone_number"])
        if quiet_from is not None and quiet_until is not None:
            schedule, _created = EmailSchedule.objects.get_or_create(user=user)
            if (schedule.quiet_from, schedule.quiet_until) != (quiet_from, quiet_until):
                changes["quiet_hours"] = [
                    f"{schedule.quiet_from:%H:%M}-{schedule.quiet_until:%H:%M}",
                    f"{quiet_from:%H:%M}-{quiet_until:%H:%M}",
                ]
                schedule.quiet_from, schedule.quiet_until = quiet_from, quiet_until
                schedule.save(update_fields=["quiet_from", "quiet_until"])
        if changes:
            record_audit(
                actor=actor,
                action="notifications.preferences_changed",
                target=user,
                changes=changes,
            )


def _last_digits(number: str) -> str:
    return f"…{number[-2:]}" if number else ""


def do_unsubscribe(user: User, categories: list[str]) -> None:
    """No more email of ``categories`` for ``user`` (a signed link's one click): the
    notices still appear in SamePage."""
    do_set_email_preferences(user, actor=user, channels=dict.fromkeys(categories, Channel.NONE))
