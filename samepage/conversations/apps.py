from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "samepage.conversations"
    label = "conversations"
