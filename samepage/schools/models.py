"""Districts, schools, students, their households and guardians, and staff."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samepage.core.dates import validate_time_zone
from samepage.core.models import TimeStampedModel


def default_district_time_zone() -> str:
    return settings.TIME_ZONE


class District(TimeStampedModel):
    """A school district (the LEA). Its state picks the rule pack for timelines."""

    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(
        _("state"), max_length=2, help_text=_("Two-letter postal code, e.g. OR.")
    )
    students_see_own_record = models.BooleanField(
        _("students see their own record"),
        default=True,
        help_text=_("Whether students with an account may see their own record."),
    )
    age_of_majority = models.PositiveSmallIntegerField(_("age of majority"), default=18)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_district_time_zone,
        validators=[validate_time_zone],
        help_text=_('The district\'s own clock: its "today" decides every deadline and expiry.'),
    )
    transition_age = models.PositiveSmallIntegerField(
        _("transition planning age"),
        default=16,
        help_text=_("The age by which an IEP must include transition planning (state rule)."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(TimeStampedModel):
    """A school in a district."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    lowest_grade = models.CharField(_("lowest grade"), max_length=4, default="K")
    highest_grade = models.CharField(_("highest grade"), max_length=4, default="12")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="school_name_per_district")
        ]

    def __str__(self) -> str:
        return self.name


class SchoolTally(models.Model):
    """How many students a school has, kept current by the database itself.

    The district administrator's home shows these counts for every school; counting a
    100,000-student district on each view is a scan. Triggers on the students table
    (migration 0007) add and subtract as rows are inserted, changed or removed, in the
    same transaction as the change, whatever wrote it (an action, a bulk load, a
    correction by hand), so the stored count cannot drift from the rows.
    ``manage.py recount_tallies --check`` compares them with a fresh count.
    """

    school = models.OneToOneField(
        School, primary_key=True, on_delete=models.CASCADE, related_name="tally"
    )
    students = models.IntegerField(_("students"), default=0)
    active_students = models.IntegerField(_("active students"), default=0)
    active_iep_students = models.IntegerField(_("active students with an IEP"), default=0)
    active_504_students = models.IntegerField(_("active students with a 504 plan"), default=0)

    COUNTS = ("students", "active_students", "active_iep_students", "active_504_students")

    def __str__(self) -> str:
        return f"{self.school_id}: {self.active_students}"


class DisabilityCategory(models.TextChoices):
    """The thirteen IDEA disability categories (34 CFR 300.8)."""

    AUTISM = "autism", _("Autism")
    DEAF_BLINDNESS = "deaf_blindness", _("Deaf-blindness")
    DEAFNESS = "deafness", _("Deafness")
    EMOTIONAL = "emotional_disturbance", _("Emotional disturbance")
    HEARING = "hearing_impairment", _("Hearing impairment")
    INTELLECTUAL = "intellectual_disability", _("Intellectual disability")
    MULTIPLE = "multiple_disabilities", _("Multiple disabilities")
    ORTHOPEDIC = "orthopedic_impairment", _("Orthopedic impairment")
    OTHER_HEALTH = "other_health_impairment", _("Other health impairment")
    LEARNING = "specific_learning_disability", _("Specific learning disability")
    SPEECH_LANGUAGE = "speech_language_impairment", _("Speech or language impairment")
    TBI = "traumatic_brain_injury", _("Traumatic brain injury")
    VISUAL = "visual_impairment", _("Visual impairment including blindness")
    DEVELOPMENTAL_DELAY = "developmental_delay", _("Developmental delay")


class Student(TimeStampedModel):
    """A child the district serves under an IEP or a 504 plan."""

    class PlanType(models.TextChoices):
        IEP = "iep", _("IEP")
        SECTION_504 = "504", _("504 plan")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXITED = "exited", _("Exited")
        TRANSFERRED = "transferred", _("Transferred")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="students")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    # Text, not a number: district IDs keep their leading zeros.
    district_student_id = models.CharField(_("district student ID"), max_length=40)
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    grade = models.CharField(_("grade"), max_length=4)
    home_language = models.CharField(_("home language"), max_length=40, default="en")
    disability_categories = models.JSONField(_("disability categories"), default=list, blank=True)
    plan_type = models.CharField(
        _("plan type"), max_length=3, choices=PlanType.choices, default=PlanType.IEP
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    # The names and ID in search form (schools/search.py), written by the actions that
    # name a student, so a search compares plain text: "Sofia" finds Sofía.
    search_name = models.CharField(
        _("search name"), max_length=400, default="", blank=True, editable=False
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="student_record",
        verbose_name=_("student's own account"),
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            # Every student list is by name. A person's reach (a district, a school, the
            # union of their students) is a condition PostgreSQL checks as it walks this
            # index, stopping at the page; an index led by district or school cannot
            # serve that order once the reach ORs in the person's own students.
            models.Index(
                fields=["legal_last_name", "legal_first_name", "id"], name="student_by_name"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "district_student_id"],
                name="student_id_unique_per_district",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def first_name(self) -> str:
        return self.preferred_name or self.legal_first_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def disability_labels(self) -> list[str]:
        labels = dict(DisabilityCategory.choices)
        return [str(labels.get(c, c)) for c in self.disability_categories]


class Household(TimeStampedModel):
    """A home a student lives in; a child may have more than one."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("household name"), max_length=200)
    home_language = models.CharField(_("home language"), max_length=40, default="en")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Guardian(TimeStampedModel):
    """A parent or guardian's link to one student.

    Holding educational rights decides who may consent and sign; a restriction (court
    order) hides the child from this person entirely.
    """

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        FOSTER = "foster_parent", _("Foster parent")
        LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")
        SURROGATE = "surrogate_parent", _("Surrogate parent")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="guardians")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guardianships"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="guardians"
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    holds_educational_rights = models.BooleanField(_("holds educational rights"), default=True)
    receives_notices = models.BooleanField(_("receives notices"), default=True)
    language = models.CharField(
        _("language for notices"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_restricted = models.BooleanField(
        _("restricted by court order"),
        default=False,
        help_text=_("A restricted guardian sees nothing about this student."),
    )
    restriction_note = models.TextField(_("restriction note"), blank=True)

    class Meta:
        ordering = ["student", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["student", "user"], name="one_guardian_link")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_relationship_display()} of {self.student})"


class StaffProfile(TimeStampedModel):
    """What a staff member is in the district: their title and schools."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("District special education administrator")
        SCHOOL_LEADER = "school_leader", _("School leader")
        CASE_MANAGER = "case_manager", _("Case manager")
        SPECIAL_ED_TEACHER = "sped_teacher", _("Special education teacher")
        GENERAL_ED_TEACHER = "gen_ed_teacher", _("General education teacher")
        PROVIDER = "provider", _("Related-service provider")
        INTERPRETER = "interpreter", _("Interpreter")
        OTHER = "other", _("Other staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    discipline = models.CharField(
        _("discipline"),
        max_length=60,
        blank=True,
        help_text=_("For related-service providers, e.g. speech-language pathology."),
    )
    schools = models.ManyToManyField(School, blank=True, related_name="staff")

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
