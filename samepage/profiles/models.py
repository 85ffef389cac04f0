"""The child's profile ("About me") and the student's own voice.

Everything here was written by a person who knows the child, so nothing is ever
hard-deleted: every saved text is kept as a revision, "remove" archives, and a family's
request to correct a staff observation is kept with its answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samepage.core.models import TimeStampedModel
from samepage.schools.models import Student

# Long enough for a careful paragraph or two; longer belongs in a meeting.
TEXT_LIMIT = 5_000


class ProfileSection(models.TextChoices):
    """The parts of "About me", in the order a reader meets them."""

    STRENGTHS = "strengths", _("Strengths")
    INTERESTS = "interests", _("Interests")
    MOTIVATORS = "motivators", _("What motivates them")
    TRIGGERS = "triggers", _("What upsets or sets them off, and early signs")
    CALMING = "calming", _("What calms them")
    LEARNING = "learning", _("How they learn best")
    COMMUNICATION = "communication", _("Communication")
    SENSORY = "sensory", _("Sensory needs")
    HEALTH = "health", _("Health notes")
    HOME = "home", _("What works at home")
    PEOPLE = "people", _("Important people")
    HOPES = "hopes", _("Hopes and dreams")


class Attribution(models.TextChoices):
    """Whose knowledge an entry is: set from who wrote it, never chosen."""

    GUARDIAN = "guardian", _("Family")
    STUDENT = "student", _("The student")
    STAFF_OBSERVATION = "staff_observation", _("Staff observation")


class Visibility(models.TextChoices):
    TEAM = "team", _("The whole team")
    PRIVATE_DRAFT = "private_draft", _("Only me (private draft)")


class ProfileEntry(TimeStampedModel):
    """One thing someone who knows the child wrote in one section of the profile.

    ``revision`` counts saves, for optimistic locking: a save made from a stale form is
    refused with both texts. Archived entries leave the profile but stay in history.
    """

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="profile_entries")
    section = models.CharField(_("section"), max_length=20, choices=ProfileSection.choices)
    text = models.TextField(_("text"))
    attribution = models.CharField(_("written as"), max_length=20, choices=Attribution.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile_entries"
    )
    visibility = models.CharField(
        _("who can see it"), max_length=20, choices=Visibility.choices, default=Visibility.TEAM
    )
    revision = models.PositiveIntegerField(default=1)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["student", "section", "created_at", "id"]
        indexes = [models.Index(fields=["student", "section"])]
        verbose_name_plural = "profile entries"

    def __str__(self) -> str:
        return f"{self.get_section_display()} ({self.student_id})"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_staff_observation(self) -> bool:
        return self.attribution == Attribution.STAFF_OBSERVATION


class ProfileEntryRevision(models.Model):
    """One saved text of an entry: the history a family can read back."""

    entry = models.ForeignKey(ProfileEntry, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="profile_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} r{self.number}"


class CorrectionRequest(TimeStampedModel):
    """A family member asks the team to correct a staff observation; kept with its answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    entry = models.ForeignKey(
        ProfileEntry, on_delete=models.PROTECT, related_name="correction_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("what should be corrected"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["entry", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(answered_at__isnull=False),
                name="correction_answered_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"correction {self.pk} of entry {self.entry_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class VoicePrompt(models.TextChoices):
    GOOD_AT = "good_at", _("What I'm good at")
    HELPS_ME = "helps_me", _("What helps me")
    WANT_ADULTS_TO_KNOW = "want_adults_to_know", _("What I want adults to know")
    MY_GOALS = "my_goals", _("My goals")


class VoiceSource(models.TextChoices):
    """How the words reached SamePage: set from who saved them, never chosen."""

    WRITTEN_BY_STUDENT = "written_by_student", _("Written by the student")
    RECORDED_BY_STAFF = "recorded_by_staff", _("Recorded by staff from an interview")


class StudentVoiceEntry(TimeStampedModel):
    """The student's own words for one prompt, written by them or taken down by staff."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="voice_entries")
    prompt = models.CharField(_("prompt"), max_length=30, choices=VoicePrompt.choices)
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=20, choices=VoiceSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voice_entries"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["student", "prompt", "created_at", "id"]
        indexes = [models.Index(fields=["student", "prompt"])]
        verbose_name_plural = "student voice entries"

    def __str__(self) -> str:
        return f"{self.get_prompt_display()} ({self.student_id})"

    @property
    def from_interview(self) -> bool:
        return self.source == VoiceSource.RECORDED_BY_STAFF


class StudentVoiceRevision(models.Model):
    """One saved text of a student voice entry."""

    entry = models.ForeignKey(StudentVoiceEntry, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="voice_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} r{self.number}"
