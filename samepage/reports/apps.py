from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "samepage.reports"
    label = "reports"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.reports.tabs import REPORTS_TAB
        from samepage.teams.tabs import register_tab

        register_tab(REPORTS_TAB)
