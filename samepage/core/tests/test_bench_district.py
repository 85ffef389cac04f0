"""The benchmark's district generator (bench/generator.py) writes records the app accepts,
and the key pages cost the same number of queries at two district sizes.

The generator copies the demo's seven students unit by unit; here it builds one unit (the
demo itself), measures, then grows the same district past a group of 49 (so copied
staff, schools and families exist) and measures again.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import generator
from bench.keypages import key_requests, signed_in
from samepage.accounts.models import User
from samepage.core.audit_verify import verify_trail
from samepage.core.models import AuditEvent
from samepage.plans.models import Goal, Plan, PlanVersion, SharedDraft
from samepage.schools.models import Guardian, Student
from samepage.teams.models import TeamMembership
from samepage.teams.permissions import visible_students

pytestmark = pytest.mark.django_db(transaction=False)

SMALL, BIG = 7, 63  # one unit; nine units, the last two in a second group


@pytest.fixture
def bench_settings(settings: Any) -> Any:
    settings.ROOT_URLCONF = "bench.urls"
    settings.SAMEPAGE_REQUIRE_STAFF_2FA = True
    return settings


def _query_counts(manifest: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Each key request's status and queries, on its second request (the first may store
    something once, such as a PDF)."""
    users = {role: User.objects.get(pk=u["id"]) for role, u in manifest["users"].items()}
    clients = {role: signed_in(user) for role, user in users.items()}
    counts = {}
    for r in key_requests(manifest):
        client = clients[r.role]
        client.get(r.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(r.url)
        counts[f"{r.name} as {r.role}: {r.url}"] = (response.status_code, len(queries))
    return counts


def _copies_of(template: Student) -> list[Student]:
    prefix = f"{template.district_student_id}-"
    return list(Student.objects.filter(district_student_id__startswith=prefix).order_by("pk"))


def test_key_pages_cost_the_same_queries_at_both_sizes(bench_settings: Any) -> None:
    manifest = generator.build(SMALL, log=lambda line: None)
    assert manifest["counts"]["students"] == SMALL
    small = _query_counts(manifest)
    generator.grow(BIG, log=lambda line: None)
    big_manifest = generator.manifest_of()
    assert big_manifest["counts"]["students"] == BIG
    assert big_manifest["users"] == manifest["users"]
    big = _query_counts(big_manifest)
    assert all(status == 200 for status, _ in small.values()), small
    assert big == small


def test_every_copied_student_has_a_complete_record_that_opens(bench_settings: Any) -> None:
    generator.build(BIG, log=lambda line: None)
    templates = list(Student.objects.filter(pk__in=generator.template_student_ids()))
    assert len(templates) == SMALL
    assert Student.objects.count() == BIG
    # Before any page is opened (each view adds to the record of access).
    views = {s.pk: s.access_events.count() for s in Student.objects.all()}
    for template in templates:
        copies = _copies_of(template)
        assert len(copies) == BIG // SMALL - 1
        for student in copies:
            assert views[student.pk] == views[template.pk]
            _assert_like(template, student)
        # The last copy is in the second group, with copied staff and school leaders.
        _assert_opens_like(template, copies[-1])
    report = verify_trail()
    assert report.intact, report.problems
    assert report.unsealed_events == 0
    assert report.sealed_events == AuditEvent.objects.count()


def _assert_like(template: Student, copy: Student) -> None:
    """The copy has the template's record under its own ids, names and people."""
    assert copy.legal_first_name == template.legal_first_name
    assert copy.legal_last_name != template.legal_last_name
    assert copy.legal_last_name.lower() in copy.search_name
    assert Guardian.objects.filter(student=copy).count() == template.guardians.count()
    for guardian in Guardian.objects.filter(student=copy).select_related("user", "household"):
        assert guardian.user.full_name.endswith(copy.legal_last_name)
        assert guardian.household is not None
        assert guardian.household.name.startswith(copy.legal_last_name)
    roles = sorted(template.team.values_list("team_role", flat=True))
    assert (
        sorted(TeamMembership.objects.filter(student=copy).values_list("team_role", flat=True))
        == roles
    )
    assert Plan.objects.filter(student=copy).count() == template.plans.count()
    for version in PlanVersion.objects.filter(plan__student=copy, content__isnull=False):
        content = version.content
        assert content is not None
        assert content["student"]["id"] == copy.pk
        assert content["student"]["name"] == copy.display_name
        goal_ids = {g["id"] for g in content.get("goals", [])}
        assert goal_ids == set(Goal.objects.filter(version=version).values_list("pk", flat=True))
    for draft in SharedDraft.objects.filter(version__plan__student=copy):
        goal_ids = {g["id"] for g in draft.content.get("goals", [])}
        assert goal_ids <= set(
            Goal.objects.filter(version=draft.version).values_list("pk", flat=True)
        )


def _assert_opens_like(template: Student, copy: Student) -> None:
    """The permission layer treats the copy's people as the template's: each sees the
    same pages of their own child's record, and not the template's child."""
    pairs = [
        (
            g.user,
            Guardian.objects.get(
                student=copy,
                relationship=g.relationship,
                user__full_name__startswith=g.user.full_name.split()[0],
            ).user,
        )
        for g in template.guardians.select_related("user")
    ]
    pairs += [
        (
            m.user,
            TeamMembership.objects.get(
                student=copy, team_role=m.team_role, discipline=m.discipline
            ).user,
        )
        for m in template.team.select_related("user")
    ]
    for template_person, copy_person in pairs:
        assert _outcomes(template_person, template) == _outcomes(copy_person, copy)
        if copy_person != template_person:
            assert not visible_students(copy_person).filter(pk=template.pk).exists()
        sees_template = visible_students(template_person).filter(pk=template.pk).exists()
        assert visible_students(copy_person).filter(pk=copy.pk).exists() == sees_template


def _outcomes(user: User, student: Student) -> list[int]:
    client = signed_in(user)
    urls = [f"/students/{student.pk}/"]
    for plan in Plan.objects.filter(student=student).order_by("pk"):
        urls.append(f"/plans/{plan.pk}/")
        for version in plan.versions.exclude(status="draft").order_by("number"):
            urls.append(f"/plans/{plan.pk}/versions/{version.number}/")
        for draft in SharedDraft.objects.filter(version__plan=plan).order_by("pk"):
            urls.append(f"/plans/{plan.pk}/shared/{draft.number}/")
    return [client.get(url).status_code for url in urls]
