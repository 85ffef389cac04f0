from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "samepage.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py); the
        # events come from plans, concerns and reports, below it too.
        from samepage.core.events import subscribe, subscribe_district
        from samepage.deadlines import attention  # noqa: F401  (registers its home items)
        from samepage.deadlines.actions import refresh_on_district_change, refresh_on_event
        from samepage.deadlines.tabs import DEADLINES_TAB
        from samepage.teams.tabs import register_tab

        register_tab(DEADLINES_TAB)
        subscribe(refresh_on_event)
        subscribe_district(refresh_on_district_change)
