from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "samepage.plans"
    label = "plans"
