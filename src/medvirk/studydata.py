"""Read and validate the curated files of a study under data/raw/<study>/.

Every check names the file, the row (as a spreadsheet shows it: the header is row 1) and
what is wrong, so that a researcher can fix the file without reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from medvirk.errors import RESEARCHER, InputError, in_language_of
from medvirk.io import read_user_csv
from medvirk.privacy import find_personal_data

# File name (relative to the study folder) -> how its rows must look.
EXAMPLES = "examples.csv"
RAW_FACTORS = "raw_factors.csv"
CATEGORIES = "codebook/categories.csv"
FACTORS = "codebook/factors.csv"
MERGE_MAP = "codebook/merge_map.csv"
PUBLISHED = "published_numbers.csv"
LADDER = "ladder.csv"

MATERIALS = ("written_form", "partial", "presentation_only")
LEVELS = ("individual", "service", "system")
ATTRIBUTIONS = ("stated", "inferred", "unknown")
MERGE_RULES = ("same_wording", "same_notion", "report_groups", "instrument", "no_factor")


@dataclass(frozen=True)
class Spec:
    """What one input table must contain."""

    columns: tuple[str, ...]
    key: str | None = None
    key_pattern: str | None = None
    required: tuple[str, ...] = ()
    allowed: tuple[tuple[str, tuple[str, ...], bool], ...] = ()  # (column, values, blank allowed)
    integers: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()  # columns a study may leave out; checked when present


SPECS: dict[str, Spec] = {
    EXAMPLES: Spec(
        columns=(
            "example_id",
            "municipality",
            "institution",
            "institution_type",
            "service",
            "title",
            "summary",
            "material",
            "material_note",
            "level",
            "presented_in_report",
            "patient_story",
            "everyday_mastery",
        ),
        key="example_id",
        key_pattern=r"E\d{2,}",
        required=("municipality", "institution", "title", "material"),
        allowed=(
            ("material", MATERIALS, False),
            ("level", LEVELS, True),
            ("institution_type", ("municipality", "intermunicipal", "hospital"), False),
            ("presented_in_report", ("yes",), True),
            ("patient_story", ("yes",), True),
            ("everyday_mastery", ("yes",), True),
        ),
        # Curated readings of the report that the audit counts (data/raw/fhi2016/README.md).
        optional=("patient_story", "everyday_mastery"),
    ),
    RAW_FACTORS: Spec(
        columns=(
            "raw_factor_id",
            "position",
            "text",
            "example_id",
            "attribution",
            "attribution_note",
        ),
        key="raw_factor_id",
        key_pattern=r"R\d{3,}",
        required=("text", "attribution"),
        allowed=(("attribution", ATTRIBUTIONS, False),),
        integers=("position",),
    ),
    CATEGORIES: Spec(
        columns=(
            "category_id",
            "label_nb",
            "label_en",
            "description_nb",
            "description_en",
            "published_order",
        ),
        key="category_id",
        key_pattern=r"C\d+",
        required=("label_nb", "label_en"),
        integers=("published_order",),
    ),
    FACTORS: Spec(
        columns=("factor_id", "category_id", "label_nb", "label_en", "published_order"),
        key="factor_id",
        key_pattern=r"F\d{2,}",
        required=("category_id", "label_nb", "label_en"),
        integers=("published_order",),
    ),
    MERGE_MAP: Spec(
        columns=("raw_factor_id", "factor_id", "rule", "reason"),
        key="raw_factor_id",
        key_pattern=r"R\d{3,}",
        required=("rule",),
        allowed=(("rule", MERGE_RULES, False),),
    ),
    PUBLISHED: Spec(
        columns=("quantity_id", "label", "published", "source", "note"),
        key="quantity_id",
        required=("label", "published", "source"),
        integers=("published",),
    ),
    LADDER: Spec(
        columns=(
            "instrument_nb",
            "instrument_en",
            "step",
            "step_nb",
            "step_en",
            "level",
            "level_nb",
            "level_en",
            "order_in_cell",
            "note",
        ),
        required=("instrument_nb", "instrument_en", "step", "level"),
        allowed=(("step", ("1", "2", "3", "4"), False), ("level", ("A", "B", "C"), False)),
        integers=("order_in_cell",),
    ),
}


def read_table(path: str | Path, spec: Spec) -> pd.DataFrame:
    """Read one CSV as text and check it against `spec`; raise InputError on the first problem."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            path, "file is missing. Every study needs this file; see data/raw/README.md."
        )
    # Any encoding and separator a spreadsheet writes; text in NFC; index = spreadsheet row.
    # Blank rows are kept, so that load_study's checks count rows as a spreadsheet does.
    df = read_user_csv(path, RESEARCHER, drop_blank_rows=False)
    missing = [c for c in spec.columns if c not in df.columns and c not in spec.optional]
    if missing:
        expected = ", ".join(spec.columns)
        raise InputError(
            path,
            in_language_of(
                RESEARCHER,
                f"mangler kolonne(r) {', '.join(missing)}. Forventet: {expected}.",
                f"missing column(s) {', '.join(missing)}. Expected: {expected}.",
            ),
        )
    rows = list(df.index)  # as a spreadsheet numbers them: the header is row 1
    columns = [c for c in spec.columns if c in df.columns]
    df = df[columns].reset_index(drop=True)
    for col in columns:
        df[col] = df[col].str.strip()
    for i, rec in enumerate(df.to_dict("records")):
        row = rows[i]
        if spec.key:
            key = rec[spec.key]
            if not key:
                raise InputError(path, f"'{spec.key}' is empty.", row, spec.key)
            if spec.key_pattern and not re.fullmatch(spec.key_pattern, key):
                raise InputError(
                    path,
                    f"'{key}' is not a valid {spec.key} (expected a form like {spec.key_pattern}).",
                    row,
                    spec.key,
                )
        for col in spec.required:
            if not rec[col]:
                raise InputError(path, f"'{col}' is empty; it is required.", row, col)
        for col, values, blank_ok in spec.allowed:
            if col not in rec:
                continue
            value = rec[col]
            if (value or not blank_ok) and value not in values:
                shown = ", ".join(values) + (" or empty" if blank_ok else "")
                raise InputError(path, f"'{value}' is not an allowed value; use {shown}.", row, col)
        for col in spec.integers:
            if not re.fullmatch(r"-?\d+", rec[col]):
                raise InputError(path, f"'{rec[col]}' is not a whole number.", row, col)
    if spec.key:
        dup = df[spec.key].duplicated(keep="first")
        if dup.any():
            i = int(dup.to_numpy().nonzero()[0][0])
            first = rows[int((df[spec.key] == df[spec.key].iloc[i]).to_numpy().nonzero()[0][0])]
            raise InputError(
                path,
                f"duplicate {spec.key} '{df[spec.key].iloc[i]}' (first used in row {first}). Ids must be unique.",
                rows[i],
                spec.key,
            )
    for col in spec.integers:
        df[col] = df[col].astype(int)
    return df


