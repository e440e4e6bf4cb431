"""The embedded study's full run and no-op rerun against Snakemake's own floor.

Times, in alternation and each in a fresh process:

- **trivial**: a two-rule Snakemake workflow (`all` and one shell step writing a file), from a
  clean folder: what starting Snakemake costs on this machine;
- **full**: the embedded study (`--config study=fhi2016`) from clean results — no
  `results/`, no `data/processed/` (so no embedding cache) and no `.snakemake/`;
- **no-op**: the same again at once, with nothing to do.

Each round runs the three in that order, so a busy moment on a shared machine weighs on all
three of a round alike; the ratios are taken per round (full / trivial, no-op / trivial) and
their median reported, with the min and median of each time. CPU is the user + system time of
the Snakemake process and everything it started.

With `--steps`, one more full run from clean results shows where its time goes: each Python
process the run starts (Snakemake, and each step's script) records when it started and ended
and its own CPU time, through a `sitecustomize` module put on `PYTHONPATH` for that run only
(the steps' outputs are the same; the recording is this benchmark's, not the workflow's). The
sum of the steps' CPU divided by the cores is a floor under the full run's wall time that no
scheduling can go below.

Not run by `make test` (times belong in benchmarks, not in tests). From the repository root,
after `make install`:

    .venv/bin/python benchmarks/workflow_overhead.py [--repeats 5] [--cores 2] [--steps]

The workflow is copied into a temporary folder, so the repository's own results are not
touched. Figures and the machine they were measured on: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
WORKFLOW_PARTS = ("Snakefile", "workflow", "config")

TRIVIAL = """\
rule all:
    input:
        "out/hello.txt",


rule hello:
    output:
        "out/hello.txt",
    shell:
        "echo hello > {output}"
"""


def machine() -> str:
    """CPU model, cores, memory, system and load: the line benchmarks/README.md quotes."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown memory"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} cores, {memory}; {platform.system()} {platform.release()};"
        f" Python {platform.python_version()}; load average {load}"
    )


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one command (CPU: it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def clean(folder: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(folder / name, ignore_errors=True)


def prepare(root: Path, study: str) -> tuple[Path, Path]:
    """A trivial workflow and a copy of this one (with the study's raw data) under `root`."""
    trivial = root / "trivial"
    trivial.mkdir()
    (trivial / "Snakefile").write_text(TRIVIAL, encoding="utf-8")
    work = root / "medvirk"
    work.mkdir()
    for part in WORKFLOW_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, work / part)
    shutil.copytree(REPO / "data" / "raw" / study, work / "data" / "raw" / study)
    return trivial, work


RECORDER = """\
import atexit, os, resource, sys, time

_start = time.time()


def _record():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"
    with open(os.environ["MEDVIRK_STEP_TIMES"], "a", encoding="utf-8") as fh:
        fh.write(f"{name}\\t{_start}\\t{time.time()}\\t{usage.ru_utime + usage.ru_stime}\\n")


atexit.register(_record)
"""


def step(script: str) -> str:
    """The step a process ran: Snakemake names a rule's script `tmpXXXXXXXX.<script>.py`."""
    parts = script.split(".")
    return parts[1] if len(parts) == 3 and parts[0].startswith("tmp") else script


def steps(work: Path, command: list[str], cores: int) -> None:
    """One full run from clean results with each Python process's start, end and CPU time."""
    clean(work, "results", "data/processed", ".snakemake")
    hook = work.parent / "recorder"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(RECORDER, encoding="utf-8")
    times = work.parent / "step_times.tsv"
    times.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(hook), "MEDVIRK_STEP_TIMES": str(times)}
    start = time.time()
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, env=env)
    wall = time.time() - start
    if done.returncode != 0:
        sys.exit(f"the recorded run failed in {work}:\n{done.stderr[-3000:]}")
    rows = []
    for line in times.read_text(encoding="utf-8").splitlines():
        name, begun, ended, cpu = line.split("\t")
        rows.append((float(begun) - start, float(ended) - start, float(cpu), step(name)))
    rows.sort()
    print(f"\nOne full run with each process recorded: {wall:.2f} s wall\n")
    print("| process | start (s) | end (s) | wall (s) | CPU (s) |")
    print("|---|---:|---:|---:|---:|")
    for begun, ended, cpu, name in rows:
        print(f"| {name} | {begun:.2f} | {ended:.2f} | {ended - begun:.2f} | {cpu:.2f} |")
    in_steps = sum(cpu for _, _, cpu, name in rows if name != "snakemake")
    print(
        f"\nCPU of the steps: {in_steps:.2f} s; over {cores} cores at least"
        f" {in_steps / cores:.2f} s of wall time, before Snakemake's own start and exit."
    )


def summary(name: str, values: list[float]) -> str:
    return f"| {name} | {min(values):.2f} | {statistics.median(values):.2f} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds (at least 5)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--study", default="fhi2016")
    parser.add_argument(
        "--steps", action="store_true", help="then one run recording each step's time and CPU"
    )
    args = parser.parse_args(argv)
    if args.repeats < 5:
        parser.error("--repeats: at least 5 rounds")
    print(f"Machine: {machine()}")
    base = [str(SNAKEMAKE), "--cores", str(args.cores), "--quiet"]
    rows: dict[str, list[float]] = {k: [] for k in ("trivial", "full", "noop")}
    cpus: dict[str, list[float]] = {k: [] for k in rows}
    with tempfile.TemporaryDirectory(prefix="medvirk-overhead-") as tmp:
        trivial, work = prepare(Path(tmp), args.study)
        study = [*base, "--config", f"study={args.study}"]
        for i in range(args.repeats):
            clean(trivial, "out", ".snakemake")
            clean(work, "results", "data/processed", ".snakemake")
            for name, folder, cmd in (
                ("trivial", trivial, base),
                ("full", work, study),
                ("noop", work, study),
            ):
                wall, cpu = timed(cmd, folder)
                rows[name].append(wall)
                cpus[name].append(cpu)
            print(
                f"round {i + 1}: trivial {rows['trivial'][-1]:.2f} s, full {rows['full'][-1]:.2f}"
                f" s, no-op {rows['noop'][-1]:.2f} s",
                flush=True,
            )
        if args.steps:
            steps(work, study, args.cores)
    ratio_full = [f / t for f, t in zip(rows["full"], rows["trivial"], strict=True)]
    ratio_noop = [n / t for n, t in zip(rows["noop"], rows["trivial"], strict=True)]
    print(f"\nMachine at the end: {machine()}")
    print(f"\n{args.repeats} rounds, --cores {args.cores}, study {args.study}\n")
    print("| run | min wall (s) | median wall (s) |")
    print("|---|---:|---:|")
    for name, label in (("trivial", "trivial (2 rules)"), ("full", "full run"), ("noop", "no-op")):
        print(summary(label, rows[name]))
    print("\n| run | min CPU (s) | median CPU (s) |")
    print("|---|---:|---:|")
    for name, label in (("trivial", "trivial (2 rules)"), ("full", "full run"), ("noop", "no-op")):
        print(summary(label, cpus[name]))
    print(
        f"\nfull / trivial: median of rounds {statistics.median(ratio_full):.2f}"
        f" (min {min(ratio_full):.2f}); no-op / trivial: {statistics.median(ratio_noop):.2f}"
        f" (min {min(ratio_noop):.2f})"
    )
    cpu_ratio = [f / t for f, t in zip(cpus["full"], cpus["trivial"], strict=True)]
    print(f"CPU full / trivial: median of rounds {statistics.median(cpu_ratio):.2f}")


if __name__ == "__main__":
    main()
