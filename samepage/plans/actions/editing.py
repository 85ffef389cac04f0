"""Editing a plan's draft: narrative sections, plan dates, goals (with objectives),
services and accommodations.

Every action locks the draft version row, re-checks that it is still a draft (a plan
finalized a moment ago is refused with the amendment path), compares the revision the
form was opened at with the stored one (a stale form raises ``EditConflict`` carrying
both versions, so nothing anyone wrote is lost), validates, saves and writes one audit
row, all in one transaction.

Required fields are not enforced here: a draft may be half written. What a plan needs
before it is final is checked at finalize (``plans/validation.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.core.audit import diff, record_audit
from samepage.core.conflicts import EditConflict
from samepage.plans.actions.lifecycle import require_draft
from samepage.plans.content import ITEM_FIELDS
from samepage.plans.models import (
    Accommodation,
    Goal,
    LineageDecision,
    Objective,
    Plan,
    PlanItem,
    PlanSection,
    PlanVersion,
    Service,
)
from samepage.plans.sections import AREAS, ITEM_TITLES, Field, items_for, section

# Long narrative text (a present-levels paragraph can be long, not a book).
TEXT_LIMIT = 20_000
LINE_LIMIT = 500
OBJECTIVE_LIMIT = 2_000
MAX_OBJECTIVES = 20
# A plan runs for at most a year (a leap year, plus the day it starts).
MAX_PLAN_DAYS = 366
# Dates outside this window are typing mistakes, not plans.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
# Minutes of service that fit in a school day, week and month.
MAX_SERVICE_MINUTES = {"day": 480, "week": 2400, "month": 10_400}
_TOO_MANY_MINUTES = {
    "day": gettext_lazy(
        "A school day holds at most %(limit)s minutes. Enter %(limit)s or fewer minutes "
        "per day, or choose per week or per month."
    ),
    "week": gettext_lazy(
        "A school week holds at most %(limit)s minutes. Enter %(limit)s or fewer minutes "
        "per week, or choose per month."
    ),
    "month": gettext_lazy(
        "A school month holds at most %(limit)s minutes. Enter %(limit)s or fewer minutes "
        "per month."
    ),
}
# Number fields of sections and the values that make sense for them.
NUMBER_LIMITS: dict[str, tuple[int, int]] = {"percent_general_education": (0, 100)}
DEFAULT_NUMBER_LIMITS = (0, 1_000_000)


# --- the draft being edited -------------------------------------------------------------


def editable_draft(plan: Plan) -> PlanVersion:
    """The plan's draft version; a plan without one is refused with the amendment path."""
    versions = list(PlanVersion.objects.filter(plan=plan).order_by("-number"))
    draft = next((v for v in versions if v.is_draft), None)
    if draft is None:
        if versions:
            require_draft(versions[0])
        raise PermissionDenied(_("This plan has no draft to edit."))
    draft.plan = plan
    return draft


def _lock_draft(version: PlanVersion) -> PlanVersion:
    """Lock the version row and check it is still a draft (finalize takes the same lock)."""
    fresh = PlanVersion.objects.select_for_update().get(pk=version.pk)
    require_draft(fresh)
    return fresh


def _touch(version: PlanVersion) -> None:
    # The draft changed: lets "changed since it was shared" compare one timestamp.
    now = timezone.now()
    PlanVersion.objects.filter(pk=version.pk).update(updated_at=now)
    version.updated_at = now


# --- value cleaning shared by sections and items ----------------------------------------


def _errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_text(value: Any, *, limit: int, multiline: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."))
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if len(text) > limit:
        raise ValidationError(
            _("Keep this to %(limit)s characters or fewer (it has %(count)s).")
            % {"limit": f"{limit:,}", "count": f"{len(text):,}"}
        )
    return text


def _clean_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(_("Enter a date, for example 2026-09-01.")) from None
    else:
        raise ValidationError(_("Enter a date, for example 2026-09-01."))
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year}
        )
    return day


def _clean_number(value: Any, *, low: int, high: int) -> int | float | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    if not low <= number <= high:
        raise ValidationError(
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    if number == number.to_integral_value():
        return int(number)
    result = float(round(number, 2))
    return result if math.isfinite(result) else None


def _clean_choice(value: Any, choices: Sequence[tuple[str, Any]]) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in {key for key, _label in choices}:
        raise ValidationError(_("Choose one of the options."))
    return value


def _clean_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, "", "0", "false", "False", "off", "no"):
        return False
    if value in ("1", "true", "True", "on", "yes"):
        return True
    raise ValidationError(_("Answer yes or no."))


