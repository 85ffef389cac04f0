from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "samepage.conversations"
    label = "conversations"

    def ready(self) -> None:
        # The record's nav lives in teams, below this app (see teams/tabs.py).
        from samepage.conversations.tabs import CONVERSATIONS_TAB
        from samepage.teams.tabs import register_tab

        register_tab(CONVERSATIONS_TAB)
