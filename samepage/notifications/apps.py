from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "samepage.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Events published by the apps below become per-recipient notices.
        from samepage.core.events import subscribe
        from samepage.notifications.tasks import announce

        subscribe(announce)
