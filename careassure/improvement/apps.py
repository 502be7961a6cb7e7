from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "careassure.improvement"
    label = "improvement"
    verbose_name = "Improvement plan"

    def ready(self) -> None:
        from careassure.accounts.presenters import DASHBOARD_CARD_PROVIDERS
        from careassure.improvement.presenters import dashboard_card

        if dashboard_card not in DASHBOARD_CARD_PROVIDERS:
            DASHBOARD_CARD_PROVIDERS.append(dashboard_card)
