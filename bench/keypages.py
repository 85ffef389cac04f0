"""The key pages and API lists the benchmark measures, and signing in as the named users.

Shared by the harness (bench/pages.py) and the test that pins their query counts at two
district sizes (samepage/core/tests/test_bench_district.py), so both look at the same
requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from samepage.accounts.models import User

ROLES = (
    "parent",
    "case_manager",
    "teacher",
    "school_leader",
    "district_admin",
    "advocate",
    "student",
)
LIST_URLS = (
    ("student list", "/students/"),
    ("plan list", "/plans/"),
    ("API students", "/api/v1/students"),
    ("API plans", "/api/v1/plans"),
)


@dataclass(frozen=True)
class KeyRequest:
    """One GET the benchmark times, as one named user."""

    name: str
    role: str
    url: str
    # "page" (the general targets), "bare", "pdf-repeat", "pdf-draft"
    kind: str = "page"


def key_requests(manifest: dict[str, Any]) -> list[KeyRequest]:
    """Every measured request for a district's manifest (``generator.manifest_of``)."""
    o = manifest["objects"]
    student, plan = o["student"], o["plan"]
    final = f"/plans/{o['final_plan']}/versions/{o['final_number']}/"
    out = [KeyRequest("bare view", role, "/bench/bare/", "bare") for role in ROLES]
    out += [
        KeyRequest("parent home", "parent", "/home/"),
        KeyRequest("student overview", "parent", f"/students/{student}/"),
        KeyRequest("student overview", "case_manager", f"/students/{student}/"),
        KeyRequest("team page", "case_manager", f"/students/{student}/team/"),
        KeyRequest("plan page", "parent", f"/plans/{plan}/"),
        KeyRequest("plan page", "case_manager", f"/plans/{plan}/"),
        KeyRequest("plan version", "parent", final),
        KeyRequest("shared draft", "parent", f"/plans/{plan}/shared/{o['shared_number']}/"),
        KeyRequest("case manager home", "case_manager", "/home/"),
        KeyRequest("teacher home", "teacher", "/home/"),
        KeyRequest("school leader home", "school_leader", "/home/"),
        KeyRequest("district admin home", "district_admin", "/home/"),
        KeyRequest("advocate home", "advocate", "/home/"),
        KeyRequest("student home", "student", "/home/"),
        KeyRequest("notification centre", "parent", "/notifications/"),
        KeyRequest("notification centre", "district_admin", "/notifications/"),
    ]
    out += [KeyRequest(name, role, url) for role in ROLES for name, url in LIST_URLS]
    out += [KeyRequest("plan PDF (repeat)", "parent", final + "pdf/", "pdf-repeat")]
    if o.get("draft_number"):
        draft_pdf = f"/plans/{plan}/versions/{o['draft_number']}/pdf/"
        out.append(KeyRequest("draft PDF", "case_manager", draft_pdf, "pdf-draft"))
    return out


def signed_in(user: User, **client_options: Any) -> Client:
    """A test client signed in as ``user``, staff with their two-factor device verified
    (the session key django_otp's own login sets, as the sign-in tests check)."""
    client = Client(**client_options)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
