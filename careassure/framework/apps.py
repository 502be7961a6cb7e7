from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "careassure.framework"
    label = "framework"
    verbose_name = "CQC framework"
