"""The audit trail is append-only and tamper-evident."""

import itertools
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from samepage import factories as f
from samepage.core import audit_guard
from samepage.core.audit import verify_chain
from samepage.core.models import AuditEvent


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_every_action_extends_one_unbroken_chain():
    f.make_student()
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
    assert f"{len(events)} events verified" in _verify()


@pytest.mark.django_db
def test_database_refuses_update_of_audit_rows():
    f.make_district()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(action="tampered")


@pytest.mark.django_db
def test_database_refuses_delete_of_audit_rows():
    f.make_district()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_verify_audit_reports_the_first_row_changed_through_raw_sql():
    f.make_student()
    total = AuditEvent.objects.count()
    assert total >= 3
    # Someone with database access lifts the guard and edits history.
    audit_guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET target_id = %s WHERE seq = %s", ["999", 2])
    audit_guard.install(connection)
    checked, broken = verify_chain()
    assert broken is not None
    assert (checked, broken.seq) == (1, 2)
    with pytest.raises(CommandError, match="broken at event 2"):
        _verify()


@pytest.mark.django_db
def test_verify_audit_notices_a_deleted_row():
    f.make_student()
    audit_guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [2])
    audit_guard.install(connection)
    _, broken = verify_chain()
    assert broken is not None
    assert broken.seq == 2
    assert broken.reason == "missing event"


@pytest.mark.django_db
def test_verify_audit_notices_the_newest_rows_removed():
    f.make_student()
    last = AuditEvent.objects.order_by("-seq")[0]
    audit_guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [last.seq])
    audit_guard.install(connection)
    _, broken = verify_chain()
    assert broken is not None
    assert broken.seq == last.seq


@pytest.mark.django_db(transaction=True)
def test_chain_stays_valid_under_concurrent_writers():
    district = f.make_district()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(8):
                f.make_school(district, name=f"School {n}-{i}")
        except BaseException as e:  # reported by the main thread
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    checked, broken = verify_chain()
    assert broken is None
    assert checked == 1 + 4 * 8
