"""Schemathesis reads the public OpenAPI document and fuzzes every operation in-process.

As two people from the factories (Carol the case manager, who may change most things,
and Alice the parent, who may read and change less), with a fixed seed and a bounded
number of examples per operation so the run is the same every time and stays short.
Any 5xx, any status the document does not declare for the operation, and any body that
does not match the schema it declares fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samepage import factories as f
from samepage.api.tests.helpers import API, make_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 5
SEED = 20261202


@pytest.fixture(autouse=True)
def _keep_the_test_database_open(db: None) -> Iterator[None]:
    # Requests go through Django's real WSGI handler, which closes the database
    # connection after each one; the test's transaction must outlive them (Django's
    # test Client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# The document is public: read through the WSGI app exactly as a client generator would,
# unsigned (it needs no database). Loaded when the module is collected.
schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())


@pytest.fixture
def people(world: Any) -> dict[str, str]:
    """A fresh API token for each of the two people the fuzzer acts as."""
    return {who: make_token(getattr(world, who))[0] for who in ("case_manager", "parent")}


@pytest.fixture
def real_ids(world: Any) -> dict[str, int]:
    """Ids of records that exist, so half the cases reach a real lookup and a 200 body."""
    version = f.make_plan_in_effect(world.child, signer=world.parent, actor=world.case_manager)
    return {"student_id": world.child.pk, "plan_id": version.plan_id, "number": version.number}


def test_every_operation_answers_as_documented(
    people: dict[str, str], real_ids: dict[str, int]
) -> None:
    cases: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        # A part of the document schemathesis cannot read is a failure, not a skip.
        assert isinstance(result, Ok), result.err()
        operations.append(result.ok())
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        fixed = {name: value for name, value in real_ids.items() if name in names}
        strategies = [operation.as_strategy()]
        if fixed:
            strategies.append(operation.as_strategy(path_parameters=fixed))
        for strategy in strategies:

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @seed(SEED)
            def answers_as_documented(case: Any) -> None:
                for who, raw in people.items():
                    response = case.call_and_validate(
                        headers={"Authorization": f"Bearer {raw}"}, checks=CHECKS
                    )
                    cases.append(
                        f"{who} {case.method} {case.formatted_path} {response.status_code}"
                    )

            answers_as_documented()
    statuses = sorted({line.rsplit(" ", 1)[1] for line in cases})
    print(f"schemathesis: {len(operations)} operations, {len(cases)} cases, statuses {statuses}")
    assert len(operations) >= 40
    assert "200" in statuses  # real records were reached, not only 404s
