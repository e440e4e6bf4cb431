"""The real workflow on the embedded study, run in a temporary directory."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from medvirk.report_snapshot import find_chromium, snapshot
from tests.conftest import REPO

pytestmark = pytest.mark.e2e
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))


def _workdir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(REPO / "Snakefile", work / "Snakefile")
    for folder in ("workflow", "config"):
        shutil.copytree(REPO / folder, work / folder)
    shutil.copytree(REPO / "data" / "raw" / "fhi2016", work / "data" / "raw" / "fhi2016")
    return work


def _run(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args], cwd=work, capture_output=True, text=True
    )


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    work = _workdir(tmp_path_factory.mktemp("e2e"))
    raw_before = _digest(work / "data" / "raw")
    done = _run(work)
    assert done.returncode == 0, done.stderr[-3000:]
    return work, raw_before


def test_table1_has_28_factors_in_4_categories(finished_run):
    work, _ = finished_run
    t = pd.read_csv(work / "results/fhi2016/tables/table1.csv")
    assert len(t) == 28
    assert t.groupby("category_id").size().to_dict() == {"C1": 7, "C2": 11, "C3": 4, "C4": 6}
    # computed from the merge map and attribution, checked against hand counts of the data files
    n = t.set_index("factor_id")["n"]
    assert n["F01"] == 7 and n["F08"] == 7 and n["F13"] == 3 and n["F22"] == 2
    assert t.set_index("factor_id")["n_published"]["F08"] == 17
    md = (work / "results/fhi2016/tables/table1.md").read_text(encoding="utf-8")
    assert "Få brukerne tidlig inn i forbedringsarbeid (x7)" in md
    assert (work / "results/fhi2016/tables/table1.xlsx").stat().st_size > 0


def test_audit_matches_the_countable_numbers(finished_run):
    work, _ = finished_run
    audit = pd.read_csv(work / "results/fhi2016/reproduction/audit.csv").set_index("quantity_id")
    must_match = ["n_examples", "n_raw_factors", "n_merged_factors", "n_categories"]
    must_match += [q for q in audit.index if q.startswith("examples_by_municipality/")]
    assert len(must_match) == 15
    assert (audit.loc[must_match, "status"] == "match").all()
    assert audit.loc["table1_sum", ["published", "regenerated", "status"]].tolist() == [
        115,
        79,
        "differs",
    ]
    assert audit.loc["n_readers", "status"] == "not_derivable"
    t1 = audit[audit.index.str.startswith("table1_count/")]
    assert len(t1) == 28
    assert ((t1["published"] == t1["regenerated"]) == (t1["status"] == "match")).all()


def test_figures_and_raw_data_untouched(finished_run):
    work, raw_before = finished_run
    for name in ("factor_counts", "examples_by_municipality"):
        assert (work / f"results/fhi2016/figures/{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert "<svg" in (work / f"results/fhi2016/figures/{name}.svg").read_text(encoding="utf-8")
    assert _digest(work / "data" / "raw") == raw_before


def test_second_run_rebuilds_nothing_and_report_builds(finished_run):
    work, _ = finished_run
    dry = _run(work, "--dry-run")
    assert "Nothing to be done" in dry.stdout + dry.stderr
    rep = _run(work, "--report", "results/fhi2016/report.html")
    assert rep.returncode == 0, rep.stderr[-2000:]
    html = (work / "results/fhi2016/report.html").read_text(encoding="utf-8")
    assert len(html) > 10_000
    for fact in (
        "study <strong>fhi2016</strong>",
        "examples: <strong>39</strong>",
        "simulated coders",
        "snakemake 9.",
    ):
        assert fact in html, fact
    # docutils reports reST mistakes in a caption inside the page itself.
    assert "System Message" not in html


def test_readme_pictures_are_current(finished_run):
    """README shows pictures this version draws; `make readme-images` renews them."""
    import re

    from matplotlib.image import imread

    work, _ = finished_run
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert "workflow/report/images/ladder.png" in pictures
    assert "workflow/report/images/report.png" in pictures
    for picture in pictures:
        assert (REPO / picture).is_file(), picture
    fresh = imread(work / "results/fhi2016/figures/ladder.png")
    shown = imread(REPO / "workflow/report/images/ladder.png")
    assert shown.shape == fresh.shape, "README ladder picture is stale: run make readme-images"
    assert abs(shown - fresh).mean() < 0.01, "README ladder picture is stale"


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium to take the screenshot")
def test_report_snapshot_shows_a_figure(finished_run, tmp_path):
    work, _ = finished_run
    report = work / "results/fhi2016/report.html"
    if not report.exists():
        assert _run(work, "--report", str(report)).returncode == 0
    png = snapshot(
        report, tmp_path / "r.png", "Figures", "results/fhi2016/figures/factor_counts.png"
    )
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 50_000


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        (
            "codebook/merge_map.csv",
            ("R012", "factor_id", "F99"),
            "merge_map.csv, row 13, column 'factor_id': raw factor R012: 'F99' is not in codebook/factors.csv",
        ),
        (
            "examples.csv",
            ("E05", "example_id", "E04"),
            "examples.csv, row 6, column 'example_id': duplicate example_id 'E04'",
        ),
    ],
)
def test_bad_input_stops_with_file_and_row(tmp_path, file, edit, expected):
    work = _workdir(tmp_path)
    path = work / "data/raw/fhi2016" / file
    key, column, value = edit
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[df.iloc[:, 0] == key, column] = value
    df.to_csv(path, index=False, lineterminator="\n")
    before = _digest(work / "data" / "raw")
    done = _run(work)
    assert done.returncode != 0
    assert expected in done.stderr, done.stderr[-3000:]
    assert _digest(work / "data" / "raw") == before


def test_missing_input_file_is_named(tmp_path):
    work = _workdir(tmp_path)
    (work / "data/raw/fhi2016/ladder.csv").unlink()
    done = _run(work)
    assert done.returncode != 0
    assert "data/raw/fhi2016/ladder.csv" in done.stdout + done.stderr


def test_rerun_from_scratch_gives_identical_bytes(finished_run):
    work, _ = finished_run
    results = work / "results" / "fhi2016"

    def outputs() -> dict[str, str]:
        return {k: v for k, v in _digest(results).items() if k != "report.html"}

    first = outputs()
    again = _run(work, "--forceall")
    assert again.returncode == 0, again.stderr[-2000:]
    assert outputs() == first


def test_merge_proposals_are_written_and_evaluated(finished_run):
    work, _ = finished_run
    merge = work / "results/fhi2016/merge"
    groups = pd.read_csv(merge / "proposed_groups.csv")
    assert len(groups) == 97
    ev = pd.read_csv(merge / "evaluation.csv").set_index("metric")["value"]
    assert ev["n_groups_human"] == 28
    assert ev["n_factors_evaluated"] == 91
    # the numbers README.md states for the embedded study
    assert round(ev["adjusted_rand_index"], 2) == 0.24
    assert round(ev["adjusted_mutual_information"], 2) == 0.31
    assert (round(ev["homogeneity"], 2), round(ev["completeness"], 2)) == (0.86, 0.71)
    assert (ev["n_groups_proposed"], ev["n_misplaced"]) == (48, 23)
    sug = pd.read_csv(merge / "suggestions.csv")
    assert set(sug["rank"]) == {1, 2, 3}
    assert len(sug) == 3 * (97 - 91)
    sweep = pd.read_csv(merge / "threshold_sweep.csv")
    best = sweep.loc[sweep["adjusted_rand_index"].idxmax(), "distance_threshold"]
    assert best == pytest.approx(0.8)  # the configured default is the sweep's best, as README says
    assert (merge / "threshold_sweep.png").read_bytes()[:4] == b"\x89PNG"


def test_walkthrough_notebook_runs_on_the_results(finished_run):
    import nbformat
    from nbclient import NotebookClient

    work, _ = finished_run
    path = REPO / "notebooks" / "walkthrough.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "store the notebook without outputs"
    )
    import os

    env_before = {k: os.environ.get(k) for k in ("MEDVIRK_ROOT", "MEDVIRK_STUDY")}
    os.environ["MEDVIRK_ROOT"] = str(work)
    os.environ["MEDVIRK_STUDY"] = "fhi2016"
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}
        ).execute()
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    text = "\n".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "39 examples, 97 raw factors, 28 merged factors" in text
    assert "SIMULATED pooled   all  alpha" in text and "pooled alpha recomputed:" in text
    assert "adjusted_rand_index" in text and "misplaced raw factors" in text


def test_agreement_is_simulated_and_table1_counts_from_consensus(finished_run):
    work, _ = finished_run
    agreement = work / "results/fhi2016/agreement"
    for name in ("alpha_by_factor", "alpha_pooled", "kappas"):
        table = pd.read_csv(agreement / f"{name}.csv")
        assert (table["data_source"] == "SIMULATED").all()
    by_factor = pd.read_csv(agreement / "alpha_by_factor.csv")
    assert len(by_factor) == 28 and by_factor["ci_low"].notna().any()
    undefined = by_factor[by_factor["status"] == "undefined"]
    assert undefined["reason"].notna().all()
    from openpyxl import load_workbook

    assert "SIMULATED" in load_workbook(agreement / "disagreements.xlsx").active["A1"].value
    processed = work / "data/processed/fhi2016"
    consensus = pd.read_csv(processed / "consensus_factor_counts.csv").set_index("factor_id")
    table1 = pd.read_csv(work / "results/fhi2016/tables/table1.csv").set_index("factor_id")
    assert (table1["n"] == consensus.loc[table1.index, "n"]).all()
    for coder in ("sim1", "sim2", "sim3"):
        assert (work / f"results/fhi2016/coding_sheets/{coder}.xlsx").stat().st_size > 0
    tex = (agreement / "agreement.tex").read_text(encoding="utf-8")
    assert r"\caption{SIMULATED: " in tex
    pooled = pd.read_csv(agreement / "alpha_pooled.csv").set_index("scope").loc["pooled"]
    assert f"all factors}} & {pooled['alpha']:.3f} & {pooled['ci_low']:.3f}" in tex


def test_agreement_shows_ac1_agreement_and_prevalence_beside_alpha(finished_run):
    """The issue's case: F02 has alpha -.018 while the coders agree on 94.9% (AC1 .946)."""
    work, _ = finished_run
    agreement = work / "results/fhi2016/agreement"
    by_factor = pd.read_csv(agreement / "alpha_by_factor.csv", keep_default_na=False)
    f02 = by_factor.set_index("factor_id").loc["F02"]
    assert (round(f02["alpha"], 3), round(f02["ac1"], 3)) == (-0.018, 0.946)
    assert round(f02["observed_agreement"], 3) == 0.949 and f02["prevalence"] < 0.05
    assert "bare 3 % av cellene er markert" in f02["note_nb"] and "rare" in f02["note_en"]
    for column in ("q_below_667", "q_below_800", "replicates_used", "replicates_dropped"):
        assert column in by_factor.columns
    assert (by_factor["replicates_used"] + by_factor["replicates_dropped"] == 1000).all()
    assert f02["q_below_667"] == 1.0
    pooled = pd.read_csv(agreement / "alpha_pooled.csv").set_index("scope").loc["pooled"]
    assert (round(pooled["alpha"], 3), round(pooled["ac1"], 3)) == (0.418, 0.893)
    kappas = pd.read_csv(agreement / "kappas.csv").set_index("statistic")
    assert kappas.loc["fleiss", "n_cells"] == 39 * 28 and kappas["band"].notna().all()
    assert kappas["ci_low"].notna().all()
    without = pd.read_csv(agreement / "alpha_without_coder.csv")
    assert set(without["coder_left_out"]) == {"sim1", "sim2", "sim3"}
    # Dropped replicates are announced, never silent.
    dropped = by_factor.loc[by_factor["replicates_dropped"] > 0, "factor_id"]
    summary = (work / "results/fhi2016/run_summary.md").read_text(encoding="utf-8")
    assert len(dropped) and all(f in summary for f in dropped)
    # The report holds the tables and says what their columns are.
    report = work / "results/fhi2016/report.html"
    if not report.exists():
        assert _run(work, "--report", str(report)).returncode == 0
    html = report.read_text(encoding="utf-8")
    for text in ("Gwets AC1", "q_below_800", "replicates_used", "alpha_without_coder.csv"):
        assert text in html, text


