"""A plan nothing of which was shared yet does not exist for the family or an advocate:
not in the lists, not on the child's page, not by its address (404, like a missing one),
on pages and API alike. The team sees it; once a draft is shared the family does too."""

from __future__ import annotations

from django.test import Client

from samepage import factories as f
from samepage.plans.actions import lifecycle
from samepage.plans.models import PlanVersion

MARKER = "ZZUNSHARED-plan-name"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(plan) -> list[str]:
    return [
        "/plans/",
        f"/students/{plan.student_id}/",
        f"/plans/{plan.pk}/",
        "/api/v1/plans",
        f"/api/v1/plans/{plan.pk}",
    ]


def test_a_plan_with_only_an_unshared_draft_is_the_teams_alone(world):
    plan = f.make_plan(world.child, world.case_manager)
    draft = PlanVersion.objects.get(plan=plan)
    for reader in (world.parent, world.case_manager):
        client = _client(reader)
        listed = client.get("/plans/").content.decode()
        opened = client.get(f"/plans/{plan.pk}/")
        api = client.get(f"/api/v1/plans/{plan.pk}")
        if reader == world.case_manager:
            assert f"/plans/{plan.pk}/" in listed
            assert (opened.status_code, api.status_code) == (200, 200)
        else:
            assert f"/plans/{plan.pk}/" not in listed
            assert (opened.status_code, api.status_code) == (404, 404)
            overview = client.get(f"/students/{world.child.pk}/").content.decode()
            assert f"/plans/{plan.pk}/" not in overview
            listed_api = client.get("/api/v1/plans").json()
            items = listed_api["items"] if isinstance(listed_api, dict) else listed_api
            assert plan.pk not in [item["id"] for item in items]
    lifecycle.do_share_draft(draft, actor=world.case_manager)
    parent = _client(world.parent)
    assert f"/plans/{plan.pk}/" in parent.get("/plans/").content.decode()
    assert parent.get(f"/plans/{plan.pk}/").status_code == 200
    assert parent.get(f"/api/v1/plans/{plan.pk}").status_code == 200
