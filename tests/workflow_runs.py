"""Projects the end-to-end tests run the real workflow in, and what coders and the consensus
meeting do to them between runs.

A project is a temporary folder holding what a user's clone holds for a run: the Snakefile,
workflow/, config/ and data/raw/ (the embedded study whole, or only its codebook, which a new
round made by `medvirk new-study` starts from). The workflow runs in it as users run it: the
snakemake command in a subprocess, with two cores. Runs are asked for by what they make (output
paths), never by rule names.
"""

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from medvirk import codings, consensus
from medvirk.studies import new_study

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SNAKEMAKE = str(BIN / "snakemake")
EMBEDDED_STUDY = "fhi2016"


def workflow_copy(root: Path, *, embedded: bool = False) -> Path:
    """The workflow and its config in `root`, with the embedded study's data (`embedded`) or only
    its codebook, which `medvirk new-study` copies into a new round."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "config"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    data = REPO / "data/raw" / EMBEDDED_STUDY
    if embedded:
        shutil.copytree(data, root / "data/raw" / EMBEDDED_STUDY)
    else:
        shutil.copytree(data / "codebook", root / "data/raw" / EMBEDDED_STUDY / "codebook")
    return root


def new_round(
    root: Path, study: str, *, settings: str | None = None, config: str | None = None
) -> Path:
    """A project holding a new round made by `medvirk new-study`; returns its forms folder.

    `settings` is written as the round's data/raw/<study>/study.yaml, `config` as
    config/round.yaml (pass it with `snakemake(..., configfiles=["config/round.yaml"])`).
    """
    workflow_copy(root)
    if config is not None:
        (root / "config/round.yaml").write_text(config, encoding="utf-8")
    folder = new_study(root, study)
    if settings is not None:
        (folder / "study.yaml").write_text(settings, encoding="utf-8")
    return folder / "forms"


def snakemake(
    project: Path,
    *args: str,
    study: str | None = None,
    config: tuple[str, ...] = (),
    configfiles: tuple[str, ...] | list[str] = (),
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """`snakemake ARGS --cores 2 [--config study=STUDY CONFIG...] [--configfile ...]` in
    `project`, as a user runs it; `config` holds further `key=value` settings.

    `args` come first, so a target path is never read as a value of --config or --configfile.
    """
    command = [SNAKEMAKE, *args, "--cores", "2"]
    settings = ([f"study={study}"] if study is not None else []) + list(config)
    if settings:
        command += ["--config", *settings]
    if configfiles:
        command += ["--configfile", *configfiles]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def copy_of(project: Path, destination: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """A copy of a project after its runs, modification times and Snakemake's records kept, so
    the workflow sees in it what it saw in the original: copying a finished run costs a fraction
    of a second, running it again minutes. `leave_out`: paths (relative to `project`) not copied.
    """
    skip = {project / p for p in leave_out}

    def ignored(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if Path(folder) / n in skip}

    shutil.copytree(project, destination, symlinks=True, ignore=ignored)
    return destination


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class CodingSheet:
    """A coder's coding workbook opened for filling in, as a coder does in Excel."""

    book: object
    sheet: object
    column: dict  # header key (row codings.HEADER_ROW) -> column number
    rows: list[int]  # the rows holding an example, in the sheet's order

    @classmethod
    def open(cls, path: Path) -> "CodingSheet":
        book = load_workbook(path)
        sheet = book[codings.SHEET]
        column = {cell.value: cell.column for cell in sheet[codings.HEADER_ROW]}
        return cls(book, sheet, column, list(range(codings.FIRST_DATA_ROW, sheet.max_row + 1)))

    @property
    def example_ids(self) -> list[str]:
        return [self.sheet.cell(row=r, column=1).value for r in self.rows]

    def put(self, position: int, key: str, value):
        """Write `value` in the column `key` of the example at `position` (0 = the first row)."""
        return self.sheet.cell(row=self.rows[position], column=self.column[key], value=value)

    def save(self, path: Path) -> Path:
        self.book.save(path)
        return path


def round_sheet(project: Path, study: str, coder: str) -> CodingSheet:
    """The sheet the run made for `coder` in results/<study>/coding_sheets/."""
    return CodingSheet.open(project / f"results/{study}/coding_sheets/{coder}.xlsx")


def hand_in(sheet: CodingSheet, project: Path, study: str, coder: str) -> Path:
    """The coder returns the filled sheet: saved as data/raw/<study>/codings/<coder>.xlsx."""
    return sheet.save(project / f"data/raw/{study}/codings/{coder}.xlsx")


def write_decisions(workbook: Path, decisions: dict, saved_as: Path | None = None) -> Path:
    """The consensus meeting types `decisions` ((example_id, factor_id or ladder key) -> value)
    into the disagreements workbook's «decision» column and saves it (in place, or as
    `saved_as`). Fails if a decision has no row among the disagreements."""
    book = load_workbook(workbook)
    sheet = book[consensus.DISAGREEMENTS_SHEET]
    header = {cell.value: cell.column for cell in sheet[4]}
    wanted = dict(decisions)
    for r in range(5, sheet.max_row + 1):
        key = (
            sheet.cell(row=r, column=header["example_id"]).value,
            sheet.cell(row=r, column=header["factor_id"]).value,
        )
        if key in wanted:
            sheet.cell(row=r, column=header["decision"], value=wanted.pop(key))
    assert not wanted, f"not among the disagreements: {wanted}"
    target = saved_as or workbook
    book.save(target)
    return target


def logs_saying(results: Path, text: str) -> list[str]:
    """The step logs under results/<study>/logs/ that hold `text` (whichever step wrote it)."""
    return [
        str(p.relative_to(results))
        for p in sorted((results / "logs").rglob("*.log"))
        if text in p.read_text(encoding="utf-8", errors="replace")
    ]
