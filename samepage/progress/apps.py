from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "samepage.progress"
    label = "progress"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.core.events import subscribe
        from samepage.plans.contributions import register_recordable
        from samepage.progress.attention import PROGRESS_ALERTS_ATTENTION
        from samepage.progress.measuring import measure_final_plan
        from samepage.progress.selectors import recordable_goals
        from samepage.progress.tabs import PROGRESS_TAB
        from samepage.teams.attention import register_attention
        from samepage.teams.tabs import register_tab

        register_tab(PROGRESS_TAB)
        # The homes sit above progress too (see teams/attention.py).
        register_attention(PROGRESS_ALERTS_ATTENTION)
        subscribe(measure_final_plan)
        # The plan at a glance links each goal set up for data to its entry form.
        register_recordable(recordable_goals)
