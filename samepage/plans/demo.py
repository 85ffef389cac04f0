"""Plans for the demo district, in every lifecycle state. Synthetic content only.

- Jamie Rivera: last year's IEP in effect (annual review overdue) and this year's draft,
  shared with the family, with an open question thread.
- Sofía Hernández: IEP in effect and next year's complete draft, not yet shared (the
  browser journey shares, questions, finalizes and signs it).
- Maya Chen (16+): final IEP with transition plan, waiting for signature.
- Daniel Okoro (near 18): IEP in effect, amended once (version 1 replaced).
- Leo Martin: 504 plan in effect.
- Ava Johnson: a draft nobody outside the team has seen.
- Noah Kim: a plan that ended when he left the district.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from samepage.plans.actions import editing, lifecycle
from samepage.plans.models import Goal, Plan, PlanSection, PlanVersion, Service
from samepage.plans.permissions import plan_access

COMMON_SECTIONS: dict[str, dict[str, Any]] = {
    "special_factors": {"assistive_technology_needed": True, "notes": "Considered all five."},
    "progress_reporting": {
        "method": "Short weekly checks charted against each goal.",
        "frequency": "Every quarter, with the report card",
    },
    "assessment": {"participation": "regular_with_accommodations"},
    "placement": {"placement": "General education classroom with resource support"},
    "esy": {"decision": "not_needed", "justification": "Skills held over the last break."},
}


def _sections(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    sections = {key: dict(value) for key, value in COMMON_SECTIONS.items()}
    sections.update(
        {
            "participants": {"participants": spec["participants"]},
            "strengths": {"strengths": spec["strengths"]},
            "parent_concerns": {"concerns": spec["concerns"]},
            "present_levels": {
                f"{spec['area']}_levels": spec["levels"],
                "disability_impact": spec["impact"],
            },
            "lre": {"percent_general_education": spec["lre"], "explanation": spec["lre_why"]},
        }
    )
    sections.update(spec.get("extra_sections", {}))
    return sections


def _fill(version: PlanVersion, actor: Any, spec: dict[str, Any], *, items: bool = True) -> None:
    plan = version.plan
    if plan.plan_type == "504":
        sections = {
            "participants": {"participants": spec["participants"]},
            "strengths": {"strengths": spec["strengths"]},
            "parent_concerns": {"concerns": spec["concerns"]},
        }
    else:
        sections = _sections(spec)
    for key, data in sections.items():
        section = PlanSection.objects.get(version=version, key=key)
        editing.do_save_section(version, key, data, actor=actor, expected_revision=section.revision)
    if plan.plan_type == "504":
        section = PlanSection.objects.get(version=version, key="review")
        editing.do_save_section(
            version,
            "review",
            {"review_date": spec["review_date"]},
            actor=actor,
            expected_revision=section.revision,
        )
    if not items:
        return
    for goal in spec.get("goals", []):
        editing.do_add_goal(version, actor=actor, **goal)
    start, end = version.proposed_start, version.proposed_end
    for service in spec.get("services", []):
        editing.do_add_service(version, actor=actor, start_date=start, end_date=end, **service)
    for text, applies in spec.get("accommodations", []):
        editing.do_add_accommodation(version, actor=actor, description=text, applies_to=applies)


def _in_effect(plan: Plan, actor: Any, signer: Any, meeting: date) -> PlanVersion:
    version = plan.versions.get(status="draft")
    lifecycle.do_record_meeting(version, actor=actor, meeting_date=meeting)
    lifecycle.check_finalize(
        version, actor=actor, overrides={"no_accommodations": "Decided at the meeting."}
    )
    lifecycle.do_sign(
        version,
        actor=signer,
        access=plan_access(signer, version.plan),
        decision="agree",
        typed_name=signer.full_name,
        consent_to_initial_services=plan.is_initial,
        ip="127.0.0.1",
        user_agent="demo",
    )
    version.refresh_from_db()
    return version


def _plan(student: Any, actor: Any, start: date, **extra: Any) -> Plan:
    return lifecycle.do_create_plan(
        student,
        actor=actor,
        proposed_start=start,
        proposed_end=start + timedelta(days=364),
        **extra,
    )


READING_GOAL = {
    "area": "academic",
    "statement": "Jamie will read a grade-level passage aloud at 90 words per minute.",
    "baseline": "45 words per minute on third-grade passages (September).",
    "target": "90 words per minute with 95% accuracy.",
    "measurement_method": "One-minute oral reading probes",
    "schedule": "Weekly",
    "mastery_criterion": "Three probes in a row at target",
}
REGULATION_GOAL = {
    "area": "social_emotional",
    "statement": "Jamie will use a calm-down plan on his own when upset.",
    "baseline": "Uses the plan with an adult's reminder 2 of 10 times.",
    "target": "Uses the plan on his own 8 of 10 times.",
    "measurement_method": "Teacher tally sheet",
    "schedule": "Daily, summarized weekly",
    "mastery_criterion": "Four weeks at target",
}

SPECS: dict[str, dict[str, Any]] = {
    "Jamie": {
        "participants": "Jordan Rivera (parent), Maria Lee (case manager), David Brooks "
        "(teacher), Priya Patel (speech), Marcus Hayes (LEA representative)",
        "strengths": "Jamie knows every dinosaur, builds with blocks for an hour, and is kind "
        "to younger children.",
        "concerns": "Reading homework ends in tears. Loud rooms are hard for him.",
        "area": "academic",
        "levels": "Reads 45 words per minute; understands stories read to him very well.",
        "impact": "Autism affects attention in noisy settings and reading fluency.",
        "lre": 80,
        "lre_why": "30 minutes a day of reading support in a small, quiet group.",
        "goals": [READING_GOAL, REGULATION_GOAL],
        "services": [
            {
                "category": "special_education",
                "description": "Reading instruction",
                "provider_role": "Special education teacher",
                "minutes": 150,
                "frequency_unit": "week",
                "setting": "Resource room",
                "grouping": "group",
            },
            {
                "category": "related",
                "description": "Speech and language therapy",
                "provider_role": "Speech-language pathologist",
                "minutes": 60,
                "frequency_unit": "week",
                "setting": "Speech room",
            },
        ],
        "accommodations": [
            ("Noise-reducing headphones during independent work", "classroom"),
            ("Extra time (time and a half) on tests", "testing"),
            ("Visual schedule on his desk", "classroom"),
        ],
    },
    "Sofía": {
        "participants": "Rosa Hernández (madre), Maria Lee (case manager), Priya Patel "
        "(speech), Luis Ortega (interpreter)",
        "strengths": "Sofía draws beautifully, helps classmates, and speaks Spanish and English.",
        "concerns": "Le cuesta hacerse entender por teléfono y en clase. (Being understood in "
        "class and on the phone.)",
        "area": "communication",
        "levels": "Speech is understood 70% of the time by unfamiliar listeners.",
        "impact": "A speech sound disorder limits taking part in class discussion.",
        "lre": 95,
        "lre_why": "Speech therapy outside the classroom twice a week.",
        "goals": [
            {
                "area": "communication",
                "statement": "Sofía will say /r/ and /s/ correctly in conversation.",
                "baseline": "40% correct in words",
                "target": "85% correct in conversation",
                "measurement_method": "Speech sample",
                "schedule": "Every two weeks",
                "mastery_criterion": "Two samples in a row at target",
            },
        ],
        "services": [
            {
                "category": "related",
                "description": "Speech therapy",
                "provider_role": "Speech-language pathologist",
                "minutes": 60,
                "frequency_unit": "week",
                "setting": "Speech room",
            },
        ],
        "accommodations": [
            ("Oral presentations to a small group instead of the whole class", "classroom")
        ],
    },
    "Maya": {
        "participants": "Wei Chen (father), Maya Chen (student), Tom Alvarez (case manager), "
        "Ellen Park (LEA representative)",
        "strengths": "Maya is a strong problem solver, loves biology, and works at a vet clinic "
        "on Saturdays.",
        "concerns": "Keeping up with reading load in junior year; planning for college.",
        "area": "academic",
        "levels": "Reads at an eighth-grade level; math and science at grade level.",
        "impact": "A learning disability in reading slows work with long texts.",
        "lre": 90,
        "lre_why": "One period of study skills support a day.",
        "goals": [
            {
                "area": "academic",
                "statement": "Maya will use text-to-speech and note templates "
                "to finish reading assignments on time.",
                "baseline": "Finishes 50% on time",
                "target": "Finishes 90% on time",
                "measurement_method": "Assignment log",
                "schedule": "Weekly",
                "mastery_criterion": "A full quarter at target",
            },
        ],
        "services": [
            {
                "category": "special_education",
                "description": "Study skills support",
                "provider_role": "Special education teacher",
                "minutes": 250,
                "frequency_unit": "week",
                "setting": "Learning center",
                "grouping": "group",
            },
        ],
        "accommodations": [
            ("Text-to-speech for all reading", "both"),
            ("Extra time on tests", "testing"),
        ],
        "extra_sections": {
            "transition": {
                "postsecondary_education": "Maya will study to become a veterinary technician "
                "at a community college.",
                "postsecondary_employment": "Maya will work as a veterinary assistant.",
                "postsecondary_independent_living": "Maya will manage her own schedule and budget.",
                "transition_assessments": "Career interest inventory (October); student interview.",
                "transition_services": "College visit; help applying for disability services.",
                "course_of_study": "College-prep diploma with biology and anatomy.",
            },
            "age_of_majority": {
                "informed_on": None,
                "statement": "Maya and her father were told that at 18 her special education "
                "rights pass to her.",
            },
        },
    },
    "Leo": {
        "participants": "Claire Martin (mother), Maria Lee (504 coordinator)",
        "strengths": "Leo is curious and loves math games.",
        "concerns": "Type 1 diabetes: snacks and blood sugar checks during class.",
        "review_date": None,
        "accommodations": [
            ("Snacks and water at any time", "both"),
            ("Breaks for blood sugar checks", "both"),
        ],
        "services": [
            {
                "category": "supplementary",
                "description": "Check-ins with the school nurse",
                "provider_role": "School nurse",
                "minutes": 10,
                "frequency_unit": "day",
                "setting": "Nurse's office",
            },
        ],
    },
}
SPECS["Daniel"] = {
    **SPECS["Maya"],
    "participants": "Grace Okoro (mother), Daniel Okoro (student), Tom Alvarez (case manager)",
    "strengths": "Daniel is a talented drummer and a patient tutor for younger students.",
    "concerns": "Fatigue from his health condition; finishing credits to graduate.",
    "area": "functional",
    "levels": "Misses about one day a week for medical reasons; keeps up when present.",
    "impact": "A health condition limits stamina and attendance.",
    "goals": [
        {
            "area": "functional",
            "statement": "Daniel will make up missed work within a week using a weekly plan.",
            "baseline": "Makes up 40% within a week",
            "target": "90% within a week",
            "measurement_method": "Gradebook check",
            "schedule": "Weekly",
            "mastery_criterion": "Six weeks at target",
        },
    ],
}
SPECS["Ava"] = {
    **SPECS["Jamie"],
    "strengths": "Ava is funny and loves animals.",
    "goals": [],
    "services": [],
    "accommodations": [],
}
SPECS["Noah"] = {**SPECS["Jamie"], "strengths": "Noah is a careful builder."}


def seed_plans(
    today: date, students: dict[str, Any], staff: dict[str, Any], people: dict[str, Any]
) -> None:
    lee, alvarez = staff["maria.lee"], staff["tom.alvarez"]
    jordan, rosa = people["jordan.rivera"], people["rosa.hernandez"]

    # Jamie: last year's plan in effect, this year's draft shared with questions.
    old = _plan(students["Jamie"], lee, today - timedelta(days=380))
    _fill(old.versions.get(), lee, SPECS["Jamie"])
    _in_effect(old, lee, jordan, today - timedelta(days=381))
    new = _plan(students["Jamie"], lee, today + timedelta(days=20))
    draft = new.versions.get()
    _fill(draft, lee, SPECS["Jamie"], items=False)
    goal = Goal.objects.get(version=draft, statement=READING_GOAL["statement"])
    editing.do_update_goal(
        goal,
        actor=lee,
        expected_revision=goal.revision,
        baseline="72 words per minute on third-grade passages (May).",
        target="100 words per minute with 95% accuracy.",
    )
    editing.do_add_goal(
        draft,
        actor=lee,
        area="communication",
        statement="Jamie will start and keep a conversation going for three turns.",
        baseline="One turn with prompting",
        target="Three turns without prompting",
        measurement_method="Speech therapist's observation",
        schedule="Every two weeks",
        mastery_criterion="Three observations in a row",
    )
    shared = lifecycle.do_share_draft(
        draft,
        actor=lee,
        message="Here is the draft for Jamie's annual meeting. Questions welcome before we meet.",
    )
    goal_anchor = f"goal:{goal.lineage_id}"
    answered = lifecycle.do_ask_question(
        shared,
        actor=jordan,
        anchor=goal_anchor,
        text="Why did the reading target go up to 100? He is still working on 90.",
    )
    lifecycle.do_reply(
        answered,
        actor=lee,
        by_staff=True,
        text="He reached 90 in May, so 100 is the next step for fourth grade.",
    )
    lifecycle.do_ask_question(
        shared,
        actor=jordan,
        anchor="section:lre",
        text="Can the reading group happen in the morning, when he is calmer?",
    )

    # Sofía: plan in effect; next year's complete draft waiting to be shared.
    current = _plan(students["Sofía"], lee, today - timedelta(days=300))
    _fill(current.versions.get(), lee, SPECS["Sofía"])
    _in_effect(current, lee, rosa, today - timedelta(days=301))
    upcoming = _plan(students["Sofía"], lee, today + timedelta(days=30))
    _fill(upcoming.versions.get(), lee, SPECS["Sofía"], items=False)

    # Maya: final, waiting for her father's signature.
    maya_spec = dict(SPECS["Maya"])
    maya_spec["extra_sections"] = {
        **maya_spec["extra_sections"],
        "age_of_majority": {
            **maya_spec["extra_sections"]["age_of_majority"],
            "informed_on": (today - timedelta(days=5)).isoformat(),
        },
    }
    maya = _plan(students["Maya"], alvarez, today + timedelta(days=10))
    maya_version = maya.versions.get()
    _fill(maya_version, alvarez, maya_spec)
    lifecycle.do_record_meeting(maya_version, actor=alvarez, meeting_date=today - timedelta(days=2))
    lifecycle.check_finalize(maya_version, actor=alvarez)

    # Daniel: in effect, then amended (more study support), version 1 replaced.
    daniel_spec = {**SPECS["Daniel"], "extra_sections": maya_spec["extra_sections"]}
    daniel = _plan(students["Daniel"], alvarez, today - timedelta(days=200))
    _fill(daniel.versions.get(), alvarez, daniel_spec)
    _in_effect(daniel, alvarez, people["grace.okoro"], today - timedelta(days=201))
    amendment = lifecycle.do_start_amendment(
        daniel,
        actor=alvarez,
        reason="More study support after a long hospital stay.",
        parts=["services"],
        effective_date=today - timedelta(days=30),
    )
    service = Service.objects.get(version=amendment)
    editing.do_update_service(
        service, actor=alvarez, expected_revision=service.revision, minutes=300
    )
    lifecycle.check_finalize(amendment, actor=alvarez)
    lifecycle.do_sign(
        amendment,
        actor=people["grace.okoro"],
        access=plan_access(people["grace.okoro"], amendment.plan),
        decision="agree",
        typed_name="Grace Okoro",
        ip="127.0.0.1",
        user_agent="demo",
    )

    # Leo: a 504 plan in effect.
    leo = _plan(students["Leo"], lee, today - timedelta(days=100), plan_type="504")
    leo_spec = {**SPECS["Leo"], "review_date": (today + timedelta(days=260)).isoformat()}
    _fill(leo.versions.get(), lee, leo_spec)
    _in_effect(leo, lee, people["claire.martin"], today - timedelta(days=101))

    # Ava: a draft only the team has seen.
    ava = _plan(students["Ava"], lee, today + timedelta(days=45))
    _fill(ava.versions.get(), lee, SPECS["Ava"])

    # Noah: ended when he left the district.
    noah = _plan(students["Noah"], lee, today - timedelta(days=150))
    _fill(noah.versions.get(), lee, SPECS["Noah"])
    _in_effect(noah, lee, people["min.kim"], today - timedelta(days=151))
    lifecycle.do_end_plan(noah, actor=lee, reason="Moved to another district.")
