from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "samepage.teams"
    label = "teams"
