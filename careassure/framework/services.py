"""Load the framework versions shipped in the core data files into the database."""

from __future__ import annotations

import hashlib

from django.db import transaction

from careassure.common.audit import AuditEventType, audit_record
from careassure.core.framework import list_versions, load_framework
from careassure.framework.models import FrameworkVersion, QualityStatement, Theme


@transaction.atomic
def framework_versions_sync(*, system_actor: str) -> list[FrameworkVersion]:
    """Create or refresh every shipped version. Unchanged files are left alone."""
    synced = []
    for info in list_versions():
        framework = load_framework(info.id)
        sha = hashlib.sha256(framework.model_dump_json().encode()).hexdigest()
        version = FrameworkVersion.objects.filter(key=info.id).first()
        if version is not None and version.content_sha256 == sha:
            synced.append(version)
            continue
        if version is None:
            version = FrameworkVersion(key=info.id)
        version.title, version.status, version.content_sha256 = (
            framework.title,
            str(framework.status),
            sha,
        )
        version.save()
        version.quality_statements.all().delete()
        version.themes.all().delete()
        order = 0
        for theme_order, theme in enumerate(framework.themes, start=1):
            theme_row = Theme.objects.create(
                version=version,
                theme_id=theme.id,
                slug=theme.slug,
                title=theme.title,
                short_title=theme.aliases[0] if theme.aliases else theme.title,
                order=theme_order,
            )
            for statement in theme.quality_statements:
                order += 1
                QualityStatement.objects.create(
                    version=version,
                    theme=theme_row,
                    qs_id=statement.id,
                    slug=statement.slug,
                    title=statement.title,
                    we_statement=statement.we_statement.text,
                    order=order,
                )
        audit_record(
            event=AuditEventType.FRAMEWORK_VERSION_LOADED,
            system_actor=system_actor,
            obj=version,
            after={"key": version.key, "status": version.status, "sha256": sha},
        )
        synced.append(version)
    return synced
