from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "careassure.common"
    label = "common"
    verbose_name = "Common"
