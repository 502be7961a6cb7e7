from django.apps import AppConfig


class CasetrackingConfig(AppConfig):
    name = "careassure.casetracking"
    label = "casetracking"
    verbose_name = "Case tracking"

    def ready(self) -> None:
        from careassure.accounts.presenters import DASHBOARD_CARD_PROVIDERS
        from careassure.casetracking.presenters import case_tracking_dashboard_card

        if case_tracking_dashboard_card not in DASHBOARD_CARD_PROVIDERS:
            DASHBOARD_CARD_PROVIDERS.append(case_tracking_dashboard_card)
