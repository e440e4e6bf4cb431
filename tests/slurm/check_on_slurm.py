"""`make test-slurm`: the embedded study on a real (one-node) Slurm, through the Slurm profile.

    .venv/bin/python -m tests.slurm.check_on_slurm

1. Starts a one-node Slurm from Debian's packages (tests/slurm/one_node_slurm.py), installing
   slurmctld, slurmd, slurm-client and munge with apt-get when they are missing and this runs
   as root; otherwise it prints why it skips and exits 0.
2. Runs the embedded study on a clean copy of the workflow with the README's command
   (`--workflow-profile workflow/profiles/slurm`, plus `--slurm-status-command squeue`
   because this cluster has no accounting, and SBATCH_PARTITION set to a partition that is
   not the default), under `timeout -s KILL`.
3. Checks Slurm's own records (its job completion log): every job Snakemake submitted
   completed, in that partition, and the grouping sent fewer Slurm jobs than there are steps.
4. Runs the study locally on another clean copy and checks that every file under results/
   except report.html is byte-identical to the Slurm run's.
5. Runs tests/slurm/failing/ (a step made to fail) on the same Slurm: the run exits non-zero,
   names the rule, its log and the log's message, and Slurm records the job as FAILED.
6. Stops the daemons it started, by their process ids (also when a step fails), and checks
   that no Slurm or munge daemon of its own is left.

Each step prints PASS or FAIL; the last line counts them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.slurm.one_node_slurm import (
    OTHER_PARTITION,
    PACKAGES,
    OneNodeSlurm,
    install_packages,
    missing_commands,
    running_daemons,
    why_not_runnable,
)

REPO = Path(__file__).resolve().parents[2]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
STUDY = "fhi2016"
# Hard limits, far above what the runs take here (about 3 to 6 minutes on 2 busy cores).
STUDY_LIMIT_S = 1200
FAILING_LIMIT_S = 600
# The plugin's first status check comes 40 s after a submission, which suits a real cluster.
# Here jobs start at once, so the test checks after 5 s (and the interval then grows by 10 s).
FAST_STATUS = ["--slurm-init-seconds-before-status-checks", "5"]
# The one command of README's "When one machine is not enough", for a cluster without
# accounting (like this one: sacct does not work, see README).
ON_SLURM = ["--workflow-profile", "workflow/profiles/slurm", "--slurm-status-command", "squeue"]
# Without the profile: every step a Slurm job of its own, one at a time.
STEP_BY_STEP = ["--executor", "slurm", "--jobs", "1", "--slurm-status-command", "squeue"]


def copy_workflow(dst: Path) -> Path:
    """A clean copy of what the workflow needs: Snakefile, workflow/, config/, the study's raw
    data. No data/processed/, results/ or .snakemake/ from earlier runs."""
    dst.mkdir(parents=True)
    shutil.copy(REPO / "Snakefile", dst / "Snakefile")
    junk = shutil.ignore_patterns("__pycache__", ".snakemake")
    for folder in ("workflow", "config"):
        shutil.copytree(REPO / folder, dst / folder, ignore=junk)
    shutil.copytree(REPO / "data" / "raw" / STUDY, dst / "data" / "raw" / STUDY, ignore=junk)
    return dst


def run_limited(
    cmd: list[str], cwd: Path, env: dict[str, str], limit_s: int, log: Path
) -> tuple[int, str]:
    """Run cmd under `timeout -s KILL` in its own session; its output goes to log. Whatever
    it started locally is killed when it returns (Snakemake ignores SIGTERM while it waits for
    jobs it can no longer track)."""
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            ["timeout", "-s", "KILL", str(limit_s), *cmd],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = proc.wait()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    return code, log.read_text(encoding="utf-8", errors="replace")


def digests(results: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(results)): p.read_bytes()
        for p in sorted(results.rglob("*"))
        if p.is_file() and p.name != "report.html"
    }


def submitted_slurm_jobs(output: str) -> list[str]:
    """Slurm job ids from the plugin's 'has been submitted with SLURM jobid N' lines."""
    return re.findall(r"has been submitted with SLURM jobid (\d+)", output)


def steps_done(output: str) -> int:
    """The number of Snakemake jobs of the run ('N of N steps (100%) done')."""
    found = re.findall(r"(\d+) of (\d+) steps \(100%\) done", output)
    return int(found[-1][1]) if found else 0


class Checks:
    def __init__(self) -> None:
        self.passed: list[str] = []
        self.failed: list[str] = []

    def check(self, name: str, ok: bool, detail: str) -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
        (self.passed if ok else self.failed).append(name)
        return ok


