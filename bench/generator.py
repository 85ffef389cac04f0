"""A synthetic district of any size, every student a complete copy of a demo student.

The demo district (``samepage.home.demo``) is built first through the app's own
actions, so its seven students have everything a real record has: plans in every state
with finalized versions and their frozen content, goals, services, accommodations, a
shared draft with questions, concerns and outcomes, profile entries, consents, team
memberships, guardians and households, access events and audit rows. Those seven are
the *templates*. Every other student is a copy of one of them, written with COPY on
PostgreSQL (``executemany`` on SQLite, for the tests' small districts):

- Rows are copied *unit* by unit: a unit is one copy of every template student and of
  every row that belongs to them (found by following foreign keys to the student), with
  new ids. Ids are arithmetic (``base + (unit - 1) * rows_in_template + rank``), so a
  copied row's foreign keys, the ids inside frozen plan content and the audit rows'
  targets are rewritten without looking anything up.
- Names, district student ids, emails and goal/service lineage ids are rewritten in
  every text and JSON value (a unit's Rivera family gets another synthetic surname).
- Staff are shared the way a district shares them: seven units (49 students) make a
  *group* with its own case managers, teachers, therapists and advocate (caseloads
  of about 30); ten groups make a *campus* (an elementary, a middle and a high school
  with their leaders and interpreter). Group 0 and campus 0 are the demo's own people
  and schools, so the named demo users (Maria Lee, Marcus Hayes, Jordan Rivera...) see
  the same caseload whatever the district's size, and the district administrator sees
  it all.
- Audit rows are copied with their targets and actors rewritten, each with a fresh MAC
  under the current audit key (``audit_mac.event_mac``, the same function the app
  uses), and the app's own sealer then links them into checkpoints, so
  ``verify_audit`` passes on the whole generated trail.

Staff copies, schools and the tables that hold derived data (school tallies, audit
checkpoints) are written through the ORM, not copied; tally triggers keep the counts.
A table that gains a foreign-key path to the student is copied without changes here; a
table with files is left out and named in the result.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.district import GENERATOR_VERSION
from samepage.accounts.models import User
from samepage.core.audit_mac import audit_keys, event_body, event_mac
from samepage.core.audit_seal import forget_anchor, seal_pending
from samepage.core.models import AccessEvent, AuditEvent
from samepage.home import demo
from samepage.notifications.models import Notice
from samepage.plans.models import Plan, PlanVersion, SharedDraft
from samepage.schools.models import District, Guardian, Household, School, StaffProfile, Student
from samepage.teams.models import TeamMembership

# A synthetic two-factor key for every staff account in a benchmark district (never a
# real account's: these districts hold synthetic people only).
TOTP_KEY = "62656e63682d6f6e6c792d746f74702d6b657921"
UNITS_PER_GROUP = 7  # 49 students share a group's case managers, teachers, therapists
GROUPS_PER_CAMPUS = 10  # 490 students to an elementary, a middle and a high school

# Never copied per student: the district's structure, derived data, and other apps'.
STRUCTURE_TABLES = {
    "schools_district",
    "schools_school",
    "schools_schooltally",
    "schools_staffprofile",
    "schools_staffprofile_schools",
    "core_auditcheckpoint",
    "core_auditchainhead",
    "accounts_invitation",
    "accounts_apitoken",
}
# The named users the harness signs in as (all from the demo district).
NAMED_USERS = {
    "parent": "jordan.rivera@family.example",
    "case_manager": "maria.lee@riverbend.example",
    "teacher": "david.brooks@riverbend.example",
    "school_leader": "marcus.hayes@riverbend.example",
    "district_admin": "dana.whitfield@riverbend.example",
    "advocate": "sam.okafor@advocates.example",
    "student": "maya.chen@students.riverbend.example",
}

SURNAMES = (  # noqa: SIM905 (a list of words reads best as words)
    "Abbott Acosta Adair Alder Ambrose Archer Ashby Avila Bailey Banks Barlow Bassett Beck "
    "Bell Benson Bishop Blake Boone Bowen Boyd Bradley Briggs Brooks Burke Byrne Cabrera "
    "Calder Camacho Carver Castillo Chandler Chavez Clarke Cobb Coleman Conway Cortez Crane "
    "Cruz Dalton Davila Delgado Dixon Doyle Drake Duarte Dunn Easton Ellison Emery Espinoza "
    "Farrell Fennel Fischer Fleming Flores Ford Foster Franco Fuller Gallagher Garcia "
    "Garner Gibbs Gilbert Glover Gomez Graves Greer Guerra Hale Hammond Harlow Hayden "
    "Hendrix Herrera Hobbs Holland Horton Howell Ibarra Ingram Irwin Jacobs Jarvis Jensen "
    "Joyce Juarez Kane Keller Kemp Kennedy Kerr Kirby Knox Lambert Landry Lara Lawson "
    "Leblanc Lindqvist Lowe Lucero Lynch Macias Maddox Malone Marsh Mayfield Mendez Mercer "
    "Meyer Molina Monroe Moody Morales Moreno Nash Navarro Nguyen Noble Norris Nunez Oakley "
    "Ochoa Olsen Orozco Osborne Pace Padilla Palmer Parrish Pena Pierce Porter Quinn Ramos "
    "Randall Reyes Rhodes Rios Rojas Rowe Salazar Sanders Santos Sawyer Serrano Shaw Sloan "
    "Solis Soto Sparks Stanton Stone Suarez Sutton Tate Terrell Torres Tran Tucker "
    "Underwood Vance Vargas Vaughn Vega Wade Walsh Ware Warren Weaver Webb Wells Whitaker "
    "Wilder Wolfe Wong Wyatt Yates Yoder Zamora Zimmerman"
).split()
FIRST_NAMES = (  # noqa: SIM905 (a list of words reads best as words)
    "Alana Bruno Carmen Dev Elena Farah Gabe Hana Ivan Jada Kofi Lena Mateo Nadia Omar "
    "Paula Quentin Rhea Santiago Tessa Umar Vera Wes Ximena Yusuf Zoe"
).split()
PLACES = (  # noqa: SIM905 (a list of words reads best as words)
    "Alder Birch Cedar Dogwood Elm Fir Hawthorn Juniper Larch Maple Oak Pine Redwood Spruce "
    "Sycamore Willow Aspen Cypress Hazel Laurel"
).split()


def folded(text: str) -> str:
    """Lower case without accents, as the student search stores names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass
