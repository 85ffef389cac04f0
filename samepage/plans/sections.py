"""The narrative sections of each plan type, their fields, and plain-language help.

Goals, services and accommodations are items with their own tables; everything else in
a plan is a section whose fields are listed here. Forms, validation, diff and PDF all
read this one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: str = "text"  # text (long), line (short), date, number, choice, bool
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = False
    help: Any = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    help: Any  # "What this means", for families
    fields: tuple[Field, ...] = field(default_factory=tuple)
    # Why the section may be empty, shown as "not applicable" in the PDF.
    empty_reason: Any = ""


AREAS = (
    ("academic", _("Academic")),
    ("functional", _("Functional")),
    ("communication", _("Communication")),
    ("behavior", _("Behavior")),
    ("motor", _("Motor")),
    ("social_emotional", _("Social and emotional")),
    ("other", _("Other")),
)

SPECIAL_FACTORS = (
    ("behavior", _("Behavior that gets in the way of learning")),
    ("english_learner", _("Needs as an English learner")),
    ("braille", _("Braille (for a student who is blind or has low vision)")),
    ("communication", _("Communication needs (including deaf or hard of hearing)")),
    ("assistive_technology", _("Assistive technology")),
)

PARTICIPANTS = Section(
    "participants",
    _("Who took part"),
    _("Everyone who helped write this plan, including you."),
    (Field("participants", _("Participants and their roles"), required=True),),
)
STRENGTHS = Section(
    "strengths",
    _("Strengths"),
    _("What your child does well. A good plan builds on strengths."),
    (Field("strengths", _("Strengths"), required=True),),
)
PARENT_CONCERNS = Section(
    "parent_concerns",
    _("Parent concerns"),
    _("What you told the team worries you or matters most to you. The team must consider it."),
    (Field("concerns", _("Concerns of the family"), required=True),),
)
PRESENT_LEVELS = Section(
    "present_levels",
    _("Present levels"),
    _(
        "What your child can do now, in school work and in everyday skills, and how the "
        "disability affects learning. Goals start from here."
    ),
    (
        *tuple(Field(f"{key}_levels", label) for key, label in AREAS),
        Field(
            "disability_impact",
            _("How the disability affects progress in the general curriculum"),
            required=True,
        ),
    ),
)
SPECIAL_FACTORS_SECTION = Section(
    "special_factors",
    _("Special factors"),
    _("Needs the team must think about for every child, and what it decided."),
    (
        *tuple(Field(f"{key}_needed", label, kind="bool") for key, label in SPECIAL_FACTORS),
        Field("notes", _("What the team decided and why")),
    ),
)
PROGRESS_REPORTING = Section(
    "progress_reporting",
    _("How you will hear about progress"),
    _("How progress on each goal is measured and when you get a report."),
    (
        Field("method", _("How progress is measured"), required=True),
        Field("frequency", _("When you get progress reports"), kind="line", required=True),
    ),
)
ASSESSMENT = Section(
    "assessment",
    _("State and district tests"),
    _("Whether your child takes the usual tests, with accommodations, or an alternate test."),
    (
        Field(
            "participation",
            _("How the student takes state and district tests"),
            kind="choice",
            choices=(
                ("regular", _("The regular test")),
                ("regular_with_accommodations", _("The regular test with accommodations")),
                ("alternate", _("An alternate test")),
            ),
            required=True,
        ),
        Field(
            "alternate_justification",
            _("Why the regular test is not right and why the alternate test fits"),
        ),
    ),
)
LRE = Section(
    "lre",
    _("Time with classmates (least restrictive environment)"),
    _(
        "How much of the day your child learns with students without disabilities, and "
        "why any time apart is needed."
    ),
    (
        Field(
            "percent_general_education",
            _("Share of the school day in general education (%)"),
            kind="number",
            required=True,
        ),
        Field(
            "explanation",
            _("Why the student is not with classmates without disabilities the rest of the time"),
        ),
    ),
)
PLACEMENT = Section(
    "placement",
    _("Placement"),
    _("Where your child will be taught."),
    (Field("placement", _("Placement"), kind="line", required=True),),
)
ESY = Section(
    "esy",
    _("Extended school year"),
    _("Services over summer or long breaks, if your child needs them to keep progress."),
    (
        Field(
            "decision",
            _("Extended school year services"),
            kind="choice",
            choices=(
                ("needed", _("Needed")),
                ("not_needed", _("Not needed")),
                ("to_be_decided", _("To be decided by a set date")),
            ),
            required=True,
        ),
        Field("justification", _("Why")),
    ),
)
TRANSITION = Section(
    "transition",
    _("Transition to adult life"),
    _(
        "Your child's goals for after high school (study, work, living on their own) and "
        "the services and courses that lead there. Required from age 16 in most states."
    ),
    (
        Field("postsecondary_education", _("Goal for education or training after high school")),
        Field("postsecondary_employment", _("Goal for work")),
        Field("postsecondary_independent_living", _("Goal for independent living")),
        Field("transition_assessments", _("Transition assessments the goals are based on")),
        Field("transition_services", _("Transition services")),
        Field("course_of_study", _("Course of study")),
    ),
    empty_reason=_("The student has not reached transition age during this plan."),
)
AGE_OF_MAJORITY = Section(
    "age_of_majority",
    _("Rights at the age of majority"),
    _("When your child becomes an adult, the rights you hold in special education pass to them."),
    (
        Field("informed_on", _("Date the student was told"), kind="date"),
        Field("statement", _("Statement")),
    ),
    empty_reason=_("The student is more than a year from the age of majority."),
)
REVIEW_504 = Section(
    "review",
    _("Review"),
    _("When the team will look at this plan again."),
    (Field("review_date", _("Review date"), kind="date", required=True),),
)

IEP_SECTIONS = (
    PARTICIPANTS,
    STRENGTHS,
    PARENT_CONCERNS,
    PRESENT_LEVELS,
    SPECIAL_FACTORS_SECTION,
    PROGRESS_REPORTING,
    ASSESSMENT,
    LRE,
    PLACEMENT,
    ESY,
    TRANSITION,
    AGE_OF_MAJORITY,
)
SECTION_504_SECTIONS = (PARTICIPANTS, STRENGTHS, PARENT_CONCERNS, REVIEW_504)

# Item kinds each plan type has, in display order.
IEP_ITEMS = ("goals", "services", "accommodations")
SECTION_504_ITEMS = ("services", "accommodations")


def sections_for(plan_type: str) -> tuple[Section, ...]:
    return SECTION_504_SECTIONS if plan_type == "504" else IEP_SECTIONS


def items_for(plan_type: str) -> tuple[str, ...]:
    return SECTION_504_ITEMS if plan_type == "504" else IEP_ITEMS


def section(plan_type: str, key: str) -> Section | None:
    return next((s for s in sections_for(plan_type) if s.key == key), None)


ITEM_TITLES = {
    "goals": _("Annual goals"),
    "services": _("Services"),
    "accommodations": _("Accommodations and modifications"),
}
ITEM_HELP = {
    "goals": _(
        "What your child will work on this year, where they start (baseline), where they "
        "should get to (target), and how the team will measure it."
    ),
    "services": _(
        "The help the school commits to give: what, by whom, how many minutes, how often, "
        "from when to when, and where."
    ),
    "accommodations": _(
        "Changes in how your child learns or is tested (accommodations) or in what is "
        "expected (modifications). Every teacher must provide them."
    ),
}
