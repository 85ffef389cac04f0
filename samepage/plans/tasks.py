"""Background work for plans: thin, takes ids, safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from samepage.core.dates import zone_of
from samepage.plans import pdf
from samepage.plans.actions.documents import pdf_from_html
from samepage.plans.models import PlanVersion, StoredDocument


@task()
def store_final_pdf(version_id: int, kind: str, language: str) -> bool:
    """Lay out and store one PDF of a final version before anyone asks for it: the whole
    plan, or the glance as readers who see the profile get it, in the district's time
    zone (the zone its people see dates in unless they chose another).

    Enqueued when a version is finalized and when it takes effect (the glance says so).
    Safe to run twice: a document already stored is found by its key and read back, not
    laid out again. False when the version is gone or still a draft.
    """
    version = (
        PlanVersion.objects.select_related("plan__student__district")
        .exclude(status=PlanVersion.Status.DRAFT)
        .filter(pk=version_id)
        .first()
    )
    if version is None or language not in dict(settings.LANGUAGES):
        return False
    student = version.plan.student
    with translation.override(language), timezone.override(zone_of(student.district)):
        if kind == StoredDocument.Kind.PLAN:
            html = pdf.plan_html(version)
        elif kind == StoredDocument.Kind.GLANCE:
            html = pdf.glance_html(version, pdf.glance_profile_as_the_team_sees_it(student))
        else:
            return False
        pdf_from_html(version, kind=kind, html=html)
    return True


def enqueue_final_pdfs(version_id: int, kinds: tuple[str, ...]) -> None:
    """Store each of ``kinds`` of a final version's PDFs in every language SamePage
    speaks (the district's people may choose any). Run after the commit (lifecycle's
    ``AFTER_FINAL``)."""
    for kind in kinds:
        for language, _name in settings.LANGUAGES:
            store_final_pdf.enqueue(version_id, kind, language)