def test_latex_tables_for_papers(finished_run):
    work, _ = finished_run
    results = work / "results/fhi2016"
    table1 = (results / "tables/table1.tex").read_text(encoding="utf-8")
    assert r"F08 & Jobbe mot brukerens egne mål \newline" in table1
    assert "counted from the coders' consensus" in table1
    audit = (results / "reproduction/audit.tex").read_text(encoding="utf-8")
    status = pd.read_csv(results / "reproduction/audit.csv")["status"].value_counts()
    summary = f"{status['match']} match, {status['differs']} differs, {status['not_derivable']} not"
    assert summary in audit
    assert r"\begin{longtable}" in audit
    evaluation = (results / "merge/evaluation.tex").read_text(encoding="utf-8")
    assert "Lesernes grupper / the readers' groups & 28 \\\\" in evaluation


def test_export_qdpx_passes_the_schema_and_reads_back_the_consensus(finished_run):
    import zipfile

    from medvirk import refiqda
    from tests.test_refiqda import SCHEMA

    work, _ = finished_run
    qdpx = work / "results/fhi2016/export/fhi2016.qdpx"
    with zipfile.ZipFile(qdpx) as archive:
        assert refiqda.validate_qde(archive.read("project.qde"), SCHEMA) == []
    processed = work / "data/processed/fhi2016"
    codings, problems = refiqda.read_qdpx(
        qdpx,
        pd.read_csv(processed / "examples.csv", dtype=str),
        pd.read_csv(processed / "factors.csv", dtype=str),
    )
    assert problems.empty, problems
    # each (simulated) coder and the consensus, which here is the published attribution
    assert set(codings["coder"]) == {"sim1", "sim2", "sim3", "consensus"}
    published = pd.read_csv(processed / "example_factors.csv", dtype=str)
    published = published[["example_id", "factor_id"]].drop_duplicates()
    consensus = codings[codings["coder"] == "consensus"][["example_id", "factor_id"]]
    assert sorted(map(tuple, consensus.values)) == sorted(map(tuple, published.values))
    grid = pd.read_csv(processed / "codings.csv", dtype=str)
    coders = codings[codings["coder"] != "consensus"].reset_index(drop=True)
    pd.testing.assert_frame_equal(coders, refiqda.present_codings(grid))
    assert (work / "results/fhi2016/export/codebook.qdc").stat().st_size > 0
