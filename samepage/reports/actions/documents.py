"""An issued report's PDF, laid out once per document and read back after that.

Laying a report out takes about a second (a chart per goal); an issued report never
changes, and whatever a reader's copy depends on (their language, what they may see, the
comments so far) is in its HTML, whose fingerprint names the stored file. A draft is
laid out on each request: it changes while the team writes it.
"""

from __future__ import annotations

from django.utils import translation

from samepage.core import pdf as paper
from samepage.core.stored_pdfs import find_stored, store_pdf
from samepage.reports.models import ProgressReport, StoredReportPdf


def report_pdf_from_html(report: ProgressReport, html: str) -> bytes:
    """The PDF of ``html``: read from storage when this very document of an issued report
    was stored before; otherwise laid out now and, once the report is issued, stored."""
    if not report.is_issued:
        return paper.html_to_pdf(html)
    language = translation.get_language() or "en"
    source = paper.fingerprint(html)
    key = {"report": report, "language": language, "source_sha256": source}
    data = find_stored(StoredReportPdf, key)
    if data is not None:
        return data
    pdf = paper.html_to_pdf(html)
    name = f"reports/pdf/{int(report.pk)}/{language}-{source}.pdf"
    store_pdf(StoredReportPdf, key, name=name, pdf=pdf)
    return pdf
