"""Facts for the front page of the HTML report: what was analysed, by whom, with which software."""

from __future__ import annotations

import csv
from importlib import metadata
from pathlib import Path

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


def count_rows(path: str | Path) -> int | None:
    """Data rows of a CSV file, or None if it does not exist."""
    path = Path(path)
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        return max(sum(1 for _ in csv.reader(f)) - 1, 0)


def front_page_facts(study: str, config: dict, root: str | Path = ".") -> dict:
    """Study, number of examples and coders, whether coders are simulated, and software versions."""
    coding = config.get("coding", {}) or {}
    coders = list(coding.get("coders", []) or [])
    n_examples = count_rows(Path(root) / "data" / "raw" / study / "examples.csv")
    if n_examples is None:  # a new round: the examples come from its ingested forms
        n_examples = count_rows(Path(root) / "data" / "processed" / study / "examples.csv")
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
