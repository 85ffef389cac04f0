"""Quick updates (school → family) and home notes (family → team), between meetings.

A quick update is a few lines from a teacher or therapist about the child's day, with a
"how the day went" marker in words and, optionally, the plan goals or accommodations it
is about. A tag names the item by its lineage, so it keeps meaning the same goal when a
new version of the plan revises its words. A home note is what the family tells the team
("rough night", "new medication"), with an optional kind and one optional file.

Nothing here is deleted: the writer may withdraw an update or a note, which keeps the
row (shown as withdrawn) and its audit trail. Each keeps the language it was written in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.core.uploads import StoredFile
from samepage.schools.models import Student

MAX_UPDATE_TEXT = 2000
MAX_NOTE_TEXT = 2000


class DayMarker(models.TextChoices):
    """How the day went, in words (a colour alone would tell a screen reader nothing)."""

    GREAT = "great", _("A great day")
    GOOD = "good", _("A good day")
    MIXED = "mixed", _("A mixed day")
    HARD = "hard", _("A hard day")


class QuickUpdate(models.Model):
    """A short note from staff to the family about the child's day."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="quick_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("update"))
    day = models.CharField(_("how the day went"), max_length=10, choices=DayMarker.choices)
    # The writer's language, so a reader in another language knows what they read.
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        # The timeline reads one student's newest first, a page at a time.
        indexes = [
            models.Index(fields=["student", "-created_at", "-id"], name="update_student_time")
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="update_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class QuickUpdateSeen(models.Model):
    """That one person opened a page showing one quick update, and when they first did:
    the read receipt staff see under their update ("Seen by Rosa Hernández, 3 Dec 10:04").

    Written for every reader but the writer, once (later visits keep the first time).
    """

    update = models.ForeignKey(QuickUpdate, on_delete=models.CASCADE, related_name="seen")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["update", "seen_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["update", "user"], name="one_receipt_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.update_id}"


class UpdateTag(models.Model):
    """A plan goal or accommodation an update is about, named by its lineage."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Goal")
        ACCOMMODATION = "accommodation", _("Accommodation")

    update = models.ForeignKey(QuickUpdate, on_delete=models.PROTECT, related_name="tags")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    lineage_id = models.UUIDField()
    # The item's words when it was tagged: shown only if no version holds it any more.
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["update", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "kind", "lineage_id"], name="tag_an_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.lineage_id}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.lineage_id}"


class HomeNote(models.Model):
    """Something the family tells the team about home."""

    class Kind(models.TextChoices):
        SLEEP = "sleep", _("Sleep")
        HEALTH = "health", _("Health or medication")
        MOOD = "mood", _("Mood")
        EVENT = "event", _("Something happened")
        OTHER = "other", _("Something else")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="home_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("about"), max_length=10, choices=Kind.choices, blank=True)
    text = models.TextField(_("note"))
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "-created_at", "-id"], name="note_student_time")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class HomeNoteAttachment(StoredFile):
    """The photo or document sent with a home note (served only through its own view)."""

    note = models.OneToOneField(HomeNote, on_delete=models.PROTECT, related_name="attachment")

    def __str__(self) -> str:
        return self.name
