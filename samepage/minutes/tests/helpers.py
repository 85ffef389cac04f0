"""Logging sessions as the named people of the ``world`` fixture."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client

from samepage import factories as f
from samepage.minutes import actions
from samepage.minutes.models import ServiceSession
from samepage.minutes.permissions import MinutesAccess, minutes_access_for
from samepage.plans.models import PlanVersion, Service


def access_of(user: Any, student: Any) -> MinutesAccess:
    access = minutes_access_for(user, student)
    assert access is not None
    return access


def service_in_effect(world: Any) -> Service:
    """The child's service of the plan in effect (made, signed into effect, if none)."""
    found = Service.objects.filter(
        version__plan__student=world.child, version__status=PlanVersion.Status.IN_EFFECT
    ).first()
    if found is None:
        version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
        found = Service.objects.get(version=version)
    return found


def log(
    user: Any,
    student: Any,
    service: Service,
    *,
    day: date | str,
    minutes: Any = 30,
    status: str = "delivered",
    **extra: Any,
) -> ServiceSession:
    return actions.check_log_session(
        student,
        actor=user,
        access=access_of(user, student),
        service_lineage=service.lineage_id,
        day=day,
        minutes=minutes,
        status=status,
        **extra,
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def matrix_params(world: Any) -> dict[str, str]:
    """Targets for the permission matrix's service-minutes rows.

    ``session_id``: a session the speech therapist logged today for the child's service
    of the plan in effect (whoever may log sessions may void it); ``SERVICE``: that
    service's lineage, for the log form's data; ``closure_id``: a day without school in
    a month's time (the district administrator's calendar archives it).
    """
    service = service_in_effect(world)
    session = log(world.provider, world.child, service, day=world.today, staff_note="Tired.")
    later = world.today + timedelta(days=30)
    if later.weekday() >= 5:  # a weekday: weekends are never marked
        later += timedelta(days=7 - later.weekday())
    (closure,) = actions.check_add_closures(
        world.child.district, actor=world.district_admin, first=later, name="Matrix holiday"
    )
    return {
        "session_id": str(session.pk),
        "SERVICE": str(service.lineage_id),
        "closure_id": str(closure.pk),
    }
