from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "careassure.metrics"
    label = "metrics"
    verbose_name = "Metrics dashboard"

    def ready(self) -> None:
        from careassure.accounts.presenters import DASHBOARD_CARD_PROVIDERS
        from careassure.metrics.presenters import metrics_dashboard_card

        if metrics_dashboard_card not in DASHBOARD_CARD_PROVIDERS:
            DASHBOARD_CARD_PROVIDERS.append(metrics_dashboard_card)
