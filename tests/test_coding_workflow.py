"""The workflow with real coders: workbooks filled with openpyxl flow to agreement and Table 1.

The coders' workbooks are added to a copy of the embedded study's finished run (finished_run,
tests/conftest.py), as a user adds them after a first run: the run remakes what depends on the
codings and leaves the merge proposals, which do not, as they were.
"""

import pandas as pd
import pytest
from openpyxl import load_workbook

from medvirk import codings
from medvirk.consensus import DISAGREEMENTS_SHEET
from tests.conftest import mapped_raw_factors
from tests.workflow_runs import CodingSheet, copy_of, logs_saying, snakemake

pytestmark = pytest.mark.e2e
RAW = "data/raw/fhi2016"
REPORT = "results/fhi2016/report.html"
CONFIG = """\
coding:
  enabled: true
  coders: [anne, bo, cy]
  simulate: false
  bootstrap_replicates: 200
"""


def _coders_fill(work, typo_cell=None):
    """Three coders: all mark F01 in E01-E04; only anne and bo mark F08 in E05; cy adds F02 in E06.

    anne writes two factors outside the codebook for E05, one per line; bo writes one of them.
    """
    examples = pd.read_csv(work / RAW / "examples.csv", dtype=str)
    factors = pd.read_csv(work / RAW / "codebook/factors.csv", dtype=str)
    categories = pd.read_csv(work / RAW / "codebook/categories.csv", dtype=str)
    folder = work / RAW / "codings"
    for coder in ("anne", "bo", "cy"):
        path = folder / f"{coder}.xlsx"
        codings.write_coding_sheet(path, coder, examples, factors, categories)
        sheet = CodingSheet.open(path)
        at = {example: position for position, example in enumerate(sheet.example_ids)}
        marks = [(e, "F01") for e in ("E01", "E02", "E03", "E04")]
        marks += [("E05", "F08")] if coder != "cy" else [("E06", "F02")]
        for example, factor in marks:
            sheet.put(at[example], factor, "x")
        other = {"anne": "Samarbeid med likemenn\nTrygg bolig", "bo": "trygg bolig"}
        if coder in other:
            sheet.put(at["E05"], "other_factors", other[coder])
        for example, step in (("E01", 2), ("E02", 3), ("E03", 3 if coder != "cy" else 4)):
            sheet.put(at[example], "ladder_step", step)
            sheet.put(at[example], "ladder_level", "B")
        if typo_cell and coder == "bo":
            sheet.sheet[typo_cell] = "F0l"
        sheet.save(path)
    (work / "config" / "coders.yaml").write_text(CONFIG)


def _coders_run(finished_run, tmp_path, typo_cell=None):
    """The coders' workbooks added to a copy of the embedded study's finished run, and run."""
    work = copy_of(finished_run[0], tmp_path / "work", leave_out=(REPORT,))
    _coders_fill(work, typo_cell)
    return work, snakemake(work, configfiles=["config/coders.yaml"])


