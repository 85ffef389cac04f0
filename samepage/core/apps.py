from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samepage.core"
    label = "core"