def check_study(slurm: OneNodeSlurm, work: Path, checks: Checks) -> None:
    slurm_copy = copy_workflow(work / "on_slurm")
    started = time.monotonic()
    code, output = run_limited(
        [SNAKEMAKE, *ON_SLURM, *FAST_STATUS],
        slurm_copy,
        # the partition as README sets it; the plugin would otherwise ask for the default one
        dict(slurm.env, SBATCH_PARTITION=OTHER_PARTITION),
        STUDY_LIMIT_S,
        work / "on_slurm.log",
    )
    seconds = time.monotonic() - started
    if not checks.check(
        "study on Slurm",
        code == 0,
        f"exit {code} after {seconds:.0f} s"
        + ("" if code == 0 else f" (killed at {STUDY_LIMIT_S} s)" if code == 137 else "")
        + f"; log: {work / 'on_slurm.log'}",
    ):
        print(output[-4000:])
        print(slurm.run(["squeue", "--states=all", "-o", "%i %T %r %k"], check=False).stdout)
        return

    submitted = submitted_slurm_jobs(output)
    records = slurm.completed_jobs()
    states = {
        job: records.get(job, {}).get("JobState", "not in Slurm's records") for job in submitted
    }
    partitions = {records.get(job, {}).get("Partition") for job in submitted}
    steps = steps_done(output)
    checks.check(
        "Slurm's records",
        bool(submitted)
        and all(state == "COMPLETED" for state in states.values())
        and partitions == {OTHER_PARTITION}
        and len(submitted) < steps - 1,
        f"{len(submitted)} Slurm jobs ran its {steps - 1} steps (rule all runs on the login "
        f"node), in partition {', '.join(sorted(map(str, partitions)))} "
        f"(SBATCH_PARTITION={OTHER_PARTITION}); "
        f"job completion log: {', '.join(f'{j} {s}' for j, s in states.items())}",
    )

    local_copy = copy_workflow(work / "local")
    started = time.monotonic()
    code, output = run_limited(
        [SNAKEMAKE, "--cores", "2"],
        local_copy,
        os.environ.copy(),
        STUDY_LIMIT_S,
        work / "local.log",
    )
    if not checks.check(
        "study run locally",
        code == 0,
        f"exit {code} after {time.monotonic() - started:.0f} s; log: {work / 'local.log'}",
    ):
        print(output[-4000:])
        return
    on_slurm = digests(slurm_copy / "results" / STUDY)
    local = digests(local_copy / "results" / STUDY)
    differ = sorted(k for k in on_slurm.keys() & local.keys() if on_slurm[k] != local[k])
    only = sorted(on_slurm.keys() ^ local.keys())
    checks.check(
        "byte-identical results",
        bool(local) and not differ and not only,
        f"{len(local)} files under results/{STUDY}/ compared"
        + (f"; differ: {differ}" if differ else "")
        + (f"; in one run only: {only}" if only else ""),
    )


def check_failing_job(slurm: OneNodeSlurm, work: Path, checks: Checks) -> None:
    failing = work / "failing"
    failing.mkdir()
    shutil.copy(REPO / "tests" / "slurm" / "failing" / "Snakefile", failing / "Snakefile")
    code, output = run_limited(
        [SNAKEMAKE, *STEP_BY_STEP, *FAST_STATUS, "--show-failed-logs"]
        + ["--default-resources", "mem_mb=200", "runtime=5"],
        failing,
        slurm.env,
        FAILING_LIMIT_S,
        work / "failing.log",
    )
    submitted = submitted_slurm_jobs(output)
    records = slurm.completed_jobs()
    states = [records.get(job, {}).get("JobState", "not in Slurm's records") for job in submitted]
    expected = [
        "Error in rule broken",
        "logs/broken.log",
        "broken: this step fails on purpose",
        ".snakemake/slurm_logs/group_steps",
    ]
    missing = [text for text in expected if text not in output]
    checks.check(
        "failing job reported",
        code not in (0, 137) and not missing and states == ["FAILED"],
        f"exit {code}; Slurm job states {states}"
        + (
            f"; output lacks {missing}"
            if missing
            else "; output names the rule, its log and the message"
        )
        + f"; log: {work / 'failing.log'}",
    )


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # so that `finally` stops the daemons


def main() -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    reason = why_not_runnable()
    work = Path(tempfile.mkdtemp(prefix="medvirk-test-slurm-"))
    if reason is None and missing_commands():
        print(f"Installing {' '.join(PACKAGES)} with apt-get ...", flush=True)
        reason = install_packages(work / "apt-get.log")
    if reason is not None:
        print(f"SKIPPED make test-slurm: {reason}")
        return 0

    before = {pid for pid, _ in running_daemons()}
    checks = Checks()
    started = time.monotonic()
    slurm = OneNodeSlurm()
    try:
        try:
            slurm.start()
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            checks.check("one-node Slurm", False, f"{type(exc).__name__}: {exc}")
        else:
            checks.check(
                "one-node Slurm",
                True,
                f"node {slurm.node} with {slurm.cpus} CPUs and {slurm.memory_mb} MB idle in "
                f"sinfo; config {slurm.conf}",
            )
            check_study(slurm, work, checks)
            check_failing_job(slurm, work, checks)
    except Exception as exc:  # report it, then clean up all the same
        checks.check("no unexpected error", False, f"{type(exc).__name__}: {exc}")
    finally:
        slurm.stop()
    left = [f"{pid} {cmd}" for pid, cmd in running_daemons() if pid not in before]
    left += [f"{pid} (runs with this test's SLURM_CONF)" for pid in slurm.leftover_pids()]
    checks.check(
        "daemons stopped",
        not left,
        f"still running: {left}" if left else "no Slurm or munge daemon of this test is running",
    )
    if checks.failed:
        print(f"Logs of the runs: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{time.monotonic() - started:.0f} s in all")
    print(f"test-slurm: {len(checks.passed)} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
