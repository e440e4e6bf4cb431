"""Table 1 of the study: merged success factors by category with counts, as CSV, Markdown and Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from medvirk.studydata import published_by_prefix
from medvirk.xlsxio import save_workbook

TABLE1_NOTE = (
    "n = the number of examples in which the factor was identified: distinct examples whose raw factors "
    "(appendix 3) the merge map puts under this factor, plus one for each such raw factor whose example the "
    "published material does not give. (xN) marks N > 1, as in the report. n_published is the count printed "
    "in the report's Table 1, shown for reference only; results/<study>/reproduction/audit.md compares them."
)

TABLE1_COLUMNS = [
    "category_id",
    "category",
    "category_en",
    "factor_id",
    "factor",
    "factor_en",
    "n",
    "n_examples",
    "n_unattributed",
    "n_raw_factors",
    "n_published",
]


def build_table1(
    counts: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
    published: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Long Table 1: one row per factor, categories in published order, factors by count (desc).

    Ties keep the published order. `n_published` is the count printed in the report, a
    reference for comparison only (empty where the study has no published table).
    """
    cats = categories.rename(
        columns={"label_nb": "category", "label_en": "category_en", "published_order": "cat_order"}
    )
    fac = factors.rename(columns={"label_nb": "factor", "label_en": "factor_en"})
    t = counts.merge(
        fac[["factor_id", "factor", "factor_en", "published_order"]],
        on="factor_id",
        validate="one_to_one",
    )
    t = t.merge(
        cats[["category_id", "category", "category_en", "cat_order"]],
        on="category_id",
        validate="many_to_one",
    )
    pub = published_by_prefix(published, "table1_count/")
    t["n_published"] = t["factor_id"].map(pub).astype("Int64")
    t["cat_order"] = t["cat_order"].astype(int)
    t["published_order"] = t["published_order"].astype(int)
    t = t.sort_values(
        ["cat_order", "n", "published_order"], ascending=[True, False, True], kind="stable"
    )
    return t[TABLE1_COLUMNS].reset_index(drop=True)


def count_mark(n: int) -> str:
    """The report's notation: "(xN)" after a factor named in more than one example."""
    return f" (x{n})" if n != 1 else ""


def table1_markdown(table: pd.DataFrame, title: str, note: str) -> str:
    """Table 1 laid out as published: one column per category, factors sorted by count."""
    cats = list(
        dict.fromkeys(
            zip(table["category_id"], table["category"], table["category_en"], strict=True)
        )
    )
    columns = [table[table["category_id"] == cid] for cid, _, _ in cats]
    depth = max(len(c) for c in columns)
    header = "| " + " | ".join(f"{nb}<br>*{en}*" for _, nb, en in cats) + " |"
    lines = [f"# {title}", "", note, "", header, "|" + "---|" * len(cats)]
    for i in range(depth):
        cells = []
        for col in columns:
            if i < len(col):
                r = col.iloc[i]
                cells.append(f"{r['factor']}{count_mark(int(r['n']))}<br>*{r['factor_en']}*")
            else:
                cells.append("")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


def write_table1_xlsx(table: pd.DataFrame, path: str | Path, note: str) -> None:
    """Excel version for people: the long table with Norwegian and English headers, and a note."""
    headers = {
        "category_id": "Kategori-id / category id",
        "category": "Kategori / category",
        "category_en": "Category (English)",
        "factor_id": "Faktor-id / factor id",
        "factor": "Suksessfaktor / success factor",
        "factor_en": "Success factor (English)",
        "n": "Antall eksempler (n) / examples",
        "n_examples": "Eksempler med kjent tilknytning / attributed examples",
        "n_unattributed": "Faktorer uten kjent eksempel / unattributed raw factors",
        "n_raw_factors": "Sammenslåtte faktorer / raw factors merged",
        "n_published": "Publisert antall (referanse) / published count (reference)",
    }
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabell 1"
    ws.append([headers[c] for c in TABLE1_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in table.itertuples(index=False):
        ws.append(
            [None if pd.isna(v) else (int(v) if isinstance(v, int | float) else v) for v in rec]
        )
    for col, width in zip("ABCDEFGHIJK", (10, 28, 28, 10, 50, 50, 12, 14, 14, 14, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("Merknad")
    for line in note.splitlines():
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    save_workbook(wb, path)


_LATEX_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters; æøå and «» pass through (use UTF-8 input encoding)."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def table1_latex(table: pd.DataFrame, caption: str) -> str:
    """Table 1 as a booktabs LaTeX table for papers: one block per category, n and the published count."""
    lines = [
        r"% Generated by medvirk; needs \usepackage{booktabs} and UTF-8 input.",
        r"\begin{table}[ht]",
        r"\centering",
        r"\small",
        rf"\caption{{{latex_escape(caption)}}}",
        r"\begin{tabular}{l p{0.55\linewidth} r r}",
        r"\toprule",
        r"Id & Suksessfaktor / success factor & $n$ & Publisert \\",
        r"\midrule",
    ]
    for k, ((_, cat, cat_en), rows) in enumerate(
        table.groupby(["category_id", "category", "category_en"], sort=False)
    ):
        if k:
            lines.append(r"\addlinespace")
        lines.append(
            rf"\multicolumn{{4}}{{l}}{{\textbf{{{latex_escape(cat)}}} / \textit{{{latex_escape(cat_en)}}}}} \\"
        )
        for r in rows.itertuples(index=False):
            pub = "" if pd.isna(r.n_published) else str(int(r.n_published))
            lines.append(
                rf"{r.factor_id} & {latex_escape(r.factor)} \newline \textit{{{latex_escape(r.factor_en)}}} & {int(r.n)} & {pub} \\"
            )
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}", ""]
    return "\n".join(lines)


def read_table1(path) -> pd.DataFrame:
    """Read a table1.csv written by the workflow, with counts as integers (n_published may be empty)."""
    from medvirk.io import read_csv

    table = read_csv(path)
    table["n"] = table["n"].astype(int)
    table["n_published"] = table["n_published"].replace("", None).astype("Int64")
    return table
