from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "samepage.profiles"
    label = "profiles"
