"""Writes for organisations and memberships. Each checks permission (or takes a system actor)
and records an audit event in the same transaction."""

from __future__ import annotations

from django.db import transaction

from careassure.accounts.models import Membership, Organisation, User
from careassure.accounts.roles import Role
from careassure.common.audit import AuditEventType, audit_record, snapshot

ORG_FIELDS = ["name", "ons_code", "region", "org_type"]


@transaction.atomic
def organisation_create_or_update(
    *, name: str, ons_code: str, region: str, org_type: str, system_actor: str
) -> Organisation:
    """Create the council, or bring an existing one (matched on ONS code) up to date."""
    org = Organisation.objects.filter(ons_code=ons_code).first()
    if org is None:
        org = Organisation(name=name, ons_code=ons_code, region=region, org_type=org_type)
        org.full_clean()
        org.save()
        audit_record(
            event=AuditEventType.ORGANISATION_CREATED,
            system_actor=system_actor,
            organisation=org,
            obj=org,
            after=snapshot(org, ORG_FIELDS),
        )
        return org
    before = snapshot(org, ORG_FIELDS)
    org.name, org.region, org.org_type = name, region, org_type
    after = snapshot(org, ORG_FIELDS)
    if before != after:
        org.full_clean()
        org.save(update_fields=["name", "region", "org_type"])
        audit_record(
            event=AuditEventType.ORGANISATION_UPDATED,
            system_actor=system_actor,
            organisation=org,
            obj=org,
            before=before,
            after=after,
        )
    return org


@transaction.atomic
def membership_set(
    *,
    user: User,
    organisation: Organisation,
    role: Role | str,
    system_actor: str = "",
    actor: User | None = None,
    can_reidentify: bool = False,
) -> Membership:
    """Give a user a role in an organisation (creating or changing the membership)."""
    if actor is not None:
        acting = Membership.objects.filter(user=actor, organisation=organisation).first()
        if acting is None or not acting.has_permission("org.manage"):
            from careassure.common.exceptions import PermissionDeniedError

            raise PermissionDeniedError("You do not have permission to manage members.")
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user, organisation=organisation, role=role, can_reidentify=can_reidentify
        )
        audit_record(
            event=AuditEventType.MEMBERSHIP_CREATED,
            actor=actor,
            system_actor=system_actor,
            organisation=organisation,
            obj=membership,
            after={"user": user.username, "role": str(role), "can_reidentify": can_reidentify},
        )
        return membership
    if membership.role != role or membership.can_reidentify != can_reidentify:
        before = {"role": membership.role, "can_reidentify": membership.can_reidentify}
        membership.role = role
        membership.can_reidentify = can_reidentify
        membership.save(update_fields=["role", "can_reidentify"])
        audit_record(
            event=AuditEventType.MEMBERSHIP_ROLE_CHANGED,
            actor=actor,
            system_actor=system_actor,
            organisation=organisation,
            obj=membership,
            before=before,
            after={"role": str(role), "can_reidentify": can_reidentify},
        )
    return membership
