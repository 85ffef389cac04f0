"""A final version's PDFs are laid out once and stored through Django's storage API; every
later reader who would get the same document is served the stored file, after the same
permission check and with the same record of access as before."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader

from samepage import factories as f
from samepage.accounts.models import User
from samepage.core import pdf as paper
from samepage.core.models import AccessEvent
from samepage.plans import pdf
from samepage.plans.actions import editing, lifecycle
from samepage.plans.actions.documents import do_store_pdf, pdf_from_html
from samepage.plans.models import PlanVersion, StoredDocument
from samepage.plans.permissions import plan_access
from samepage.profiles.tests.helpers import write
from samepage.teams import actions as team_actions
from samepage.teams.permissions import student_access

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _in_effect(world: Any, capture: Any) -> PlanVersion:
    """A plan finalized and signed into effect, with the after-commit work (the PDF
    tasks, run at once by the immediate backend) carried out."""
    with capture(execute=True):
        version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    return version


def _plan_url(version: PlanVersion) -> str:
    return f"/plans/{version.plan_id}/versions/{version.number}/pdf/"


def _glance_url(version: PlanVersion) -> str:
    return f"/plans/{version.plan_id}/glance/pdf/"


def _stored(version: PlanVersion, kind: str) -> list[StoredDocument]:
    return list(StoredDocument.objects.filter(version=version, kind=kind).order_by("language"))


def test_finalizing_stores_the_plan_and_the_glance_in_every_language(
    world, django_capture_on_commit_callbacks
):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    lifecycle.do_record_meeting(
        version, actor=world.case_manager, meeting_date=version.proposed_start
    )
    assert not StoredDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.check_finalize(version, actor=world.case_manager)
    for kind in ("plan", "glance"):
        stored = _stored(version, kind)
        assert [s.language for s in stored] == ["en", "es"]
        for document in stored:
            with default_storage.open(document.file.name) as handle:
                data = handle.read()
            assert data.startswith(b"%PDF")
            assert len(data) == document.size
    # Each language is its own document: Spanish labels, dates and the "finalized" line.
    english, spanish = _stored(version, "plan")
    assert english.sha256 != spanish.sha256

    # Signed into effect, the glance says so: that glance is stored too, the plan's
    # own PDF (which does not show the status) stays as it was.
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.do_sign(
            version,
            actor=world.parent,
            access=plan_access(world.parent, version.plan),
            decision="agree",
            typed_name=world.parent.full_name,
            consent_to_initial_services=True,
        )
    assert len(_stored(version, "glance")) == 4
    assert len(_stored(version, "plan")) == 2
    renders = paper.renders
    glance = _client(world.gen_ed_teacher).get(_glance_url(version))
    assert paper.renders == renders
    assert "In effect from" in _text(glance)


def test_the_first_reader_gets_the_stored_plan_without_any_rendering(
    world, django_capture_on_commit_callbacks
):
    version = _in_effect(world, django_capture_on_commit_callbacks)
    renders = paper.renders
    response = _client(world.parent).get(_plan_url(version))
    assert paper.renders == renders
    (english, _spanish) = _stored(version, "plan")
    with default_storage.open(english.file.name) as handle:
        assert response.content == handle.read()
    assert response["Content-Disposition"] == 'inline; filename="casey-lane-iep-v1.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "From SamePage. This version was finalized on" in _text(response)
    assert AccessEvent.objects.filter(user=world.parent, part="plans", via="export").count() == 1


def test_a_version_not_stored_yet_is_rendered_once_then_read_back(world):
    # Made without running the after-commit tasks: as if the worker had not got to it.
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    assert not StoredDocument.objects.exists()
    client = _client(world.parent)
    renders = paper.renders
    first = client.get(_plan_url(version))
    assert paper.renders == renders + 1
    second = client.get(_plan_url(version))
    assert paper.renders == renders + 1
    assert second.content == first.content
    assert StoredDocument.objects.filter(version=version, kind="plan").count() == 1
    # The permission check and the record of access happen on every request, stored or not.
    assert AccessEvent.objects.filter(user=world.parent, part="plans", via="export").count() == 2


def test_each_language_reads_its_own_file(world, django_capture_on_commit_callbacks):
    version = _in_effect(world, django_capture_on_commit_callbacks)
    english = _client(world.parent).get(_plan_url(version))
    User.objects.filter(pk=world.parent.pk).update(language="es")
    renders = paper.renders
    spanish = _client(world.parent).get(_plan_url(version))
    assert paper.renders == renders
    assert english.content != spanish.content
    assert "Esta versión se finalizó el" in _text(spanish)
    assert "This version was finalized on" in _text(english)


def test_a_guardian_and_the_case_manager_share_the_one_plan_document(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    renders = paper.renders
    from_parent = _client(world.parent).get(_plan_url(version))
    from_case_manager = _client(world.case_manager).get(_plan_url(version))
    assert from_parent.content == from_case_manager.content
    assert paper.renders == renders + 1
    assert StoredDocument.objects.filter(kind="plan").count() == 1


def test_the_glance_is_shared_only_by_readers_who_see_the_same_profile(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    write(world.parent, world.child, "calming", "A quiet corner and his headphones.")
    today = timezone.localdate()
    team_actions.check_grant_consent(
        actor=world.parent,
        student=world.child,
        access=student_access(world.parent, world.child),
        grantee_email=world.advocate.email,
        scopes=["plans"],  # the plan, not the child's profile
        purpose="Help at the annual meeting",
        starts_on=today,
        expires_on=today + timedelta(days=90),
        signature_name="Alice Lane",
        consent_confirmed=True,
    )
    renders = paper.renders
    teacher = _client(world.gen_ed_teacher).get(_glance_url(version))
    parent = _client(world.parent).get(_glance_url(version))
    advocate = _client(world.advocate).get(_glance_url(version))
    # The teacher and the parent see the same profile entries: one document, one render.
    assert teacher.content == parent.content
    assert "A quiet corner and his headphones." in _text(teacher)
    # The advocate may not see the profile: a document of their own, without it.
    assert advocate.content != teacher.content
    assert "A quiet corner and his headphones." not in _text(advocate)
    assert paper.renders == renders + 2
    assert StoredDocument.objects.filter(kind="glance").count() == 2


def test_a_glance_changes_when_the_profile_does_and_the_old_file_is_not_served(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    client = _client(world.gen_ed_teacher)
    before = _text(client.get(_glance_url(version)))
    write(world.parent, world.child, "triggers", "Fire drills without warning.")
    after = _text(client.get(_glance_url(version)))
    assert "Fire drills without warning." not in before
    assert "Fire drills without warning." in after


def test_a_readers_time_zone_in_the_profile_dates_makes_a_document_of_its_own(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    entry = write(world.parent, world.child, "calming", "Counting to ten.")
    # Written at 23:30 in the district: already the next day in Tokyo.
    late = timezone.make_aware(datetime(2026, 3, 3, 23, 30), timezone.get_default_timezone())
    type(entry).objects.filter(pk=entry.pk).update(created_at=late)
    chicago = _text(_client(world.gen_ed_teacher).get(_glance_url(version)))
    User.objects.filter(pk=world.case_manager.pk).update(time_zone="Asia/Tokyo")
    tokyo = _text(_client(world.case_manager).get(_glance_url(version)))
    assert "March 3, 2026" in chicago
    assert "March 4, 2026" in tokyo
    assert StoredDocument.objects.filter(kind="glance").count() == 2


def test_a_draft_is_never_stored_and_its_pdf_follows_each_edit(world):
    plan = f.make_plan(world.child, world.case_manager)
    version = f.fill_plan(plan)
    client = _client(world.case_manager)
    url = f"/plans/{plan.pk}/versions/1/pdf/"
    before = _text(client.get(url))
    editing.do_add_accommodation(
        version,
        actor=world.case_manager,
        description="A seat near the door",
        kind="accommodation",
        applies_to="classroom",
    )
    after = _text(client.get(url))
    assert "A seat near the door" not in before
    assert "A seat near the door" in after
    assert "DRAFT: NOT FINAL" in after.upper()
    assert not StoredDocument.objects.exists()
    with pytest.raises(ValueError):
        do_store_pdf(version, kind="plan", language="en", source="x" * 64, pdf=b"%PDF")


class RecordingStorage(FileSystemStorage):
    """The file-system storage, noting every file it opens."""

    opened: ClassVar[list[str]] = []

    def open(self, name: str, mode: str = "rb") -> Any:
        RecordingStorage.opened.append(name)
        return super().open(name, mode)


def test_no_stored_file_is_opened_for_someone_the_permission_check_turns_away(
    world, settings, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.RecordingStorage"},
    }
    version = _in_effect(world, django_capture_on_commit_callbacks)
    RecordingStorage.opened.clear()
    renders = paper.renders
    # Not on the team: 404. A general-education teacher may not read the whole plan: 403.
    assert _client(world.other_parent).get(_plan_url(version)).status_code == 404
    assert _client(world.other_parent).get(_glance_url(version)).status_code == 404
    assert _client(world.restricted_parent).get(_plan_url(version)).status_code == 404
    assert _client(world.gen_ed_teacher).get(_plan_url(version)).status_code == 403
    assert RecordingStorage.opened == []
    assert paper.renders == renders
    assert not AccessEvent.objects.filter(user=world.other_parent).exists()
    # The same storage does serve a reader who may see the plan.
    assert _client(world.parent).get(_plan_url(version)).status_code == 200
    assert RecordingStorage.opened == [_stored(version, "plan")[0].file.name]


def test_a_damaged_stored_file_is_rendered_again_never_served(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    client = _client(world.parent)
    good = client.get(_plan_url(version)).content
    stored = StoredDocument.objects.get(kind="plan")
    Path(default_storage.path(stored.file.name)).write_bytes(b"%PDF-1.7 not what was stored")
    renders = paper.renders
    again = client.get(_plan_url(version))
    assert again.content == good
    assert paper.renders == renders + 1
    # The row now points at a sound file, and the next reader is served from storage.
    assert client.get(_plan_url(version)).content == good
    assert paper.renders == renders + 1
    assert StoredDocument.objects.filter(kind="plan").count() == 1


def test_a_lost_stored_file_is_rendered_again_and_stored_anew(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    client = _client(world.parent)
    good = client.get(_plan_url(version)).content
    stored = StoredDocument.objects.get(kind="plan")
    default_storage.delete(stored.file.name)
    renders = paper.renders
    assert client.get(_plan_url(version)).content == good
    assert client.get(_plan_url(version)).content == good
    assert paper.renders == renders + 1
    stored.refresh_from_db()
    assert default_storage.exists(stored.file.name)


def test_a_document_stored_twice_keeps_one_row_and_one_file(world):
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    version = PlanVersion.objects.select_related("plan__student__district").get(pk=version.pk)
    with translation.override("en"):
        html = pdf.plan_html(version)
    document = paper.html_to_pdf(html)
    source = paper.fingerprint(html)
    # The second call is the reader who lost the race: storage gave its file another name.
    first = do_store_pdf(version, kind="plan", language="en", source=source, pdf=document)
    second = do_store_pdf(version, kind="plan", language="en", source=source, pdf=document)
    assert second.pk == first.pk
    assert second.file.name == first.file.name
    folder = Path(default_storage.path(first.file.name)).parent
    assert [p.name for p in folder.iterdir()] == [Path(first.file.name).name]
    # Ids and hashes only in the name: no child's name in a path or a bucket listing.
    assert "casey" not in first.file.name.lower()


@pytest.mark.django_db(transaction=True)
def test_two_first_readers_at_once_both_get_the_pdf_and_it_is_stored_once(world, monkeypatch):
    # Outside a test transaction the after-commit tasks would store it first: not here.
    monkeypatch.setattr(lifecycle, "AFTER_FINAL", [])
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    version = PlanVersion.objects.select_related("plan__student__district").get(pk=version.pk)
    with translation.override("en"):
        html = pdf.plan_html(version)
    start = threading.Barrier(2)
    results: list[bytes] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            start.wait(timeout=30)
            with translation.override("en"):
                results.append(pdf_from_html(version, kind="plan", html=html))
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    stored = StoredDocument.objects.get(version=version, kind="plan", language="en")
    folder = Path(default_storage.path(stored.file.name)).parent
    assert [p.name for p in folder.iterdir()] == [Path(stored.file.name).name]


# --- an S3-compatible store, for real -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's standalone S3-compatible server on a free loopback port, for this module."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _storage_settings(**variables: str) -> dict[str, Any]:
    """STORAGES["default"] as samepage/settings.py makes it from these variables."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SAMEPAGE_S3_")}
    environment.update(variables)
    code = "import json, samepage.settings as s; print(json.dumps(s.STORAGES['default']))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_s3_storage_needs_a_bucket():
    environment = {**os.environ, "SAMEPAGE_STORAGE": "s3"}
    environment.pop("SAMEPAGE_S3_BUCKET", None)
    done = subprocess.run(
        [sys.executable, "-c", "import samepage.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode != 0
    assert "SAMEPAGE_S3_BUCKET must be set" in done.stderr


def test_final_pdfs_go_to_an_s3_compatible_store_and_come_back(
    world, settings, s3_server, django_capture_on_commit_callbacks
):
    import boto3

    bucket = f"samepage-test-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    s3.create_bucket(Bucket=bucket)
    storage = _storage_settings(
        SAMEPAGE_STORAGE="s3",
        SAMEPAGE_S3_BUCKET=bucket,
        SAMEPAGE_S3_ENDPOINT_URL=s3_server,
        SAMEPAGE_S3_REGION="us-east-1",
        SAMEPAGE_S3_ACCESS_KEY_ID="testing",
        SAMEPAGE_S3_SECRET_ACCESS_KEY="testing",
        SAMEPAGE_S3_PREFIX="samepage/",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["querystring_auth"] is True
    settings.STORAGES = {**settings.STORAGES, "default": storage}

    version = _in_effect(world, django_capture_on_commit_callbacks)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    assert len(keys) == 4  # the plan and the glance, in English and Spanish
    assert all(key.startswith(f"samepage/plans/pdf/{version.pk}/") for key in keys)

    renders = paper.renders
    response = _client(world.parent).get(_plan_url(version))
    assert paper.renders == renders
    stored = StoredDocument.objects.get(version=version, kind="plan", language="en")
    from_bucket = s3.get_object(Bucket=bucket, Key=f"samepage/{stored.file.name}")["Body"].read()
    assert response.content == from_bucket
    assert "Casey Lane" in _text(response)


def test_fonts_are_subset_by_harfbuzz_not_the_slow_fallback():
    # Without libharfbuzz-subset0 (scripts/ensure-system-packages.sh) WeasyPrint falls
    # back to fontTools, which took most of a draft PDF's time.
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def test_each_thread_keeps_one_font_configuration():
    paper.html_to_pdf("<p>One</p>")
    first = paper._font_config()
    paper.html_to_pdf("<p>Two</p>")
    assert paper._font_config() is first
    elsewhere: list[Any] = []
    thread = threading.Thread(target=lambda: elsewhere.append(paper._font_config()))
    thread.start()
    thread.join()
    assert elsewhere[0] is not first
