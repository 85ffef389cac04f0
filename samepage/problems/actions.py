"""Every write to the problem-solving log: raise, edit, close and reopen a situation, add
an idea, agree a try, record its outcome, and add what helped to the child's profile.

Each takes a keyword-only ``actor`` and the ``ProblemAccess`` the permission layer worked
out for them, runs in one transaction, writes its audit row (naming the student) and
publishes its event for notices. The actions refuse again what the permission layer
refuses, so no caller can skip a rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samepage.core.audit import record_audit
from samepage.core.conflicts import EditConflict
from samepage.core.dates import district_today, on_each_district_today
from samepage.core.events import Event, publish
from samepage.problems.models import (
    LINKABLE_SECTIONS,
    SUMMARY_LIMIT,
    AgreedTry,
    SituationIdea,
    SituationProfileLink,
    SituationRevision,
    SituationStatus,
    TrickySituation,
    TryOutcome,
    TryResult,
)
from samepage.problems.permissions import ProblemAccess
from samepage.problems.selectors import linkable_entries, owners_to_choose
from samepage.profiles.actions import check_add_entry, clean_text
from samepage.profiles.models import ProfileEntry
from samepage.schools.models import Student
from samepage.teams.permissions import Part, check_access_for

TEXT_FIELDS = ("summary", "what_happens", "when_it_happens", "where_it_happens")


def _check(access: ProblemAccess | None, *, actor: Any, student: Student) -> ProblemAccess:
    check_access_for(access.record if access is not None else None, actor=actor, student=student)
    assert access is not None
    if not access.can_view:
        raise PermissionDenied(_("This part of the record is not shared with you."))
    return access


def _event(kind: str, actor: Any, student: Student, target: Any) -> None:
    publish(Event(kind, actor, student, Part.PROFILE, target))


def _collect(errors: dict[str, list[Any]], field: str, clean: Any) -> Any:
    try:
        return clean()
    except ValidationError as e:
        errors.update(e.message_dict if hasattr(e, "error_dict") else {field: e.messages})
        return None


def _situation_fields(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, list[Any]] = {}
    cleaned: dict[str, str] = {}
    cleaned["summary"] = _collect(
        errors, "summary", lambda: clean_text(values.get("summary"), field="summary")
    )
    if cleaned["summary"] and len(cleaned["summary"]) > SUMMARY_LIMIT:
        errors["summary"] = [
            _("Keep this to %(limit)s characters or fewer; write the rest below.")
            % {"limit": SUMMARY_LIMIT}
        ]
    cleaned["what_happens"] = _collect(
        errors,
        "what_happens",
        lambda: clean_text(values.get("what_happens"), field="what_happens"),
    )
    for name in ("when_it_happens", "where_it_happens"):
        cleaned[name] = _collect(
            errors, name, lambda n=name: clean_text(values.get(n), field=n, required=False)
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _entries(student: Student, access: ProblemAccess, entry_ids: Any) -> list[ProfileEntry]:
    """The profile entries a situation points at: this child's triggers or calming
    strategies the actor may see. Anything else (another child's entry, a private draft,
    an archived one) is refused, never linked."""
    if not entry_ids:
        return []
    try:
        wanted = {int(i) for i in entry_ids}
    except (TypeError, ValueError):
        raise ValidationError({"entries": [_("Choose entries of this child's profile.")]}) from None
    allowed = {e.pk: e for e in linkable_entries(student, access.profile)}
    if not wanted <= set(allowed):
        raise ValidationError(
            {
                "entries": [
                    _(
                        "Only this child's triggers and calming strategies, shared with the "
                        "team, can be linked."
                    )
                ]
            }
        )
    return [allowed[pk] for pk in sorted(wanted)]


def _revision(situation: TrickySituation, actor: Any) -> None:
    SituationRevision.objects.create(
        situation=situation,
        number=situation.revision,
        author=actor,
        **{name: getattr(situation, name) for name in TEXT_FIELDS},
    )


def check_raise_situation(
    student: Student,
    *,
    actor: Any,
    access: ProblemAccess | None,
    summary: Any,
    what_happens: Any,
    when_it_happens: Any = "",
    where_it_happens: Any = "",
    entry_ids: Any = (),
) -> TrickySituation:
    """Anyone who sees the child's profile raises a tricky situation, optionally
    pointing at triggers or calming strategies already in the profile."""
    access = _check(access, actor=actor, student=student)
    if not access.can_raise:
        raise PermissionDenied(_("This part of the record is not shared with you."))
    errors: dict[str, list[Any]] = {}
    fields = _collect(
        errors,
        "summary",
        lambda: _situation_fields(
            {
                "summary": summary,
                "what_happens": what_happens,
                "when_it_happens": when_it_happens,
                "where_it_happens": where_it_happens,
            }
        ),
    )
    entries = _collect(errors, "entries", lambda: _entries(student, access, entry_ids))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        situation = TrickySituation.objects.create(student=student, raised_by=actor, **fields)
        _revision(situation, actor)
        for entry in entries:
            SituationProfileLink.objects.create(situation=situation, entry=entry, added_by=actor)
        record_audit(
            actor=actor,
            action="problem.raised",
            target=situation,
            changes={"student": student.pk, "entries": [e.pk for e in entries]},
        )
        _event("problem.raised", actor, student, situation)
    return situation


def check_edit_situation(
    situation: TrickySituation,
    *,
    actor: Any,
    access: ProblemAccess | None,
    expected_revision: Any,
    **values: Any,
) -> TrickySituation:
    """Save new words for a situation; a form opened before someone else's save raises
    ``EditConflict`` with both texts. Every saved text is kept as a revision."""
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_edit(situation):
        raise PermissionDenied(
            _("The person who raised this, or staff on the child's team, can change it.")
        )
    try:
        expected = int(expected_revision)
    except (TypeError, ValueError):
        raise ValidationError(
            {"revision": [_("This form is out of date. Open it again and save.")]}
        ) from None
    cleaned = _situation_fields(values)
    with transaction.atomic():
        fresh = TrickySituation.objects.select_for_update().get(pk=situation.pk)
        if fresh.revision != expected:
            raise EditConflict(
                theirs={name: getattr(fresh, name) for name in TEXT_FIELDS},
                yours=cleaned,
                revision=fresh.revision,
            )
        if all(getattr(fresh, name) == cleaned[name] for name in TEXT_FIELDS):
            return fresh
        for name in TEXT_FIELDS:
            setattr(fresh, name, cleaned[name])
        fresh.revision += 1
        fresh.save(update_fields=[*TEXT_FIELDS, "revision", "updated_at"])
        _revision(fresh, actor)
        record_audit(
            actor=actor,
            action="problem.edited",
            target=fresh,
            changes={"student": fresh.student_id, "revision": fresh.revision},
        )
    fresh.student = situation.student
    return fresh


def check_close_situation(
    situation: TrickySituation, *, actor: Any, access: ProblemAccess | None, status: Any
) -> TrickySituation:
    """Close a situation as resolved or no longer happening; it stays in the log."""
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_edit(situation):
        raise PermissionDenied(
            _("The person who raised this, or staff on the child's team, can change it.")
        )
    if status not in (SituationStatus.RESOLVED, SituationStatus.STOPPED):
        raise ValidationError(
            {"status": [_("Choose whether it was resolved or is no longer happening.")]}
        )
    with transaction.atomic():
        fresh = TrickySituation.objects.select_for_update().get(pk=situation.pk)
        if not fresh.is_open:
            return fresh
        fresh.status = status
        fresh.is_open = False
        fresh.closed_at = timezone.now()
        fresh.closed_by = actor
        fresh.save(update_fields=["status", "is_open", "closed_at", "closed_by", "updated_at"])
        record_audit(
            actor=actor,
            action="problem.closed",
            target=fresh,
            changes={"student": fresh.student_id, "status": status},
        )
    return fresh


def check_reopen_situation(
    situation: TrickySituation, *, actor: Any, access: ProblemAccess | None
) -> TrickySituation:
    """It is happening again: the situation is open once more, its history whole."""
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_edit(situation):
        raise PermissionDenied(
            _("The person who raised this, or staff on the child's team, can change it.")
        )
    with transaction.atomic():
        fresh = TrickySituation.objects.select_for_update().get(pk=situation.pk)
        if fresh.is_open:
            return fresh
        before = fresh.status
        fresh.status = SituationStatus.OPEN
        fresh.is_open = True
        fresh.closed_at = None
        fresh.closed_by = None
        fresh.save(update_fields=["status", "is_open", "closed_at", "closed_by", "updated_at"])
        record_audit(
            actor=actor,
            action="problem.reopened",
            target=fresh,
            changes={"student": fresh.student_id, "status": [before, SituationStatus.OPEN]},
        )
    return fresh


def _still_open(situation: TrickySituation) -> None:
    if not situation.is_open:
        raise ValidationError(_("This situation is closed. Reopen it to add to it."))


def check_add_idea(
    situation: TrickySituation, *, actor: Any, access: ProblemAccess | None, text: Any
) -> SituationIdea:
    """Anyone who sees the situation, the family included, puts forward an idea."""
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_add_idea:
        raise PermissionDenied(_("This part of the record is not shared with you."))
    cleaned = clean_text(text)
    _still_open(situation)
    with transaction.atomic():
        idea = SituationIdea.objects.create(situation=situation, text=cleaned, author=actor)
        record_audit(
            actor=actor,
            action="problem.idea_added",
            target=idea,
            changes={"student": situation.student_id, "situation": situation.pk},
        )
        _event("problem.idea_added", actor, situation.student, idea)
    return idea


def _day(value: Any, field: str, missing: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
        raise ValidationError({field: [_("Enter a real date.")]})
    raise ValidationError({field: [missing]})


def check_agree_try(
    situation: TrickySituation,
    *,
    actor: Any,
    access: ProblemAccess | None,
    what: Any,
    owner_id: Any,
    due_on: Any,
    follow_up_on: Any,
) -> AgreedTry:
    """Staff on the team record what the team agreed to try, who owns it (anyone on the
    team now, the family included), when it starts and when to look at it again."""
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_agree:
        raise PermissionDenied(_("Staff on the child's team record what the team agreed to try."))
    student = situation.student
    errors: dict[str, list[Any]] = {}
    cleaned = _collect(errors, "what", lambda: clean_text(what, field="what"))
    owners = {u.pk: u for u in owners_to_choose(student)}
    try:
        owner = owners.get(int(owner_id))
    except (TypeError, ValueError):
        owner = None
    if owner is None:
        errors["owner"] = [_("Choose someone on the child's team to own this.")]
    starts = _collect(
        errors, "due_on", lambda: _day(due_on, "due_on", _("Choose when the try starts."))
    )
    follow = _collect(
        errors,
        "follow_up_on",
        lambda: _day(follow_up_on, "follow_up_on", _("Choose when to follow up.")),
    )
    today = district_today(student.district)
    if follow is not None and starts is not None and follow < starts:
        errors.setdefault("follow_up_on", []).append(
            _("The follow-up cannot be before the try starts (%(day)s). Choose a later day.")
            % {"day": date_format(starts, "DATE_FORMAT")}
        )
    elif follow is not None and follow < today:
        errors.setdefault("follow_up_on", []).append(
            _("The follow-up day has already passed. Choose today or a later day.")
        )
    for name, day in (("due_on", starts), ("follow_up_on", follow)):
        if day is not None and (day.year > today.year + 5 or day.year < today.year - 5):
            errors.setdefault(name, []).append(_("Choose a day within the next few years."))
    if errors:
        raise ValidationError(errors)
    _still_open(situation)
    assert owner is not None and starts is not None and follow is not None
    with transaction.atomic():
        agreed = AgreedTry.objects.create(
            situation=situation,
            what=cleaned,
            owner=owner,
            due_on=starts,
            follow_up_on=follow,
            agreed_by=actor,
        )
        record_audit(
            actor=actor,
            action="problem.try_agreed",
            target=agreed,
            changes={
                "student": student.pk,
                "situation": situation.pk,
                "owner": owner.pk,
                "due_on": starts,
                "follow_up_on": follow,
            },
        )
        # Only the owner hears of it: the kind's audience (permissions.owner_hears_of_try).
        _event("problem.try_agreed", actor, student, agreed)
    return agreed


def check_record_outcome(
    agreed: AgreedTry, *, actor: Any, access: ProblemAccess | None, result: Any, note: Any = ""
) -> TryOutcome:
    """The owner, or staff on the team, say how the try went (once)."""
    situation = agreed.situation
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_record_outcome(agreed):
        raise PermissionDenied(
            _("The person who owns this try, or staff on the child's team, record how it went.")
        )
    errors: dict[str, list[Any]] = {}
    if result not in TryResult.values:
        errors["result"] = [_("Choose how it went.")]
    cleaned = _collect(errors, "note", lambda: clean_text(note, field="note", required=False))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = AgreedTry.objects.select_for_update().get(pk=agreed.pk)
        if TryOutcome.objects.filter(agreed_try=locked).exists():
            raise ValidationError(_("How this try went was already recorded."))
        outcome = TryOutcome.objects.create(
            agreed_try=locked, result=result, note=cleaned, recorded_by=actor
        )
        record_audit(
            actor=actor,
            action="problem.outcome_recorded",
            target=outcome,
            changes={"student": situation.student_id, "try": agreed.pk, "result": result},
        )
        _event("problem.outcome_recorded", actor, situation.student, outcome)
    return outcome


def profile_text(agreed: AgreedTry, section: str) -> str:
    """What an entry made from a try says unless the person changes it: the try for a
    calming strategy, the situation's own words for a trigger."""
    if section == "triggers":
        return agreed.situation.what_happens
    return agreed.what


