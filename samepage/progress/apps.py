from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "samepage.progress"
    label = "progress"
