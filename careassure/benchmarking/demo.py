from __future__ import annotations

from careassure.benchmarking.services import SAMPLE_FILE, published_results_import_file
from careassure.common.demo import SYSTEM_ACTOR, DemoContext


def seed_demo(context: DemoContext) -> None:
    published_results_import_file(path=SAMPLE_FILE, system_actor=SYSTEM_ACTOR)