def _collect(errors: dict[str, list[str]], name: str, clean: Any, *args: Any, **kw: Any) -> Any:
    try:
        return clean(*args, **kw)
    except ValidationError as e:
        errors.setdefault(name, []).extend(e.messages)
        return None


# --- sections ---------------------------------------------------------------------------


def _empty(f: Field) -> Any:
    if f.kind in ("date", "number"):
        return None
    if f.kind == "bool":
        return False
    return ""


def _clean_field(f: Field, value: Any) -> Any:
    if f.kind == "text":
        return _clean_text(value, limit=TEXT_LIMIT, multiline=True)
    if f.kind == "line":
        return _clean_text(value, limit=LINE_LIMIT, multiline=False)
    if f.kind == "date":
        day = _clean_date(value)
        return day.isoformat() if day else None
    if f.kind == "number":
        low, high = NUMBER_LIMITS.get(f.name, DEFAULT_NUMBER_LIMITS)
        return _clean_number(value, low=low, high=high)
    if f.kind == "choice":
        return _clean_choice(value, f.choices)
    if f.kind == "bool":
        return _clean_bool(value)
    raise ValueError(f"unknown field kind {f.kind}")


def clean_section_data(plan_type: str, key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of the section, parsed and checked; unknown names are refused."""
    definition = section(plan_type, key)
    if definition is None:
        raise ValidationError(_("This plan has no section called “%(key)s”.") % {"key": key})
    known = {f.name for f in definition.fields}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(
            _("This section has no field called %(names)s.") % {"names": ", ".join(unknown)}
        )
    errors: dict[str, list[str]] = {}
    cleaned = {
        f.name: _collect(errors, f.name, _clean_field, f, data.get(f.name))
        for f in definition.fields
    }
    _errors(errors)
    return cleaned


def section_values(plan_type: str, key: str, stored: Mapping[str, Any]) -> dict[str, Any]:
    """The stored data with every field present (empty ones as empty values)."""
    definition = section(plan_type, key)
    if definition is None:
        return dict(stored)
    return {f.name: stored.get(f.name, _empty(f)) for f in definition.fields}


def do_save_section(
    version: PlanVersion,
    key: str,
    data: Mapping[str, Any],
    *,
    actor: Any,
    expected_revision: int,
) -> PlanSection:
    """Replace a section's fields. A stale ``expected_revision`` raises EditConflict."""
    plan_type = version.plan.plan_type
    with transaction.atomic():
        version = _lock_draft(version)
        cleaned = clean_section_data(plan_type, key, data)
        stored, _created = PlanSection.objects.select_for_update().get_or_create(
            version=version, key=key, defaults={"data": {}}
        )
        before = section_values(plan_type, key, stored.data)
        if expected_revision != stored.revision:
            raise EditConflict(theirs=before, yours=cleaned, revision=stored.revision)
        changes = diff(before, cleaned)
        if not changes:
            return stored
        stored.data = cleaned
        stored.revision += 1
        stored.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        stored.save(update_fields=["data", "revision", "updated_by", "updated_at"])
        _touch(version)
        record_audit(
            actor=actor,
            action="plan.section_saved",
            target=stored,
            changes={
                "version": version.pk,
                "key": key,
                "revision": stored.revision,
                "fields": changes,
            },
        )
    return stored


# --- plan dates -------------------------------------------------------------------------


def do_set_plan_dates(
    version: PlanVersion,
    *,
    actor: Any,
    proposed_start: Any,
    proposed_end: Any,
    expected_revision: int,
) -> PlanVersion:
    """Set when the plan starts and ends: end after start, at most a year apart."""
    with transaction.atomic():
        fresh = _lock_draft(version)
        errors: dict[str, list[str]] = {}
        start = _collect(errors, "proposed_start", _clean_date, proposed_start)
        end = _collect(errors, "proposed_end", _clean_date, proposed_end)
        if start is None and "proposed_start" not in errors:
            errors["proposed_start"] = [_("Enter when the plan starts.")]
        if end is None and "proposed_end" not in errors:
            errors["proposed_end"] = [_("Enter when the plan ends.")]
        if start is not None and end is not None:
            if end <= start:
                errors["proposed_end"] = [_("The plan must end after it starts.")]
            elif (end - start).days > MAX_PLAN_DAYS:
                errors["proposed_end"] = [
                    _("A plan lasts at most one year. Choose an end date on or before %(date)s.")
                    % {"date": date_format(start + timedelta(days=MAX_PLAN_DAYS), "DATE_FORMAT")}
                ]
        _errors(errors)
        yours = {"proposed_start": start.isoformat(), "proposed_end": end.isoformat()}
        before = {
            "proposed_start": fresh.proposed_start.isoformat() if fresh.proposed_start else None,
            "proposed_end": fresh.proposed_end.isoformat() if fresh.proposed_end else None,
        }
        if expected_revision != fresh.revision:
            raise EditConflict(theirs=before, yours=yours, revision=fresh.revision)
        changes = diff(before, yours)
        if not changes:
            return fresh
        fresh.proposed_start = start
        fresh.proposed_end = end
        fresh.revision += 1
        fresh.save(update_fields=["proposed_start", "proposed_end", "revision", "updated_at"])
        record_audit(
            actor=actor,
            action="plan.dates_set",
            target=fresh,
            changes={"revision": fresh.revision, "fields": changes},
        )
    fresh.plan = version.plan
    return fresh


# --- goals, services, accommodations ----------------------------------------------------


@dataclass(frozen=True)
class ItemField:
    name: str
    kind: str  # text, line, date, minutes, choice
    limit: int = TEXT_LIMIT
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = False
    default: Any = ""


@dataclass(frozen=True)
class ItemKind:
    """One kind of plan item: its table, its name in decisions and its fields."""

    key: str  # as in sections.items_for: "goals"
    decision_kind: str  # as in LineageDecision.item_kind: "goal"
    model: type[PlanItem]
    fields: tuple[ItemField, ...]

    def field(self, name: str) -> ItemField | None:
        return next((f for f in self.fields if f.name == name), None)


def _choices(choices: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((str(k), v) for k, v in choices)


GOALS = ItemKind(
    "goals",
    "goal",
    Goal,
    (
        ItemField("area", "choice", choices=AREAS, required=True),
        ItemField("statement", "text", required=True),
        ItemField("baseline", "text"),
        ItemField("target", "text"),
        ItemField("measurement_method", "line", limit=300),
        ItemField("schedule", "line", limit=200),
        ItemField("mastery_criterion", "line", limit=300),
    ),
)
SERVICES = ItemKind(
    "services",
    "service",
    Service,
    (
        ItemField("category", "choice", choices=_choices(Service.Category.choices), required=True),
        ItemField("description", "line", limit=300, required=True),
        ItemField("provider_role", "line", limit=120),
        ItemField("minutes", "minutes", default=None),
        ItemField("frequency_unit", "choice", choices=_choices(Service.Unit.choices)),
        ItemField("start_date", "date", default=None),
        ItemField("end_date", "date", default=None),
        ItemField("setting", "line", limit=200),
        ItemField(
            "delivery",
            "choice",
            choices=_choices(Service.Delivery.choices),
            default=Service.Delivery.DIRECT,
        ),
        ItemField(
            "grouping",
            "choice",
            choices=_choices(Service.Grouping.choices),
            default=Service.Grouping.INDIVIDUAL,
        ),
    ),
)
ACCOMMODATIONS = ItemKind(
    "accommodations",
    "accommodation",
    Accommodation,
    (
        ItemField("description", "text", required=True),
        ItemField(
            "kind",
            "choice",
            choices=_choices(Accommodation.Kind.choices),
            default=Accommodation.Kind.ACCOMMODATION,
        ),
        ItemField(
            "applies_to",
            "choice",
            choices=_choices(Accommodation.AppliesTo.choices),
            default=Accommodation.AppliesTo.BOTH,
        ),
    ),
)
ITEM_KINDS: dict[str, ItemKind] = {k.key: k for k in (GOALS, SERVICES, ACCOMMODATIONS)}
assert all(tuple(f.name for f in k.fields) == ITEM_FIELDS[k.key] for k in ITEM_KINDS.values())


def _clean_minutes(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter the minutes as a whole number above zero."))
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Enter the minutes as a whole number above zero.")) from None
    if minutes <= 0:
        raise ValidationError(_("Enter the minutes as a whole number above zero."))
    return minutes


def _clean_item_value(f: ItemField, value: Any) -> Any:
    if f.kind in ("text", "line"):
        text = _clean_text(value, limit=f.limit, multiline=f.kind == "text")
        if f.required and not text:
            raise ValidationError(_("This is needed."))
        return text
    if f.kind == "date":
        return _clean_date(value)
    if f.kind == "minutes":
        return _clean_minutes(value)
    if f.kind == "choice":
        choice = _clean_choice(value, f.choices)
        if not choice:
            if f.required:
                raise ValidationError(_("Choose one of the options."))
            return f.default
        return choice
    raise ValueError(f"unknown item field kind {f.kind}")


def _clean_objectives(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    lines = value.splitlines() if isinstance(value, str) else list(value)
    objectives = [_clean_text(line, limit=OBJECTIVE_LIMIT, multiline=False) for line in lines]
    objectives = [o for o in objectives if o]
    if len(objectives) > MAX_OBJECTIVES:
        raise ValidationError(
            _("A goal can have at most %(limit)s objectives.") % {"limit": MAX_OBJECTIVES}
        )
    return objectives


def _check_service(
    values: dict[str, Any], version: PlanVersion, errors: dict[str, list[str]]
) -> None:
    minutes, unit = values.get("minutes"), values.get("frequency_unit")
    if minutes is not None and not unit:
        errors.setdefault("frequency_unit", []).append(
            _("Choose how often: per day, per week or per month.")
        )
    if unit and minutes is None and "minutes" not in errors:
        errors.setdefault("minutes", []).append(_("Enter how many minutes."))
    if minutes is not None and unit in MAX_SERVICE_MINUTES and minutes > MAX_SERVICE_MINUTES[unit]:
        errors.setdefault("minutes", []).append(
            str(_TOO_MANY_MINUTES[unit]) % {"limit": f"{MAX_SERVICE_MINUTES[unit]:,}"}
        )
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("The service cannot end before it starts."))
    term_start, term_end = version.proposed_start, version.proposed_end
    if term_start and term_end:
        for name in ("start_date", "end_date"):
            day = values.get(name)
            if day and not term_start <= day <= term_end and name not in errors:
                errors.setdefault(name, []).append(
                    _("Choose a date within the plan's dates, %(start)s to %(end)s.")
                    % {
                        "start": date_format(term_start, "DATE_FORMAT"),
                        "end": date_format(term_end, "DATE_FORMAT"),
                    }
                )


def clean_item(
    kind: ItemKind,
    values: Mapping[str, Any],
    *,
    version: PlanVersion,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Check the submitted fields; with ``current``, only those given change."""
    names = {f.name for f in kind.fields}
    if kind is GOALS:
        names.add("objectives")
    unknown = sorted(set(values) - names)
    if unknown:
        raise ValidationError(
            _("There is no field called %(names)s here.") % {"names": ", ".join(unknown)}
        )
    errors: dict[str, list[str]] = {}
    result: dict[str, Any] = dict(current or {})
    for f in kind.fields:
        if current is not None and f.name not in values:
            continue
        result[f.name] = _collect(errors, f.name, _clean_item_value, f, values.get(f.name))
    if kind is GOALS and (current is None or "objectives" in values):
        result["objectives"] = _collect(
            errors, "objectives", _clean_objectives, values.get("objectives")
        )
    if kind is SERVICES:
        _check_service(result, version, errors)
    _errors(errors)
    return result


def item_values(kind: ItemKind, item: Any, objectives: list[Any] | None = None) -> dict[str, Any]:
    """An item's fields as stored (goals with their objectives' statements)."""
    values = {f.name: getattr(item, f.name) for f in kind.fields}
    if kind is GOALS:
        rows = objectives if objectives is not None else list(item.objectives.all())
        values["objectives"] = [o.statement for o in rows]
    return values


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _existed_before(kind: ItemKind, item: PlanItem) -> bool:
    """Whether this item's lineage appears in an earlier version (of any plan)."""
    model: Any = kind.model
    return bool(
        model.objects.filter(lineage_id=item.lineage_id)
        .exclude(version_id=item.version_id)
        .exists()
    )


def _decide(
    version: PlanVersion,
    kind: ItemKind,
    item: PlanItem,
    decision: str,
    actor: Any,
    reason: str = "",
) -> None:
    LineageDecision.objects.update_or_create(
        version=version,
        item_kind=kind.decision_kind,
        lineage_id=item.lineage_id,
        defaults={
            "decision": decision,
            "reason": reason,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )


def _save_objectives(goal: Goal, statements: list[str]) -> None:
    """Keep objectives' lineage ids stable: an unchanged statement keeps its own, the rest
    reuse the remaining ones in order; objectives no longer listed are deleted (earlier
    versions keep their own copies, and the audit row keeps the words)."""
    existing = list(Objective.objects.filter(goal=goal).order_by("position", "id"))
    unused = list(existing)
    chosen: list[Objective | None] = []
    for statement in statements:
        match = next((o for o in unused if o.statement == statement), None)
        if match is not None:
            unused.remove(match)
        chosen.append(match)
    for index, statement in enumerate(statements):
        obj = chosen[index]
        if obj is None and not unused:
            Objective.objects.create(goal=goal, position=index, statement=statement)
            continue
        if obj is None:
            # A reworded objective: same lineage (and criterion), new words.
            obj = unused.pop(0)
        if obj.position != index or obj.statement != statement:
            obj.position = index
            obj.statement = statement
            obj.save(update_fields=["position", "statement"])
    if unused:
        Objective.objects.filter(pk__in=[o.pk for o in unused]).delete()


def _add_item(
    kind: ItemKind, version: PlanVersion, *, actor: Any, values: Mapping[str, Any]
) -> Any:
    with transaction.atomic():
        version = _lock_draft(version)
        cleaned = clean_item(kind, values, version=version)
        objectives = cleaned.pop("objectives", None)
        model: Any = kind.model
        last = model.objects.filter(version=version).aggregate(last=Max("position"))["last"]
        item = model.objects.create(
            version=version, position=(last + 1) if last is not None else 0, **cleaned
        )
        if objectives is not None:
            _save_objectives(item, objectives)
            cleaned["objectives"] = objectives
        _decide(version, kind, item, LineageDecision.Decision.NEW, actor)
        _touch(version)
        record_audit(
            actor=actor,
            action=f"plan.{kind.decision_kind}_added",
            target=item,
            changes={
                "version": version.pk,
                "lineage_id": str(item.lineage_id),
                "values": _plain(cleaned),
            },
        )
    return item


def _update_item(
    kind: ItemKind, item: Any, *, actor: Any, expected_revision: int, values: Mapping[str, Any]
) -> Any:
    with transaction.atomic():
        version = _lock_draft(item.version)
        model: Any = kind.model
        fresh = model.objects.select_for_update().get(pk=item.pk)
        if fresh.removed_at is not None:
            raise ValidationError(_("This was taken out of the plan; it can no longer be edited."))
        before = item_values(kind, fresh)
        cleaned = clean_item(kind, values, version=version, current=before)
        if expected_revision != fresh.revision:
            raise EditConflict(
                theirs=_plain(before), yours=_plain(cleaned), revision=fresh.revision
            )
        changes = diff(_plain(before), _plain(cleaned))
        if not changes:
            return fresh
        objectives = cleaned.pop("objectives", None)
        names = [f.name for f in kind.fields if f.name in changes]
        for name in names:
            setattr(fresh, name, cleaned[name])
        fresh.revision += 1
        fresh.save(update_fields=[*names, "revision", "updated_at"])
        if objectives is not None and "objectives" in changes:
            _save_objectives(fresh, objectives)
        if _existed_before(kind, fresh):
            _decide(version, kind, fresh, LineageDecision.Decision.REVISED, actor)
        _touch(version)
        record_audit(
            actor=actor,
            action=f"plan.{kind.decision_kind}_updated",
            target=fresh,
            changes={
                "version": version.pk,
                "lineage_id": str(fresh.lineage_id),
                "revision": fresh.revision,
                "fields": changes,
            },
        )
    return fresh


def _remove_item(
    kind: ItemKind,
    item: Any,
    *,
    actor: Any,
    reason: str = "",
    expected_revision: int | None = None,
) -> Any:
    with transaction.atomic():
        version = _lock_draft(item.version)
        reason = _clean_text(reason, limit=TEXT_LIMIT, multiline=True)
        model: Any = kind.model
        fresh = model.objects.select_for_update().get(pk=item.pk)
        if fresh.removed_at is not None:
            return fresh
        if expected_revision is not None and expected_revision != fresh.revision:
            current = _plain(item_values(kind, fresh))
            raise EditConflict(theirs=current, yours=current, revision=fresh.revision)
        fresh.removed_at = timezone.now()
        fresh.revision += 1
        fresh.save(update_fields=["removed_at", "revision", "updated_at"])
        if _existed_before(kind, fresh):
            _decide(version, kind, fresh, LineageDecision.Decision.RETIRED, actor, reason)
        else:
            # Added in this draft and taken out again: it never reached a plan, so
            # there is nothing to decide about it.
            LineageDecision.objects.filter(
                version=version, item_kind=kind.decision_kind, lineage_id=fresh.lineage_id
            ).delete()
        _touch(version)
        record_audit(
            actor=actor,
            action=f"plan.{kind.decision_kind}_removed",
            target=fresh,
            changes={
                "version": version.pk,
                "lineage_id": str(fresh.lineage_id),
                "reason": reason,
            },
        )
    return fresh


def _require_kind(version: PlanVersion, kind: ItemKind) -> None:
    if kind.key not in items_for(version.plan.plan_type):
        raise ValidationError(
            _("A %(plan_type)s has no %(items)s.")
            % {
                "plan_type": version.plan.get_plan_type_display(),
                "items": str(ITEM_TITLES[kind.key]).lower(),
            }
        )


def do_add_goal(version: PlanVersion, *, actor: Any, **fields: Any) -> Goal:
    """Add a goal (fields as in GOALS, plus ``objectives``: a list or one per line)."""
    _require_kind(version, GOALS)
    goal: Goal = _add_item(GOALS, version, actor=actor, values=fields)
    return goal


def do_update_goal(goal: Goal, *, actor: Any, expected_revision: int, **fields: Any) -> Goal:
    updated: Goal = _update_item(
        GOALS, goal, actor=actor, expected_revision=expected_revision, values=fields
    )
    return updated


def do_remove_goal(
    goal: Goal, *, actor: Any, reason: str = "", expected_revision: int | None = None
) -> Goal:
    removed: Goal = _remove_item(
        GOALS, goal, actor=actor, reason=reason, expected_revision=expected_revision
    )
    return removed


def do_add_service(version: PlanVersion, *, actor: Any, **fields: Any) -> Service:
    service: Service = _add_item(SERVICES, version, actor=actor, values=fields)
    return service


def do_update_service(
    service: Service, *, actor: Any, expected_revision: int, **fields: Any
) -> Service:
    updated: Service = _update_item(
        SERVICES, service, actor=actor, expected_revision=expected_revision, values=fields
    )
    return updated


def do_remove_service(
    service: Service, *, actor: Any, reason: str = "", expected_revision: int | None = None
) -> Service:
    removed: Service = _remove_item(
        SERVICES, service, actor=actor, reason=reason, expected_revision=expected_revision
    )
    return removed


def do_add_accommodation(version: PlanVersion, *, actor: Any, **fields: Any) -> Accommodation:
    accommodation: Accommodation = _add_item(ACCOMMODATIONS, version, actor=actor, values=fields)
    return accommodation


def do_update_accommodation(
    accommodation: Accommodation, *, actor: Any, expected_revision: int, **fields: Any
) -> Accommodation:
    updated: Accommodation = _update_item(
        ACCOMMODATIONS,
        accommodation,
        actor=actor,
        expected_revision=expected_revision,
        values=fields,
    )
    return updated


def do_remove_accommodation(
    accommodation: Accommodation,
    *,
    actor: Any,
    reason: str = "",
    expected_revision: int | None = None,
) -> Accommodation:
    removed: Accommodation = _remove_item(
        ACCOMMODATIONS,
        accommodation,
        actor=actor,
        reason=reason,
        expected_revision=expected_revision,
    )
    return removed


# The views call these by kind.
ADD: dict[str, Callable[..., Any]] = {
    "goals": do_add_goal,
    "services": do_add_service,
    "accommodations": do_add_accommodation,
}
UPDATE: dict[str, Callable[..., Any]] = {
    "goals": do_update_goal,
    "services": do_update_service,
    "accommodations": do_update_accommodation,
}
REMOVE: dict[str, Callable[..., Any]] = {
    "goals": do_remove_goal,
    "services": do_remove_service,
    "accommodations": do_remove_accommodation,
}
