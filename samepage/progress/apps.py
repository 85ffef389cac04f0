from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "samepage.progress"
    label = "progress"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.core.events import subscribe
        from samepage.progress.measuring import measure_final_plan
        from samepage.progress.tabs import PROGRESS_TAB
        from samepage.teams.tabs import register_tab

        register_tab(PROGRESS_TAB)
        subscribe(measure_final_plan)
