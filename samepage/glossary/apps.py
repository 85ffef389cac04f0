from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "samepage.glossary"
    label = "glossary"
