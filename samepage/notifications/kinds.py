"""Each kind of notice: its title, and the page the recipient acts on.

A registry, not an ``if kind == ...`` chain: a new event adds one entry here and one
``publish`` in its action. Titles are lazy translations with named values, so a notice
is read in whatever language its reader uses, and an email in its recipient's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from samepage.accounts.models import User
from samepage.conversations.permissions import may_hear_of_message
from samepage.deadlines import reminders as deadline_reminders
from samepage.deadlines.rules import TITLES as DEADLINE_TITLES
from samepage.plans.models import PlanSignature, PlanVersion
from samepage.plans.permissions import PlanAccess
from samepage.problems.permissions import owner_hears_of_try
from samepage.progress.alerts import email_details
from samepage.progress.selectors import goal_label
from samepage.teams.permissions import Part, StudentAccess

# "May this person, with this access to the student, read this target?"
Audience = Callable[[User, StudentAccess, Any], bool]


@dataclass(frozen=True)
class NoticeKind:
    title: Any  # a lazy translation using %(student)s, %(actor)s and the kind's own names
    link: Callable[[Any], str]  # the page to act on, from the event's target
    # Which of a person's email choices applies (a key of ``CATEGORIES``).
    category: str
    # Names the title uses beyond the student and the actor, from the target.
    names: Callable[[Any], dict[str, str]] = lambda target: {}
    # Who of those who may see the event's part may read this very target: a message in
    # a staff-only thread reaches only those who may read that thread, a private one its
    # other participant. Asked after the part check, when the notice is made and again
    # when it is emailed or texted (``permissions.may_hear_of``, the one place).
    audience: Audience | None = None
    # Names that hold a day (ISO, as stored with the notice): shown in the reader's own
    # date format when the title is read ("10 de diciembre de 2026"), never as 2026-12-10.
    dates: tuple[str, ...] = ()
    # Names that hold a key of a table of translated words (a deadline's rule): shown in
    # the reader's language when the title is read, never in the sender's.
    words: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # What its email says beyond the title, from the target, in the active language:
    # {"text": plain words, "html": a fragment (a chart and its table)}; read when the
    # email is written, so it says what holds then.
    email_details: Callable[[Any], dict[str, str]] | None = None


# What a person chooses email for, in their words: a few groups, not one per kind.
CATEGORIES: dict[str, Any] = {
    "plans": _("Plans and drafts"),
    "questions": _("Questions and answers"),
    "concerns": _("Concerns"),
    "team": _("Team and consent"),
    "messages": _("Messages"),
    "problems": _("Problem solving"),
    "progress": _("Progress, reports and services"),
}


def _shared_link(shared: Any) -> str:
    return reverse("plans:shared", args=[shared.version.plan_id, shared.number])


def _question_link(question: Any) -> str:
    return _shared_link(question.shared_draft)


def _plan_link(version: Any) -> str:
    return reverse("plans:detail", args=[version.plan_id])


def _concern_link(concern: Any) -> str:
    return reverse("concerns:detail", args=[concern.student_id, concern.pk])


def _may_sign(user: User, access: StudentAccess, version: Any) -> bool:
    """Whoever the plans app lets sign (a parent holding rights, an adult student)."""
    return PlanAccess(access).can_sign


def _asked_to_sign(user: User, access: StudentAccess, version: Any) -> bool:
    """A signer, while the plan still waits for their signature: asked again when the
    email goes, so one who signed in the meantime is not asked by email."""
    return (
        _may_sign(user, access, version)
        and version.status == PlanVersion.Status.FINAL
        and not PlanSignature.objects.filter(version=version, signer=user).exists()
    )


def _told_of_expiry(user: User, access: StudentAccess, grant: Any) -> bool:
    """The person the consent was given to, and the family who can see consents; while
    the consent has not been revoked."""
    if grant.revoked_at is not None:
        return False
    return user.pk == grant.grantee_id or (access.is_family and access.can_view(Part.CONSENT))


def _situation_link(situation: Any) -> str:
    return reverse("problems:detail", args=[situation.student_id, situation.pk])


def _try_link(agreed: Any) -> str:
    return _situation_link(agreed.situation) + f"#try-{agreed.pk}"


def _message_link(message: Any) -> str:
    thread = message.thread
    url = reverse("conversations:thread", args=[thread.student_id, thread.pk])
    return f"{url}#message-{message.pk}"


def _timeline_link(row: Any, kind: str) -> str:
    return reverse("updates:timeline", args=[row.student_id]) + f"#{kind}-{row.pk}"


KINDS: dict[str, NoticeKind] = {
    "plan.draft_shared": NoticeKind(
        _("A draft of %(student)s's plan was shared with you"), _shared_link, "plans"
    ),
    "plan.question_asked": NoticeKind(
        _("%(actor)s asked a question about %(student)s's draft plan"),
        _question_link,
        "questions",
    ),
    "plan.question_answered": NoticeKind(
        _("%(actor)s answered a question about %(student)s's draft plan"),
        lambda reply: _question_link(reply.question),
        "questions",
    ),
    "plan.question_replied": NoticeKind(
        _("%(actor)s followed up on a question about %(student)s's draft plan"),
        lambda reply: _question_link(reply.question),
        "questions",
    ),
    # Those who sign hear "your signature is requested" instead (``ALSO_MEANS``).
    "plan.finalized": NoticeKind(
        _("%(student)s's plan is final and ready for signatures"),
        _plan_link,
        "plans",
        audience=lambda user, access, version: not _may_sign(user, access, version),
    ),
    "plan.signature_requested": NoticeKind(
        _("Your signature is requested on %(student)s's plan"),
        _plan_link,
        "plans",
        audience=_asked_to_sign,
    ),
    "plan.in_effect": NoticeKind(_("%(student)s's plan is now in effect"), _plan_link, "plans"),
    "concern.added": NoticeKind(
        _("%(actor)s shared a concern about %(student)s"), _concern_link, "concerns"
    ),
    "concern.heard": NoticeKind(
        _("%(actor)s wrote down a concern the family shared about %(student)s"),
        _concern_link,
        "concerns",
    ),
    "concern.decided": NoticeKind(
        _("The team responded to a concern about %(student)s"),
        lambda outcome: _concern_link(outcome.concern),
        "concerns",
    ),
    # --- problem-solving log (samepage/problems) ---
    "problem.raised": NoticeKind(
        _("%(actor)s raised a tricky situation about %(student)s: %(summary)s"),
        _situation_link,
        "problems",
        lambda situation: {"summary": situation.summary[:80]},
    ),
    "problem.idea_added": NoticeKind(
        _("%(actor)s shared an idea for a tricky situation about %(student)s"),
        lambda idea: _situation_link(idea.situation),
        "problems",
    ),
    "problem.try_agreed": NoticeKind(
        _("The team agreed to try something for %(student)s, and you follow it up"),
        _try_link,
        "problems",
        audience=owner_hears_of_try,
    ),
    "problem.outcome_recorded": NoticeKind(
        _("%(actor)s recorded how a try went for %(student)s"),
        lambda outcome: _try_link(outcome.agreed_try),
        "problems",
    ),
    "problem.follow_up_due": NoticeKind(
        _("A follow-up is due: how did the try for %(student)s go?"),
        _try_link,
        "problems",
        audience=owner_hears_of_try,
    ),
    "team.member_added": NoticeKind(
        _("%(member)s joined %(student)s's team"),
        lambda membership: reverse("teams:team", args=[membership.student_id]),
        "team",
        lambda membership: {"member": membership.user.display_name},
    ),
    "consent.granted": NoticeKind(
        _("%(actor)s shared %(student)s's record with %(grantee)s"),
        lambda grant: reverse("teams:consent", args=[grant.student_id]),
        "team",
        lambda grant: {"grantee": grant.grantee.display_name},
    ),
    "consent.revoked": NoticeKind(
        _("%(actor)s stopped sharing %(student)s's record with %(grantee)s"),
        lambda grant: reverse("teams:consent", args=[grant.student_id]),
        "team",
        lambda grant: {"grantee": grant.grantee.display_name},
    ),
    # Made by ``manage.py notify_expiring_consents``, once per consent and expiry date.
    "consent.expiring": NoticeKind(
        _("Sharing %(student)s's record with %(grantee)s ends on %(expires)s"),
        lambda grant: reverse("home:student_detail", args=[grant.student_id]),
        "team",
        lambda grant: {
            "grantee": grant.grantee.display_name,
            "expires": grant.expires_on.isoformat(),
        },
        audience=_told_of_expiry,
        dates=("expires",),
    ),
    # A staff-only or private message: only those who may read its thread hear of it.
    "message.posted": NoticeKind(
        _("%(actor)s wrote in a conversation about %(student)s"),
        _message_link,
        "messages",
        audience=may_hear_of_message,
    ),
    # Quick updates reach the family and the team (everyone with the messages part).
    "update.posted": NoticeKind(
        _("%(actor)s posted a quick update about %(student)s"),
        lambda update: _timeline_link(update, "update"),
        "messages",
    ),
    # A home note is for the team: the family wrote it, so only staff hear of it.
    "home_note.added": NoticeKind(
        _("%(actor)s wrote a home note about %(student)s"),
        lambda note: _timeline_link(note, "home_note"),
        "messages",
        audience=lambda user, record, note: record.is_staff,
    ),
    # An issued progress report is for the family (the student, an advocate with
    # progress); a family's comment on it is for the team.
    "report.issued": NoticeKind(
        _("%(student)s's progress report for %(period)s is ready"),
        lambda report: reverse("reports:detail", args=[report.student_id, report.pk]),
        "progress",
        names=lambda report: {"period": report.period.name},
        audience=lambda user, record, report: not record.is_staff,
    ),
    "report.commented": NoticeKind(
        _("%(actor)s commented on %(student)s's progress report"),
        lambda comment: (
            reverse("reports:detail", args=[comment.report.student_id, comment.report_id])
            + f"#comment-{comment.pk}"
        ),
        "progress",
        audience=lambda user, record, comment: record.is_staff,
    ),
}


def _goal_link(alert: Any) -> str:
    m = alert.measurement
    return reverse("progress:goal", args=[m.student_id, m.goal_lineage])


def _goal_names(alert: Any) -> dict[str, str]:
    return {"goal": goal_label(alert.measurement)}


# Decision-rule alerts (samepage/progress/alerts.py): the team and the family, each in
# their own language; the goal page says the rule's words in full, with the chart.
KINDS.update(
    {
        "progress.alert_change": NoticeKind(
            _(
                "%(student)s's data for the goal “%(goal)s”: the team should talk about "
                "changing how it is taught"
            ),
            _goal_link,
            "progress",
            _goal_names,
            email_details=email_details,
        ),
        "progress.alert_raise": NoticeKind(
            _(
                "%(student)s is ahead of the line to the goal “%(goal)s”: the team may talk "
                "about raising it"
            ),
            _goal_link,
            "progress",
            _goal_names,
            email_details=email_details,
        ),
        "progress.goal_met": NoticeKind(
            _("%(student)s reached the level that counts as met for the goal “%(goal)s”"),
            _goal_link,
            "progress",
            _goal_names,
            email_details=email_details,
        ),
    }
)


# An event that also means another, for its own audience: a plan made final asks its
# signers for their signature.
ALSO_MEANS: dict[str, tuple[str, ...]] = {
    "plan.finalized": ("plan.signature_requested",),
}

# Service minutes (samepage/minutes/actions.py ``check_delivery``): a service delivered
# below the district's threshold this month, once per service and month (the target is
# the month's DeliveryAlert), to the team and the family.


def _deadline_link(deadline: Any) -> str:
    return reverse("deadlines:student", args=[deadline.student_id])


def _deadline_names(deadline: Any) -> dict[str, str]:
    return {"rule": deadline.rule_key, "due": deadline.due_date.isoformat()}


def _hears_of_deadline(user: User, access: StudentAccess, deadline: Any) -> bool:
    return deadline_reminders.hears_of(access, deadline)


# Deadline reminders (``manage.py send_deadline_reminders``, daily): once per deadline,
# moment and due date, to its case managers and, where the step is theirs, the family
# (``deadlines.reminders.WHO_HEARS``); asked again when the email goes, so a deadline met
# in the meantime is not emailed.
for _kind, _title in (
    ("deadline.coming_up", _("%(student)s: “%(rule)s” is due on %(due)s")),
    ("deadline.overdue", _("%(student)s: “%(rule)s” was due on %(due)s and is overdue")),
):
    KINDS[_kind] = NoticeKind(
        _title,
        _deadline_link,
        "plans",
        _deadline_names,
        audience=_hears_of_deadline,
        dates=("due",),
        words={"rule": DEADLINE_TITLES},
    )

KINDS["minutes.below_threshold"] = NoticeKind(
    _("%(student)s got fewer minutes of “%(service)s” this month than the plan promises"),
    lambda alert: reverse("minutes:services", args=[alert.student_id]),
    "progress",
    lambda alert: {"service": alert.service_name},
)


def kinds_in(categories: set[str]) -> list[str]:
    """The kinds of notice that fall in ``categories``."""
    return [name for name, kind in KINDS.items() if kind.category in categories]


def category_of(kind: str) -> str | None:
    entry = KINDS.get(kind)
    return entry.category if entry is not None else None


UNKNOWN = _("Something changed in a record you follow")


def title_of(kind: str, params: dict[str, Any]) -> str:
    """The title of a notice in the active language; a kind no longer known (or a name
    missing from an old notice) still reads as something, never an error."""
    entry = KINDS.get(kind)
    if entry is None:
        return str(UNKNOWN)
    try:
        shown = {**params, **{name: _day(params[name]) for name in entry.dates}}
        for name, table in entry.words.items():
            shown[name] = str(table.get(params[name], params[name]))
        return str(entry.title) % shown
    except (KeyError, TypeError, ValueError):
        return str(UNKNOWN)


def _day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "DATE_FORMAT")