def check_no_contact_details(
    df: pd.DataFrame, path: str | Path, columns: list[str], key: str = "example_id"
) -> None:
    """Refuse identity numbers, e-mail addresses and phone numbers in free-text columns of
    curated tables (the patterns are those of medvirk.privacy)."""
    what = {
        "email": "holds an e-mail address",
        "phone": "holds what looks like a phone number",
        "id_number": "holds what looks like a Norwegian identity number (fødselsnummer)",
    }
    for i, rec in enumerate(df.to_dict("records")):
        for col in columns:
            for finding in find_personal_data(rec[col]):
                raise InputError(
                    path,
                    f"{key} {rec[key]} {what[finding.kind]} ({finding.masked}). "
                    "Contact details must not be stored here.",
                    i + 2,
                    col,
                )


def _check_reference(df, path, column, known, known_name, key, blank_ok=False):
    for i, rec in enumerate(df.to_dict("records")):
        value = rec[column]
        if not value and blank_ok:
            continue
        if value not in known:
            raise InputError(
                path,
                f"{key} {rec[df.columns[0]]}: '{value}' is not in {known_name}.",
                i + 2,
                column,
            )


def load_study(study_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read and cross-check all curated files of one study. Returns the tables by file name."""
    d = Path(study_dir)
    t = {name: read_table(d / name, spec) for name, spec in SPECS.items()}
    ex, raw, cats, fac, mm = t[EXAMPLES], t[RAW_FACTORS], t[CATEGORIES], t[FACTORS], t[MERGE_MAP]

    check_no_contact_details(
        ex, d / EXAMPLES, ["institution", "service", "title", "summary", "material_note"]
    )
    if "patient_story" in ex.columns:
        for i, rec in enumerate(ex.to_dict("records")):
            if rec["patient_story"] == "yes" and rec["presented_in_report"] != "yes":
                raise InputError(
                    d / EXAMPLES,
                    f"example {rec['example_id']} has patient_story 'yes' but is not presented in "
                    "the report (presented_in_report); only presented examples are read for it.",
                    i + 2,
                    "patient_story",
                )
    _check_reference(
        raw,
        d / RAW_FACTORS,
        "example_id",
        set(ex["example_id"]),
        EXAMPLES,
        "raw factor",
        blank_ok=True,
    )
    for i, rec in enumerate(raw.to_dict("records")):
        if rec["attribution"] == "unknown" and rec["example_id"]:
            raise InputError(
                d / RAW_FACTORS,
                f"raw factor {rec['raw_factor_id']} names example {rec['example_id']} but its attribution is 'unknown'; use 'stated' or 'inferred', or clear the example.",
                i + 2,
                "attribution",
            )
        if rec["attribution"] != "unknown" and not rec["example_id"]:
            raise InputError(
                d / RAW_FACTORS,
                f"raw factor {rec['raw_factor_id']} is '{rec['attribution']}' but names no example.",
                i + 2,
                "example_id",
            )
        if rec["attribution"] == "inferred" and not rec["attribution_note"]:
            raise InputError(
                d / RAW_FACTORS,
                f"raw factor {rec['raw_factor_id']} is inferred; write the reason in attribution_note.",
                i + 2,
                "attribution_note",
            )
    _check_reference(
        fac, d / FACTORS, "category_id", set(cats["category_id"]), CATEGORIES, "factor"
    )
    _check_reference(
        mm, d / MERGE_MAP, "raw_factor_id", set(raw["raw_factor_id"]), RAW_FACTORS, "merge-map row"
    )
    _check_reference(
        mm, d / MERGE_MAP, "factor_id", set(fac["factor_id"]), FACTORS, "raw factor", blank_ok=True
    )
    for i, rec in enumerate(mm.to_dict("records")):
        if not rec["factor_id"] and not rec["reason"]:
            raise InputError(
                d / MERGE_MAP,
                f"raw factor {rec['raw_factor_id']} is mapped to no factor; write the reason.",
                i + 2,
                "reason",
            )
        if not rec["factor_id"] and rec["rule"] not in ("instrument", "no_factor"):
            raise InputError(
                d / MERGE_MAP,
                f"raw factor {rec['raw_factor_id']} has no factor_id but rule '{rec['rule']}'; use 'instrument' or 'no_factor'.",
                i + 2,
                "factor_id",
            )
        if rec["factor_id"] and rec["rule"] in ("instrument", "no_factor"):
            raise InputError(
                d / MERGE_MAP,
                f"raw factor {rec['raw_factor_id']} has rule '{rec['rule']}' but is mapped to {rec['factor_id']}; clear factor_id or change the rule.",
                i + 2,
                "factor_id",
            )
    unmapped = sorted(set(raw["raw_factor_id"]) - set(mm["raw_factor_id"]))
    if unmapped:
        raise InputError(
            d / MERGE_MAP,
            f"no row for raw factor(s) {', '.join(unmapped)}. Map every raw factor, to a factor or to none with a reason.",
        )
    return t


def load_codebook(study_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read and cross-check the codebook alone (categories and factors), for a new round of forms.

    Such a round has no raw factors, so its merge map is not read. Returns the tables by file name.
    """
    d = Path(study_dir)
    t = {name: read_table(d / name, SPECS[name]) for name in (CATEGORIES, FACTORS)}
    _check_reference(
        t[FACTORS], d / FACTORS, "category_id", set(t[CATEGORIES]["category_id"]), CATEGORIES,
        "factor",
    )  # fmt: skip
    return t


def published_by_prefix(published: pd.DataFrame | None, prefix: str) -> dict[str, int]:
    """Published values whose quantity_id starts with `prefix` ("table1_count/"), keyed by the rest."""
    if published is None:
        return {}
    rows = published[published["quantity_id"].str.startswith(prefix)]
    return {
        q.removeprefix(prefix): int(v)
        for q, v in zip(rows["quantity_id"], rows["published"], strict=True)
    }


def coding_targets(
    study_dir: str | Path,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    """(examples, factors, categories, where the examples come from) that a study's codings map
    onto.

    A curated study has them in data/raw/<study>/examples.csv. A round made from forms
    (forms/, no examples.csv) gets its examples by ingesting the forms in memory, as the
    workflow does (the ids come from the forms' content, so they are the workflow's ids);
    nothing is written. Its factors are its codebook's.
    """
    from medvirk import forms

    d = Path(study_dir)
    if (d / EXAMPLES).exists() or not (d / "forms").is_dir():
        tables = load_study(d)
        return tables[EXAMPLES], tables[FACTORS], tables[CATEGORIES], str(d / EXAMPLES)
    codebook = load_codebook(d)
    ingested = forms.ingest(forms.submission_files(d / "forms"))
    examples = forms.examples_from_forms(ingested.records)
    source = f"{d / 'forms'} ({len(examples)} form(s) read, {len(ingested.rejected)} unreadable)"
    return examples, codebook[FACTORS], codebook[CATEGORIES], source
