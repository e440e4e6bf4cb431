import os
import shutil
from pathlib import Path

import pytest

from medvirk import studydata

REPO = Path(__file__).resolve().parents[1]
EMBEDDED = REPO / "data" / "raw" / "fhi2016"


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A writable copy of the embedded study's curated files."""
    dst = tmp_path / "fhi2016"
    shutil.copytree(EMBEDDED, dst)
    return dst


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The embedded study run once from clean results, as `make run` runs it, for every test
    that reads that run: (the project folder, digest of its data/raw/ before the run).

    Tests only read it (or add the report, which the run does not make); a test that changes
    the project or runs a variant of the study works on a copy (tests.workflow_runs.copy_of).
    """
    from tests.workflow_runs import digest, snakemake, workflow_copy

    work = workflow_copy(tmp_path_factory.mktemp("embedded") / "work", embedded=True)
    raw_before = digest(work / "data" / "raw")
    done = snakemake(work)
    assert done.returncode == 0, done.stderr[-3000:]
    return work, raw_before


@pytest.fixture(scope="session")
def embedded() -> dict:
    """The embedded study's tables, validated."""
    return studydata.load_study(EMBEDDED)


def need_tool(found: object, what: str) -> None:
    """Skip a test whose outside tool (a TeX engine, Chromium) is not installed, saying which.

    CI installs them (.ci/run sets MEDVIRK_REQUIRE_TOOLS=1), so there a missing tool fails the
    test instead of skipping it.
    """
    if found:
        return
    message = f"{what} is not installed"
    if os.environ.get("MEDVIRK_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message}, but CI must run this test (MEDVIRK_REQUIRE_TOOLS=1)")
    pytest.skip(message)


def hand_counts(study: Path = EMBEDDED) -> dict[str, int]:
    """Table 1's n per factor, recounted from the curated CSV files with the csv module alone.

    An independent derivation for the workflow tests (no medvirk code): for each factor, the
    distinct examples its merged raw factors belong to, plus one per merged raw factor with no
    example (README, «What n counts»).
    """
    import csv

    with (study / "raw_factors.csv").open(encoding="utf-8", newline="") as fh:
        example_of = {r["raw_factor_id"]: r["example_id"] for r in csv.DictReader(fh)}
    examples: dict[str, set[str]] = {}
    unattributed: dict[str, int] = {}
    with (study / "codebook" / "merge_map.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fid, example = row["factor_id"], example_of[row["raw_factor_id"]]
            if not fid:
                continue
            if example:
                examples.setdefault(fid, set()).add(example)
            else:
                unattributed[fid] = unattributed.get(fid, 0) + 1
    factors = set(examples) | set(unattributed)
    return {f: len(examples.get(f, ())) + unattributed.get(f, 0) for f in sorted(factors)}


def mapped_raw_factors(study: Path = EMBEDDED) -> int:
    """Raw factors the curated merge map puts in a Table 1 factor (csv module alone)."""
    import csv

    with (study / "codebook" / "merge_map.csv").open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.DictReader(fh) if row["factor_id"])
