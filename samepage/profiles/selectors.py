"""Reads for the profile and student voice, with the joins each page needs.

Every list here is already narrowed to what the reader may see (``ProfileAccess``); the
query count does not grow with the number of entries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samepage.core.dates import district_today, local_date
from samepage.profiles.models import (
    Attribution,
    CorrectionRequest,
    ProfileEntry,
    ProfileEntryRevision,
    ProfileSection,
    StudentVoiceEntry,
    StudentVoiceRevision,
    Visibility,
    VoicePrompt,
    VoiceSource,
)
from samepage.profiles.permissions import ProfileAccess
from samepage.schools.models import Guardian, Student

# The essentials for an adult meeting the child for the first time (a substitute, a
# new teacher, a bus aide), in the order they need them.
ONE_PAGE_SECTIONS = (
    ProfileSection.STRENGTHS,
    ProfileSection.TRIGGERS,
    ProfileSection.CALMING,
    ProfileSection.COMMUNICATION,
    ProfileSection.LEARNING,
    ProfileSection.PEOPLE,
)

# What a teacher needs beside the plan at a glance: how to head off a hard moment, how to
# help the child calm down, and how to teach them (strengths come from the plan itself).
GLANCE_SECTIONS = (
    ProfileSection.TRIGGERS,
    ProfileSection.CALMING,
    ProfileSection.LEARNING,
)

# Student voice is shown in the plan from this age (the transition years). A district
# setting would be better; until then, one constant.
STUDENT_VOICE_AGE = 14
# Which answers go with which plan section.
VOICE_IN_PLAN = {
    "strengths": (VoicePrompt.GOOD_AT, VoicePrompt.HELPS_ME),
    "transition": (VoicePrompt.MY_GOALS, VoicePrompt.WANT_ADULTS_TO_KNOW),
}

SECTION_HELP = {
    ProfileSection.STRENGTHS: gettext_lazy("What they are good at and proud of."),
    ProfileSection.INTERESTS: gettext_lazy("What they love to do, talk about or learn about."),
    ProfileSection.MOTIVATORS: gettext_lazy("What gets them going: rewards, choices, topics."),
    ProfileSection.TRIGGERS: gettext_lazy(
        "What upsets them or sets them off, and the early signs that it is starting."
    ),
    ProfileSection.CALMING: gettext_lazy("What helps them calm down, and what to avoid."),
    ProfileSection.LEARNING: gettext_lazy("How they learn best: what works in teaching them."),
    ProfileSection.COMMUNICATION: gettext_lazy(
        "How they tell you things, and how to talk with them."
    ),
    ProfileSection.SENSORY: gettext_lazy("Noise, light, touch, movement: what they seek or avoid."),
    ProfileSection.HEALTH: gettext_lazy(
        "Health notes the team should know. Only the family and staff who may view the "
        "full record see these."
    ),
    ProfileSection.HOME: gettext_lazy("What works at home that school could try."),
    ProfileSection.PEOPLE: gettext_lazy("The people who matter to them."),
    ProfileSection.HOPES: gettext_lazy("Hopes and dreams for now and for later."),
}


def _day(moment: Any) -> str:
    return date_format(local_date(moment), "DATE_FORMAT")


def disputed_line(requested_at: Any) -> str:
    """What every reader of a disputed entry is told. The request's words and who asked
    stay on the profile page; this line says only that, and since when, it is disputed."""
    if requested_at is None:
        return ""
    return _("Disputed: a correction was requested on %(date)s and is waiting for an answer.") % {
        "date": _day(requested_at)
    }


def relationships(student: Student) -> dict[int, str]:
    """Each guardian's relationship to the child, by user id (one query)."""
    labels = dict(Guardian.Relationship.choices)
    return {
        user_id: str(labels.get(rel, rel)).lower()
        for user_id, rel in Guardian.objects.filter(student=student).values_list(
            "user_id", "relationship"
        )
    }


