"""The district's reporting calendar and its own words for the ratings: every write
its administrator makes on the settings pages (and the demo, as the system itself).

Each takes a keyword-only ``actor``, checks it is the district's administrator (one
rule: ``schools/permissions.py``), validates with messages in the user's language, runs
in one transaction and writes its audit row. A period is never deleted: it is archived,
and once a report uses it, its days are what those reports were written about.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samepage.core.audit import diff, record_audit, snapshot
from samepage.core.dates import district_today
from samepage.core.events import publish_district_change
from samepage.reports import selectors
from samepage.reports.models import Rating, ReportingPeriod, ReportSettings
from samepage.schools.models import District
from samepage.schools.permissions import check_district_settings

Errors = dict[str, list[Any]]


def _district_admin(actor: Any, district: District) -> None:
    """The district's administrator, or the system itself (``actor`` None: the demo,
    an import)."""
    check_district_settings(actor, district)


# A period is a quarter, a trimester, a semester: never more than a school year, and
# never further than this from the district's today (a typing slip, like 2206).
MAX_PERIOD_DAYS = 366
PERIOD_REACH_YEARS = 10
MAX_PERIOD_NAME = 100


def _period_day(value: Any, field: str, errors: Errors) -> date | None:
    if isinstance(value, datetime):
        # A moment is not a day: which day depends on the zone (STYLE: dates).
        errors[field] = [_("Enter a day like 2026-09-01.")]
        return None
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        errors[field] = [_("Choose a day.")]
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = [_("Enter a day like 2026-09-01.")]
        return None


def _check_period(district: District, name: Any, starts: Any, ends: Any) -> tuple[str, date, date]:
    """The period's cleaned name and days, or a ValidationError naming each problem."""
    errors: Errors = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = [_("Give the period a name, such as “First quarter”.")]
    elif len(name) > MAX_PERIOD_NAME:
        errors["name"] = [
            _("Please keep this under %(n)s characters.") % {"n": number_format(MAX_PERIOD_NAME)}
        ]
    first = _period_day(starts, "starts", errors)
    last = _period_day(ends, "ends", errors)
    if first is not None and last is not None:
        today = district_today(district)
        reach = timedelta(days=365 * PERIOD_REACH_YEARS + PERIOD_REACH_YEARS // 4)
        if last < first:
            errors["ends"] = [_("The last day must be on or after the first day.")]
        elif (last - first).days + 1 > MAX_PERIOD_DAYS:
            errors["ends"] = [_("A reporting period cannot be longer than a school year.")]
        for field, day in (("starts", first), ("ends", last)):
            if field not in errors and not today - reach <= day <= today + reach:
                errors[field] = [
                    _("Choose a day within %(n)s years of today.") % {"n": PERIOD_REACH_YEARS}
                ]
    if errors:
        raise ValidationError(errors)
    assert first is not None and last is not None
    return name, first, last


def _refuse_clashes(
    district: District, name: str, starts: date, ends: date, *, other_than: int | None = None
) -> None:
    """Periods standing in the district never overlap nor share a name. Call it holding
    the district's row, so two periods added at once cannot both pass."""
    standing = ReportingPeriod.objects.filter(district=district, archived_at__isnull=True)
    if other_than is not None:
        standing = standing.exclude(pk=other_than)
    overlapping = standing.filter(starts__lte=ends, ends__gte=starts).order_by("starts").first()
    if overlapping is not None:
        raise ValidationError(
            {
                "starts": [
                    _("These days overlap the period “%(name)s”.") % {"name": overlapping.name}
                ]
            }
        )
    if standing.filter(name=name).exists():
        raise ValidationError({"name": [_("The district already has a period of this name.")]})


def check_add_period(
    district: District, *, actor: Any, name: Any, starts: Any, ends: Any
) -> ReportingPeriod:
    """Add a reporting period to the district's calendar; periods never overlap."""
    _district_admin(actor, district)
    name, first, last = _check_period(district, name, starts, ends)
    with transaction.atomic():
        # The district's row is the lock: two periods added at once cannot both pass.
        District.objects.select_for_update().filter(pk=district.pk).first()
        _refuse_clashes(district, name, first, last)
        period = ReportingPeriod.objects.create(
            district=district, name=name, starts=first, ends=last
        )
        record_audit(
            actor=actor,
            action="report.period_added",
            target=period,
            changes={"name": name, "starts": first, "ends": last},
        )
        publish_district_change(district.pk, "reporting_periods")
    return period


PERIOD_FIELDS = ["name", "starts", "ends"]


def check_change_period(
    period: ReportingPeriod, *, actor: Any, name: Any, starts: Any, ends: Any
) -> ReportingPeriod:
    """Rename a period or move its days. Once a report uses it, its days are what those
    reports were written about: only its name may change (archive it and add another)."""
    district = period.district
    _district_admin(actor, district)
    if period.is_archived:
        raise ValidationError(_("This period is archived: it can no longer change."))
    name, first, last = _check_period(district, name, starts, ends)
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()
        row = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        moved = (first, last) != (row.starts, row.ends)
        if moved and selectors.period_in_use(row):
            raise ValidationError(
                {
                    "starts": [
                        _(
                            "Reports are written for this period, so its days cannot change. "
                            "Archive it and add a new period instead."
                        )
                    ]
                }
            )
        _refuse_clashes(district, name, first, last, other_than=row.pk)
        before = snapshot(row, PERIOD_FIELDS)
        row.name, row.starts, row.ends = name, first, last
        changed = diff(before, snapshot(row, PERIOD_FIELDS))
        if changed:
            row.save(update_fields=PERIOD_FIELDS)
            record_audit(actor=actor, action="report.period_changed", target=row, changes=changed)
            publish_district_change(district.pk, "reporting_periods")
    return row


def check_archive_period(period: ReportingPeriod, *, actor: Any) -> ReportingPeriod:
    """Retire a period: its reports keep it, no new report is drafted in it, its days
    and name are free again. Nothing is deleted; archiving twice changes nothing."""
    _district_admin(actor, period.district)
    with transaction.atomic():
        row = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if row.is_archived:
            return row
        row.archived_at, row.archived_by = timezone.now(), actor
        row.save(update_fields=["archived_at", "archived_by"])
        record_audit(
            actor=actor,
            action="report.period_archived",
            target=row,
            changes={"name": row.name, "starts": row.starts, "ends": row.ends},
        )
        publish_district_change(row.district_id, "reporting_periods")
    return row


def do_set_report_settings(
    district: District,
    *,
    actor: Any,
    labels: dict[str, dict[str, str]] | None = None,
    minimum_points: int | None = None,
) -> ReportSettings:
    """The district's own words for the ratings ({rating: {language: words}}) and how
    many points a period needs before progress is judged from them."""
    _district_admin(actor, district)
    errors: Errors = {}
    cleaned: dict[str, dict[str, str]] = {}
    for rating, words in (labels or {}).items():
        if rating not in Rating.values or not isinstance(words, dict):
            errors["labels"] = [_("Name each rating from the list with words per language.")]
            break
        cleaned[rating] = {str(k): str(v).strip()[:100] for k, v in words.items() if v}
    if minimum_points is not None and not 1 <= int(minimum_points) <= 50:
        errors["minimum_points"] = [_("Choose a number from 1 to 50.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings, _created = ReportSettings.objects.get_or_create(district=district)
        if labels is not None:
            settings.labels = cleaned
        if minimum_points is not None:
            settings.minimum_points = int(minimum_points)
        settings.save(update_fields=["labels", "minimum_points"])
        record_audit(
            actor=actor,
            action="report.settings_changed",
            target=settings,
            changes={"labels": settings.labels, "minimum_points": settings.minimum_points},
        )
    return settings


MAX_RATING_LABEL = 100


def check_set_rating_labels(
    district: District, *, actor: Any, labels: dict[str, dict[str, Any]]
) -> ReportSettings:
    """The district's own words for each canonical rating, per language; a blank one
    reads with SamePage's own words. ``labels``: {rating: {language: words}}."""
    _district_admin(actor, district)
    errors: Errors = {}
    cleaned: dict[str, dict[str, str]] = {}
    for rating, words in labels.items():
        if rating not in Rating.values or not isinstance(words, dict):
            raise ValidationError(_("Name each rating from the list with words per language."))
        for language, text in words.items():
            text = " ".join(str(text or "").split())
            if len(text) > MAX_RATING_LABEL:
                errors[f"{rating}_{language}"] = [
                    _("Please keep this under %(n)s characters.")
                    % {"n": number_format(MAX_RATING_LABEL)}
                ]
            elif text:
                cleaned.setdefault(rating, {})[str(language)] = text
    if errors:
        raise ValidationError(errors)
    return do_set_report_settings(district, actor=actor, labels=cleaned)