class Result:
    """What one build or growth wrote, for the manifest."""

    students: int
    units: int
    seconds: float
    rows: dict[str, int]
    skipped_tables: list[str]


# -- template rows ----------------------------------------------------------------------


@dataclass
class _Table:
    model: type[models.Model]
    fields: list[models.Field[Any, Any]]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)  # the template student's rank
    rank: dict[Any, int] = field(default_factory=dict)  # pk -> position

    @property
    def table(self) -> str:
        return self.model._meta.db_table


def _copied_models() -> tuple[list[type[models.Model]], list[str]]:
    """The models copied per student, parents before children; and the tables left out."""
    chosen: list[type[models.Model]] = []
    skipped = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if not model.__module__.startswith("samepage.") and not model._meta.auto_created:
            continue
        if model._meta.auto_created or table in STRUCTURE_TABLES:
            continue
        if any(isinstance(f, models.FileField) for f in model._meta.concrete_fields):
            skipped.append(table)
            continue
        chosen.append(model)
    # Parents first, so each COPY's foreign keys already exist when it commits.
    ordered: list[type[models.Model]] = []
    remaining = list(chosen)
    while remaining:
        for model in remaining:
            parents = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model
            }
            if not any(p in remaining for p in parents):
                ordered.append(model)
                remaining.remove(model)
                break
        else:  # a cycle: keep the rest in any order (foreign keys are deferred)
            ordered.extend(remaining)
            break
    return ordered, sorted(skipped)


def _student_path(model: type[models.Model], copied: set[type[models.Model]]) -> str | None:
    """The lookup from ``model`` to its student's id, following foreign keys."""
    if model is Student:
        return "pk"
    seen = {model}
    queue: list[tuple[Any, str]] = [(model, "")]
    while queue:
        current, path = queue.pop(0)
        relations = [
            f
            for f in current._meta.concrete_fields
            if f.is_relation and f.related_model not in (User, District, School)
        ]
        relations.sort(key=lambda f: f.name != "student")
        for f in relations:
            target = f.related_model
            if target is Student:
                return f"{path}{f.name}_id"
            if target in copied and target not in seen:
                seen.add(target)
                queue.append((target, f"{path}{f.name}__"))
    return None


@dataclass
class _Templates:
    student_ids: list[int]
    tables: list[_Table]
    skipped: list[str]
    staff_level: dict[int, str]  # user id -> "district", "campus" or "group"

    @property
    def size(self) -> int:
        return len(self.student_ids)


