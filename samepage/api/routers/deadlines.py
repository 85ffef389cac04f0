"""A child's deadlines, read from the stored rows (never recomputed on a read).

Thin, like the page in samepage/deadlines/views.py: ``deadlines.permissions`` decides
(student missing or not visible → 404; plans not shared → 403), the presenters put each
row in the reader's words. Every read leaves one AccessEvent with part "plans".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Query, Router

from samepage.api.auth import api_user
from samepage.api.pagination import Keyset, PageIn, body, page_of
from samepage.api.schemas import ErrorOut, RecordId, ValidationErrorOut
from samepage.api.schemas_deadlines import DeadlineOut
from samepage.core.access_log import record_access
from samepage.core.dates import district_today
from samepage.core.models import AccessEvent
from samepage.deadlines import presenters, selectors
from samepage.deadlines.models import DeadlineStatus
from samepage.deadlines.permissions import access_deadlines
from samepage.teams.permissions import Part

router = Router(tags=["deadlines"])

READ = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

# Soonest due first; a deadline whose start is not on record has no due date, and comes
# last (a far date stands in for it, so a cursor can step past it: NULL compares with
# nothing), the ties by id.
DEADLINES = Keyset(
    "deadlines",
    ("due_or_last", "pk"),
    computed={"due_or_last": Coalesce("due_date", Value(date.max))},
)
DeadlinePage = page_of(DeadlineOut)


def _deadline(line: presenters.DeadlineLine, today: date) -> dict[str, Any]:
    row = line.row
    is_open = row.status == DeadlineStatus.OPEN and row.due_date is not None
    return {
        "id": row.pk,
        "student_id": row.student_id,
        "rule_key": row.rule_key,
        "title": str(line.title),
        "about": row.about,
        "citation": row.citation,
        "start_event": row.start_event,
        "start_event_label": str(line.event),
        "start_date": row.start_date,
        "due_date": row.due_date,
        "met_on": row.met_on,
        "status": row.status,
        "days_left": (row.due_date - today).days if is_open and row.due_date else None,
        "overdue": line.overdue,
        "when": line.when,
    }


@router.get(
    "/students/{student_id}/deadlines",
    response={200: DeadlinePage, **READ},
    summary="A child's deadlines: soonest due first, those whose start is unknown last",
)
def list_deadlines(
    request: HttpRequest, student_id: RecordId, page: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    access = access_deadlines(user, student_id)
    DEADLINES.check(page)
    record_access(user=user, access=access.record, part=Part.PLANS, via=AccessEvent.Via.API)
    student = access.student
    found = DEADLINES.page(selectors.deadlines_for(student), page, few=True)
    today = district_today(student.district)
    # One line per row, in the page's order (the presenters sort; the keyset has).
    by_id = {line.row.pk: line for line in presenters.lines(found.items, today)}
    return body(found, [_deadline(by_id[row.pk], today) for row in found.items])
