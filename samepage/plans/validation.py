"""What must be true before a plan can be finalized (IDEA 300.320), and what deserves a
second look. Errors block; warnings can be overridden with a recorded reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samepage.plans.models import UNANSWERED_CONCERNS, PlanVersion
from samepage.plans.sections import section, sections_for


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    anchor: str  # "section:<key>", "goal:<lineage>", "service:<lineage>", "plan"


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_plan(
    version: PlanVersion, content: dict[str, Any]
) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) for finalizing ``version`` whose content is ``content``."""
    plan = version.plan
    student = plan.student
    district = student.district
    errors: list[Finding] = []
    warnings: list[Finding] = []
    sections = content["sections"]
    start = date.fromisoformat(content["proposed_start"]) if content["proposed_start"] else None
    end = date.fromisoformat(content["proposed_end"]) if content["proposed_end"] else None

    if start is None or end is None:
        errors.append(Finding("dates", _("Enter when the plan starts and ends."), "plan"))
    elif end < start:
        errors.append(Finding("dates", _("The plan ends before it starts."), "plan"))

    optional = {"transition", "age_of_majority", "parent_concerns"}
    for sec in sections_for(plan.plan_type):
        if sec.key in optional:
            continue
        data = sections.get(sec.key, {})
        for field in sec.fields:
            if field.required and _blank(data.get(field.name)):
                errors.append(
                    Finding(
                        "missing_section",
                        _("%(section)s: “%(field)s” is missing.")
                        % {"section": sec.title, "field": field.label},
                        f"section:{sec.key}",
                    )
                )

    if plan.plan_type == "iep":
        present = sections.get("present_levels", {})
        if not any(not _blank(v) for k, v in present.items() if k.endswith("_levels")):
            errors.append(
                Finding(
                    "missing_section",
                    _("Present levels: describe at least one area."),
                    "section:present_levels",
                )
            )
        lre = sections.get("lre", {})
        percent = lre.get("percent_general_education")
        if percent not in (None, "") and float(percent) < 100 and _blank(lre.get("explanation")):
            errors.append(
                Finding(
                    "lre_explanation",
                    _(
                        "Time with classmates: explain why the student is not in general "
                        "education the whole day."
                    ),
                    "section:lre",
                )
            )
        assessment = sections.get("assessment", {})
        alternate = assessment.get("participation") == "alternate"
        if alternate and _blank(assessment.get("alternate_justification")):
            errors.append(
                Finding(
                    "alternate_justification",
                    _("Tests: explain why the alternate test is needed."),
                    "section:assessment",
                )
            )
        goals = content.get("goals", [])
        if not goals:
            errors.append(Finding("no_goals", _("Add at least one annual goal."), "plan"))
        for goal in goals:
            anchor = f"goal:{goal['lineage_id']}"
            label = goal["statement"][:60]
            for name, text in (
                ("baseline", _("baseline")),
                ("target", _("target")),
                ("measurement_method", _("how it is measured")),
            ):
                if _blank(goal.get(name)):
                    errors.append(
                        Finding(
                            "goal_incomplete",
                            _("Goal “%(goal)s” has no %(what)s.") % {"goal": label, "what": text},
                            anchor,
                        )
                    )
            if alternate and not goal.get("objectives"):
                errors.append(
                    Finding(
                        "objectives_required",
                        _(
                            "Goal “%(goal)s” needs short-term objectives: the student takes "
                            "an alternate test."
                        )
                        % {"goal": label},
                        anchor,
                    )
                )
            if _blank(goal.get("schedule")):
                warnings.append(
                    Finding(
                        "goal_schedule",
                        _("Goal “%(goal)s” does not say how often it is measured.")
                        % {"goal": label},
                        anchor,
                    )
                )

        if start is not None and end is not None:
            born = student.date_of_birth
            if _age_on(born, end) >= district.transition_age:
                transition = sections.get("transition", {})
                needed = (
                    "postsecondary_education",
                    "postsecondary_employment",
                    "transition_services",
                    "course_of_study",
                )
                if any(_blank(transition.get(name)) for name in needed):
                    errors.append(
                        Finding(
                            "transition_missing",
                            _(
                                "Transition: the student is %(age)s or older during this plan, "
                                "so postsecondary goals, transition services and a course of "
                                "study are required."
                            )
                            % {"age": district.transition_age},
                            "section:transition",
                        )
                    )
            if _age_on(born, end) >= district.age_of_majority - 1:
                majority = sections.get("age_of_majority", {})
                if _blank(majority.get("statement")) or _blank(majority.get("informed_on")):
                    errors.append(
                        Finding(
                            "majority_missing",
                            _(
                                "Age of majority: the student turns %(age)s within a year, so "
                                "the plan must say when they were told which rights transfer."
                            )
                            % {"age": district.age_of_majority},
                            "section:age_of_majority",
                        )
                    )

    for service in content.get("services", []):
        anchor = f"service:{service['lineage_id']}"
        label = service["description"][:60]
        missing = [
            text
            for name, text in (
                ("minutes", _("minutes")),
                ("frequency_unit", _("how often")),
                ("start_date", _("start date")),
                ("end_date", _("end date")),
            )
            if _blank(service.get(name))
        ]
        if missing:
            errors.append(
                Finding(
                    "service_incomplete",
                    _("Service “%(service)s” is missing: %(what)s.")
                    % {"service": label, "what": ", ".join(str(m) for m in missing)},
                    anchor,
                )
            )
        elif service["end_date"] < service["start_date"]:
            errors.append(
                Finding(
                    "service_dates",
                    _("Service “%(service)s” ends before it starts.") % {"service": label},
                    anchor,
                )
            )
        if _blank(service.get("setting")):
            warnings.append(
                Finding(
                    "service_setting",
                    _("Service “%(service)s” does not say where it happens.") % {"service": label},
                    anchor,
                )
            )

    if not content.get("accommodations"):
        warnings.append(
            Finding(
                "no_accommodations",
                _("The plan lists no accommodations. Is that what the team decided?"),
                "plan",
            )
        )
    concerns = sections.get("parent_concerns", {})
    if _blank(concerns.get("concerns")) and not content.get("concerns"):
        warnings.append(
            Finding(
                "no_parent_concerns",
                _("The family's concerns are not recorded."),
                "section:parent_concerns",
            )
        )
    unanswered = [c for c in content.get("concerns", []) if c["status"] == "open"]
    if unanswered:
        # The reason given to go ahead is shown to the family with the final plan.
        warnings.append(
            Finding(
                UNANSWERED_CONCERNS,
                ngettext(
                    "%(count)s concern from the family is not answered yet. Say why the plan "
                    "is final anyway; the family will see this reason.",
                    "%(count)s concerns from the family are not answered yet. Say why the "
                    "plan is final anyway; the family will see this reason.",
                    len(unanswered),
                )
                % {"count": len(unanswered)},
                "section:parent_concerns",
            )
        )
    if (
        plan.plan_type == "iep"
        and not any(v for k, v in sections.get("special_factors", {}).items() if k != "notes")
        and _blank(sections.get("special_factors", {}).get("notes"))
    ):
        warnings.append(
            Finding(
                "special_factors",
                _("Special factors: nothing is recorded about what the team considered."),
                "section:special_factors",
            )
        )
    return errors, warnings


def section_title(plan_type: str, key: str) -> Any:
    found = section(plan_type, key)
    return found.title if found else key
