"""Demo profiles and student voice for the Riverbend district, written through the real
actions (so attribution, history and audit are what a real family would see).

Called from samepage/schools/demo.py with the demo's people. Synthetic data only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from samepage.profiles import actions
from samepage.profiles.models import ProfileSection as S
from samepage.profiles.models import Visibility, VoicePrompt
from samepage.profiles.permissions import ProfileAccess
from samepage.schools.models import Student
from samepage.teams.permissions import student_access

JAMIE_BY_JORDAN = [
    (S.STRENGTHS, "Jamie is funny, kind to younger kids and remembers every detail about trains."),
    (S.INTERESTS, "Trains and subway maps, Minecraft, drawing comics with his cousin."),
    (S.MOTIVATORS, "Five minutes of drawing after a hard task. Being asked to help someone."),
    (
        S.TRIGGERS,
        "Sudden changes to the schedule and loud, crowded rooms (assemblies, the cafeteria). "
        "Early signs: he goes quiet, pulls his hood up and taps his pencil fast.",
    ),
    (
        S.CALMING,
        "A quiet corner with his headphones, a drink of water, and a calm voice telling him "
        "what happens next. Don't touch his shoulder: it makes it worse.",
    ),
    (
        S.LEARNING,
        "He learns best when he sees it first: a picture, a diagram, an example done step "
        "by step. Short chunks with a check-in.",
    ),
    (
        S.COMMUNICATION,
        "He needs a few seconds to answer. Ask one question at a time and wait. Written "
        "choices help when he is upset.",
    ),
    (S.SENSORY, "Loud noises and scratchy labels bother him. He likes a weighted lap pad."),
    (S.HEALTH, "Mild peanut allergy (no EpiPen needed, but no peanuts at snack)."),
    (S.HOME, "A picture schedule on the fridge and a five-minute warning before changes."),
    (S.PEOPLE, "His grandma Lucía, his cousin Mateo, and our dog Biscuit."),
    (S.HOPES, "That he has one good friend at school and keeps loving to learn."),
]

SOFIA_BY_ROSA = [
    (S.STRENGTHS, "Sofía es muy cariñosa, le encanta cantar y ayuda a su hermanito."),
    (S.INTERESTS, "Los animales, sobre todo los gatos, y bailar con música de su abuela."),
    (
        S.TRIGGERS,
        "Se pone nerviosa cuando no entiende las instrucciones en inglés. Primeras señales: "
        "se queda callada y mira al piso.",
    ),
    (S.CALMING, "Hablarle despacio, en español si es posible, y darle un momento a solas."),
    (S.LEARNING, "Aprende mejor con dibujos y cuando alguien le muestra primero cómo hacerlo."),
    (S.COMMUNICATION, "Entiende más de lo que dice. Usa gestos cuando no encuentra la palabra."),
    (S.HOME, "En casa usamos una lista con dibujos para la rutina de la mañana."),
    (S.PEOPLE, "Su mamá, su abuela Carmen y su hermanito Diego."),
    (S.HOPES, "Que pueda leer cuentos a su hermanito y hacer amigas en la escuela."),
]

MAYA_VOICE = [
    (VoicePrompt.GOOD_AT, "Drawing, fixing computers, and explaining things to my friends."),
    (VoicePrompt.HELPS_ME, "Notes I can keep, extra time on tests, and a heads-up before changes."),
    (
        VoicePrompt.WANT_ADULTS_TO_KNOW,
        "If I'm quiet it doesn't mean I don't care. I'm thinking.",
    ),
    (VoicePrompt.MY_GOALS, "Graduate, go to community college for graphic design, get my license."),
]

DANIEL_VOICE = [
    (VoicePrompt.GOOD_AT, "Basketball and building things with my hands."),
    (VoicePrompt.HELPS_ME, "When the teacher reads the question out loud."),
    (VoicePrompt.MY_GOALS, "Work in a bike shop and later have my own."),
]


def _access(user: Any, student: Student) -> ProfileAccess:
    access = student_access(user, student)
    if access is None:
        raise RuntimeError(f"demo: {user} cannot see {student}'s profile")
    return ProfileAccess(access, user.pk)


def _write(student: Student, user: Any, entries: Sequence[tuple[str, str]]) -> list[Any]:
    access = _access(user, student)
    return [
        actions.check_add_entry(
            actor=user, student=student, access=access, section=section, text=text
        )
        for section, text in entries
    ]


def _voice(student: Student, user: Any, answers: Sequence[tuple[str, str]]) -> None:
    access = _access(user, student)
    for prompt, text in answers:
        actions.check_add_voice(
            actor=user, student=student, access=access, prompt=prompt, text=text
        )


def seed_profiles(
    today: date,
    students: dict[str, Student],
    staff: dict[str, Any],
    people: dict[str, Any],
) -> None:
    """Jamie's full profile (Jordan, with Maria Lee's observation and a correction
    request), Sofía's profile in Spanish (Rosa), and student voice for Maya (her own
    account) and Daniel (recorded by staff from an interview)."""
    jamie = students["Jamie"]
    jordan = people["jordan.rivera"]
    written = _write(jamie, jordan, JAMIE_BY_JORDAN)
    # Jordan rewrote the calming strategies after a talk with the counselor: history.
    calming = next(e for e in written if e.section == S.CALMING)
    actions.check_edit_entry(
        calming,
        actor=jordan,
        text=calming.text + " Counting trains out loud with him works too.",
        visibility=Visibility.TEAM,
        expected_revision=calming.revision,
    )
    actions.check_add_entry(
        actor=jordan,
        student=jamie,
        access=_access(jordan, jamie),
        section=S.HOPES,
        text="Maybe a summer train camp? Still thinking about how to say this.",
        visibility=Visibility.PRIVATE_DRAFT,
    )
    maria = staff["maria.lee"]
    observation = actions.check_add_entry(
        actor=maria,
        student=jamie,
        access=_access(maria, jamie),
        section=S.TRIGGERS,
        text="Jamie refuses to work in group activities and leaves the room without asking.",
    )
    actions.check_request_correction(
        observation,
        actor=jordan,
        text=(
            "He doesn't refuse: he leaves when the group gets loud, which is his sign he's "
            "overwhelmed. Please write it that way, and note that he goes to the quiet corner."
        ),
    )

    sofia = students["Sofía"]
    _write(sofia, people["rosa.hernandez"], SOFIA_BY_ROSA)

    maya = students["Maya"]
    if maya.account is not None:
        _voice(maya, maya.account, MAYA_VOICE)

    daniel = students.get("Daniel")
    if daniel is not None:
        _voice(daniel, staff["tom.alvarez"], DANIEL_VOICE)
