from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "samepage.updates"
    label = "updates"
