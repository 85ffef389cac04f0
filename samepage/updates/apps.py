from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "samepage.updates"
    label = "updates"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.teams.tabs import register_tab
        from samepage.updates.tabs import TIMELINE_TAB

        register_tab(TIMELINE_TAB)
