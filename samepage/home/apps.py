from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each person's home and the pages that gather from several apps (the student
    list and overview, the people page, the menu, the demo district): the top layer."""

    name = "samepage.home"
    label = "home"
