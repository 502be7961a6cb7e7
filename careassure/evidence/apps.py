from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "careassure.evidence"
    label = "evidence"
    verbose_name = "Evidence library and information return"

    def ready(self) -> None:
        from careassure.accounts.presenters import DASHBOARD_CARD_PROVIDERS
        from careassure.evidence.presenters import evidence_dashboard_card

        if evidence_dashboard_card not in DASHBOARD_CARD_PROVIDERS:
            DASHBOARD_CARD_PROVIDERS.append(evidence_dashboard_card)
