from __future__ import annotations

from django.db.models import QuerySet

from careassure.accounts.models import Membership, Organisation, User


def membership_current(*, user: User, organisation_id: int | None) -> Membership | None:
    """The membership for the organisation chosen in the session, else the user's first."""
    memberships = Membership.objects.select_related("organisation").filter(user=user)
    if organisation_id is not None:
        chosen = memberships.filter(organisation_id=organisation_id).first()
        if chosen is not None:
            return chosen
    return memberships.order_by("organisation__name").first()


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("organisation")
        .filter(user=user)
        .order_by("organisation__name")
    )


def membership_list(*, org: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("user")
        .filter(organisation=org)
        .order_by("role", "user__last_name")
    )


def organisation_get_by_ons_code(*, ons_code: str) -> Organisation | None:
    return Organisation.objects.filter(ons_code=ons_code).first()
