"""Service navigation items: public pages for everyone, council pages for signed-in members.
Apps add their entries to NAVIGATION; the list is filtered by the request."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    signed_in_only: bool = False
    order: int = 100


NAVIGATION: list[NavItem] = [
    NavItem("Rating calculator", "benchmarking:calculator", order=10),
    NavItem("National picture", "benchmarking:national", order=20),
    NavItem("Care cost calculator", "charging:start", order=25),
    NavItem("Dashboard", "accounts:home", signed_in_only=True, order=1),
    NavItem("Assessment", "assessments:home", signed_in_only=True, order=30),
    NavItem("Evidence", "evidence:item-list", signed_in_only=True, order=32),
    NavItem("Case tracking", "casetracking:list-detail", signed_in_only=True, order=34),
    NavItem("Improvement plan", "improvement:plan-list", signed_in_only=True, order=40),
    NavItem("Metrics", "metrics:dashboard", signed_in_only=True, order=36),
]


def navigation_items(request: HttpRequest) -> list[dict[str, object]]:
    signed_in = request.user.is_authenticated and getattr(request, "organisation", None)
    items = []
    for item in sorted(NAVIGATION, key=lambda i: i.order):
        if item.signed_in_only and not signed_in:
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"text": item.text, "href": href, "active": active})
    return items
