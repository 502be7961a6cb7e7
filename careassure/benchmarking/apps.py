from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "careassure.benchmarking"
    label = "benchmarking"
    verbose_name = "National benchmarking"
