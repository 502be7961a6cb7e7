"""Dashboard cards: each domain app contributes a card for the signed-in member's council."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from careassure.accounts.models import Membership, Organisation

DashboardCardProvider = Callable[[Organisation, Membership], dict[str, Any] | None]
DASHBOARD_CARD_PROVIDERS: list[DashboardCardProvider] = []


def dashboard_cards(*, org: Organisation, membership: Membership) -> list[dict[str, Any]]:
    cards = []
    for provider in DASHBOARD_CARD_PROVIDERS:
        card = provider(org, membership)
        if card is not None:
            cards.append(card)
    return cards
