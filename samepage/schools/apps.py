from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "samepage.schools"
    label = "schools"
