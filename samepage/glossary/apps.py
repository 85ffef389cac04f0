from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class GlossaryConfig(AppConfig):
    name = "samepage.glossary"
    label = "glossary"

    def ready(self) -> None:
        from samepage.glossary import annotator

        # "First occurrence per page" for the jargon annotator: each request is a page.
        request_started.connect(annotator.start_page, dispatch_uid="glossary_start_page")
        request_finished.connect(annotator.end_page, dispatch_uid="glossary_end_page")