def _load_templates(student_ids: list[int]) -> _Templates:
    ordered, skipped = _copied_models()
    copied = set(ordered)
    rank_of_student = {pk: n for n, pk in enumerate(student_ids)}
    guardians = list(
        Guardian.objects.filter(student_id__in=student_ids).values_list(
            "user_id", "student_id", "household_id"
        )
    )
    accounts = dict(
        Student.objects.filter(pk__in=student_ids, account__isnull=False).values_list(
            "account_id", "pk"
        )
    )
    user_owner: dict[int, int] = {}
    household_owner: dict[int, int] = {}
    for user_id, student_id, household_id in guardians:
        user_owner.setdefault(user_id, student_id)
        if household_id is not None:
            household_owner.setdefault(household_id, student_id)
    for user_id, student_id in accounts.items():
        user_owner.setdefault(user_id, student_id)

    tables: list[_Table] = []
    by_model: dict[type[models.Model], _Table] = {}
    for model in ordered:
        fields = list(model._meta.concrete_fields)
        names = [f.attname for f in fields]
        t = _Table(model=model, fields=fields)
        manager = model._base_manager
        if model is User:
            found = manager.filter(pk__in=list(user_owner)).order_by("pk")
            pairs = [(row, user_owner[row[0]]) for row in found.values_list(*names)]
        elif model is Household:
            found = manager.filter(pk__in=list(household_owner)).order_by("pk")
            pairs = [(row, household_owner[row[0]]) for row in found.values_list(*names)]
        elif model is AuditEvent:
            pairs = []  # after every other table (its targets)
        else:
            path = _student_path(model, copied)
            if path is None:
                skipped.append(model._meta.db_table)
                continue
            found = manager.filter(**{f"{path}__in": student_ids}).order_by("pk")
            pairs = [(row[:-1], row[-1]) for row in found.values_list(*names, path)]
        for row, owner in pairs:
            t.rank[row[0]] = len(t.rows)
            t.rows.append(tuple(row))
            t.owners.append(rank_of_student[owner])
        tables.append(t)
        by_model[model] = t

    audit = by_model.get(AuditEvent)
    if audit is not None:
        targets = {
            t.model._meta.label_lower: t for t in tables if t.model is not AuditEvent and t.rows
        }
        wanted = models.Q(pk__in=[])
        for label, t in targets.items():
            wanted |= models.Q(target_type=label, target_id__in=[str(pk) for pk in t.rank])
        names = [f.attname for f in audit.fields]
        for row in AuditEvent.objects.filter(wanted).order_by("seq").values_list(*names):
            values = dict(zip(names, row, strict=True))
            target = targets[values["target_type"]]
            owner = target.owners[target.rank[int(values["target_id"])]]
            audit.rank[row[0]] = len(audit.rows)
            audit.rows.append(tuple(row))
            audit.owners.append(owner)

    staff_level: dict[int, str] = {}
    for user_id, role in StaffProfile.objects.values_list("user_id", "role"):
        if role == StaffProfile.Role.DISTRICT_ADMIN:
            staff_level[user_id] = "district"
        elif role in (StaffProfile.Role.SCHOOL_LEADER, StaffProfile.Role.INTERPRETER):
            staff_level[user_id] = "campus"
        else:
            staff_level[user_id] = "group"
    for user_id in User.objects.filter(is_advocate=True).values_list("pk", flat=True):
        staff_level.setdefault(user_id, "group")
    return _Templates(student_ids, tables, sorted(set(skipped)), staff_level)


# -- compiling template rows into per-unit row makers -----------------------------------


class _Slots:
    """Values that change from unit to unit, each computed once per unit.

    A compiled row is a Python expression over ``V`` (this unit's ids), ``W`` (its
    names, staff and schools) and ``L`` (constants), evaluated once per copied row.
    """

    def __init__(self) -> None:
        self.linear: list[tuple[int, int]] = []  # value = a + unit * n
        self.linear_index: dict[tuple[str, Any], int] = {}
        self.functions: list[Callable[[int], Any]] = []
        self.function_index: dict[Any, int] = {}
        self.literals: list[Any] = []

    def linear_slot(self, key: tuple[str, Any], a: int, n: int) -> int:
        if key not in self.linear_index:
            self.linear_index[key] = len(self.linear)
            self.linear.append((a, n))
        return self.linear_index[key]

    def function_slot(self, key: Any, fn: Callable[[int], Any]) -> int:
        """A negative index: into W, the values a function makes for the unit."""
        if key not in self.function_index:
            self.function_index[key] = len(self.functions)
            self.functions.append(fn)
        return -1 - self.function_index[key]

    def literal(self, value: Any) -> str:
        self.literals.append(value)
        return f"L[{len(self.literals) - 1}]"

    def values(self, unit: int) -> tuple[list[int], list[Any]]:
        return [a + unit * n for a, n in self.linear], [fn(unit) for fn in self.functions]

    def ref(self, slot: int) -> str:
        return f"V[{slot}]" if slot >= 0 else f"W[{-1 - slot}]"


