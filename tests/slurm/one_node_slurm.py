"""A one-node Slurm cluster on this machine, from Debian's packages, for tests and benchmarks.

Everything it needs lives in one temporary folder: the munge key and socket, slurm.conf,
Slurm's state, spool and logs, and the job completion log (jobcomp.txt: one line per finished
job with its state, Slurm's own record). Nothing under /etc is written, except a line in
/etc/hosts when this machine's name does not resolve, removed again on stop. The daemons run
in the foreground as children of this process, so they are stopped by their process ids.

    with OneNodeSlurm() as slurm:
        subprocess.run(["sbatch", "--wrap", "hostname"], env=slurm.env)
        slurm.completed_jobs()

The configuration is the smallest that runs jobs as root without systemd or cgroups:
proctrack/linuxproc, task/none, select/cons_tres with cores and memory as consumable
resources, SlurmUser=root, no accounting (so `sacct` does not work: see README, "When one
machine is not enough"), the node named by `hostname -s` and reached on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ["slurmctld", "slurmd", "slurm-client", "munge"]
COMMANDS = ["slurmctld", "slurmd", "sbatch", "srun", "squeue", "sinfo", "munged", "mungekey"]
DAEMON_NAMES = ["slurmctld", "slurmd", "slurmstepd", "munged"]
OTHER_PARTITION = "medvirk"

# A job's Snakemake runs its step with `srun` after removing every SLURM_* variable from the
# environment (snakemake-executor-plugin-slurm-jobstep), SLURM_CONF included. On a real
# cluster srun then reads /etc/slurm/slurm.conf; here it finds this cluster's configuration
# through a wrapper placed first on PATH, so nothing is written to /etc.
SRUN_WRAPPER = """#!/bin/sh
# srun for the one-node test cluster (see tests/slurm/one_node_slurm.py)
SLURM_CONF={conf} exec {srun} "$@"
"""


def why_not_runnable() -> str | None:
    """The reason a one-node Slurm cannot be started here, or None when it can (maybe after
    installing the Debian packages, see install_packages)."""
    if os.name != "posix" or not Path("/proc").is_dir():
        return "needs Linux"
    if missing_commands() and os.geteuid() != 0:
        return (
            f"the Debian packages {' '.join(PACKAGES)} are not installed and installing them "
            "needs root (apt-get)"
        )
    if missing_commands() and not shutil.which("apt-get"):
        return f"the commands {' '.join(missing_commands())} are missing and there is no apt-get"
    if os.geteuid() != 0:
        return "slurmd must run as root to start jobs"
    return None


def missing_commands() -> list[str]:
    return [c for c in COMMANDS if not shutil.which(c, path=_sbin_path())]


def install_packages(log: Path) -> str | None:
    """apt-get update and install the Slurm and munge packages; the reason on failure."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with log.open("a", encoding="utf-8") as out:
        for cmd in (
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *PACKAGES],
        ):
            done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
            if done.returncode != 0:
                return f"`{' '.join(cmd)}` failed (exit {done.returncode}); see {log}"
    if missing_commands():
        return f"after apt-get install, still missing: {' '.join(missing_commands())}"
    return None


def _sbin_path() -> str:
    return os.environ.get("PATH", "") + ":/usr/sbin:/sbin"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _node_hardware() -> tuple[int, int]:
    """CPUs and memory (MB) of this machine as slurmd sees them (`slurmd -C`)."""
    out = subprocess.run(
        ["slurmd", "-C"], capture_output=True, text=True, check=True, env=_plain_env()
    ).stdout
    cpus = int(re.search(r"\bCPUs=(\d+)", out).group(1))
    memory = int(re.search(r"\bRealMemory=(\d+)", out).group(1))
    return cpus, memory


def _make_resolvable(name: str) -> str | None:
    """Slurm looks up the node's own name: when `hostname -s` does not resolve, add it to
    /etc/hosts as 127.0.0.1; the line added (removed again by stop), or None."""
    if subprocess.run(["getent", "hosts", name], capture_output=True).returncode == 0:
        return None
    line = f"127.0.0.1 {name}  # added by medvirk's tests/slurm/one_node_slurm.py\n"
    hosts = Path("/etc/hosts")
    text = hosts.read_text(encoding="utf-8") if hosts.exists() else ""
    hosts.write_text(text + ("" if text.endswith("\n") or not text else "\n") + line, "utf-8")
    return line


def _plain_env() -> dict[str, str]:
    """This environment without Slurm settings of the caller's (an sbatch account, a job's
    variables), with the sbin folders on PATH where Debian puts the daemons."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "SBATCH_"))}
    env["PATH"] = _sbin_path()
    return env


def ours(pid: int, conf: Path) -> bool:
    """True when the process carries this cluster's SLURM_CONF (daemons, job steps, jobs)."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return f"SLURM_CONF={conf}".encode() in environ


def running_daemons() -> list[tuple[int, str]]:
    """Slurm and munge daemons running on this machine, ours or not (pgrep -a)."""
    found = []
    for name in DAEMON_NAMES:
        out = subprocess.run(["pgrep", "-a", name], capture_output=True, text=True).stdout
        for line in out.splitlines():
            pid, _, cmd = line.partition(" ")
            found.append((int(pid), cmd))
    return found


