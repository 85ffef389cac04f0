"""Who is on each student's IEP team, in what team role, and for how long."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samepage.core.models import TimeStampedModel
from samepage.schools.models import Student


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def current(self) -> TeamMembershipQuerySet:
        today = timezone.localdate()
        return self.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        )


class TeamMembership(TimeStampedModel):
    """A person's place on one student's team. Ending it keeps the row as history."""

    class TeamRole(models.TextChoices):
        CASE_MANAGER = "case_manager", _("Case manager")
        SPECIAL_ED_TEACHER = "sped_teacher", _("Special education teacher")
        GENERAL_ED_TEACHER = "gen_ed_teacher", _("General education teacher")
        PROVIDER = "provider", _("Related-service provider")
        SCHOOL_LEADER = "school_leader", _("School leader / LEA representative")
        GUARDIAN = "guardian", _("Parent or guardian")
        STUDENT = "student", _("Student")
        ADVOCATE = "advocate", _("Advocate")
        INTERPRETER = "interpreter", _("Interpreter")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    team_role = models.CharField(_("team role"), max_length=20, choices=TeamRole.choices)
    discipline = models.CharField(_("discipline"), max_length=60, blank=True)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["student", "team_role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="team_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_team_role_display()} for {self.student}"
