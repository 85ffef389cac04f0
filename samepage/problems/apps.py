from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "samepage.problems"
    label = "problems"
