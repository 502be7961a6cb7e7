"""Demo figures: the synthetic county's extracts and CLD, stored for the demo council (Kent),
and an illustrative sample of England and South East ASCOF figures to compare them with.

The dashboard labels them "Synthetic data" and the comparison "Illustrative sample, not
published figures". Generation is skipped when the files for the same
size and seed are already in place, and a load is skipped when the latest run used exactly the
same files, so re-running is safe and quick."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from careassure.accounts.models import Organisation
from careassure.common.demo import SYSTEM_ACTOR, DemoContext
from careassure.config.env import BASE_DIR
from careassure.core.cld.synthetic import generate_cld
from careassure.core.kpis import EXTRACTS
from careassure.core.kpis.synthetic import generate_operational
from careassure.metrics import selectors
from careassure.metrics.models import MetricsRun, PublishedAscofFigure, PublishedAscofImport
from careassure.metrics.services import (
    file_sha256,
    metrics_refresh,
    published_ascof_import_file,
)

DEMO_PEOPLE = 10_000
DEMO_SEED = 2026
DEMO_AS_AT = date(2026, 3, 31)
PARAMS_FILE = "demo-parameters.json"
ILLUSTRATIVE_PUBLISHED = (
    Path(__file__).resolve().parent / "data" / "published-ascof-illustrative-sample.csv"
)


def demo_extracts_dir() -> Path:
    return BASE_DIR / "var" / "demo-extracts"


def generate_demo_files(
    out_dir: Path, *, people: int = DEMO_PEOPLE, seed: int = DEMO_SEED
) -> tuple[Path, list[Path]]:
    """Write (or reuse) the synthetic county's files; return the extracts folder and CLD files."""
    params: dict[str, object] = {"people": people, "seed": seed, "as_at": DEMO_AS_AT.isoformat()}
    marker = out_dir / PARAMS_FILE
    cld_dir = out_dir / "cld"
    extracts_dir = out_dir / "extracts"
    stored = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else {}
    cld_files = [cld_dir / name for name in stored.get("cld_files", [])]
    same = {k: stored.get(k) for k in params} == params
    have_files = all(p.exists() for p in cld_files) and all(
        (extracts_dir / spec.file_name).exists() for spec in EXTRACTS
    )
    if not (same and cld_files and have_files):
        cld_files = generate_cld(people, seed, cld_dir)
        generate_operational(people=people, seed=seed, out_dir=extracts_dir, end=DEMO_AS_AT)
        marker.write_text(
            json.dumps({**params, "cld_files": sorted(p.name for p in cld_files)}),
            encoding="utf-8",
        )
    return extracts_dir, sorted(cld_files)


def demo_figures_load(
    *, org: Organisation, out_dir: Path, people: int = DEMO_PEOPLE, seed: int = DEMO_SEED
) -> MetricsRun:
    """Store the synthetic county's figures for ``org`` (reusing files and the latest run when
    nothing has changed) and return the run."""
    extracts_dir, cld_files = generate_demo_files(out_dir, people=people, seed=seed)
    hashes = {file_sha256(p) for p in [*(extracts_dir / s.file_name for s in EXTRACTS), *cld_files]}
    existing = selectors.run_matching(org=org, sha256s=hashes, as_at=DEMO_AS_AT)
    if existing is not None:
        return existing
    return metrics_refresh(
        org=org,
        extracts_dir=extracts_dir,
        cld_files=cld_files,
        as_at=DEMO_AS_AT,
        system_actor=SYSTEM_ACTOR,
        synthetic=True,
        source_label=(
            f"Synthetic county ({people:,} people, seed {seed}), "
            "standing in for this council's own extracts"
        ),
    )


def demo_published_load() -> None:
    """Import the illustrative England and South East ASCOF sample, labelled as such, unless
    it is already in or real published figures have been imported."""
    if PublishedAscofFigure.objects.filter(is_illustrative=False).exists():
        return
    if PublishedAscofImport.objects.filter(
        sha256=file_sha256(ILLUSTRATIVE_PUBLISHED), is_illustrative=True
    ).exists():
        return
    published_ascof_import_file(
        path=ILLUSTRATIVE_PUBLISHED, system_actor=SYSTEM_ACTOR, illustrative=True
    )


def seed_demo(context: DemoContext) -> None:
    demo_figures_load(org=context.organisation, out_dir=demo_extracts_dir())
    demo_published_load()