@dataclass
class OneNodeSlurm:
    """Start with `with OneNodeSlurm() as slurm:`; stopped (and its jobs cancelled) on exit."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="medvirk-slurm-")))
    keep: bool = False
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    added_host_line: str | None = None

    def __post_init__(self) -> None:
        self.node = socket.gethostname().split(".")[0]
        self.conf = self.root / "slurm.conf"
        self.jobcomp = self.root / "log" / "jobcomp.txt"
        self.bin = self.root / "bin"
        self.env = _plain_env()
        self.env["SLURM_CONF"] = str(self.conf)
        self.env["PATH"] = f"{self.bin}:{self.env['PATH']}"

    # --- starting -------------------------------------------------------------------------
    def __enter__(self) -> OneNodeSlurm:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        for sub in ("munge", "state", "spool", "log", "bin"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        # munged refuses a socket folder that others cannot enter, and a key others can read.
        os.chmod(self.root, 0o755)
        os.chmod(self.root / "munge", 0o755)
        key = self.root / "munge" / "munge.key"
        subprocess.run(["mungekey", "--create", f"--keyfile={key}"], check=True, env=self.env)
        os.chmod(key, 0o600)
        self.munge_socket = self.root / "munge" / "munge.socket"
        self._spawn(
            "munged",
            [
                "munged",
                "--foreground",
                f"--socket={self.munge_socket}",
                f"--key-file={key}",
                f"--log-file={self.root / 'log' / 'munged.log'}",
                f"--pid-file={self.root / 'munge' / 'munged.pid'}",
                f"--seed-file={self.root / 'munge' / 'munged.seed'}",
            ],
        )
        self._wait_for(lambda: self.munge_socket.exists(), timeout, "munged's socket")

        self.added_host_line = _make_resolvable(self.node)
        self.cpus, self.memory_mb = _node_hardware()
        self.conf.write_text(self._slurm_conf(), encoding="utf-8")
        srun = shutil.which("srun", path=_sbin_path())
        wrapper = self.bin / "srun"
        wrapper.write_text(SRUN_WRAPPER.format(conf=self.conf, srun=srun), encoding="utf-8")
        wrapper.chmod(0o755)
        self._spawn("slurmctld", ["slurmctld", "-D", "-i"])
        self._spawn("slurmd", ["slurmd", "-D"])
        self._wait_for(self._node_idle, timeout, f"node {self.node} to become idle in sinfo")

    def _slurm_conf(self) -> str:
        r = self.root
        return f"""# One-node test cluster written by tests/slurm/one_node_slurm.py
ClusterName=medvirktest
SlurmctldHost={self.node}(127.0.0.1)
SlurmctldPort={_free_port()}
SlurmdPort={_free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.munge_socket}
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/state/slurmctld.pid
SlurmdPidFile={r}/spool/slurmd.pid
SlurmctldLogFile={r}/log/slurmctld.log
SlurmdLogFile={r}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={self.jobcomp}
# Finished jobs stay visible to squeue for 5 minutes: the plugin's squeue status check
# needs at least 3 times its first status-check interval.
MinJobAge=300
ReturnToService=2
SchedulerType=sched/backfill
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory={self.memory_mb} State=UNKNOWN
PartitionName=main Nodes={self.node} Default=YES MaxTime=INFINITE State=UP
# Not the default: a job lands here only when asked to (-p {OTHER_PARTITION}).
PartitionName={OTHER_PARTITION} Nodes={self.node} Default=NO MaxTime=INFINITE State=UP
"""

    def _spawn(self, name: str, cmd: list[str]) -> None:
        with (self.root / "log" / f"{name}.out").open("w", encoding="utf-8") as out:
            self.processes[name] = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
            )

    def _wait_for(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    log = (self.root / "log" / f"{name}.out").read_text(errors="replace")
                    raise RuntimeError(f"{name} exited ({proc.returncode}):\n{log[-2000:]}")
            if ready():
                return
            time.sleep(0.5)
        raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")

    def _node_idle(self) -> bool:
        out = self.run(["sinfo", "--noheader", "-o", "%T"], check=False).stdout
        return out.strip() == "idle"

    # --- using ----------------------------------------------------------------------------
    def run(self, cmd: list[str], check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, capture_output=True, text=True, env=self.env, check=check)

    def completed_jobs(self) -> dict[str, dict[str, str]]:
        """Slurm's job completion log: job id -> its fields (JobState, Name, ExitCode, ...)."""
        if not self.jobcomp.exists():
            return {}
        jobs = {}
        for line in self.jobcomp.read_text(encoding="utf-8").splitlines():
            fields = dict(re.findall(r"(\w+)=(\S*)", line))
            if "JobId" in fields:
                jobs[fields["JobId"]] = fields
        return jobs

    # --- stopping -------------------------------------------------------------------------
    def stop(self, timeout: float = 30) -> None:
        """Cancel our jobs, stop the daemons we started, and end any process left with our
        SLURM_CONF (a job step that outlived slurmd)."""
        if "slurmctld" in self.processes and self.processes["slurmctld"].poll() is None:
            self.run(["scancel", "--full", "--user=root"], check=False)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                queue = self.run(["squeue", "--noheader", "-t", "R,CG,PD"], check=False)
                if queue.returncode != 0 or not queue.stdout.strip():
                    break
                time.sleep(1)
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.processes.get(name)
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in self.leftover_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.added_host_line:
            hosts = Path("/etc/hosts").read_text(encoding="utf-8").splitlines(keepends=True)
            Path("/etc/hosts").write_text(
                "".join(line for line in hosts if line != self.added_host_line), encoding="utf-8"
            )
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def leftover_pids(self) -> list[int]:
        """Processes still running with this cluster's SLURM_CONF, other than this one."""
        pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
        return [p for p in pids if p != os.getpid() and ours(p, self.conf)]
