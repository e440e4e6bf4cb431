"""End to end: `make run` resumes after the run was killed, and wrong settings stop it with a
message. A new round with coders named with æøå and a text form saved as UTF-16."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.adversarial import notepad_unicode
from tests.form_builders import ANSWERS, write_table_docx
from tests.workflow_runs import BIN, REPO, new_round, snakemake

pytestmark = pytest.mark.e2e
VENV = BIN.parent
STUDY = "runde"
SETTINGS = "coding:\n  coders: [bjørn, åse]\n  bootstrap_replicates: 20\n"
UTF16_FORM = (
    "Overskrift: Likepersoner på Øya\nMål: Å dele erfaring.\nResultat: Færre innleggelser.\n"
)


def _project(tmp_path: Path) -> Path:
    forms = new_round(tmp_path, STUDY, settings=SETTINGS)
    write_table_docx(forms / "brukerraad.docx")
    write_table_docx(forms / "ungdom.docx", {**ANSWERS, "title": "Ungdomsråd"})
    (forms / "likepersoner.txt").write_bytes(notepad_unicode(UTF16_FORM))
    return tmp_path


def _make_run(project: Path, **popen) -> subprocess.Popen:
    """`make run` of the repository's Makefile in `project`, with this test's virtualenv."""
    command = ["make", "-f", str(REPO / "Makefile"), "-o", str(VENV / ".installed"), "run"]
    command += [f"STUDY={STUDY}", f"VENV={VENV}", "CORES=2"]
    return subprocess.Popen(command, cwd=project, text=True, **popen)


def _kill_when_a_job_runs(project: Path) -> subprocess.Popen:
    """Start `make run` and kill it and all it started (kill -9) once a job is under way."""
    run = _make_run(
        project, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    incomplete = project / ".snakemake" / "incomplete"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if incomplete.is_dir() and any(p.is_file() for p in incomplete.iterdir()):
            break
        time.sleep(0.01)
    assert run.poll() is None, "the run ended before a job could be interrupted"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    return run


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("resume"))
    _kill_when_a_job_runs(project)
    left = {
        "locks": sorted(p.name for p in (project / ".snakemake/locks").glob("*.lock")),
        "incomplete": [p for p in (project / ".snakemake/incomplete").iterdir() if p.is_file()],
    }
    plain = snakemake(project, study=STUDY)
    again = _make_run(project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = again.communicate(timeout=900)
    return project, left, plain, again.returncode, out, err


def test_a_killed_run_leaves_a_lock_and_an_incomplete_output(resumed):
    _, left, plain, *_ = resumed
    assert left["locks"] and left["incomplete"]
    # What a user saw before: snakemake refuses to continue.
    assert plain.returncode != 0
    assert "LockException" in plain.stderr or "IncompleteFilesException" in plain.stderr


def test_make_run_resumes_and_says_so(resumed):
    project, _, _, code, out, err = resumed
    assert code == 0, err[-3000:]
    assert "En tidligere kjøring ble avbrutt" in out and "An earlier run was interrupted" in out
    assert not [p for p in (project / ".snakemake/incomplete").iterdir() if p.is_file()]
    assert (project / f"results/{STUDY}/report.html").is_file()


def test_coders_named_with_norwegian_letters_get_their_sheets(resumed):
    project, *_ = resumed
    sheets = sorted(p.name for p in (project / f"results/{STUDY}/coding_sheets").iterdir())
    assert sheets == ["bjørn.xlsx", "åse.xlsx"]


def test_the_utf16_text_form_is_ingested(resumed):
    project, *_ = resumed
    ingested = (project / f"data/processed/{STUDY}/examples_ingested.csv").read_text("utf-8")
    assert "Likepersoner på Øya" in ingested
    rejected = (project / f"results/{STUDY}/ingest/rejected.csv").read_text("utf-8")
    assert rejected.strip() == "file,reason"


def test_a_wrong_setting_stops_at_start_with_a_message_not_a_traceback(resumed):
    project, *_ = resumed
    (project / "config" / "bad.yaml").write_text(
        "coding:\n  coders: [bjørn, kari nordmann]\n  seed: ti\n", encoding="utf-8"
    )
    done = snakemake(project, "-n", study=STUDY, configfiles=["config/bad.yaml"])
    assert done.returncode == 1
    assert "coding.coders[1] = «kari nordmann»: kan bare ha bokstaver" in done.stderr
    assert "coding.seed = «ti»: må være et heltall / must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr and "ValidationError" not in done.stderr
