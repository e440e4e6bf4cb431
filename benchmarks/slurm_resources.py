"""Memory and runtime of each step of the embedded study as a Slurm job: the measurements
behind `set-resources` in workflow/profiles/slurm/config.yaml.

Not run by `make test`. Needs root and Debian's Slurm packages (`make test-slurm` installs
them). From the repository root, after `make install-slurm`:

    .venv/bin/python benchmarks/slurm_resources.py

Starts the one-node Slurm of `make test-slurm` (tests/slurm/one_node_slurm.py) and runs the
embedded study on a clean copy of the workflow with every step as a Slurm job of its own (no
groups, one job at a time, so no step shares the node with another of ours):

- peak memory: the highest sum of the resident memory (RSS) of all processes of the Slurm job
  (the job's Snakemake, srun, the step's Snakemake and the step's script), sampled every
  0.2 s: what Slurm's jobacct_gather/linux adds up for a job and what a cluster's memory
  limit holds the job to. A peak shorter than 0.2 s can be missed.
- runtime: from StartTime to EndTime in Slurm's job completion log (whole seconds), so it
  includes starting Snakemake inside the job.

Writes benchmarks/slurm_resources.csv (one row per rule: jobs, the largest peak and runtime
over its jobs) and prints the table for benchmarks/README.md with the machine it ran on.
"""

from __future__ import annotations

import csv
import os
import platform
import re
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.slurm.check_on_slurm import (  # noqa: E402
    FAST_STATUS,
    SNAKEMAKE,
    STEP_BY_STEP,
    copy_workflow,
    run_limited,
    submitted_slurm_jobs,
)
from tests.slurm.one_node_slurm import OneNodeSlurm, why_not_runnable  # noqa: E402

OUT = REPO / "benchmarks" / "slurm_resources.csv"
INTERVAL_S = 0.2
LIMIT_S = 3600


def job_memory_sampler(peaks: dict[str, int], stop: threading.Event) -> None:
    """Every INTERVAL_S, add up the RSS of the processes of each Slurm job (found by the
    SLURM_JOB_ID in their environment) and keep each job's highest sum in peaks (bytes)."""
    page = os.sysconf("SC_PAGE_SIZE")
    job_of: dict[tuple[int, bytes], str | None] = {}
    while not stop.is_set():
        totals: dict[str, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                # The command line changes when a forked process execs, and so may its job.
                key = (int(entry.name), Path(f"/proc/{entry.name}/cmdline").read_bytes())
                if key not in job_of:
                    environ = Path(f"/proc/{entry.name}/environ").read_bytes()
                    found = re.search(rb"(?:^|\0)SLURM_JOB_ID=(\d+)\0", environ)
                    job_of[key] = found.group(1).decode() if found else None
                job = job_of[key]
                if job is not None:
                    resident = int(Path(f"/proc/{entry.name}/statm").read_text().split()[1])
                    totals[job] = totals.get(job, 0) + resident * page
            except (OSError, ValueError, IndexError):
                continue  # the process ended while it was read
        for job, rss in totals.items():
            peaks[job] = max(peaks.get(job, 0), rss)
        stop.wait(INTERVAL_S)


def rules_of_jobs(output: str) -> dict[str, str]:
    """Slurm job id -> rule, from the plugin's log paths (.snakemake/slurm_logs/rule_<rule>/)."""
    return dict(
        re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*?/slurm_logs/rule_(\w+?)/", output)
    )


def seconds(record: dict[str, str]) -> int:
    start, end = (datetime.fromisoformat(record[k]) for k in ("StartTime", "EndTime"))
    return int((end - start).total_seconds())


def main() -> int:
    reason = why_not_runnable()
    if reason:
        print(f"Cannot measure on Slurm here: {reason}")
        return 1
    work = Path(tempfile.mkdtemp(prefix="medvirk-slurm-resources-"))
    peaks: dict[str, int] = {}
    stop = threading.Event()
    with OneNodeSlurm() as slurm:
        sampler = threading.Thread(target=job_memory_sampler, args=(peaks, stop), daemon=True)
        sampler.start()
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        code, output = run_limited(
            [SNAKEMAKE, *STEP_BY_STEP, *FAST_STATUS]
            + ["--default-resources", "mem_mb=8000", "runtime=120"],
            copy_workflow(work / "study"),
            slurm.env,
            LIMIT_S,
            work / "snakemake.log",
        )
        stop.set()
        sampler.join()
        records = slurm.completed_jobs()
        cpu = slurm.cpus
    if code != 0:
        print(output[-3000:])
        print(f"The run failed (exit {code}); log: {work / 'snakemake.log'}")
        return 1

    rules = rules_of_jobs(output)
    assert set(rules) == set(submitted_slurm_jobs(output)), "a submitted job without its rule"
    by_rule: dict[str, dict] = {}
    for job, rule in rules.items():
        row = by_rule.setdefault(rule, {"rule": rule, "jobs": 0, "peak_rss_mb": 0, "runtime_s": 0})
        row["jobs"] += 1
        row["peak_rss_mb"] = max(row["peak_rss_mb"], round(peaks.get(job, 0) / 2**20))
        row["runtime_s"] = max(row["runtime_s"], seconds(records[job]))
    rows = sorted(by_rule.values(), key=lambda r: r["rule"])
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["rule", "jobs", "peak_rss_mb", "runtime_s"])
        writer.writeheader()
        writer.writerows(rows)

    print(f"Wrote {OUT.relative_to(REPO)} ({len(rows)} rules, {len(rules)} Slurm jobs)")
    print(
        f"Machine: {platform.machine()}, {cpu} CPUs, Linux {platform.release()}, "
        f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}; "
        f"whole run {time.monotonic() - started:.0f} s; load average (1 min) "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    print("\n| rule | jobs | peak memory (MB) | runtime (s) |\n| --- | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['rule']} | {r['jobs']} | {r['peak_rss_mb']} | {r['runtime_s']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
