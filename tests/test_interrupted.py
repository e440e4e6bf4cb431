"""An interrupted run: the lock it leaves is removed only when no run is going on."""

import os

from medvirk.interrupted import release_stale_lock


def _fake_proc(tmp_path, processes: dict[int, tuple[str, bytes]]):
    proc = tmp_path / "proc"
    proc.mkdir()
    for pid, (cwd, command) in processes.items():
        (proc / str(pid)).mkdir()
        os.symlink(cwd, proc / str(pid) / "cwd")
        (proc / str(pid) / "cmdline").write_bytes(command)
    return proc


def _locked(tmp_path):
    work = tmp_path / "work"
    (work / ".snakemake" / "locks").mkdir(parents=True)
    for name in ("0.input.lock", "0.output.lock"):
        (work / ".snakemake" / "locks" / name).write_text("results/x.csv\n")
    return work


def test_a_lock_left_by_a_killed_run_is_removed(tmp_path):
    work = _locked(tmp_path)
    elsewhere = _fake_proc(tmp_path, {41: (str(tmp_path), b".venv/bin/snakemake\x00--cores\x002")})
    go_on, message = release_stale_lock(work, elsewhere)
    assert go_on and "En tidligere kjøring ble avbrutt" in message
    assert not list((work / ".snakemake" / "locks").iterdir())
    assert release_stale_lock(work, elsewhere) == (True, "")  # nothing left to say


def test_a_lock_of_a_run_still_going_is_kept(tmp_path):
    work = _locked(tmp_path)
    step = b"python\x00.snakemake/scripts/tmpab12.read_codings.py"
    viewer = b"less\x00.snakemake/log/2026-01-01.snakemake.log"
    proc = _fake_proc(
        tmp_path,
        {40: (str(work), viewer), 41: (str(work), b"bash\x00make run"), 42: (str(work), step)},
    )
    go_on, message = release_stale_lock(work, proc)
    assert not go_on and "En annen kjøring pågår i denne mappen (prosess 42)" in message
    assert len(list((work / ".snakemake" / "locks").iterdir())) == 2


def test_without_a_process_list_the_lock_is_kept_and_make_unlock_explained(tmp_path):
    work = _locked(tmp_path)
    go_on, message = release_stale_lock(work, tmp_path / "no-proc-here")
    assert not go_on and "make unlock" in message
    assert len(list((work / ".snakemake" / "locks").iterdir())) == 2