def test_workbooks_flow_to_agreement_and_table1(finished_run, tmp_path):
    work, done = _coders_run(finished_run, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    by_factor = pd.read_csv(work / "results/fhi2016/agreement/alpha_by_factor.csv")
    by_factor = by_factor.set_index("factor_id")
    assert (by_factor["data_source"] == "coders").all()
    assert by_factor.loc["F01", "alpha"] == pytest.approx(1.0)
    assert by_factor.loc["F03", "status"] == "undefined"
    consensus = pd.read_csv(work / "data/processed/fhi2016/consensus_factors.csv")
    assert sorted(consensus["factor_id"]) == ["F01"] * 4 + ["F08"]
    table1 = pd.read_csv(work / "results/fhi2016/tables/table1.csv").set_index("factor_id")
    counts = pd.read_csv(work / "data/processed/fhi2016/consensus_factor_counts.csv")
    # real coders: their consensus only, none of the 2016 readers' unattributed finds
    assert (counts["n_unattributed"] == 0).all()
    assert table1.loc["F01", "n"] == 4
    assert table1.loc["F02", "n"] == 0
    ladder = pd.read_csv(work / "results/fhi2016/agreement/alpha_ladder.csv")
    step = ladder.set_index("variable").loc["ladder_step"]
    assert step["level"] == "ordinal" and step["n_units"] == 3 and 0 < step["alpha"] < 1
    assert step["ac1_name"] == "AC2" and step["weights"] == "ordinal"
    pairs = pd.read_csv(work / "results/fhi2016/agreement/ladder_pairs.csv")
    assert len(pairs.query("variable == 'ladder_step'")) == 3  # anne-bo, anne-cy, bo-cy
    assert pairs["band"].notna().all()
    # E01 at 2B, E02 at 3B by all; E03 at 3B by two of three coders (cy: 4B)
    results = work / "results/fhi2016"
    assert logs_saying(results, "3 example(s) placed on the ladder by the coders")
    disagreements = load_workbook(work / "results/fhi2016/agreement/disagreements.xlsx")
    assert not [ws.title for ws in disagreements.worksheets if "SIMULATED" in ws.title]
    # E03's coders chose steps 3, 3 and 4: a row for the meeting
    table = disagreements[DISAGREEMENTS_SHEET]
    rows = [(r[0].value, r[1].value) for r in table.iter_rows(min_row=5)]
    assert ("E03", "ladder_step") in rows and ("E01", "ladder_step") not in rows
    sug = pd.read_csv(work / "results/fhi2016/merge/suggestions.csv", keep_default_na=False)
    written = sug[(sug["source"] == "coder_sheet") & (sug["rank"] == 1)]
    written = written.set_index(["coder", "text"])
    assert sorted(written.index) == [
        ("anne", "Samarbeid med likemenn"),
        ("anne", "Trygg bolig"),
        ("bo", "trygg bolig"),
    ]
    assert set(written["example_id"]) == {"E05"}
    assert written.loc[("anne", "Samarbeid med likemenn"), "factor_id"] == "F21"
    assert written.loc[("anne", "Trygg bolig"), "factor_id"] == "F23"
    assert int(written.loc[("bo", "trygg bolig"), "n_coders"]) == 2
    raw = sug[sug["source"] == "raw_factor"]
    assert raw["raw_factor_id"].nunique() == 97 - mapped_raw_factors()
    # The consensus (F01 in E01-E04, F08 in E05) differs from the curators' attribution, and the
    # heat map and the LaTeX Table 1 follow the consensus.
    target = "data/processed/fhi2016/example_factors.csv"  # not needed by a run with coders
    assert snakemake(work, target, configfiles=["config/coders.yaml"]).returncode == 0
    curated = pd.read_csv(work / target)
    assert len(curated) != len(consensus)
    heatmap_logs = logs_saying(results, "heat map of 5 example x factor cells from the consensus")
    assert len(heatmap_logs) == 1, heatmap_logs
    assert "consensus_factors.csv" in (results / heatmap_logs[0]).read_text(encoding="utf-8")
    tex = (work / "results/fhi2016/tables/table1.tex").read_text(encoding="utf-8")
    f01 = next(line for line in tex.splitlines() if line.startswith("F01 & "))
    assert f01.split(" & ")[2] == str(table1.loc["F01", "n"])
    assert "counted from the coders' consensus" in tex
    agreement_tex = (work / "results/fhi2016/agreement/agreement.tex").read_text(encoding="utf-8")
    assert "SIMULATED" not in agreement_tex
    assert "F01 & " in agreement_tex and "1.000" in agreement_tex


def test_typo_in_a_workbook_stops_with_the_cell(finished_run, tmp_path):
    _, done = _coders_run(finished_run, tmp_path, typo_cell="F2")
    assert done.returncode != 0
    assert "bo.xlsx" in done.stderr and "celle F2" in done.stderr, done.stderr[-3000:]