def check_add_to_profile(
    agreed: AgreedTry,
    *,
    actor: Any,
    access: ProblemAccess | None,
    section: Any,
    text: Any = None,
) -> ProfileEntry:
    """Add what helped to the child's profile, through the profile's own action (so it
    is attributed to the person who did it), and link the entry to the situation.

    Once per outcome: a second click (or a second tab) gets the entry already made.
    """
    situation = agreed.situation
    access = _check(access, actor=actor, student=situation.student)
    if not access.can_feed_profile:
        raise PermissionDenied(
            _("Families, the student and school staff write in the profile. You can read it.")
        )
    if section not in LINKABLE_SECTIONS:
        raise ValidationError({"section": [_("Choose calming strategies or triggers.")]})
    with transaction.atomic():
        outcome = TryOutcome.objects.select_for_update().filter(agreed_try=agreed).first()
        if outcome is None or not outcome.helped:
            raise ValidationError(_("Only a try that helped can be added to the profile."))
        made = (
            SituationProfileLink.objects.filter(from_outcome=outcome)
            .select_related("entry")
            .first()
        )
        if made is not None:
            return made.entry
        words = profile_text(agreed, section) if text in (None, "") else text
        entry = check_add_entry(
            actor=actor,
            student=situation.student,
            access=access.profile,
            section=section,
            text=words,
        )
        SituationProfileLink.objects.create(
            situation=situation, entry=entry, added_by=actor, from_outcome=outcome
        )
        record_audit(
            actor=actor,
            action="problem.fed_profile",
            target=outcome,
            changes={
                "student": situation.student_id,
                "situation": situation.pk,
                "entry": entry.pk,
                "section": section,
            },
        )
    return entry


def do_send_follow_up_reminders(*, today_of: Any = district_today) -> int:
    """Tell each owner once that a try's follow-up day has come (the daily command).

    Safe to run twice: a try is marked reminded in the same transaction as its event,
    and the event's key is the try, so a notice is never made twice.
    """
    sent = 0
    due = (
        AgreedTry.objects.filter(
            on_each_district_today(
                "situation__student__district__time_zone",
                lambda day: Q(follow_up_on__lte=day),
            ),
            reminded_on__isnull=True,
            outcome__isnull=True,
            situation__is_open=True,
        )
        .select_related("situation__student__district", "owner")
        .order_by("id")
    )
    for agreed in due:
        student = agreed.situation.student
        today = today_of(student.district)
        if agreed.follow_up_on > today:
            continue
        with transaction.atomic():
            claimed = AgreedTry.objects.filter(pk=agreed.pk, reminded_on__isnull=True).update(
                reminded_on=today
            )
            if not claimed:
                continue
            record_audit(
                actor=None,
                action="problem.follow_up_reminded",
                target=agreed,
                changes={"student": student.pk, "owner": agreed.owner_id},
            )
            _event("problem.follow_up_due", None, student, agreed)
        sent += 1
    return sent
