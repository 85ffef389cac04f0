"""Every write about service minutes: log a session, void one, and the delivery alert
that either may raise.

Each takes a keyword-only ``actor`` and the ``MinutesAccess`` the permission layer
worked out for them, checks it again (no caller can skip the rule), validates with
messages in the user's language, runs in one transaction and writes its audit row.
Nothing is deleted: a void keeps the session, shown as voided with who and why.

Every night (``check_service_delivery``), each service in effect is judged against the
district's threshold (``arithmetic`` says the rule); the first time a service falls
below it in a month, a ``DeliveryAlert`` row is made and the team and the family are told (the
``minutes.below_threshold`` notice). The row's uniqueness is the dedupe: one alert per
service and month, however many sessions follow. Not on each log: a provider who logs
a fortnight's sessions one by one would set it off with the first of them, before the
rest are in; by night the day's logging is done.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.core.audit import diff, record_audit, snapshot
from samepage.core.dates import district_today
from samepage.core.events import Event, publish, publish_district_change
from samepage.minutes import arithmetic, selectors
from samepage.minutes.arithmetic import Rules
from samepage.minutes.models import (
    MAX_NOTE_TEXT,
    MAX_REASON_TEXT,
    MAX_SESSION_MINUTES,
    DeliveryAlert,
    MinutesSettings,
    MissedReason,
    NonSchoolDay,
    ServiceSession,
    SessionStatus,
)
from samepage.minutes.permissions import (
    CALENDAR_ONLY,
    THRESHOLD_ONLY,
    MinutesAccess,
    check_minutes_action,
)
from samepage.plans.models import Service
from samepage.schools.models import District, Student
from samepage.schools.permissions import check_district_settings
from samepage.teams.permissions import Part, check_access_for

Errors = dict[str, list[Any]]
STALE_FORM = gettext_lazy("This form is out of date. Open it again and resend.")


def _own(access: MinutesAccess | None, *, actor: Any, action: str) -> MinutesAccess:
    """The access handed in, if it was worked out for ``actor`` and allows ``action``."""
    if access is None:
        raise PermissionDenied(_("Your role does not allow this."))
    check_access_for(access.record, actor=actor, student=access.student)
    check_minutes_action(access, action)
    return access


def _day(value: Any, errors: Errors) -> date | None:
    if value is None or value == "":
        errors["day"] = [_("Choose a day.")]
        return None
    if isinstance(value, datetime):
        # A moment is not a day: which day depends on the zone (STYLE: dates).
        errors["day"] = [_("Choose a day.")]
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors["day"] = [_("Enter a day like 2026-12-03.")]
        return None


def _minutes(value: Any, errors: Errors) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors["minutes"] = [_("Enter how many minutes.")]
        return None
    if isinstance(value, bool):
        errors["minutes"] = [_("Enter a whole number of minutes, like 30.")]
        return None
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            as_float = None
        if as_float is not None and as_float == as_float and as_float.is_integer():
            number = int(as_float)
        else:
            errors["minutes"] = [_("Enter a whole number of minutes, like 30.")]
            return None
    if number <= 0:
        errors["minutes"] = [_("Enter at least 1 minute.")]
        return None
    if number > MAX_SESSION_MINUTES:
        errors["minutes"] = [
            _("A session cannot be longer than a day (%(n)s minutes).")
            % {"n": number_format(MAX_SESSION_MINUTES, force_grouping=True)}
        ]
        return None
    return number


def _text(value: str | None, name: str, limit: int, errors: Errors) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        errors[name] = [
            _("Please keep this under %(n)s characters.")
            % {"n": number_format(limit, force_grouping=True)}
        ]
    return text


def _key(client_key: Any) -> uuid.UUID:
    if client_key in (None, ""):
        return uuid.uuid4()
    try:
        return uuid.UUID(str(client_key))
    except ValueError:
        raise ValidationError({"client_key": [str(STALE_FORM)]}) from None


def _resent(key: uuid.UUID, *, actor: Any, student: Student) -> ServiceSession | None:
    """The session a form with this key already stored (a resend), or None.

    A key is the form's, so only the same person for the same student can resend it;
    any other use of a stored key is refused, never answered with another's session.
    """
    session = ServiceSession.objects.filter(client_key=key).first()
    if session is None:
        return None
    if session.entered_by_id != actor.pk or session.student_id != student.pk:
        raise ValidationError({"client_key": [str(STALE_FORM)]})
    return session


def service_for_logging(student: Student, lineage: Any) -> Service:
    """The service of the plan in effect a session is logged against.

    A service that is not the student's (another child's, or none at all): 404, as for
    a record that does not exist. Not a service at all, or the student's but not in the
    plan in effect: a clear 400.
    """
    try:
        key = uuid.UUID(str(lineage).strip())
    except (AttributeError, ValueError):
        raise ValidationError(
            {"service": [_("Choose a service from this student's plan.")]}
        ) from None
    service = selectors.service_of(student, key)
    if service is not None:
        return service
    if selectors.is_students_service(student, key):
        raise ValidationError(
            {"service": [_("This service is not in the plan in effect. Choose a current one.")]}
        )
    raise Http404


def _check_day(day: date, service: Service, today: date, errors: Errors) -> None:
    if service.end_date is not None and service.end_date < today:
        errors["service"] = [
            _("This service ended on %(day)s: minutes can no longer be logged for it.")
            % {"day": date_format(service.end_date, "DATE_FORMAT")}
        ]
    elif day > today:
        errors["day"] = [_("That day has not come yet. Choose today or an earlier day.")]
    elif service.start_date is not None and day < service.start_date:
        errors["day"] = [
            _("Choose a day on or after %(day)s, when the service began.")
            % {"day": date_format(service.start_date, "DATE_FORMAT")}
        ]


def check_log_session(
    student: Student,
    *,
    actor: Any,
    access: MinutesAccess | None,
    service_lineage: Any,
    day: Any,
    minutes: Any,
    status: str,
    missed_reason: str = "",
    note: str = "",
    staff_note: str = "",
    is_make_up: bool = False,
    client_key: Any = None,
) -> ServiceSession:
    """Log one session of a service: delivered (with ``is_make_up`` when it makes up
    missed minutes) or missed (with ``missed_reason``; "other" needs a ``note``).
    ``client_key``: the key the form was opened with; the same form sent again returns
    the session it stored, without a second row."""
    access = _own(access, actor=actor, action="log")
    if access.student.pk != student.pk:
        raise Http404
    key = _key(client_key)
    existing = _resent(key, actor=actor, student=student)
    if existing is not None:
        return existing
    service = service_for_logging(student, service_lineage)
    today = district_today(student.district)
    errors: Errors = {}
    when = _day(day, errors)
    if when is not None:
        _check_day(when, service, today, errors)
    amount = _minutes(minutes, errors)
    status = (status or "").strip()
    reason = (missed_reason or "").strip()
    if status not in SessionStatus.values:
        errors["status"] = [_("Choose whether the session was delivered or missed.")]
    elif status == SessionStatus.MISSED:
        if reason not in MissedReason.values:
            errors["missed_reason"] = [_("Choose why the session was missed.")]
        if is_make_up:
            errors["is_make_up"] = [_("A make-up session is one that was delivered.")]
    else:
        reason = ""
    said = _text(note, "note", MAX_NOTE_TEXT, errors)
    private = _text(staff_note, "staff_note", MAX_NOTE_TEXT, errors)
    if status == SessionStatus.MISSED and reason == MissedReason.OTHER and not said:
        errors["note"] = [_("Say what happened, so the family knows why it was missed.")]
    if errors:
        raise ValidationError(errors)
    assert when is not None and amount is not None
    with transaction.atomic():
        session, created = _insert(
            ServiceSession(
                student=student,
                service_lineage=service.lineage_id,
                day=when,
                minutes=amount,
                status=status,
                missed_reason=reason,
                note=said,
                staff_note=private,
                is_make_up=bool(is_make_up),
                entered_by=actor,
                entered_at=timezone.now(),
                client_key=key,
            ),
            actor=actor,
            student=student,
        )
        if created:
            record_audit(
                actor=actor,
                action="minutes.session_logged",
                target=session,
                changes={
                    "student": student.pk,
                    "service": str(service.lineage_id),
                    "day": when.isoformat(),
                    "minutes": amount,
                    "status": status,
                    "missed_reason": reason,
                    "make_up": bool(is_make_up),
                },
            )
    return session


def _insert(
    session: ServiceSession, *, actor: Any, student: Student
) -> tuple[ServiceSession, bool]:
    """Insert ``session`` (True); a resend that raced this one to the unique key gets
    the row the other stored (False)."""
    try:
        with transaction.atomic():
            session.save(force_insert=True)
    except IntegrityError:
        existing = _resent(session.client_key, actor=actor, student=student)
        if existing is None:
            raise
        return existing, False
    return session, True


def check_void_session(
    session: ServiceSession,
    *,
    actor: Any,
    access: MinutesAccess | None,
    reason: str,
) -> ServiceSession:
    """Take a session out of every count, with the reason. The row stays (shown as
    voided, with who and why)."""
    access = _own(access, actor=actor, action="void")
    if session.student_id != access.student.pk:
        raise Http404
    errors: Errors = {}
    why = _text(reason, "reason", MAX_REASON_TEXT, errors)
    if not why and not errors:
        errors["reason"] = [_("Say why, so the team knows what happened.")]
    if errors:
        raise ValidationError(errors)
    student = access.student
    with transaction.atomic():
        locked = ServiceSession.objects.select_for_update().get(pk=session.pk)
        if locked.voided_at is not None:
            raise ValidationError(_("This session was already voided."))
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = why
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
        record_audit(
            actor=actor,
            action="minutes.session_voided",
            target=locked,
            changes={"student": student.pk, "reason": why},
        )
    session.voided_at, session.voided_by, session.void_reason = locked.voided_at, actor, why
    return locked


def check_delivery(
    student: Student,
    service: Service,
    *,
    today: date,
    rules: Rules | None = None,
) -> list[DeliveryAlert]:
    """Raise the alert of each month the last full week touches (``arithmetic`` says
    the rule) where ``service`` is below the threshold and none was raised yet; the
    alerts made. ``rules``: the district's, unless given.

    Safe to run any number of times (the nightly ``check_service_delivery`` runs it for
    every service in effect, which catches a service nobody logs at all): a month's row
    is unique, and only the call that makes it tells anyone.
    """
    terms = selectors.terms_of(service)
    if not terms.is_measurable:
        return []
    if rules is None:
        rules = selectors.rules_for(student.district_id)
    months = arithmetic.months_to_judge(today)
    unit_first = arithmetic.week_of(months[0])[0]
    unit_last = arithmetic.week_of(arithmetic.month_of(months[-1])[1])[1]
    cal = selectors.calendar_for(student.district, unit_first, unit_last)
    sessions = selectors.standing_by_lineage(
        student, since=months[0], lineages=[service.lineage_id]
    ).get(service.lineage_id, [])
    made = []
    for month in months:
        judged = arithmetic.judge_month(terms, cal, sessions, month, today=today)
        if judged.is_below(rules):
            alert = _raise_alert(student, service, judged, rules)
            if alert is not None:
                made.append(alert)
    return made


def _raise_alert(
    student: Student, service: Service, judged: arithmetic.Judgement, rules: Rules
) -> DeliveryAlert | None:
    with transaction.atomic():
        alert, created = DeliveryAlert.objects.get_or_create(
            student=student,
            service_lineage=service.lineage_id,
            month=judged.month,
            defaults={
                "service_name": service.description[:300],
                "delivered": judged.delivered,
                "due": judged.due,
            },
        )
        if not created:
            return None
        record_audit(
            actor=None,
            action="minutes.below_threshold",
            target=alert,
            changes={
                "student": student.pk,
                "service": str(service.lineage_id),
                "month": judged.month.isoformat(),
                "through": judged.through.isoformat(),
                "delivered": judged.delivered,
                "due": judged.due,
                "threshold": rules.threshold_percent,
            },
        )
        # From SamePage itself, so the person whose log tipped it is told too.
        publish(Event("minutes.below_threshold", None, student, Part.PROGRESS, alert))
    return alert


def check_all_deliveries(today_of: Any = district_today) -> int:
    """Judge every service of every plan in effect (the nightly command); the number of
    alerts raised. Each student's district decides its own today and its rules."""
    made = 0
    rules: dict[int, Rules] = {}
    services = (
        Service.objects.filter(version__status="in_effect", removed_at__isnull=True, minutes__gt=0)
        .exclude(frequency_unit="")
        .select_related("version__plan__student__district")
        .order_by("pk")
    )
    for service in services.iterator(chunk_size=500):
        student = service.version.plan.student
        if student.district_id not in rules:
            rules[student.district_id] = selectors.rules_for(student.district_id)
        made += len(
            check_delivery(
                student,
                service,
                today=today_of(student.district),
                rules=rules[student.district_id],
            )
        )
    return made


