"""The special-education glossary: each term, how it is written, and what it means.

Plain content, not database rows: the glossary ships with the code, is reviewed like
code, and is the same for every district. Every explanation is our own wording, written
for families, at or below a grade-8 reading level in both languages
(``tests/test_readability.py`` measures it).

``forms`` are the spellings the jargon annotator looks for in text written in that
language. A form written all in capitals (an acronym, like "IEP") matches only in
capitals; any other form matches whatever its case. Some acronyms are left out of
``forms`` on purpose where they are everyday words too ("ID", "AT").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Wording:
    """A term in one language: its name in the glossary, its forms in text, its meaning."""

    name: str
    forms: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class Term:
    """One glossary entry, in English and in Spanish."""

    key: str
    en: Wording
    es: Wording

    @property
    def anchor(self) -> str:
        return f"term-{self.key}"

    def wording(self, language: str | None = None) -> Wording:
        """The wording in ``language`` (default: the active language); English otherwise."""
        code = (language or get_language() or "en").split("-")[0]
        return self.es if code == "es" else self.en


def _term(
    key: str,
    en: tuple[str, tuple[str, ...], str],
    es: tuple[str, tuple[str, ...], str],
) -> Term:
    return Term(key=key, en=Wording(*en), es=Wording(*es))


TERMS: tuple[Term, ...] = (
    # --- the law and the plan ---------------------------------------------------------
    _term(
        "idea",
        (
            "IDEA (Individuals with Disabilities Education Act)",
            ("IDEA", "Individuals with Disabilities Education Act"),
            "The main federal law for special education. It says schools must find, "
            "test and help children with disabilities. It also gives parents rights.",
        ),
        (
            "IDEA (Ley de Educación para Personas con Discapacidades)",
            ("IDEA", "Ley de Educación para Personas con Discapacidades"),
            "Es la ley del país para la educación especial. Dice que la escuela debe "
            "buscar y ayudar a los niños con una discapacidad. También les da derechos "
            "a los padres.",
        ),
    ),
    _term(
        "iep",
        (
            "IEP (Individualized Education Program)",
            ("IEP", "IEPs", "Individualized Education Program"),
            "The written plan for a child in special education. It lists goals and the "
            "help the school will give. The school must follow it. You help write it.",
        ),
        (
            "IEP (Programa de Educación Individualizado)",
            (
                "IEP",
                "PEI",
                "Programa de Educación Individualizado",
                "Programa Educativo Individualizado",
            ),
            "Es el plan escrito para un niño en educación especial. Dice sus metas y la "
            "ayuda que le da la escuela. La escuela debe cumplirlo. Usted ayuda a "
            "escribirlo.",
        ),
    ),
    _term(
        "iep-team",
        (
            "IEP team",
            ("IEP team", "IEP teams"),
            "The group of people who write the plan together. It includes you, "
            "teachers, someone from the district, and sometimes your child. You are an "
            "equal member.",
        ),
        (
            "Equipo del IEP",
            ("equipo del IEP", "equipo del PEI", "equipo IEP"),
            "Es el grupo que escribe el plan. Está usted, los maestros, alguien del "
            "distrito y a veces su hijo. Usted tiene el mismo lugar que los demás.",
        ),
    ),
    _term(
        "plan-504",
        (
            "504 plan (Section 504)",
            ("504 plan", "504 plans", "Section 504"),
            "A plan that gives a student with a disability fair access to school, such "
            "as extra time or a quiet room. It comes from a civil rights law. It does "
            "not have to include special teaching.",
        ),
        (
            "Plan 504 (Sección 504)",
            ("plan 504", "planes 504", "Sección 504"),
            "Es un plan para que un alumno con una discapacidad tenga acceso justo a la "
            "escuela. Por ejemplo, más tiempo o un lugar tranquilo. Viene de una ley de "
            "derechos civiles.",
        ),
    ),
    _term(
        "fape",
        (
            "FAPE (free appropriate public education)",
            ("FAPE", "free appropriate public education"),
            "Your child's right to a public school education that fits their needs, at "
            "no cost to you. The plan says what that means for your child.",
        ),
        (
            "FAPE (educación pública gratuita y apropiada)",
            (
                "FAPE",
                "educación pública gratuita y apropiada",
                "educación pública apropiada y gratuita",
            ),
            "Es el derecho de su hijo a una escuela pública que sirva para lo que "
            "necesita. Usted no paga nada. El plan dice qué quiere decir esto para su "
            "hijo.",
        ),
    ),
    _term(
        "lre",
        (
            "LRE (least restrictive environment)",
            ("LRE", "least restrictive environment"),
            "Your child should learn with children without disabilities as much as "
            "possible. Moving to a separate class or school needs a good reason.",
        ),
        (
            "Ambiente menos restrictivo (LRE)",
            ("LRE", "ambiente menos restrictivo", "entorno menos restrictivo"),
            "Su hijo debe aprender junto a niños sin discapacidad lo más posible. Para "
            "pasar a otra clase o a otra escuela tiene que haber una buena razón.",
        ),
    ),
    _term(
        "pwn",
        (
            "PWN (prior written notice)",
            ("PWN", "prior written notice"),
            "A letter the school must send before it makes or refuses a change in your "
            "child's testing, services or class. It says what the school will do and "
            "why.",
        ),
        (
            "Aviso previo por escrito (PWN)",
            ("PWN", "aviso previo por escrito", "notificación previa por escrito"),
            "Es una carta que la escuela debe mandar antes de hacer un cambio, o de "
            "decir que no a uno. Dice qué va a hacer la escuela y por qué.",
        ),
    ),
    _term(
        "plaafp",
        (
            "Present levels (PLAAFP or PLOP)",
            ("PLAAFP", "PLOP", "present levels", "present levels of performance"),
            "The part of the plan that says what your child can do now, in school work "
            "and in daily life. Goals start from here.",
        ),
        (
            "Niveles actuales de desempeño (PLAAFP o PLOP)",
            ("PLAAFP", "PLOP", "niveles actuales", "niveles actuales de desempeño"),
            "Es la parte del plan que dice lo que su hijo puede hacer hoy, en la clase y "
            "en la vida diaria. Las metas parten de aquí.",
        ),
    ),
    _term(
        "annual-goal",
        (
            "Annual goal",
            ("annual goal", "annual goals"),
            "Something your child should be able to do in one year. It must be clear "
            "enough to measure, so the team can tell if it was met.",
        ),
        (
            "Meta anual",
            ("meta anual", "metas anuales"),
            "Es algo que su hijo debe poder hacer en un año. Tiene que estar claro para "
            "poder medirlo y saber si se logró.",
        ),
    ),
    _term(
        "objective",
        (
            "Short-term objective (benchmark)",
            ("short-term objective", "short-term objectives", "benchmark", "benchmarks", "STO"),
            "A smaller step on the way to a yearly goal. It helps everyone see progress "
            "during the year.",
        ),
        (
            "Objetivo a corto plazo",
            (
                "objetivo a corto plazo",
                "objetivos a corto plazo",
                "punto de referencia",
                "puntos de referencia",
            ),
            "Es un paso más chico en el camino a una meta del año. Sirve para ver el "
            "avance durante el año.",
        ),
    ),
    _term(
        "sdi",
        (
            "SDI (specially designed instruction)",
            ("SDI", "specially designed instruction"),
            "Teaching that is changed to fit your child. The teacher may change what is "
            "taught, how it is taught, or where. This is the heart of special "
            "education.",
        ),
        (
            "Instrucción especialmente diseñada (SDI)",
            ("SDI", "instrucción especialmente diseñada", "instrucción diseñada especialmente"),
            "Es enseñar de una forma que se ajusta a su hijo. Puede cambiar lo que se "
            "enseña, cómo se enseña o dónde. Es el centro de la educación especial.",
        ),
    ),
    _term(
        "related-services",
        (
            "Related services",
            ("related services", "related service"),
            "Extra help your child needs to get the most from school. Examples are "
            "speech therapy, counseling, and rides on a school bus.",
        ),
        (
            "Servicios relacionados",
            ("servicios relacionados", "servicio relacionado"),
            "Es otra ayuda que su hijo necesita para sacar provecho de la escuela. Por "
            "ejemplo, terapia del habla, consejería o el transporte en autobús.",
        ),
    ),
    _term(
        "supplementary-aids",
        (
            "Supplementary aids and services",
            ("supplementary aids and services", "supplementary aids"),
            "Help in the regular classroom so your child can learn there with other "
            "kids. Examples are an aide, a seat near the teacher, or notes ahead of "
            "time.",
        ),
        (
            "Ayudas y servicios suplementarios",
            ("ayudas y servicios suplementarios", "ayudas suplementarias"),
            "Es ayuda en la clase regular para que su hijo aprenda allí con otros niños. "
            "Por ejemplo, un ayudante, un asiento cerca de la maestra o apuntes antes "
            "de la clase.",
        ),
    ),
    _term(
        "accommodation",
        (
            "Accommodation",
            ("accommodation", "accommodations"),
            "A change in how your child learns or takes a test. What your child must "
            "learn stays the same. Extra time on tests is one example.",
        ),
        (
            "Adaptación (acomodación)",
            ("adaptación", "adaptaciones", "acomodación", "acomodaciones"),
            "Es un cambio en cómo su hijo aprende o toma un examen. Lo que debe aprender "
            "no cambia. Un ejemplo es más tiempo en los exámenes.",
        ),
    ),
    _term(
        "modification",
        (
            "Modification",
            ("modification", "modifications"),
            "A change in what your child is expected to learn. For example, shorter "
            "work or easier books than the rest of the class.",
        ),
        (
            "Modificación",
            ("modificación", "modificaciones"),
            "Es un cambio en lo que se espera que su hijo aprenda. Por ejemplo, menos "
            "tarea o libros más fáciles que los del resto de la clase.",
        ),
    ),
    _term(
        "esy",
        (
            "ESY (extended school year)",
            ("ESY", "extended school year"),
            "Services during summer or other breaks. The team decides if your child "
            "needs them so they do not lose skills they worked hard for.",
        ),
        (
            "Año escolar extendido (ESY)",
            ("ESY", "año escolar extendido"),
            "Son servicios en el verano o en otras vacaciones. El equipo decide si su "
            "hijo los necesita para no perder lo que ya aprendió.",
        ),
    ),
    _term(
        "annual-review",
        (
            "Annual review",
            ("annual review", "annual reviews"),
            "The meeting held at least once a year to look at the plan. The team checks "
            "progress and writes new goals.",
        ),
        (
            "Revisión anual",
            ("revisión anual", "revisiones anuales"),
            "Es la reunión que se hace por lo menos una vez al año para ver el plan. El "
            "equipo mira el avance y pone metas nuevas.",
        ),
    ),
    # --- behavior -----------------------------------------------------------------------
    _term(
        "fba",
        (
            "FBA (functional behavior assessment)",
            ("FBA", "functional behavior assessment", "functional behavioral assessment"),
            "A close look at a behavior to learn why it happens. Staff watch when and "
            "where it happens and what comes before and after it.",
        ),
        (
            "Evaluación funcional de la conducta (FBA)",
            (
                "FBA",
                "evaluación funcional de la conducta",
                "evaluación funcional del comportamiento",
            ),
            "Es mirar de cerca una conducta para saber por qué pasa. El personal ve "
            "cuándo y dónde pasa, y qué pasa antes y después.",
        ),
    ),
    _term(
        "bip",
        (
            "BIP (behavior intervention plan)",
            ("BIP", "behavior intervention plan", "behavior plan"),
            "A plan to help your child with a hard behavior. It teaches a better way to "
            "meet the same need and says how adults will respond.",
        ),
        (
            "Plan de intervención de conducta (BIP)",
            (
                "BIP",
                "plan de intervención de conducta",
                "plan de conducta",
                "plan de intervención del comportamiento",
            ),
            "Es un plan para ayudar a su hijo con una conducta difícil. Le enseña otra "
            "forma de pedir lo que necesita. Dice también qué hacen los adultos.",
        ),
    ),
    _term(
        "pbis",
        (
            "PBIS (positive behavioral interventions and supports)",
            (
                "PBIS",
                "positive behavioral interventions and supports",
                "positive behavior supports",
            ),
            "A way of running a school that teaches good behavior and praises it, before "
            "problems start. It is for all students.",
        ),
        (
            "Apoyos para la conducta positiva (PBIS)",
            (
                "PBIS",
                "intervenciones y apoyos conductuales positivos",
                "apoyos conductuales positivos",
            ),
            "Es una forma de llevar la escuela que enseña la buena conducta y la premia "
            "antes de que haya problemas. Es para todos los alumnos.",
        ),
    ),
    _term(
        "mdr",
        (
            "MDR (manifestation determination review)",
            ("MDR", "manifestation determination", "manifestation determination review"),
            "A meeting held before a long removal from school for a rule break. The team "
            "asks if the behavior came from the disability, or from the plan not being "
            "followed.",
        ),
        (
            "Determinación de manifestación (MDR)",
            ("MDR", "determinación de manifestación", "revisión de determinación de manifestación"),
            "Es una reunión antes de sacar a un alumno de la escuela por mucho tiempo. "
            "El equipo ve si la conducta vino de la discapacidad, o de no cumplir el "
            "plan.",
        ),
    ),
    # --- evaluation and eligibility -----------------------------------------------------
    _term(
        "evaluation",
        (
            "Evaluation",
            ("evaluation", "evaluations", "initial evaluation"),
            "Tests and observations that show if your child needs special education, "
            "and what help fits. The school needs your written consent first.",
        ),
        (
            "Evaluación",
            ("evaluación", "evaluaciones", "evaluación inicial"),
            "Son pruebas y observaciones para saber si su hijo necesita educación "
            "especial y qué ayuda le sirve. La escuela necesita su permiso por escrito "
            "antes.",
        ),
    ),
    _term(
        "reevaluation",
        (
            "Reevaluation (triennial)",
            ("reevaluation", "reevaluations", "re-evaluation", "triennial", "triennial evaluation"),
            "A new look at your child's needs. It happens at least every three years. "
            "You or a teacher can ask for one sooner.",
        ),
        (
            "Reevaluación (trienal)",
            ("reevaluación", "reevaluaciones", "evaluación trienal", "trienal"),
            "Es volver a ver lo que su hijo necesita. Se hace por lo menos cada tres "
            "años. Usted o un maestro la puede pedir antes.",
        ),
    ),
    _term(
        "red",
        (
            "RED (review of existing data)",
            ("RED", "review of existing data"),
            "Before new tests, the team looks at what it already knows: grades, past "
            "tests, and what you and teachers have seen. Then it decides if more tests "
            "are needed.",
        ),
        (
            "Revisión de datos existentes (RED)",
            ("RED", "revisión de datos existentes"),
            "Antes de hacer pruebas nuevas, el equipo mira lo que ya sabe: notas, "
            "pruebas viejas y lo que usted y los maestros han visto. Luego decide si "
            "hacen falta más pruebas.",
        ),
    ),
    _term(
        "eligibility",
        (
            "Eligibility",
            ("eligibility", "eligible"),
            "The team's choice about whether your child can get special education. Two "
            "things must be true: your child has a disability, and needs special "
            "teaching because of it.",
        ),
        (
            "Elegibilidad",
            ("elegibilidad", "elegible"),
            "Es cuando el equipo decide si su hijo puede recibir educación especial. "
            "Tiene que tener una discapacidad y necesitar por eso una enseñanza "
            "especial.",
        ),
    ),
    _term(
        "iee",
        (
            "IEE (independent educational evaluation)",
            ("IEE", "independent educational evaluation"),
            "Testing done by someone who does not work for the school. If you disagree "
            "with the school's testing, you can ask for one and the district usually "
            "pays.",
        ),
        (
            "Evaluación educativa independiente (IEE)",
            ("IEE", "evaluación educativa independiente", "evaluación independiente"),
            "Son pruebas hechas por alguien que no trabaja para la escuela. Si usted no "
            "está de acuerdo con las pruebas de la escuela, puede pedir una. Casi "
            "siempre la paga el distrito.",
        ),
    ),
    _term(
        "alternate-assessment",
        (
            "Alternate assessment",
            ("alternate assessment", "alternate assessments"),
            "A different version of the state test, for a few students who cannot take "
            "the regular one even with help. The plan must say why.",
        ),
        (
            "Evaluación alternativa",
            ("evaluación alternativa", "evaluaciones alternativas"),
            "Es otra forma del examen del estado, para pocos alumnos que no pueden tomar "
            "el examen normal ni con ayuda. El plan tiene que decir por qué.",
        ),
    ),
    _term(
        "sld",
        (
            "SLD (specific learning disability)",
            ("SLD", "specific learning disability", "learning disability"),
            "A problem with one area of learning, such as reading, writing or math. "
            "Dyslexia is one kind. It is not about how smart your child is.",
        ),
        (
            "Discapacidad específica del aprendizaje (SLD)",
            ("SLD", "discapacidad específica del aprendizaje", "trastorno del aprendizaje"),
            "Es un problema con una parte del aprendizaje, como leer, escribir o hacer "
            "cuentas. La dislexia es un tipo. No tiene que ver con lo listo que es su "
            "hijo.",
        ),
    ),
    _term(
        "ohi",
        (
            "OHI (other health impairment)",
            ("OHI", "other health impairment"),
            "A health problem that makes it hard to pay attention or keep up energy at "
            "school. ADHD is a common example.",
        ),
        (
            "Otro impedimento de salud (OHI)",
            ("OHI", "otro impedimento de salud", "otros impedimentos de salud"),
            "Es un problema de salud que hace difícil poner atención o tener energía en "
            "la escuela. El TDAH es un ejemplo común.",
        ),
    ),
    _term(
        "ed",
        (
            "ED (emotional disturbance)",
            ("ED", "emotional disturbance", "emotional disability"),
            "Strong feelings or behavior that last a long time and get in the way of "
            "learning. For example, deep sadness or fear that does not go away.",
        ),
        (
            "Trastorno emocional (ED)",
            ("trastorno emocional", "trastornos emocionales", "discapacidad emocional"),
            "Son emociones o conductas fuertes que duran mucho tiempo y no dejan "
            "aprender. Por ejemplo, una tristeza o un miedo que no se va.",
        ),
    ),
    _term(
        "autism",
        (
            "Autism (ASD)",
            ("ASD", "autism", "autism spectrum disorder"),
            "A difference in how a child talks, plays and gets along with others. It "
            "can also show up as strong interests or routines. Each child is different.",
        ),
        (
            "Autismo (TEA)",
            ("TEA", "autismo", "trastorno del espectro autista"),
            "Es una forma distinta de hablar, jugar y tratar con los demás. También "
            "puede verse en gustos muy fuertes o en rutinas. Cada niño es distinto.",
        ),
    ),
    _term(
        "id",
        (
            "Intellectual disability (ID)",
            ("intellectual disability",),
            "Your child learns and solves problems much more slowly than others of the "
            "same age. They also need help with skills for daily life.",
        ),
        (
            "Discapacidad intelectual",
            ("discapacidad intelectual",),
            "Es aprender y resolver problemas mucho más lento que otros de la misma "
            "edad. También hace falta ayuda con cosas de la vida diaria.",
        ),
    ),
    _term(
        "dd",
        (
            "DD (developmental delay)",
            ("DD", "developmental delay"),
            "A young child, often under age 9, is behind in one or more areas, such as "
            "talking, moving or playing. The exact age limit depends on the state.",
        ),
        (
            "Retraso en el desarrollo (DD)",
            ("retraso en el desarrollo", "retraso del desarrollo"),
            "Es cuando un niño pequeño va atrasado en algo, como hablar, moverse o "
            "jugar. La edad límite depende del estado.",
        ),
    ),
    _term(
        "tbi",
        (
            "TBI (traumatic brain injury)",
            ("TBI", "traumatic brain injury", "brain injury"),
            "Harm to the brain from a blow, a fall or an accident. It can change how a "
            "child thinks, learns, moves or acts.",
        ),
        (
            "Lesión cerebral traumática (TBI)",
            ("TBI", "lesión cerebral traumática", "lesión cerebral"),
            "Es un daño al cerebro por un golpe, una caída o un accidente. Puede cambiar "
            "cómo piensa, aprende, se mueve o actúa un niño.",
        ),
    ),
    # --- services and the people who give them -----------------------------------------
    _term(
        "ot",
        (
            "OT (occupational therapy)",
            ("OT", "occupational therapy", "occupational therapist"),
            "Help with small hand skills like writing and buttons, with senses like "
            "touch and sound, and with caring for oneself.",
        ),
        (
            "Terapia ocupacional (OT)",
            ("terapia ocupacional", "terapeuta ocupacional"),
            "Es ayuda con las manos, como escribir o abrochar botones. También con los "
            "sentidos, como el tacto o el ruido, y con cuidarse solo.",
        ),
    ),
    _term(
        "pt",
        (
            "PT (physical therapy)",
            ("PT", "physical therapy", "physical therapist"),
            "Help with big body movements like walking, balance and climbing stairs, so "
            "your child can move around school safely.",
        ),
        (
            "Terapia física (PT)",
            ("terapia física", "fisioterapia", "fisioterapeuta"),
            "Es ayuda con los movimientos grandes, como caminar, tener equilibrio o "
            "subir escaleras. Así su hijo se puede mover bien y seguro en la escuela.",
        ),
    ),
    _term(
        "slp",
        (
            "SLP (speech-language pathologist)",
            ("SLP", "speech-language pathologist", "speech therapist"),
            "The expert who helps your child say sounds, learn words, and use talk to "
            "get along with others. Many schools call this person the speech teacher.",
        ),
        (
            "Terapeuta del habla (SLP)",
            ("SLP", "patólogo del habla", "patóloga del habla", "terapeuta del habla"),
            "Es la persona que ayuda con los sonidos del habla, las palabras, entender "
            "y usar el lenguaje con otras personas.",
        ),
    ),
    _term(
        "speech-therapy",
        (
            "Speech therapy",
            ("speech therapy", "speech-language therapy", "speech and language therapy"),
            "Lessons that help a child say sounds clearly, learn words, follow talk, and "
            "take turns in a talk with others.",
        ),
        (
            "Terapia del habla",
            ("terapia del habla", "terapia de lenguaje", "terapia del lenguaje"),
            "Son clases que ayudan a decir bien los sonidos, aprender palabras, entender "
            "lo que se dice y hablar por turnos con otros.",
        ),
    ),
    _term(
        "at",
        (
            "Assistive technology (AT)",
            ("assistive technology",),
            "Tools that help your child do things at school. It can be simple, like a "
            "pencil grip, or high-tech, like a tablet that reads aloud.",
        ),
        (
            "Tecnología de asistencia",
            ("tecnología de asistencia", "tecnología asistiva"),
            "Son cosas que ayudan a su hijo a hacer sus tareas. Puede ser algo simple, "
            "como un agarre para el lápiz, o una tableta que lee en voz alta.",
        ),
    ),
    _term(
        "aac",
        (
            "AAC (augmentative and alternative communication)",
            ("AAC", "augmentative and alternative communication"),
            "Ways to talk besides speech: signs, picture cards, or a device that speaks "
            "out loud. They add to speech; they do not stop it.",
        ),
        (
            "Comunicación aumentativa y alternativa (CAA)",
            ("CAA", "AAC", "comunicación aumentativa y alternativa", "comunicación aumentativa"),
            "Son otras formas de hablar: señas, tarjetas con dibujos o un aparato que "
            "habla. Se suman al habla; no la quitan.",
        ),
    ),
    _term(
        "rti",
        (
            "RTI (response to intervention)",
            ("RTI", "response to intervention"),
            "Extra help given in steps to a child who is behind. The school checks often "
            "to see if it works. If it does not, it may lead to testing.",
        ),
        (
            "Respuesta a la intervención (RTI)",
            ("RTI", "respuesta a la intervención"),
            "Es ayuda extra, por pasos, para un niño que va atrasado. La escuela revisa "
            "seguido si funciona. Si no funciona, puede llevar a una evaluación.",
        ),
    ),
    _term(
        "mtss",
        (
            "MTSS (multi-tiered system of supports)",
            ("MTSS", "multi-tiered system of supports"),
            "A school-wide way to give help in levels. All kids get good teaching. Some "
            "get more help, and a few get a lot more.",
        ),
        (
            "Sistema de apoyo de varios niveles (MTSS)",
            (
                "MTSS",
                "sistema de apoyo de múltiples niveles",
                "sistema de apoyos de varios niveles",
            ),
            "Es una forma de dar ayuda por niveles en toda la escuela. Todos reciben "
            "buena enseñanza. Algunos reciben más ayuda, y unos pocos mucha más.",
        ),
    ),
    _term(
        "cbm",
        (
            "CBM (curriculum-based measurement)",
            ("CBM", "curriculum-based measurement", "curriculum-based measurements"),
            "Short, timed checks of a skill, like reading for one minute. The scores are "
            "put on a chart over weeks to show growth.",
        ),
        (
            "Medición basada en el currículo (CBM)",
            ("CBM", "medición basada en el currículo"),
            "Son pruebas cortas y con tiempo, como leer por un minuto. Los puntos se "
            "ponen en una gráfica por semanas para ver el avance.",
        ),
    ),
    _term(
        "service-minutes",
        (
            "Service minutes",
            ("service minutes",),
            "How much time each service takes, and how often. For example, 30 minutes "
            "twice a week. The school must give this amount.",
        ),
        (
            "Minutos de servicio",
            ("minutos de servicio",),
            "Es cuánto tiempo dura cada servicio y cada cuánto se da. Por ejemplo, 30 "
            "minutos dos veces por semana. La escuela debe dar ese tiempo.",
        ),
    ),
    _term(
        "baseline",
        (
            "Baseline",
            ("baseline", "baselines"),
            "Where your child's skill is at the start, before new help begins. Later "
            "scores are compared to it.",
        ),
        (
            "Punto de partida (línea de base)",
            ("punto de partida", "línea de base"),
            "Es dónde está la destreza de su hijo al empezar, antes de la ayuda nueva. "
            "Los puntos de después se comparan con este.",
        ),
    ),
    _term(
        "progress-report",
        (
            "Progress report",
            ("progress report", "progress reports"),
            "A note from the school on how your child is doing on each goal. The plan "
            "says how often you get it, often with report cards.",
        ),
        (
            "Informe de progreso",
            ("informe de progreso", "informes de progreso", "reporte de progreso"),
            "Es un aviso de la escuela sobre cómo va su hijo en cada meta. El plan dice "
            "cada cuánto lo recibe, muchas veces junto con las notas.",
        ),
    ),
    _term(
        "placement",
        (
            "Placement",
            ("placement", "placements"),
            "Where your child gets services: in a regular class, a special class part of "
            "the day, or another school. You are part of this choice.",
        ),
        (
            "Colocación (ubicación)",
            ("colocación", "ubicación escolar"),
            "Es dónde recibe su hijo los servicios: en la clase regular, en una clase "
            "especial parte del día o en otra escuela. Usted es parte de esta decisión.",
        ),
    ),
    _term(
        "general-education",
        (
            "General education",
            ("general education", "gen ed", "general education classroom"),
            "The regular classes and lessons that most students take. Children with "
            "plans have the right to take part in them too.",
        ),
        (
            "Educación general",
            ("educación general", "educación regular", "clase regular"),
            "Son las clases normales que toma la mayoría de los alumnos. Los niños con "
            "un plan también tienen derecho a estar en ellas.",
        ),
    ),
    _term(
        "special-education",
        (
            "Special education",
            ("special education", "special ed"),
            "Teaching planned for a child with a disability, at no cost to the family. "
            "It is a service, not a place. It can happen in a regular class.",
        ),
        (
            "Educación especial",
            ("educación especial",),
            "Es enseñanza planeada para un niño con una discapacidad, sin costo para la "
            "familia. Es un servicio, no un lugar. Puede darse en la clase regular.",
        ),
    ),
    _term(
        "inclusion",
        (
            "Inclusion",
            ("inclusion", "inclusive classroom"),
            "Children with and without disabilities learning in the same class, with "
            "the help each child needs.",
        ),
        (
            "Inclusión",
            ("inclusión", "clase inclusiva"),
            "Es cuando niños con y sin discapacidad aprenden en la misma clase, con la "
            "ayuda que cada uno necesita.",
        ),
    ),
    _term(
        "case-manager",
        (
            "Case manager",
            ("case manager", "case managers"),
            "The staff member who looks after your child's plan. They are your main "
            "contact and make sure everyone does their part.",
        ),
        (
            "Coordinador(a) del caso",
            (
                "coordinador(a) del caso",
                "coordinador del caso",
                "coordinadora del caso",
                "administrador de casos",
                "encargado del caso",
                "encargada del caso",
            ),
            "Es la persona de la escuela que cuida el plan de su hijo. Es su contacto "
            "principal y ve que todos hagan su parte.",
        ),
    ),
    _term(
        "transition-plan",
        (
            "Transition plan",
            ("transition plan", "transition plans", "transition services", "postsecondary goals"),
            "The part of the plan for life after high school: school or training, work, "
            "and living on one's own. It starts by age 16, sooner in some states.",
        ),
        (
            "Plan de transición",
            ("plan de transición", "servicios de transición", "metas postsecundarias"),
            "Es la parte del plan para la vida después de la secundaria: estudios, "
            "trabajo y vivir por su cuenta. Empieza a los 16 años o antes en algunos "
            "estados.",
        ),
    ),
    _term(
        "age-of-majority",
        (
            "Age of majority",
            ("age of majority",),
            "The age when a student becomes an adult by law, often 18. Many rights then "
            "pass from the parent to the student. The school must tell you a year "
            "ahead.",
        ),
        (
            "Mayoría de edad",
            ("mayoría de edad",),
            "Es la edad en que el alumno es adulto ante la ley, casi siempre a los 18. "
            "Muchos derechos pasan de los padres al alumno. La escuela debe avisar un "
            "año antes.",
        ),
    ),
    # --- rights, records and disagreements ----------------------------------------------
    _term(
        "consent",
        (
            "Consent",
            ("consent", "informed consent", "written consent", "parental consent"),
            "Your written yes. The school must ask before the first tests, before "
            "services start, and before sharing records. You can take it back.",
        ),
        (
            "Consentimiento",
            ("consentimiento", "consentimiento por escrito", "consentimiento informado"),
            "Es su sí por escrito. La escuela lo debe pedir antes de las primeras "
            "pruebas, antes de dar servicios y antes de compartir papeles. Lo puede "
            "retirar.",
        ),
    ),
    _term(
        "procedural-safeguards",
        (
            "Procedural safeguards",
            ("procedural safeguards", "procedural safeguards notice", "parent rights"),
            "Your rights as a parent in special education, and the rules that protect "
            "them. The school must give you a copy each year.",
        ),
        (
            "Garantías procesales",
            ("garantías procesales", "salvaguardas procesales", "derechos de los padres"),
            "Son sus derechos como padre o madre en la educación especial, y las reglas "
            "que los protegen. La escuela le debe dar una copia cada año.",
        ),
    ),
    _term(
        "education-records",
        (
            "Education records",
            ("education records", "educational records", "school records"),
            "The papers and files the school keeps about your child. You can see them "
            "within 45 days of asking, and before any meeting.",
        ),
        (
            "Expediente escolar",
            ("expediente escolar", "expedientes escolares", "registros educativos"),
            "Son los papeles y archivos que la escuela guarda de su hijo. Usted los puede "
            "ver en 45 días o menos, y antes de una reunión.",
        ),
    ),
    _term(
        "record-of-access",
        (
            "Record of access",
            ("record of access", "access log"),
            "A list the school keeps of who outside the team looked at your child's "
            "records, when, and why.",
        ),
        (
            "Registro de acceso",
            ("registro de acceso",),
            "Es una lista que guarda la escuela de quién vio los papeles de su hijo, "
            "cuándo y para qué.",
        ),
    ),
    _term(
        "ferpa",
        (
            "FERPA",
            ("FERPA",),
            "A federal law that keeps school records private. It lets you see your "
            "child's records and ask to fix mistakes.",
        ),
        (
            "FERPA",
            ("FERPA",),
            "Es una ley del país que protege los papeles de la escuela. Le deja ver los "
            "papeles de su hijo y pedir que corrijan errores.",
        ),
    ),
    _term(
        "pii",
        (
            "PII (personally identifiable information)",
            ("PII", "personally identifiable information"),
            "Facts that could show who your child or family is, like a name, address or "
            "ID number. The school must keep it safe.",
        ),
        (
            "Información personal (PII)",
            ("PII", "información de identificación personal", "información personal"),
            "Son datos que muestran quién es su hijo o su familia, como el nombre, la "
            "dirección o un número. La escuela debe cuidarlos.",
        ),
    ),
    _term(
        "lea",
        (
            "LEA (local education agency)",
            ("LEA", "local education agency", "local educational agency"),
            "Your school district. It is in charge of your child's special education. "
            "A person from the district joins plan meetings.",
        ),
        (
            "Agencia educativa local (LEA)",
            ("LEA", "agencia educativa local"),
            "Es su distrito escolar. Está a cargo de la educación especial de su hijo. "
            "Alguien del distrito va a las reuniones del plan.",
        ),
    ),
    _term(
        "sea",
        (
            "SEA (state education agency)",
            ("SEA", "state education agency", "state educational agency"),
            "The state office in charge of schools. It checks that districts follow the "
            "law and handles state complaints.",
        ),
        (
            "Agencia educativa estatal (SEA)",
            ("SEA", "agencia educativa estatal", "departamento de educación del estado"),
            "Es la oficina del estado a cargo de las escuelas. Revisa que los distritos "
            "sigan la ley y atiende las quejas.",
        ),
    ),
    _term(
        "ocr",
        (
            "OCR (Office for Civil Rights)",
            ("OCR", "Office for Civil Rights"),
            "A federal office that makes sure schools do not treat students unfairly "
            "because of a disability. You can file a complaint with it.",
        ),
        (
            "Oficina de Derechos Civiles (OCR)",
            ("OCR", "Oficina de Derechos Civiles"),
            "Es una oficina del gobierno que cuida que las escuelas no traten mal a un "
            "alumno por su discapacidad. Usted puede poner una queja allí.",
        ),
    ),
    _term(
        "mediation",
        (
            "Mediation",
            ("mediation",),
            "A meeting with a neutral helper who helps you and the school agree. It is "
            "free and by choice. What you agree on is written down.",
        ),
        (
            "Mediación",
            ("mediación",),
            "Es una reunión con una persona neutral que les ayuda a usted y a la escuela "
            "a ponerse de acuerdo. Es gratis y por elección. Lo que acuerdan se pone "
            "por escrito.",
        ),
    ),
    _term(
        "state-complaint",
        (
            "State complaint",
            ("state complaint", "state complaints"),
            "A letter to the state saying the school broke a special education rule. The "
            "state looks into it and answers, most often within 60 days.",
        ),
        (
            "Queja estatal",
            ("queja estatal", "queja ante el estado", "quejas estatales"),
            "Es una carta al estado para decir que la escuela no cumplió una regla. El "
            "estado lo revisa y contesta, casi siempre en 60 días.",
        ),
    ),
    _term(
        "due-process",
        (
            "Due process hearing",
            ("due process", "due process hearing", "due process complaint"),
            "A formal hearing, a bit like a court, where a hearing officer settles a "
            "dispute between you and the school. Either side can ask for one.",
        ),
        (
            "Audiencia de debido proceso",
            ("debido proceso", "audiencia de debido proceso"),
            "Es una audiencia formal, algo como un juicio. Un juez oye a las dos partes "
            "y decide. Usted o la escuela la pueden pedir.",
        ),
    ),
    _term(
        "resolution-meeting",
        (
            "Resolution meeting",
            ("resolution meeting", "resolution session"),
            "A meeting the school holds after a parent asks for a due process hearing. "
            "It is a chance to fix the problem before the hearing.",
        ),
        (
            "Reunión de resolución",
            ("reunión de resolución",),
            "Es una reunión que hace la escuela cuando un padre pide una audiencia. Es "
            "una ocasión para arreglar el problema antes.",
        ),
    ),
    _term(
        "stay-put",
        (
            "Stay-put",
            ("stay-put", "stay put"),
            "While you and the school work out a dispute, your child stays in the same "
            "class with the same help. This lasts until it ends, or until you both "
            "agree to a change.",
        ),
        (
            "Permanencia (stay-put)",
            ("stay-put", "permanencia en la colocación"),
            "Mientras usted y la escuela resuelven un desacuerdo, su hijo se queda con la "
            "misma clase y los mismos servicios, a menos que los dos acuerden otra cosa.",
        ),
    ),
    _term(
        "advocate",
        (
            "Advocate",
            ("advocate", "advocates", "parent advocate"),
            "A person who helps a family speak up at school. They may come to meetings "
            "if you invite them. They see records only if you agree in writing.",
        ),
        (
            "Defensor(a) educativo(a)",
            (
                "defensor(a) educativo(a)",
                "defensor educativo",
                "defensora educativa",
                "defensor",
                "defensora",
                "defensores",
                "intercesor",
            ),
            "Es una persona que ayuda a la familia a hablar con la escuela. Puede ir a "
            "las reuniones si usted lo invita. Ve los papeles solo si usted lo permite "
            "por escrito.",
        ),
    ),
    _term(
        "surrogate-parent",
        (
            "Surrogate parent",
            ("surrogate parent", "surrogate parents"),
            "A person chosen to make school choices for a child when no parent can. For "
            "example, for some children in foster care.",
        ),
        (
            "Padre o madre sustituto(a)",
            (
                "padre o madre sustituto(a)",
                "padre o madre sustituto",
                "padre sustituto",
                "madre sustituta",
                "padres sustitutos",
            ),
            "Es una persona nombrada para tomar las decisiones de la escuela por un niño "
            "que no tiene un padre que pueda. Por ejemplo, para algunos niños en "
            "hogares de crianza.",
        ),
    ),
    _term(
        "pti",
        (
            "PTI (Parent Training and Information Center)",
            ("PTI", "Parent Training and Information Center", "parent center"),
            "A free center for families, paid for by the federal government. It helps "
            "you learn your rights and get ready for meetings.",
        ),
        (
            "Centro de información para padres (PTI)",
            ("PTI", "Centro de Capacitación e Información para Padres", "centro de padres"),
            "Es un centro gratis para familias, pagado por el gobierno. Le ayuda a "
            "conocer sus derechos y a prepararse para las reuniones.",
        ),
    ),
    # --- the youngest children ------------------------------------------------------------
    _term(
        "part-c",
        (
            "Part C (early intervention)",
            ("Part C", "early intervention"),
            "Help for babies and toddlers, from birth to age 3, who have delays or "
            "health needs. Services often happen at home.",
        ),
        (
            "Parte C (intervención temprana)",
            ("Parte C", "intervención temprana", "atención temprana"),
            "Es ayuda para bebés y niños de hasta 3 años con retrasos o con problemas de "
            "salud. Muchas veces los servicios son en la casa.",
        ),
    ),
    _term(
        "ifsp",
        (
            "IFSP (Individualized Family Service Plan)",
            ("IFSP", "Individualized Family Service Plan"),
            "The plan for a baby or toddler in early intervention. It sets goals for the "
            "child and the family together.",
        ),
        (
            "Plan de servicios para la familia (IFSP)",
            ("IFSP", "Plan Individualizado de Servicios para la Familia"),
            "Es el plan para un bebé o niño pequeño en la intervención temprana. Pone "
            "metas para el niño y para la familia.",
        ),
    ),
    _term(
        "child-find",
        (
            "Child Find",
            ("Child Find",),
            "The duty of schools to look for children who may have a disability and "
            "test them, from birth on. It is free.",
        ),
        (
            "Child Find (búsqueda de niños)",
            ("Child Find", "búsqueda de niños"),
            "Es el deber de la escuela de buscar a los niños que pueden tener una "
            "discapacidad y evaluarlos, desde que nacen. No cuesta nada.",
        ),
    ),
)

TERMS_BY_KEY: dict[str, Term] = {term.key: term for term in TERMS}


@dataclass(frozen=True)
class GlossaryEntry:
    """A term as the glossary page lists it, in one language."""

    key: str
    anchor: str
    name: str
    explanation: str
    also_written: tuple[str, ...]


def _fold(text: str) -> str:
    """Lower case without accents, so "evaluacion" finds "evaluación"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def glossary_entries(language: str | None = None, query: str = "") -> list[GlossaryEntry]:
    """The glossary in ``language``, alphabetical; with ``query``, only the terms whose
    name, spellings or explanation contain every word of it (names first)."""
    words = _fold(query).split()
    by_name: list[tuple[str, GlossaryEntry]] = []
    by_text: list[tuple[str, GlossaryEntry]] = []
    for term in TERMS:
        wording = term.wording(language)
        entry = GlossaryEntry(
            key=term.key,
            anchor=term.anchor,
            name=wording.name,
            explanation=wording.explanation,
            also_written=tuple(f for f in wording.forms if _fold(f) not in _fold(wording.name)),
        )
        sort_key = _fold(wording.name)
        names = _fold(" ".join((wording.name, *wording.forms)))
        if all(word in names for word in words):
            by_name.append((sort_key, entry))
        elif all(word in names + " " + _fold(wording.explanation) for word in words):
            by_text.append((sort_key, entry))
    return [entry for _, entry in sorted(by_name)] + [entry for _, entry in sorted(by_text)]
