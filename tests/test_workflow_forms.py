"""End to end: a new study with forms in all five formats runs through the real workflow."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.form_builders import CONTACT, write_all_formats
from tests.output_texts import output_texts
from tests.workflow_runs import copy_of, snakemake, workflow_copy

pytestmark = pytest.mark.e2e


def _project(tmp_path: Path) -> Path:
    workflow_copy(tmp_path, embedded=True)  # the embedded study beside the new round
    subprocess.run(
        [sys.executable, "-m", "medvirk.cli", "new-study", "round2"], cwd=tmp_path, check=True
    )
    write_all_formats(tmp_path / "data" / "raw" / "round2" / "forms")
    return tmp_path


def _snakemake(project: Path, *args: str, config: tuple[str, ...] = ()):
    return snakemake(project, *args, study="round2", config=config)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("e2e"))
    run = _snakemake(project)
    assert run.returncode == 0, run.stderr[-3000:]
    return project, run


def test_every_readable_form_is_one_record(finished):
    project, _ = finished
    records = pd.read_csv(project / "data/processed/round2/examples_ingested.csv")
    assert len(records) == 6
    assert set(records["format"]) == {"docx", "pdf", "pptx", "text", "yaml"}
    forms_ = records[records["completeness"] == "form"]
    assert len(forms_) == 4
    assert forms_[["title", "aim", "background", "result", "spreading"]].notna().all().all()


def test_broken_files_are_listed_with_reasons(finished):
    project, _ = finished
    rejected = pd.read_csv(project / "results/round2/ingest/rejected.csv")
    assert set(rejected["file"]) == {"ødelagt.docx", "tom.pdf", "kryptert.pdf"}
    assert rejected["reason"].str.len().gt(0).all()


def test_no_contact_details_under_processed_or_results(finished):
    project, _ = finished
    contacts = pd.read_csv(project / "data/private/round2/contacts.csv", dtype=str)
    assert CONTACT["name"] in set(contacts["name"])
    values = [CONTACT["email"], "kari.nordmann", "912 34 567", "91234567", "Nils Berg"]
    for folder in ("data/processed/round2", "results/round2"):
        for path in (project / folder).rglob("*"):
            if path.is_file():  # .xlsx members opened, the report's embedded files decoded
                for text in output_texts(path):
                    for value in values:
                        assert value.casefold() not in text.casefold(), (path, value)
    assert (
        "no identity number, phone number, e-mail address or contact name"
        in (project / "results/round2/privacy/leak_scan.txt").read_text()
    )


def test_run_says_what_waits_for_codings(finished):
    project, run = finished
    assert "wait for codings" in run.stdout + run.stderr
    assert "codings/" in (project / "results/round2/ingest/next_steps.md").read_text()


def test_strict_run_fails_on_a_broken_file(tmp_path):
    project = _project(tmp_path)
    run = _snakemake(project, config=("strict=true",))
    assert run.returncode != 0
    assert "tom.pdf" in run.stderr


def test_scan_fails_the_run_on_a_planted_leak(finished, tmp_path):
    project = copy_of(finished[0], tmp_path / "project")
    planted = project / "results/round2/ingest/report.csv"
    planted.write_text(planted.read_text() + f"x,{CONTACT['email']}\n", encoding="utf-8")
    scan = "results/round2/privacy/leak_scan.txt"
    (project / scan).unlink()
    run = _snakemake(project, scan)  # the scan, asked for by the file it writes
    assert run.returncode != 0
    assert "results/round2/ingest/report.csv" in run.stderr