# --- the district's school calendar and settings (its administrator) ---------------

# A range is a break (winter, spring, summer): never more than a year at once, and
# never further than this from the district's today (a typing slip, like 2206).
MAX_CLOSURE_DAYS = 366
CLOSURE_REACH_YEARS = 10
MAX_CLOSURE_NAME = 120
SETTINGS_FIELDS = ["threshold_percent", "alert_after_school_days", "closures_owed"]


def _calendar_day(value: Any, field: str, errors: Errors, *, required: bool) -> date | None:
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    found: Errors = {}
    day = _day(value, found)
    if found:
        errors[field] = found["day"]
    return day


def _shown(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _closure_days(district: District, first: Any, last: Any, errors: Errors) -> list[date]:
    """The weekdays from ``first`` to ``last`` (``last`` blank: the one day), checked."""
    start = _calendar_day(first, "first", errors, required=True)
    end = _calendar_day(last, "last", errors, required=False)
    if start is None:
        return []
    end = end or start
    today = district_today(district)
    reach = timedelta(days=365 * CLOSURE_REACH_YEARS + CLOSURE_REACH_YEARS // 4)
    for field, day in (("first", start), ("last", end)):
        if field not in errors and not today - reach <= day <= today + reach:
            errors[field] = [
                _("Choose a day within %(n)s years of today.") % {"n": CLOSURE_REACH_YEARS}
            ]
    if errors:
        return []
    if end < start:
        errors["last"] = [_("The last day must be on or after the first day.")]
        return []
    if (end - start).days + 1 > MAX_CLOSURE_DAYS:
        errors["last"] = [_("Mark at most a year of days at once.")]
        return []
    # Weekends are never school days (the arithmetic knows): only weekdays are stored.
    days = [d for d in arithmetic.days_between(start, end) if d.weekday() < 5]
    if not days:
        errors["first"] = [
            _("There is no school on Saturdays and Sundays anyway: choose a weekday.")
        ]
    return days


def check_add_closures(
    district: District, *, actor: Any, first: Any, last: Any = None, name: Any
) -> list[NonSchoolDay]:
    """Mark a day, or every weekday of a range (a break), as a day without school, with
    why. No per-day minutes are due on them from then on. A day already marked is
    refused, naming it, so a break typed twice marks nothing twice."""
    check_district_settings(actor, district, refusal=CALENDAR_ONLY)
    errors: Errors = {}
    reason = _text(str(name or ""), "name", MAX_CLOSURE_NAME, errors)
    if not reason and "name" not in errors:
        errors["name"] = [_("Say why there is no school, such as “Winter break”.")]
    days = _closure_days(district, first, last, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The district's row is the lock: two ranges added at once cannot both pass.
        District.objects.select_for_update().filter(pk=district.pk).first()
        taken = (
            NonSchoolDay.objects.standing()
            .filter(district=district, day__in=days)
            .order_by("day")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "first": [
                        _("%(day)s is already marked as a day without school (%(name)s).")
                        % {"day": _shown(taken.day), "name": taken.name}
                    ]
                }
            )
        made = []
        for day in days:
            closure = NonSchoolDay.objects.create(district=district, day=day, name=reason)
            record_audit(
                actor=actor,
                action="minutes.closure_added",
                target=closure,
                changes={"district": district.pk, "day": day, "name": reason},
            )
            made.append(closure)
        publish_district_change(district.pk, "calendar")
    return made


def check_archive_closure(closure: NonSchoolDay, *, actor: Any) -> NonSchoolDay:
    """Take a day off the calendar (school is open after all): minutes are due on it
    again. The row stays, marked archived, with who and when; twice changes nothing."""
    district = closure.district
    check_district_settings(actor, district, refusal=CALENDAR_ONLY)
    with transaction.atomic():
        row = NonSchoolDay.objects.select_for_update().get(pk=closure.pk)
        if row.archived_at is not None:
            return row
        row.archived_at, row.archived_by = timezone.now(), actor
        row.save(update_fields=["archived_at", "archived_by"])
        record_audit(
            actor=actor,
            action="minutes.closure_archived",
            target=row,
            changes={"district": district.pk, "day": row.day, "name": row.name},
        )
        publish_district_change(district.pk, "calendar")
    return row


def _whole_in(value: Any, field: str, low: int, high: int, errors: Errors) -> int | None:
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        errors[field] = [
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        ]
        return None
    return int(text)


def check_set_minutes_settings(
    district: District,
    *,
    actor: Any,
    threshold_percent: Any,
    alert_after_school_days: Any,
    closures_owed: bool,
) -> MinutesSettings:
    """Set the district's delivery threshold (below it the team and the family are
    told), how many school days of a month pass before it is judged, and whether
    minutes missed to a closure are made up. Alerts already raised stay."""
    check_district_settings(actor, district, refusal=THRESHOLD_ONLY)
    errors: Errors = {}
    threshold = _whole_in(threshold_percent, "threshold_percent", 1, 100, errors)
    after = _whole_in(alert_after_school_days, "alert_after_school_days", 1, 23, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _created = MinutesSettings.objects.select_for_update().get_or_create(district=district)
        before = snapshot(row, SETTINGS_FIELDS)
        row.threshold_percent = threshold  # type: ignore[assignment]
        row.alert_after_school_days = after  # type: ignore[assignment]
        row.closures_owed = bool(closures_owed)
        row.save(update_fields=[*SETTINGS_FIELDS, "updated_at"])
        record_audit(
            actor=actor,
            action="minutes.settings_set",
            target=row,
            changes={"district": district.pk, **diff(before, snapshot(row, SETTINGS_FIELDS))},
        )
    return row
