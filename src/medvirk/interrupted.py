"""A run that was interrupted (Ctrl-C, a kill, a closed terminal, a power cut) and the lock it
left behind.

Snakemake locks the project folder while it runs (``.snakemake/locks/``), so that two runs never
write the same files. A run that is killed cannot remove its lock, and the next run would refuse
to start. `make run` calls `release_stale_lock` first: the lock is removed only when no
Snakemake process (the run itself or one of its steps) is working in the folder any more.
Outputs the killed run left half written are then remade by ``--rerun-incomplete``.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCKS = Path(".snakemake") / "locks"


def lock_files(workdir: str | Path) -> list[Path]:
    """The lock files of Snakemake in `workdir` (none when no run holds the folder)."""
    folder = Path(workdir) / LOCKS
    return sorted(p for p in folder.glob("*.lock") if p.is_file()) if folder.is_dir() else []


def is_snakemake(command: bytes) -> bool:
    r"""True for the command line (NUL-separated, as /proc gives it) of a Snakemake run or of a
    step it started (the step's script lives under .snakemake/scripts/).

    >>> is_snakemake(b"/p/.venv/bin/python3\0/p/.venv/bin/snakemake\0--cores\0002")
    True
    >>> is_snakemake(b"less\0.snakemake/log/run.log")
    False
    """
    args = [a for a in command.split(b"\0") if a]
    return b"-m\0snakemake" in command or any(
        os.path.basename(a) == b"snakemake" or b".snakemake/scripts/" in a for a in args
    )


def snakemake_processes(workdir: str | Path, proc: str | Path = "/proc") -> list[int] | None:
    """Ids of the processes working in `workdir` whose command line names Snakemake (a run, or
    a step it started: its scripts live under .snakemake/scripts/), other than this one.

    None when the system cannot tell (no /proc, as on macOS).
    """
    proc = Path(proc)
    if not proc.is_dir():
        return None
    here = Path(workdir).resolve()
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
            command = (entry / "cmdline").read_bytes()
        except OSError:  # gone meanwhile, or another user's process
            continue
        if cwd == here and is_snakemake(command):
            found.append(int(entry.name))
    return sorted(found)


def release_stale_lock(workdir: str | Path = ".", proc: str | Path = "/proc") -> tuple[bool, str]:
    """(go on, message) before a run in `workdir`.

    No lock: go on, no message. A lock while a Snakemake process works here: stop, naming it.
    A lock with no such process: a killed run left it; it is removed, and the message says so.
    When the system cannot list processes, stop and say how to remove the lock by hand.
    """
    locks = lock_files(workdir)
    if not locks:
        return True, ""
    running = snakemake_processes(workdir, proc)
    if running is None:
        return False, (
            "Prosjektmappen er låst av en kjøring. Hvis ingen annen kjøring pågår, fjern låsen "
            "med `make unlock` og kjør `make run` igjen.\n"
            "The project folder is locked by a run. If no other run is going on, remove the "
            "lock with `make unlock` and run `make run` again."
        )
    if running:
        ids = ", ".join(map(str, running))
        return False, (
            f"En annen kjøring pågår i denne mappen (prosess {ids}). Vent til den er ferdig, "
            "og kjør `make run` igjen.\n"
            f"Another run is going on in this folder (process {ids}). Wait until it is done "
            "and run `make run` again."
        )
    for lock in locks:
        lock.unlink(missing_ok=True)
    return True, (
        "En tidligere kjøring ble avbrutt; låsen den etterlot er fjernet, og kjøringen "
        "fortsetter der den stoppet.\n"
        "An earlier run was interrupted; the lock it left is removed and the run resumes where "
        "it stopped."
    )
