from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each person's home and the pages that gather from several apps (the student
    list and overview, the people page, the menu, the demo district): the top layer."""

    name = "samepage.home"
    label = "home"

    def ready(self) -> None:
        # The record's nav lives in teams, below the apps it links to (teams/tabs.py).
        from samepage.home.tabs import PROBLEMS_TAB, TIMELINE_TAB
        from samepage.teams.tabs import register_tab

        register_tab(TIMELINE_TAB)
        register_tab(PROBLEMS_TAB)
