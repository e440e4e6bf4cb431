"""The Slurm profile (workflow/profiles/slurm/config.yaml) fits the workflow's rules.

No Slurm needed: a renamed, new or removed rule fails here, not on a researcher's cluster.
`make test-slurm` runs the profile on a real one-node Slurm.
"""

import csv
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from snakemake.profiles import ProfileConfigFileParser

from medvirk.studies import new_study
from tests.conftest import REPO

PROFILE = REPO / "workflow" / "profiles" / "slurm" / "config.yaml"
MEASURED = REPO / "benchmarks" / "slurm_resources.csv"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
RULE = re.compile(r"^\s*rule\s+(\w+)\s*:", re.MULTILINE)
# Margins over the measurements (benchmarks/slurm_resources.py), as the profile states them.
MEMORY_MARGIN = 1.5
RUNTIME_MARGIN = 5


def profile() -> dict[str, list[str] | str]:
    """The profile as Snakemake reads it: each key to its command-line value(s)."""
    with PROFILE.open(encoding="utf-8") as fh:
        return ProfileConfigFileParser().parse(fh)


def pairs(key: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in profile()[key])


def set_resources() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for item in profile()["set-resources"]:
        target, value = item.split("=", 1)
        rule, resource = target.split(":", 1)
        out.setdefault(rule, {})[resource] = value
    return out


def workflow_rules() -> set[str]:
    """Every rule the workflow can define, conditional ones (a new round's) included."""
    files = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    return {name for f in files for name in RULE.findall(f.read_text(encoding="utf-8"))}


def measured() -> dict[str, dict[str, str]]:
    with MEASURED.open(encoding="utf-8") as fh:
        return {row["rule"]: row for row in csv.DictReader(fh)}


def profile_args() -> list[str]:
    """The profile's groups and resources as command-line options (no Slurm plugin needed)."""
    args = ["--cores", str(profile()["cores"])]
    for key in ("default-resources", "set-resources", "groups", "group-components"):
        args += [f"--{key}", *profile()[key]]
    return args


def _copy_workflow(dst: Path) -> Path:
    for name in ("Snakefile", "workflow", "config"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dst / name)
    shutil.copytree(REPO / "data/raw/fhi2016", dst / "data/raw/fhi2016")
    return dst


def _dry_run(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, "--dry-run", *profile_args(), *args],
        cwd=work,
        capture_output=True,
        text=True,
    )


def _job_stats(output: str) -> set[str]:
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {line.split()[0] for line in table.splitlines()[3:] if line.strip()}


def test_rule_names_are_read_from_the_workflow():
    listed = subprocess.run(
        [SNAKEMAKE, "--list-rules"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert listed and set(listed) <= workflow_rules()
    # rules a new round defines and the embedded study does not
    assert {"ingest_forms", "read_codings", "privacy_scan"} <= workflow_rules()


def test_profile_names_only_rules_the_workflow_has():
    rules = workflow_rules()
    unknown_groups = set(pairs("groups")) - rules
    unknown_resources = set(set_resources()) - rules
    assert not unknown_groups, f"groups: for rules the workflow lacks: {sorted(unknown_groups)}"
    assert not unknown_resources, f"set-resources: for rules it lacks: {sorted(unknown_resources)}"


def test_every_rule_runs_in_a_group():
    """A step outside any group is a Slurm job of its own, with its own wait in the queue."""
    groups = pairs("groups")
    ungrouped = workflow_rules() - set(groups) - {"all"}
    assert not ungrouped, f"rules in no group of {PROFILE.name}: {sorted(ungrouped)}"
    assert set(groups.values()) == set(pairs("group-components"))


def test_resources_cover_the_measurements_with_the_stated_margins():
    resources = set_resources()
    rows = measured()
    assert rows.keys() <= workflow_rules(), "benchmarks/slurm_resources.csv names an old rule"
    for rule, row in rows.items():
        assert rule in resources, f"no set-resources for {rule}, measured in {MEASURED.name}"
        mem_mb, runtime_min = int(resources[rule]["mem_mb"]), int(resources[rule]["runtime"])
        assert mem_mb >= math.ceil(MEMORY_MARGIN * int(row["peak_rss_mb"])), rule
        assert runtime_min * 60 >= RUNTIME_MARGIN * int(row["runtime_s"]), rule


def test_profile_comment_states_the_margins():
    text = PROFILE.read_text(encoding="utf-8")
    assert (
        f"{MEMORY_MARGIN} times the peak" in text and f"{RUNTIME_MARGIN} times the runtime" in text
    )


@pytest.fixture(scope="module")
def embedded_dry_run(tmp_path_factory):
    return _dry_run(_copy_workflow(tmp_path_factory.mktemp("slurm_profile")))


def test_groups_of_the_embedded_study_build(embedded_dry_run):
    """Snakemake refuses a group that depends on itself through another group."""
    assert embedded_dry_run.returncode == 0, embedded_dry_run.stderr[-3000:]
    out = embedded_dry_run.stdout + embedded_dry_run.stderr
    groups = pairs("groups")
    expected = {groups[step] for step in _job_stats(out) if step in groups}
    assert set(re.findall(r"Group job (\w+)", out)) == expected


def test_every_step_of_the_embedded_study_was_measured(embedded_dry_run):
    out = embedded_dry_run.stdout + embedded_dry_run.stderr
    steps = _job_stats(out) - {"all"}
    assert steps, out[-2000:]
    missing = steps - set(measured())
    assert not missing, (
        f"not measured: {sorted(missing)}; run benchmarks/slurm_resources.py and update "
        f"set-resources in {PROFILE.relative_to(REPO)}"
    )


@pytest.mark.parametrize("with_codings", [False, True], ids=["forms only", "forms and codings"])
def test_groups_of_a_new_round_build(tmp_path, with_codings):
    work = _copy_workflow(tmp_path)
    study = new_study(work, "round2")
    (study / "forms" / "eksempel.docx").write_bytes(b"")  # the DAG needs names, not contents
    if with_codings:
        (study / "codings" / "koder1.xlsx").write_bytes(b"")
    done = _dry_run(work, "--config", "study=round2")
    assert done.returncode == 0, done.stderr[-3000:]
    steps = _job_stats(done.stdout + done.stderr)
    assert "ingest_forms" in steps and ("read_codings" in steps) == with_codings
