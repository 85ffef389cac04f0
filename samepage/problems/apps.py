from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "samepage.problems"
    label = "problems"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.problems.tabs import PROBLEMS_TAB
        from samepage.teams.tabs import register_tab

        register_tab(PROBLEMS_TAB)