class _Compiler:
    """Turns template rows into functions that make a unit's copy of each row."""

    def __init__(
        self,
        templates: _Templates,
        bases: dict[str, int],
        staff_copies: dict[str, dict[int, list[int]]],
        school_copies: dict[int, list[int]],
        vendor: str,
    ) -> None:
        self.t = templates
        self.bases = bases
        self.staff_copies = staff_copies
        self.school_copies = school_copies
        self.vendor = vendor
        self.slots = _Slots()
        self.by_model = {t.model: t for t in templates.tables}
        students = self.by_model[Student]
        last_i = [f.attname for f in students.fields].index("legal_last_name")
        sid_i = [f.attname for f in students.fields].index("district_student_id")
        self.tokens: dict[str, Callable[[int], str]] = {}
        size = templates.size
        for row in students.rows:
            rank = students.rank[row[0]]
            last, sid = row[last_i], row[sid_i]

            def surname(unit: int, rank: int = rank) -> str:
                return SURNAMES[(unit * size + rank) * 7919 % len(SURNAMES)]

            self.tokens[last] = surname
            self.tokens[folded(last)] = lambda unit, s=surname: s(unit).lower()  # type: ignore[misc]
            self.tokens[sid] = lambda unit, sid=sid: f"{sid}-{unit:06d}"  # type: ignore[misc]
        uuids: set[str] = set()
        for t in templates.tables:
            for i, f in enumerate(t.fields):
                if isinstance(f, models.UUIDField):
                    uuids.update(str(row[i]) for row in t.rows if row[i] is not None)
        for text in uuids:
            self.tokens[text] = lambda unit, text=text: f"{text[:24]}{unit:012x}"  # type: ignore[misc]
            self.tokens[text.replace("-", "")] = (
                lambda unit, text=text: (  # type: ignore[misc]
                    f"{text[:24]}{unit:012x}".replace("-", "")
                )
            )
        words = sorted(self.tokens, key=len, reverse=True)
        self.pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words))

    # slots ------------------------------------------------------------------------
    def id_slot(self, model: type[models.Model], old: Any) -> int | None:
        t = self.by_model.get(model)
        if t is None or old not in t.rank:
            return None
        n = len(t.rows)
        base = self.bases[t.table]
        return self.slots.linear_slot((t.table, old), base + t.rank[old] - n, n)

    def user_slot(self, old: int) -> int | None:
        own = self.id_slot(User, old)
        if own is not None:
            return own
        level = self.t.staff_level.get(old)
        if level is None or level == "district":
            return None
        copies = self.staff_copies[level]

        def pick(unit: int) -> int:
            group = unit // UNITS_PER_GROUP
            index = group if level == "group" else group // GROUPS_PER_CAMPUS
            return copies[index][old] if index else old  # type: ignore[index]

        return self.slots.function_slot(("user", old), pick)

    def school_slot(self, old: int) -> int:
        copies = self.school_copies

        def pick(unit: int) -> int:
            campus = unit // UNITS_PER_GROUP // GROUPS_PER_CAMPUS
            return copies[campus][old] if campus else old  # type: ignore[index]

        return self.slots.function_slot(("school", old), pick)

    def token_slot(self, word: str) -> int:
        return self.slots.function_slot(("token", word), self.tokens[word])

    # cells ------------------------------------------------------------------------
    def text(self, value: str) -> str:
        """An expression for ``value`` with every name, id and lineage rewritten."""
        parts: list[str] = []
        at = 0
        for m in self.pattern.finditer(value):
            if m.start() > at:
                parts.append(self.slots.literal(value[at : m.start()]))
            parts.append(self.slots.ref(self.token_slot(m.group())))
            at = m.end()
        if not parts:
            return self.slots.literal(value)
        if at < len(value):
            parts.append(self.slots.literal(value[at:]))
        return "''.join((" + ", ".join(parts) + ",))"

    def email(self, value: str) -> str:
        local, _, domain = value.partition("@")
        unit = self.slots.ref(self.slots.function_slot(("unit",), str))
        return f"({self.text(local)} + '.u' + {unit} + {self.slots.literal('@' + domain)})"

    def ref_for(self, model: type[models.Model], old: Any) -> str | None:
        """An expression for the unit's copy of ``model`` row ``old`` (None: unchanged)."""
        if model is User:
            slot = self.user_slot(old)
        elif model is School:
            slot = self.school_slot(old)
        else:
            slot = self.id_slot(model, old)
        return None if slot is None else self.slots.ref(slot)

    def json(self, value: Any, context: str = "", *, canonical: bool = False) -> str:
        """An expression making the JSON text of ``value`` for a unit (``canonical``: in
        the audit MAC's form, sorted keys and no spaces)."""
        pieces: list[tuple[str, bool]] = []  # (expression, whole JSON number?)

        def mark(expr: str, number: bool) -> str:
            pieces.append((expr, number))
            return f"\ue000{len(pieces) - 1}\ue001"

        def walk(v: Any, key: str) -> Any:
            if isinstance(v, _Expr):
                return mark(v.expr, True)
            if isinstance(v, dict):
                out = {}
                for k, x in v.items():
                    model = _JSON_ID_MODELS.get(key)
                    if k == "id" and model is not None and isinstance(x, int):
                        ref = self.ref_for(model, x)
                        if ref is not None:
                            out[k] = mark(f"str({ref})", True)
                            continue
                    out[k] = walk(x, k)
                return out
            if isinstance(v, list):
                return [walk(x, key) for x in v]
            if isinstance(v, str) and self.pattern.search(v):
                # Tokens are plain words, so rewriting the escaped text stays valid JSON.
                return mark(self.text(json.dumps(v, ensure_ascii=False)[1:-1]), False)
            return v

        form: dict[str, Any] = {"sort_keys": True, "separators": (",", ":")} if canonical else {}
        text = json.dumps(walk(value, context), ensure_ascii=False, **form)
        parts: list[str] = []
        at = 0
        for m in re.finditer(r'"\ue000(\d+)\ue001"', text):
            if m.start() > at:
                parts.append(self.slots.literal(text[at : m.start()]))
            expr, number = pieces[int(m.group(1))]
            parts.append(expr if number else f"('\"' + {expr} + '\"')")
            at = m.end()
        if at < len(text):
            parts.append(self.slots.literal(text[at:]))
        return "''.join((" + ", ".join(parts) + ",))"

    def audit_changes(self, target: type[models.Model], changes: Any) -> Any:
        """Ids inside an audit row's changes point at the unit's copies."""
        if not isinstance(changes, dict):
            return changes
        relations = {f.name: f.related_model for f in target._meta.concrete_fields if f.is_relation}
        out = {}
        for key, value in changes.items():
            model = relations.get(key) or _AUDIT_ID_MODELS.get(key)
            if model is None:
                out[key] = value
                continue

            def ref(old: int, model: Any = model) -> Any:
                expr = self.ref_for(model, old)
                return old if expr is None else _Expr(f"str({expr})")

            out[key] = _map_ids(value, ref)
        return out

    def cell(self, t: _Table, f: models.Field[Any, Any], value: Any) -> str:
        if f.primary_key:
            slot = self.id_slot(t.model, value)
            assert slot is not None
            return self.slots.ref(slot)
        if value is None:
            return "None"
        if f.is_relation:
            ref = self.ref_for(f.related_model, value)  # type: ignore[arg-type]
            return self.slots.literal(value) if ref is None else ref
        if isinstance(f, models.JSONField):
            return self.json(value, f.name)
        if isinstance(f, models.UUIDField):
            text = str(value)
            native = text if self.vendor == "postgresql" else text.replace("-", "")
            return self.slots.ref(self.token_slot(native))
        if isinstance(value, str):
            if f.name == "email":
                return self.email(value)
            return self.text(value)
        return self.slots.literal(f.get_db_prep_save(value, connection))

    def notice_target(self, t: _Table, row: tuple[Any, ...], column: str) -> str:
        """A notice's target id, and its one-per-event key ("kind:model:id"), name the
        unit's copy of the target (the key stays unique for a recipient who is not
        copied, such as a district administrator)."""
        values = dict(zip([x.attname for x in t.fields], row, strict=True))
        target = ContentType.objects.get_for_id(values["target_type_id"]).model_class()
        expr = self.ref_for(target, int(values["target_id"]))  # type: ignore[arg-type]
        assert expr is not None, f"a notice's target {target} is not copied per student"
        if column == "target_id":
            return expr
        prefix, _old = str(values["key"]).rsplit(":", 1)
        return f"({self.slots.literal(prefix + ':')} + str({expr}))"

    def row_maker(self, t: _Table, row: tuple[Any, ...]) -> Callable[..., tuple[Any, ...]]:
        cells = []
        for f, value in zip(t.fields, row, strict=True):
            if t.model is AuditEvent and f.attname == "target_id":
                values = dict(zip([x.attname for x in t.fields], row, strict=True))
                target = apps.get_model(values["target_type"])
                slot = self.id_slot(target, int(value))
                assert slot is not None
                cells.append(f"str({self.slots.ref(slot)})")
            elif t.model is Notice and f.attname in ("target_id", "key"):
                cells.append(self.notice_target(t, row, f.attname))
            elif t.model is AuditEvent and f.attname == "changes":
                values = dict(zip([x.attname for x in t.fields], row, strict=True))
                target = apps.get_model(values["target_type"])
                cells.append(self.json(self.audit_changes(target, value), canonical=True))
            else:
                cells.append(self.cell(t, f, value))
        source = "lambda V, W, L: (" + ", ".join(cells) + ",)"
        return eval(source)  # type: ignore[no-any-return]  # noqa: S307 (our own expressions)