def attribution_line(entry: ProfileEntry, relations: dict[int, str]) -> str:
    """ "Written by Jordan Rivera (parent), 3 March 2026" and the like."""
    name = entry.author.display_name
    day = _day(entry.created_at)
    if entry.attribution == Attribution.STAFF_OBSERVATION:
        return _("Staff observation by %(name)s, %(date)s") % {"name": name, "date": day}
    if entry.attribution == Attribution.STUDENT:
        return _("Written by %(name)s (the student), %(date)s") % {"name": name, "date": day}
    relation = relations.get(entry.author_id) or _("family")
    return _("Written by %(name)s (%(relation)s), %(date)s") % {
        "name": name,
        "relation": relation,
        "date": day,
    }


@dataclass
class ShownEntry:
    entry: ProfileEntry
    attribution: str
    edited_on: str
    is_draft: bool
    can_edit: bool
    can_correct: bool
    corrections: list[CorrectionRequest] = field(default_factory=list)
    # "Disputed: …" while a correction request waits for an answer, else "".
    disputed: str = ""


@dataclass
class ShownSection:
    key: str
    title: Any
    help: Any
    entries: list[ShownEntry] = field(default_factory=list)


def visible_entries(student: Student, access: ProfileAccess) -> QuerySet[ProfileEntry]:
    """Current entries of ``student`` that the reader may see, in profile order."""
    entries = ProfileEntry.objects.filter(student=student, archived_at__isnull=True).filter(
        Q(visibility=Visibility.TEAM) | Q(author_id=access.user_id)
    )
    if not access.can_see_health:
        entries = entries.exclude(section=ProfileSection.HEALTH)
    # When the oldest open correction request was made: the entry is disputed until it
    # is answered. A subquery, so marking entries costs no query per entry.
    oldest_open = (
        CorrectionRequest.objects.filter(entry=OuterRef("pk"), status=CorrectionRequest.Status.OPEN)
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    return (
        entries.select_related("author")
        .annotate(disputed_since=Subquery(oldest_open))
        .order_by("created_at", "id")
    )


def profile_sections(
    student: Student,
    access: ProfileAccess,
    *,
    keys: tuple[str, ...] | None = None,
    team_only: bool = False,
) -> list[ShownSection]:
    """The profile as the reader may see it: every section in order, with its entries."""
    entries = visible_entries(student, access)
    if team_only:
        entries = entries.filter(visibility=Visibility.TEAM)
    if keys is not None:
        entries = entries.filter(section__in=keys)
    else:
        entries = entries.prefetch_related(
            Prefetch(
                "correction_requests",
                queryset=CorrectionRequest.objects.select_related(
                    "requested_by", "answered_by"
                ).order_by("created_at", "id"),
            )
        )
    relations = relationships(student)
    by_section: dict[str, list[ShownEntry]] = defaultdict(list)
    for entry in entries:
        entry.student = student
        by_section[entry.section].append(
            ShownEntry(
                entry=entry,
                attribution=attribution_line(entry, relations),
                edited_on=_day(entry.updated_at) if entry.revision > 1 else "",
                is_draft=entry.visibility == Visibility.PRIVATE_DRAFT,
                can_edit=access.can_edit_entry(entry),
                can_correct=access.can_correct_entry(entry),
                corrections=list(entry.correction_requests.all()) if keys is None else [],
                disputed=disputed_line(getattr(entry, "disputed_since", None)),
            )
        )
    labels = dict(ProfileSection.choices)
    order = keys if keys is not None else tuple(ProfileSection.values)
    return [
        ShownSection(
            key=key,
            title=labels[key],
            help=SECTION_HELP[ProfileSection(key)],
            entries=by_section.get(key, []),
        )
        for key in order
        if key != ProfileSection.HEALTH or access.can_see_health
    ]


def one_page(student: Student, access: ProfileAccess) -> list[ShownSection]:
    """The essentials, team-visible entries only: a page anyone can be handed."""
    return profile_sections(student, access, keys=ONE_PAGE_SECTIONS, team_only=True)


def glance_sections(student: Student, access: ProfileAccess) -> list[ShownSection]:
    """Triggers, calming strategies and how the child learns best, for the plan at a
    glance: team-visible entries only (never a private draft, even the reader's own),
    and nothing at all for a reader who may not see the profile."""
    if not access.can_view:
        return []
    return profile_sections(student, access, keys=GLANCE_SECTIONS, team_only=True)


def entry_history(entry: ProfileEntry, access: ProfileAccess) -> list[ProfileEntryRevision]:
    """The saved texts of an entry the reader may see, newest first.

    A text saved as a private draft stays its author's alone, even after the entry is
    shared with the team: everyone else reads the history from the first shared text.
    """
    return list(entry_history_rows(entry, access).order_by("-number"))


def entry_history_rows(
    entry: ProfileEntry, access: ProfileAccess
) -> QuerySet[ProfileEntryRevision]:
    """``entry_history``'s rows in no order (the API pages them)."""
    revisions = entry.revisions.select_related("author")
    return revisions.filter(Q(visibility=Visibility.TEAM) | Q(author_id=access.user_id))


def correction_requests(entry: ProfileEntry) -> list[CorrectionRequest]:
    return list(
        entry.correction_requests.select_related("requested_by", "answered_by").order_by(
            "created_at", "id"
        )
    )


# --- student voice ---------------------------------------------------------------------


@dataclass
class ShownVoice:
    entry: StudentVoiceEntry
    attribution: str
    can_edit: bool


@dataclass
class VoiceGroup:
    key: str
    title: Any
    entries: list[ShownVoice] = field(default_factory=list)


def voice_attribution(entry: StudentVoiceEntry) -> str:
    day = _day(entry.created_at)
    if entry.source == VoiceSource.RECORDED_BY_STAFF:
        return _("Recorded by %(name)s from an interview, %(date)s") % {
            "name": entry.author.display_name,
            "date": day,
        }
    return _("Written by %(name)s, %(date)s") % {"name": entry.author.display_name, "date": day}


def voice_entries(student: Student) -> QuerySet[StudentVoiceEntry]:
    return (
        StudentVoiceEntry.objects.filter(student=student)
        .select_related("author")
        .order_by("created_at", "id")
    )


def voice_groups(student: Student, access: ProfileAccess | None) -> list[VoiceGroup]:
    by_prompt: dict[str, list[ShownVoice]] = defaultdict(list)
    for entry in voice_entries(student):
        by_prompt[entry.prompt].append(
            ShownVoice(
                entry=entry,
                attribution=voice_attribution(entry),
                can_edit=access is not None and access.can_edit_voice(entry),
            )
        )
    return [
        VoiceGroup(key=key, title=label, entries=by_prompt.get(key, []))
        for key, label in VoicePrompt.choices
    ]


def voice_for_plan(student: Student, today: date | None = None) -> dict[str, list[ShownVoice]]:
    """Student voice for the plan's strengths and transition sections, by section key.

    Empty below STUDENT_VOICE_AGE: for younger children the profile carries their voice.
    """
    # The child's age where they are: a birthday begins at midnight in their district.
    today = today or district_today(student.district)
    if student.age_on(today) < STUDENT_VOICE_AGE:
        return {}
    prompts = {prompt: key for key, group in VOICE_IN_PLAN.items() for prompt in group}
    shown: dict[str, list[ShownVoice]] = {key: [] for key in VOICE_IN_PLAN}
    for entry in voice_entries(student).filter(prompt__in=prompts):
        shown[prompts[VoicePrompt(entry.prompt)]].append(
            ShownVoice(entry=entry, attribution=voice_attribution(entry), can_edit=False)
        )
    return {key: entries for key, entries in shown.items() if entries}


def voice_history(entry: StudentVoiceEntry) -> list[StudentVoiceRevision]:
    return list(entry.revisions.select_related("author").order_by("-number"))
