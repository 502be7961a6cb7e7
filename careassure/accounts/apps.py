from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "careassure.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"
