from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "samepage.minutes"
    label = "minutes"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.minutes.attention import DELIVERY_ALERTS_ATTENTION
        from samepage.minutes.tabs import SERVICES_TAB
        from samepage.teams.attention import register_attention
        from samepage.teams.tabs import register_tab

        register_tab(SERVICES_TAB)
        # The homes sit above minutes too (see teams/attention.py).
        register_attention(DELIVERY_ALERTS_ATTENTION)
