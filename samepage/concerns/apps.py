from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "samepage.concerns"
    label = "concerns"
