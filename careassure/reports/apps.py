from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "careassure.reports"
    label = "reports"
    verbose_name = "Reports"
