from django.apps import AppConfig


class ChargingConfig(AppConfig):
    name = "careassure.charging"
    label = "charging"
    verbose_name = "Care cost calculator"