@dataclass(frozen=True)
class _Expr:
    """A value computed per unit inside JSON (an id), as the expression that makes it."""

    expr: str


def _map_ids(value: Any, fn: Callable[[int], Any]) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return fn(value)
    if isinstance(value, list):
        return [_map_ids(v, fn) for v in value]
    return value


_JSON_ID_MODELS: dict[str, type[models.Model]] = {}
_AUDIT_ID_MODELS: dict[str, type[models.Model]] = {}


def _id_models() -> None:
    from_name = {
        "goals": "plans.Goal",
        "services": "plans.Service",
        "accommodations": "plans.Accommodation",
        "objectives": "plans.Objective",
        "student": "schools.Student",
    }
    _JSON_ID_MODELS.update({k: apps.get_model(v) for k, v in from_name.items()})
    in_changes = {
        "student": "schools.Student",
        "school": "schools.School",
        "plan": "plans.Plan",
        "version": "plans.PlanVersion",
        "shared_draft": "plans.SharedDraft",
        "entry": "profiles.ProfileEntry",
        "reply": "plans.PlanReply",
        "outcome": "concerns.ConcernOutcome",
        "user": "accounts.User",
        "account": "accounts.User",
        "grantee": "accounts.User",
        "by": "accounts.User",
    }
    for key, label in in_changes.items():
        try:
            _AUDIT_ID_MODELS[key] = apps.get_model(label)
        except LookupError:
            continue


# -- the build --------------------------------------------------------------------------


