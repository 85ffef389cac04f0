from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "samepage.api"
    label = "api"
