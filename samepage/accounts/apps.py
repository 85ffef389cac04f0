from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "samepage.accounts"
    label = "accounts"
