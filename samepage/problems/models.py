"""The problem-solving log: tricky situations and what the team tried about them.

A ``TrickySituation`` is something that keeps happening with the child (what, when,
where), raised by anyone on the team who may see the profile. People add ``SituationIdea``s;
staff on the team record an ``AgreedTry`` (what, who owns it, by when, when to follow up);
the owner or staff record its ``TryOutcome``. What helped can be added to the child's
profile, and the profile entry stays linked to the situation.

Nothing is deleted: a situation is closed (resolved, or no longer happening) and can be
reopened; its text is kept as ``SituationRevision``s, and edits compare revisions so a
stale form answers a conflict instead of overwriting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samepage.core.models import TimeStampedModel
from samepage.profiles.models import ProfileEntry
from samepage.schools.models import Student

TEXT_LIMIT = 5_000
SUMMARY_LIMIT = 200
# Sections of the profile a situation can point at, and that what helped feeds.
LINKABLE_SECTIONS = ("triggers", "calming")


class SituationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    STOPPED = "stopped", _("No longer happening")


class TrickySituation(TimeStampedModel):
    """Something hard that keeps happening, in the words of whoever raised it."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="situations")
    summary = models.CharField(_("in a few words"), max_length=SUMMARY_LIMIT)
    what_happens = models.TextField(_("what happens"))
    when_it_happens = models.TextField(_("when it happens"), blank=True)
    where_it_happens = models.TextField(_("where it happens"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SituationStatus.choices, default=SituationStatus.OPEN
    )
    # Kept beside ``status`` so the log orders open situations first from an index, and
    # the API's keyset pages can follow that order (it needs plain columns).
    is_open = models.BooleanField(default=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["student", "-is_open", "-created_at", "-id"]
        indexes = [models.Index(fields=["student", "-is_open", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_open=True, status="open", closed_at__isnull=True)
                | (Q(is_open=False, closed_at__isnull=False) & ~Q(status="open")),
                name="situation_open_matches_status",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="situation_has_summary"),
        ]

    def __str__(self) -> str:
        return self.summary[:60]


class SituationRevision(models.Model):
    """One saved text of a situation: what it said, and who saved it."""

    situation = models.ForeignKey(
        TrickySituation, on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=SUMMARY_LIMIT)
    what_happens = models.TextField()
    when_it_happens = models.TextField(blank=True)
    where_it_happens = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["situation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "number"], name="situation_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.situation_id} r{self.number}"


class SituationProfileLink(models.Model):
    """A situation points at an entry of the child's profile (a trigger, a calming
    strategy): raised with it, or the entry was made from what helped."""

    situation = models.ForeignKey(
        TrickySituation, on_delete=models.PROTECT, related_name="profile_links"
    )
    entry = models.ForeignKey(ProfileEntry, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the entry was written from this situation (what helped fed the profile).
    from_outcome = models.OneToOneField(
        "TryOutcome",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profile_link",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["situation", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["situation", "entry"], name="situation_entry_once")
        ]

    def __str__(self) -> str:
        return f"situation {self.situation_id} → entry {self.entry_id}"


class SituationIdea(models.Model):
    """An idea anyone who may see the situation put forward. Only ever added."""

    situation = models.ForeignKey(TrickySituation, on_delete=models.PROTECT, related_name="ideas")
    text = models.TextField(_("idea"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["situation", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="idea_has_text")]

    def __str__(self) -> str:
        return self.text[:60]


class AgreedTry(models.Model):
    """What the team agreed to try: who owns it, by when, and when to look at it again."""

    situation = models.ForeignKey(TrickySituation, on_delete=models.PROTECT, related_name="tries")
    what = models.TextField(_("what the team will try"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_tries",
        verbose_name=_("who owns it"),
    )
    due_on = models.DateField(_("start by"))
    follow_up_on = models.DateField(_("follow up on"))
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The day the daily reminder told the owner the follow-up is due (sent once).
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["situation", "created_at", "id"]
        indexes = [models.Index(fields=["owner", "follow_up_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__gte=models.F("due_on")),
                name="try_follow_up_after_start",
            ),
            models.CheckConstraint(condition=~Q(what=""), name="try_has_text"),
        ]
        verbose_name_plural = "agreed tries"

    def __str__(self) -> str:
        return self.what[:60]


class TryResult(models.TextChoices):
    HELPED = "helped", _("It helped")
    HELPED_A_LITTLE = "a_little", _("It helped a little")
    DID_NOT_HELP = "did_not_help", _("It did not help")


class TryOutcome(models.Model):
    """How a try went, recorded once by its owner or staff on the team."""

    agreed_try = models.OneToOneField(AgreedTry, on_delete=models.PROTECT, related_name="outcome")
    result = models.CharField(_("how it went"), max_length=20, choices=TryResult.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreed_try", "id"]

    def __str__(self) -> str:
        return f"{self.result} ({self.agreed_try_id})"

    @property
    def helped(self) -> bool:
        return self.result in (TryResult.HELPED, TryResult.HELPED_A_LITTLE)