def build(students: int, *, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Build a district of ``students`` students in an empty, migrated database.

    Returns the manifest: named users, key object ids, row counts and timings.
    """
    if User.objects.exists():
        raise RuntimeError("build needs an empty database (it seeds the demo district)")
    started = time.monotonic()
    today = timezone.localdate()
    forget_anchor()  # an earlier database of the same name left its anchor file
    with transaction.atomic():
        district = demo.seed()
        _template_extras(district)
    seal_pending()
    log(f"demo district seeded ({time.monotonic() - started:.1f} s)")
    result = grow(students, log=log)
    manifest = manifest_of(district)
    manifest.update(
        generator_version=GENERATOR_VERSION,
        students=result.students,
        built_on=str(today),
        build_seconds=round(time.monotonic() - started, 1),
        copy_seconds=round(result.seconds, 1),
        skipped_tables=result.skipped_tables,
    )
    return manifest


def _template_extras(district: District) -> None:
    """What the demo seed leaves out but a district in use has: record views, 2FA."""
    now = timezone.now()
    events = []
    for m in TeamMembership.objects.filter(student__district=district).select_related("user"):
        for part in ("overview", "plan", "profile"):
            events.append(
                AccessEvent(
                    user_id=m.user_id,
                    student_id=m.student_id,
                    part=part,
                    role=m.team_role,
                    via=AccessEvent.Via.PAGE,
                )
            )
    for g in Guardian.objects.filter(student__district=district, is_restricted=False):
        for part in ("overview", "plan"):
            events.append(
                AccessEvent(
                    user_id=g.user_id,
                    student_id=g.student_id,
                    part=part,
                    role="guardian",
                    via=AccessEvent.Via.PAGE,
                )
            )
    AccessEvent.objects.bulk_create(events)
    AccessEvent.objects.filter(pk__in=[e.pk for e in events]).update(created_at=now)
    # Staff sign in with two-factor; every staff account of the benchmark shares one
    # synthetic TOTP key (in the manifest), so a load test can make their codes.
    for user_id in StaffProfile.objects.filter(district=district).values_list("user_id", flat=True):
        TOTPDevice.objects.create(user_id=user_id, name="SamePage", confirmed=True, key=TOTP_KEY)


def template_student_ids() -> list[int]:
    """The demo's students: the first ones by id (every other student copies one)."""
    district = District.objects.get(name=demo.DISTRICT_NAME)
    first_copy = (
        Student.objects.filter(district=district, district_student_id__contains="-")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    found = Student.objects.filter(district=district).order_by("pk")
    if first_copy is not None:
        found = found.filter(pk__lt=first_copy)
    return list(found.values_list("pk", flat=True))


def grow(students: int, *, log: Callable[[str], None] = print) -> Result:
    """Add copies of the template students until the district has ``students``."""
    started = time.monotonic()
    _id_models()
    district = District.objects.get(name=demo.DISTRICT_NAME)
    templates = _load_templates(template_student_ids())
    size = templates.size
    have = Student.objects.filter(district=district).count()
    if students < have:
        raise RuntimeError(f"the district already has {have} students (asked for {students})")
    if have % size:
        raise RuntimeError("the district ends in a partial unit; build it afresh")
    first_unit = have // size
    last_unit = math.ceil(students / size) - 1  # inclusive
    partial = students - last_unit * size  # template students in the last unit
    if last_unit < first_unit:
        return Result(have, 0, 0.0, {}, templates.skipped)

    staff_copies, school_copies = _staff_and_schools(templates, district, last_unit)
    log(f"staff and schools for {last_unit + 1} units ({time.monotonic() - started:.1f} s)")
    bases = {t.table: _next_id(t) for t in templates.tables}
    compiler = _Compiler(templates, bases, staff_copies, school_copies, connection.vendor)
    makers = {t.table: [compiler.row_maker(t, row) for row in t.rows] for t in templates.tables}
    # Rebase so unit `first_unit` gets the first new ids: ids are base + (unit-1)*n + rank.
    for _key, index in compiler.slots.linear_index.items():
        a, n = compiler.slots.linear[index]
        compiler.slots.linear[index] = (a - (first_unit - 1) * n, n)
    literals = compiler.slots.literals
    keys = audit_keys()

    counts: dict[str, int] = {}
    for t in templates.tables:
        if not t.rows:
            continue
        table_started = time.monotonic()
        names = [f.column for f in t.fields]
        is_audit = t.model is AuditEvent
        sealer = _AuditSealer(t, keys) if is_audit else None

        def rows(t: _Table = t, sealer: _AuditSealer | None = sealer) -> Iterator[tuple[Any, ...]]:
            table_makers = makers[t.table]
            for unit in range(first_unit, last_unit + 1):
                ids, others = compiler.slots.values(unit)
                limit = partial if unit == last_unit else size
                for n, make in enumerate(table_makers):
                    if t.owners[n] >= limit:
                        continue
                    row = make(ids, others, literals)
                    yield row if sealer is None else sealer.sealed(n, row)

        with transaction.atomic():
            counts[t.table] = _write(t.table, names, rows())
        if sealer is not None and not sealer.fast:
            log("  (audit MACs took the slow path: the event body changed shape)")
        log(f"  {t.table}: {counts[t.table]:,} rows ({time.monotonic() - table_started:.1f} s)")
    _fix_sequences(templates.tables)
    sealed = seal_pending(batch_size=50_000)
    log(f"audit sealed: {sealed.sealed:,} events in {sealed.checkpoints} checkpoints")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Student.objects.filter(district=district).count()
    return Result(
        total, last_unit - first_unit + 1, time.monotonic() - started, counts, templates.skipped
    )


class _AuditSealer:
    """Each copied audit row's MAC under the current key.

    ``event_mac`` (the app's own) dumps the event's canonical body; here that body is
    made from its constant parts per template row, with the copy's number, actor,
    target and changes (already canonical JSON text) put in. The first copy of every
    template row is checked against ``event_mac`` itself; any difference and every row
    takes the slow path.
    """

    MARK = "\ue030{}\ue031"

    def __init__(self, t: _Table, keys: Any) -> None:
        self.keys = keys
        self.cols = {f.attname: i for i, f in enumerate(t.fields)}
        self.created_at = [row[self.cols["created_at"]] for row in t.rows]
        self.params = list(inspect.signature(event_body).parameters)
        self.checked: set[int] = set()
        self.fast = set(self.params) == {
            "seq", "created_at", "actor_id", "action", "target_type", "target_id",
            "changes", "key_id",
        }  # fmt: skip
        self.parts: list[list[str]] = []
        self.order: list[str] = []
        if self.fast:
            self.parts = [self._parts(n, row) for n, row in enumerate(t.rows)]

    def _parts(self, n: int, row: tuple[Any, ...]) -> list[str]:
        c = self.cols
        body = event_body(
            seq=self.MARK.format("seq"),  # type: ignore[arg-type]
            created_at=self.created_at[n],
            actor_id=self.MARK.format("actor"),  # type: ignore[arg-type]
            action=row[c["action"]],
            target_type=row[c["target_type"]],
            target_id=self.MARK.format("target"),
            changes=self.MARK.format("changes"),
            key_id=self.keys.current_id,
        )
        text = json.dumps(
            body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        pieces = re.split(r'"\ue030(seq|actor|target|changes)\ue031"', text)
        # [text, name, text, name, ...]: the names in the order the sorted body has them.
        self.order = pieces[1::2]
        return pieces[0::2]

    def _slow(self, n: int, row: tuple[Any, ...]) -> str:
        fields: dict[str, Any] = {}
        for name in self.params:
            if name == "created_at":
                fields[name] = self.created_at[n]
            elif name == "changes":
                fields[name] = json.loads(row[self.cols["changes"]])
            elif name == "key_id":
                fields[name] = self.keys.current_id
            else:
                fields[name] = row[self.cols[name]]
        return event_mac(self.keys.current, **fields)

    def sealed(self, n: int, row: tuple[Any, ...]) -> tuple[Any, ...]:
        c = self.cols
        if self.fast:
            actor = row[c["actor_id"]]
            values = {
                "seq": str(row[c["seq"]]),
                "actor": "null" if actor is None else str(actor),
                "target": json.dumps(row[c["target_id"]]),
                "changes": row[c["changes"]],
            }
            p = self.parts[n]
            body = p[0] + "".join(values[name] + p[i + 1] for i, name in enumerate(self.order))
            mac = hmac.new(self.keys.current, body.encode(), hashlib.sha256).hexdigest()
            if n not in self.checked:
                self.checked.add(n)
                if mac != self._slow(n, row):
                    self.fast = False
        if not self.fast:
            mac = self._slow(n, row)
        out = list(row)
        out[c["key_id"]] = self.keys.current_id
        out[c["mac"]] = mac
        return tuple(out)


def _next_id(t: _Table) -> int:
    pk = t.model._meta.pk
    assert pk is not None
    top = t.model._base_manager.aggregate(m=models.Max(pk.attname))["m"] or 0
    if t.model is AuditEvent and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = 'core_auditevent'")
            found = cursor.fetchone()
            top = max(top, found[0] if found else 0)
    return int(top) + 1


def _write(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    raw = connection.connection
    if connection.vendor == "postgresql":
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    marks = ", ".join("?" for _ in columns)
    # Our own table and column names, quoted; the values go as parameters.
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608  # noqa: S608 (our own table and column names)
    cursor = raw.cursor()
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 5000:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


def _fix_sequences(tables: list[_Table]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    with connection.cursor() as cursor:
        for t in tables:
            pk = t.model._meta.pk
            assert pk is not None
            table = connection.ops.quote_name(t.table)
            column = connection.ops.quote_name(pk.column)
            top = f"(SELECT COALESCE(MAX({column}), 1) FROM {table})"  # noqa: S608 (our names)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), {top})",
                [t.table, pk.column],
            )


def _staff_and_schools(
    templates: _Templates, district: District, last_unit: int
) -> tuple[dict[str, dict[int, list[int]]], dict[int, list[int]]]:
    """Each group's and campus's own staff and schools (index 0: the demo's own).

    Returns ``{level: {index: {template user id: copy's id}}}`` and
    ``{campus: {template school id: copy's id}}`` (as dicts indexed like lists).
    """
    groups = last_unit // UNITS_PER_GROUP + 1
    campuses = (groups - 1) // GROUPS_PER_CAMPUS + 1
    template_schools = list(School.objects.filter(district=district).order_by("pk")[:3])
    schools: dict[int, Any] = {0: {s.pk: s.pk for s in template_schools}}
    existing = {
        name for name in School.objects.filter(district=district).values_list("name", flat=True)
    }
    for campus in range(1, campuses):
        place = PLACES[campus % len(PLACES)]
        suffix = f" {campus // len(PLACES) + 1}" if campus >= len(PLACES) else ""
        made = {}
        for s in template_schools:
            name = s.name.replace(demo.DISTRICT_NAME.split()[0], place) + suffix
            found = School.objects.filter(district=district, name=name).first()
            if found is None:
                copy = School.objects.get(pk=s.pk)
                copy.pk = None
                copy.name = name
                copy.save()
                found = copy
            existing.add(name)
            made[s.pk] = found.pk
        schools[campus] = made

    levels: dict[str, dict[int, Any]] = {"group": {}, "campus": {}}
    for level, count in (("group", groups), ("campus", campuses)):
        ids = [uid for uid, lvl in templates.staff_level.items() if lvl == level]
        originals = {u.pk: u for u in User.objects.filter(pk__in=ids)}
        profiles = {
            p.user_id: p
            for p in StaffProfile.objects.filter(user_id__in=ids).prefetch_related("schools")
        }
        levels[level][0] = {uid: uid for uid in ids}
        wanted = []
        for index in range(1, count):
            for uid in sorted(ids):
                local, _, domain = originals[uid].email.partition("@")
                wanted.append((index, uid, f"{local}.{level[0]}{index}@{domain}"))
        known = dict(
            User.objects.filter(email__in=[w[2] for w in wanted]).values_list("email", "pk")
        )
        new_users = []
        for n, (_index, uid, email) in enumerate(wanted):
            if email in known:
                continue
            copy = _copy_of(originals[uid])
            copy.pk = None
            copy.email = email
            copy.full_name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[n % len(SURNAMES)]}"
            copy.last_login = None
            new_users.append(copy)
        User.objects.bulk_create(new_users, batch_size=2000)
        known.update(
            User.objects.filter(email__in=[w[2] for w in wanted]).values_list("email", "pk")
        )
        new_profiles = []
        memberships = []
        have_profile = set(
            StaffProfile.objects.filter(user_id__in=known.values()).values_list(
                "user_id", flat=True
            )
        )
        for index, uid, email in wanted:
            levels[level].setdefault(index, {})[uid] = known[email]
            profile = profiles.get(uid)
            if profile is None or known[email] in have_profile:
                continue
            copy_profile = _copy_of(profile)
            copy_profile.pk = None
            copy_profile.user_id = known[email]
            new_profiles.append(copy_profile)
            campus = index if level == "campus" else index // GROUPS_PER_CAMPUS
            memberships.append(
                (known[email], [schools[campus][s.pk] for s in profile.schools.all()])
            )
        StaffProfile.objects.bulk_create(new_profiles, batch_size=2000)
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(user_id=p.user_id, name="SamePage", confirmed=True, key=TOTP_KEY)
                for p in new_profiles
            ],
            batch_size=2000,
        )
        through = StaffProfile.schools.through
        profile_ids = dict(
            StaffProfile.objects.filter(user_id__in=[m[0] for m in memberships]).values_list(
                "user_id", "pk"
            )
        )
        through.objects.bulk_create(
            [
                through(staffprofile_id=profile_ids[user_id], school_id=school_id)
                for user_id, school_ids in memberships
                for school_id in school_ids
            ],
            batch_size=5000,
        )
    return levels, schools  # type: ignore[return-value]


def _copy_of(instance: Any) -> Any:
    copy = type(instance)()
    for f in instance._meta.concrete_fields:
        setattr(copy, f.attname, getattr(instance, f.attname))
    return copy


# -- the manifest -----------------------------------------------------------------------


def manifest_of(district: District | None = None) -> dict[str, Any]:
    """Named users and the key records the harness opens (all in the demo's part)."""
    district = district or District.objects.get(name=demo.DISTRICT_NAME)
    users = {
        role: {"email": email, "id": User.objects.get(email=email).pk}
        for role, email in NAMED_USERS.items()
    }
    parent = User.objects.get(email=NAMED_USERS["parent"])
    child = Student.objects.filter(guardians__user=parent).order_by("pk").first()
    assert child is not None
    draft = (
        SharedDraft.objects.filter(version__plan__student=child)
        .select_related("version__plan")
        .order_by("pk")
        .first()
    )
    assert draft is not None, "the demo's parent has a shared draft"
    plan = draft.version.plan
    final = (
        PlanVersion.objects.filter(plan__student=child, finalized_at__isnull=False)
        .select_related("plan")
        .order_by("pk")
        .first()
    )
    assert final is not None
    draft_version = PlanVersion.objects.filter(plan=plan, status=PlanVersion.Status.DRAFT).first()
    counts = {
        "students": Student.objects.filter(district=district).count(),
        "plans": Plan.objects.filter(student__district=district).count(),
        "users": User.objects.count(),
        "schools": School.objects.filter(district=district).count(),
        "audit_events": AuditEvent.objects.count(),
    }
    return {
        "district": district.pk,
        "users": users,
        "objects": {
            "student": child.pk,
            "plan": plan.pk,
            "shared_number": draft.number,
            "final_plan": final.plan_id,
            "final_number": final.number,
            "draft_number": draft_version.number if draft_version else None,
        },
        "counts": counts,
        "staff_totp_key_hex": TOTP_KEY,
    }
