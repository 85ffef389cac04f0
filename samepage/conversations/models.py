"""Team conversations about one child: threads, their messages, attachments, and who
has read how far.

Three kinds of thread, each with its own readers (``permissions`` says who):

- the team thread: one per student, made when its first message is written; everyone
  who may see the student's messages (staff with the full record, the family, an
  advocate whose consent covers messages, the student once rights transfer);
- staff-only threads: staff who may see staff-only notes, never a family member;
- private threads between two people who may both see the student's messages.

Messages are never deleted: an author withdraws one, and the row stays (shown as
"withdrawn", audited). Each message keeps the language it was written in, so a reader
in another language is told, or shown a translation that names the original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.core.uploads import StoredFile
from samepage.schools.models import Student

MAX_MESSAGE_TEXT = 10_000
MAX_TITLE = 120


class Thread(models.Model):
    """One conversation about one student."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Whole team")
        STAFF = "staff", _("Staff only")
        PRIVATE = "private", _("Private")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="threads")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Staff-only threads have a title; the team thread and private ones are named by
    # who is in them.
    title = models.CharField(_("title"), max_length=MAX_TITLE, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A private thread's two people, the lower id first (so a pair has one thread).
    person_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Kept on the thread so the list sorts by activity from one index.
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["student", "-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["student", "-last_message_at", "-id"], name="thread_activity")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(kind="team"), name="one_team_thread_per_student"
            ),
            models.UniqueConstraint(
                fields=["student", "person_a", "person_b"],
                condition=Q(kind="private"),
                name="one_private_thread_per_pair",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="private", person_a__isnull=False, person_b__isnull=False)
                    & Q(person_a__lt=models.F("person_b"))
                )
                | (~Q(kind="private") & Q(person_a__isnull=True, person_b__isnull=True)),
                name="private_thread_has_two_people",
            ),
            models.CheckConstraint(
                condition=~Q(kind="staff") | ~Q(title=""), name="staff_thread_has_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    @property
    def is_staff_only(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def is_private(self) -> bool:
        return self.kind == self.Kind.PRIVATE

    def has_person(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.person_a_id, self.person_b_id)

    def other_person_id(self, user_id: int | None) -> int | None:
        if not self.has_person(user_id):
            return None
        return self.person_b_id if self.person_a_id == user_id else self.person_a_id


class Message(models.Model):
    """One message, kept as written. Withdrawing it keeps the row."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    # The author's language when they wrote it ("en", "es").
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["thread", "created_at", "id"]
        indexes = [models.Index(fields=["thread", "-created_at", "-id"], name="message_newest")]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="message_has_text")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class MessageAttachment(StoredFile):
    """The one file a message may carry, served only through a permission-checked view."""

    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="attachment")

    def __str__(self) -> str:
        return self.name


class ThreadRead(models.Model):
    """How far one person has read one thread: the basis of "seen by" and unread counts.

    The thread page marks "new since your last visit" from the mark as it was before
    the page counted the visit as read.
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_message_id}"
