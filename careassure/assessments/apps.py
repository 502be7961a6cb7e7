from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "careassure.assessments"
    label = "assessments"
    verbose_name = "Assessment workspace"

    def ready(self) -> None:
        from careassure.accounts.presenters import DASHBOARD_CARD_PROVIDERS
        from careassure.assessments.presenters import readiness_dashboard_card

        if readiness_dashboard_card not in DASHBOARD_CARD_PROVIDERS:
            DASHBOARD_CARD_PROVIDERS.append(readiness_dashboard_card)
