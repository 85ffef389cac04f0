"""Pages for editing a plan's draft: the editor, one section, the plan dates, and
goals, services and accommodations (add, edit, take out).

Only staff who may edit the plan get here (``access_plan(..., action="edit")``); a plan
without a draft answers 403 with the amendment path. A stale form answers 409 with both
versions side by side and a form holding what you wrote, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samepage.core.access_log import record_access
from samepage.core.conflicts import EditConflict
from samepage.core.forms import add_validation_errors
from samepage.core.htmx import see_other
from samepage.plans import selectors
from samepage.plans.actions import editing
from samepage.plans.forms import (
    ITEM_FORMS,
    DatesForm,
    ItemForm,
    RemoveItemForm,
    SectionForm,
    form_initial,
)
from samepage.plans.models import (
    Accommodation,
    Goal,
    LineageDecision,
    Objective,
    Plan,
    PlanVersion,
    Service,
)
from samepage.plans.permissions import access_draft_item, access_plan
from samepage.plans.presenters import readable_date
from samepage.plans.sections import (
    AREAS,
    ITEM_HELP,
    ITEM_TITLES,
    Section,
    items_for,
    section,
    sections_for,
)
from samepage.teams.permissions import Part

AREA_LABELS = dict(AREAS)
# Shown in an item's heading (or, for objectives, as their own list), not again as facts.
HEADING_FIELDS = {
    "goals": {"area", "objectives"},
    "services": {"description"},
    "accommodations": set(),
}


def _item_name(kind: str) -> str:
    # One item of each kind, for headings and buttons.
    return {
        "goals": _("goal"),
        "services": _("service"),
        "accommodations": _("accommodation"),
    }[kind]


def _item_heading(kind: str, number: int, item: Any) -> str:
    if kind == "goals":
        area = str(AREA_LABELS.get(item.area, item.area))
        return _("Goal %(number)s: %(area)s") % {"number": number, "area": area}
    if kind == "services":
        return str(item.description)
    return _("Accommodation %(number)s") % {"number": number}


# --- small helpers ------------------------------------------------------------------


def _draft(request: HttpRequest, plan_id: int) -> tuple[Plan, PlanVersion]:
    plan = access_plan(request.user, plan_id, action="edit")
    return plan, editing.editable_draft(plan)


def _logged(request: HttpRequest, plan: Plan) -> None:
    if request.method == "GET":
        record_access(user=request.user, access=plan.access.student, part=Part.PLANS, via="page")  # type: ignore[attr-defined]


def _editor_url(plan: Plan, anchor: str = "") -> str:
    url = reverse("plans:draft", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _shown(value: Any, *, choices: Any = (), is_bool: bool = False, is_date: bool = False) -> str:
    """A stored value as people read it: choice labels, yes/no, dates in their format."""
    if is_bool:
        return _("Yes") if value else _("No")
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if choices:
        return str(dict(choices).get(value, value))
    if is_date:
        return readable_date(value)
    return str(value)


def _form_field_shown(field: forms.Field, value: Any) -> str:
    return _shown(
        value,
        choices=getattr(field, "choices", ()),
        is_bool=isinstance(field, forms.BooleanField),
        is_date=isinstance(field.widget, forms.DateInput),
    )


def _compare_rows(form: forms.Form, theirs: dict[str, Any], yours: dict[str, Any]) -> list[Any]:
    rows = []
    for name, field in form.fields.items():
        if name == "revision":
            continue
        mine = _form_field_shown(field, yours.get(name))
        saved = _form_field_shown(field, theirs.get(name))
        rows.append(
            {"label": field.label, "theirs": saved, "yours": mine, "differs": mine != saved}
        )
    return rows


def _conflict_page(
    request: HttpRequest,
    plan: Plan,
    conflict: EditConflict,
    *,
    form: forms.Form,
    heading: str,
    action: str,
    back: str,
) -> HttpResponse:
    return render(
        request,
        "plans/edit/conflict.html",
        {
            "plan": plan,
            "student": plan.student,
            "heading": heading,
            "message": conflict.message,
            "rows": _compare_rows(form, conflict.theirs, conflict.yours),
            "form": form,
            "action": action,
            "back": back,
        },
        status=409,
    )


def _form_page(
    request: HttpRequest,
    plan: Plan,
    *,
    form: forms.Form,
    heading: str,
    action: str,
    back: str,
    help_text: Any = "",
    submit: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "plans/edit/form.html",
        {
            "plan": plan,
            "student": plan.student,
            "heading": heading,
            "help_text": help_text,
            "form": form,
            "action": action,
            "back": back,
            "submit": submit or _("Save"),
        },
        status=status,
    )


# --- the editor -----------------------------------------------------------------------


def _section_rows(definition: Section, data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": f.label,
            "value": _shown(
                data.get(f.name),
                choices=f.choices,
                is_bool=f.kind == "bool",
                is_date=f.kind == "date",
            ),
        }
        for f in definition.fields
    ]


def _editor_context(plan: Plan, version: PlanVersion) -> dict[str, Any]:
    stored = {s.key: s.data for s in version.sections.all()}
    decisions = {
        (d.item_kind, str(d.lineage_id)): d.get_decision_display()
        for d in LineageDecision.objects.filter(version=version)
    }
    kinds = items_for(plan.plan_type)
    queries: dict[str, Any] = {
        "goals": Goal.objects.filter(version=version, removed_at__isnull=True).prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("position", "id"))
        ),
        "services": Service.objects.filter(version=version, removed_at__isnull=True),
        "accommodations": Accommodation.objects.filter(version=version, removed_at__isnull=True),
    }
    item_lists = []
    for kind in kinds:
        decision_kind = editing.ITEM_KINDS[kind].decision_kind
        fields = ITEM_FORMS[kind]().fields
        rows = []
        for number, item in enumerate(queries[kind], start=1):
            values = {name: getattr(item, name, None) for name in fields}
            rows.append(
                {
                    "anchor": f"{decision_kind}-{item.lineage_id}",
                    "heading": _item_heading(kind, number, item),
                    "decision": decisions.get((decision_kind, str(item.lineage_id)), ""),
                    "facts": [
                        {"label": field.label, "value": shown}
                        for name, field in fields.items()
                        if name not in HEADING_FIELDS[kind]
                        and (shown := _form_field_shown(field, values[name]))
                    ],
                    "objectives": list(item.objectives.all()) if kind == "goals" else [],
                    "edit_url": reverse(f"plans:{decision_kind}_edit", args=[plan.pk, item.pk]),
                    "remove_url": reverse(f"plans:{decision_kind}_remove", args=[plan.pk, item.pk]),
                }
            )
        item_lists.append(
            {
                "kind": kind,
                "title": ITEM_TITLES[kind],
                "help": ITEM_HELP[kind],
                "add_label": _("Add a %(item)s") % {"item": _item_name(kind)},
                "new_url": reverse(f"plans:{decision_kind}_new", args=[plan.pk]),
                "rows": rows,
            }
        )
    return {
        "plan": plan,
        "student": plan.student,
        "version": version,
        "sections": [
            {
                "definition": s,
                "rows": _section_rows(s, stored.get(s.key, {})),
                "edit_url": reverse("plans:edit_section", args=[plan.pk, s.key]),
            }
            for s in sections_for(plan.plan_type)
        ],
        "item_lists": item_lists,
        "last_shared": selectors.last_shared_copy(version),
    }


@require_GET
@login_required
def draft(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, version = _draft(request, plan_id)
    _logged(request, plan)
    return render(request, "plans/edit/draft.html", _editor_context(plan, version))


# --- one section ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def edit_section(request: HttpRequest, plan_id: int, key: str) -> HttpResponse:
    plan, version = _draft(request, plan_id)
    definition = section(plan.plan_type, key)
    if definition is None:
        raise Http404
    action = reverse("plans:edit_section", args=[plan.pk, key])
    back = _editor_url(plan, f"section-{key}")
    heading = str(definition.title)
    if request.method == "GET":
        _logged(request, plan)
        stored = version.sections.filter(key=key).first()
        values = editing.section_values(plan.plan_type, key, stored.data if stored else {})
        initial = {**values, "revision": stored.revision if stored else 1}
        form = SectionForm(definition, initial=initial)
        return _form_page(
            request,
            plan,
            form=form,
            heading=heading,
            action=action,
            back=back,
            help_text=definition.help,
        )
    form = SectionForm(definition, request.POST)
    if form.is_valid():
        try:
            editing.do_save_section(
                version,
                key,
                form.section_data(),
                actor=request.user,
                expected_revision=form.cleaned_data["revision"],
            )
        except EditConflict as conflict:
            fresh = SectionForm(
                definition, initial={**conflict.yours, "revision": conflict.revision}
            )
            return _conflict_page(
                request, plan, conflict, form=fresh, heading=heading, action=action, back=back
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": heading})
            return see_other(back)
    return _form_page(
        request,
        plan,
        form=form,
        heading=heading,
        action=action,
        back=back,
        help_text=definition.help,
        status=400,
    )


# --- plan dates -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def edit_dates(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, version = _draft(request, plan_id)
    action = reverse("plans:edit_dates", args=[plan.pk])
    back = _editor_url(plan, "dates")
    heading = _("Plan dates")
    if request.method == "GET":
        _logged(request, plan)
        form = DatesForm(
            initial={
                "proposed_start": version.proposed_start,
                "proposed_end": version.proposed_end,
                "revision": version.revision,
            }
        )
        return _form_page(request, plan, form=form, heading=heading, action=action, back=back)
    form = DatesForm(request.POST)
    if form.is_valid():
        try:
            editing.do_set_plan_dates(
                version,
                actor=request.user,
                proposed_start=form.cleaned_data["proposed_start"],
                proposed_end=form.cleaned_data["proposed_end"],
                expected_revision=form.cleaned_data["revision"],
            )
        except EditConflict as conflict:
            fresh = DatesForm(initial={**conflict.yours, "revision": conflict.revision})
            return _conflict_page(
                request, plan, conflict, form=fresh, heading=heading, action=action, back=back
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved the plan dates."))
            return see_other(back)
    return _form_page(
        request, plan, form=form, heading=heading, action=action, back=back, status=400
    )


# --- goals, services, accommodations ------------------------------------------------


def _item_form(kind: str, *args: Any, **kwargs: Any) -> ItemForm:
    return ITEM_FORMS[kind](*args, **kwargs)


@require_http_methods(["GET", "POST"])
@login_required
def item_new(request: HttpRequest, plan_id: int, kind: str) -> HttpResponse:
    plan, version = _draft(request, plan_id)
    if kind not in items_for(plan.plan_type):
        raise Http404
    decision_kind = editing.ITEM_KINDS[kind].decision_kind
    action = reverse(f"plans:{decision_kind}_new", args=[plan.pk])
    back = _editor_url(plan, kind)
    heading = _("Add a %(item)s") % {"item": _item_name(kind)}
    if request.method == "GET":
        _logged(request, plan)
        return _form_page(
            request,
            plan,
            form=_item_form(kind),
            heading=heading,
            action=action,
            back=back,
            help_text=ITEM_HELP[kind],
            submit=_("Add"),
        )
    form = _item_form(kind, request.POST)
    if form.is_valid():
        try:
            item = editing.ADD[kind](version, actor=request.user, **form.item_values())
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Added the %(item)s.") % {"item": _item_name(kind)})
            return see_other(_editor_url(plan, f"{decision_kind}-{item.lineage_id}"))
    return _form_page(
        request,
        plan,
        form=form,
        heading=heading,
        action=action,
        back=back,
        help_text=ITEM_HELP[kind],
        submit=_("Add"),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(
    request: HttpRequest,
    plan_id: int,
    kind: str,
    goal_id: int | None = None,
    service_id: int | None = None,
    accommodation_id: int | None = None,
) -> HttpResponse:
    item_id = {"goals": goal_id, "services": service_id, "accommodations": accommodation_id}[kind]
    item = access_draft_item(request.user, plan_id, kind, item_id)
    plan = item.version.plan
    decision_kind = editing.ITEM_KINDS[kind].decision_kind
    action = reverse(f"plans:{decision_kind}_edit", args=[plan.pk, item.pk])
    back = _editor_url(plan, f"{decision_kind}-{item.lineage_id}")
    heading = _("Edit a %(item)s") % {"item": _item_name(kind)}
    if request.method == "GET":
        _logged(request, plan)
        values = editing.item_values(editing.ITEM_KINDS[kind], item)
        form = _item_form(
            kind, initial={**form_initial(values), "revision": item.revision}, editing=True
        )
        return _form_page(request, plan, form=form, heading=heading, action=action, back=back)
    form = _item_form(kind, request.POST, editing=True)
    if form.is_valid():
        try:
            editing.UPDATE[kind](
                item,
                actor=request.user,
                expected_revision=form.cleaned_data["revision"],
                **form.item_values(),
            )
        except EditConflict as conflict:
            fresh = _item_form(
                kind,
                initial={**form_initial(conflict.yours), "revision": conflict.revision},
                editing=True,
            )
            return _conflict_page(
                request, plan, conflict, form=fresh, heading=heading, action=action, back=back
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, _("Saved the %(item)s.") % {"item": _item_name(kind)})
            return see_other(back)
    return _form_page(
        request, plan, form=form, heading=heading, action=action, back=back, status=400
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_remove(
    request: HttpRequest,
    plan_id: int,
    kind: str,
    goal_id: int | None = None,
    service_id: int | None = None,
    accommodation_id: int | None = None,
) -> HttpResponse:
    item_id = {"goals": goal_id, "services": service_id, "accommodations": accommodation_id}[kind]
    item = access_draft_item(request.user, plan_id, kind, item_id)
    plan = item.version.plan
    item_kind = editing.ITEM_KINDS[kind]
    action = reverse(f"plans:{item_kind.decision_kind}_remove", args=[plan.pk, item.pk])
    back = _editor_url(plan, f"{item_kind.decision_kind}-{item.lineage_id}")
    shown_form = _item_form(kind)
    context: dict[str, Any] = {
        "plan": plan,
        "student": plan.student,
        "heading": _("Take out this %(item)s?") % {"item": _item_name(kind)},
        "action": action,
        "back": back,
        "conflict": None,
    }
    status = 200
    if request.method == "GET":
        _logged(request, plan)
        form = RemoveItemForm(initial={"revision": item.revision})
    else:
        form = RemoveItemForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                editing.REMOVE[kind](
                    item,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_revision=form.cleaned_data["revision"],
                )
            except EditConflict as conflict:
                form = RemoveItemForm(
                    initial={"reason": form.cleaned_data["reason"], "revision": conflict.revision}
                )
                context["conflict"] = conflict.message
                item.refresh_from_db()  # show what is saved now
                status = 409
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                messages.success(
                    request,
                    _("Took the %(item)s out of the draft. The earlier plan keeps it.")
                    % {"item": _item_name(kind)},
                )
                return see_other(_editor_url(plan, kind))
    values = editing.item_values(item_kind, item)
    context["rows"] = [
        {"label": field.label, "value": _form_field_shown(field, values.get(name))}
        for name, field in shown_form.fields.items()
        if values.get(name) not in (None, "", [])
    ]
    context["form"] = form
    return render(request, "plans/edit/remove.html", context, status=status)
