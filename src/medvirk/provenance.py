"""Facts for the front page of the HTML report: what was analysed, by whom, with which software."""

from __future__ import annotations

import csv
import sys
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from medvirk.formulas import restore

PACKAGES = (
    "medvirk",
    "snakemake",
    "pandas",
    "numpy",
    "scikit-learn",
    "krippendorff",
    "spacy",
    "matplotlib",
    "openpyxl",
    "simplemma",
    "scipy",
    "lxml",
    "xmlschema",
)


def package_versions(packages: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each package ('not installed' where missing)."""
    out = {}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@contextmanager
def _any_field_size():
    """Let the csv module read fields of any length (its default limit is 131,072 characters)."""
    old = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


# These run when Snakemake parses the workflow, on tables an earlier run left behind. No table
# may make every later run fail at parse time (a form with a 200,000-character answer once did):
# a table that cannot be read counts as not there, and the step that writes it runs again.
_UNREADABLE = (OSError, csv.Error, UnicodeDecodeError, ValueError)


def count_rows(path: str | Path) -> int | None:
    """Data rows of a CSV file, or None if it does not exist or cannot be read."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        with _any_field_size(), path.open(encoding="utf-8", newline="") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)
    except _UNREADABLE:
        return None


def coders_in(path: str | Path) -> list[str] | None:
    """The coders of a codings table (column `coder`), sorted; None if it is not there or cannot
    be read."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        with _any_field_size(), path.open(encoding="utf-8", newline="") as f:
            rows = csv.DictReader(f)
            return sorted({restore(row["coder"]) for row in rows if row.get("coder")})
    except _UNREADABLE:
        return None


def front_page_facts(study: str, config: dict, root: str | Path = ".") -> dict:
    """Study, number of examples and coders, whether coders are simulated, and software versions.

    The report is built after the run, so the numbers come from what the run used: the coders in
    data/processed/<study>/codings.csv (coders from .qdpx projects included) and the examples in
    its examples.csv; before a run, the configured coders and the curated or ingested examples.
    """
    coding = config.get("coding", {}) or {}
    processed = Path(root) / "data" / "processed" / study
    coders = coders_in(processed / "codings.csv")
    if coders is None:
        coders = list(coding.get("coders", []) or [])
    n_examples = None
    for path in (
        processed / "examples.csv",
        Path(root) / "data" / "raw" / study / "examples.csv",
        processed / "examples_ingested.csv",
    ):
        n_examples = count_rows(path)
        if n_examples is not None:
            break
    return {
        "study": study,
        "n_examples": "not yet known (examples are ingested during the run)"
        if n_examples is None
        else n_examples,
        "n_coders": len(coders),
        "coders": ", ".join(coders) if coders else "none configured",
        "simulated": bool(coding.get("simulate", False)),
        "versions": package_versions(),
    }
