from __future__ import annotations

from careassure.common.demo import SYSTEM_ACTOR, DemoContext
from careassure.framework.services import framework_versions_sync


def seed_demo(context: DemoContext) -> None:
    framework_versions_sync(system_actor=SYSTEM_ACTOR)
