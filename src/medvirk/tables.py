"""Table 1 of the study: merged success factors by category with counts, as CSV, Markdown, Excel
and LaTeX; and the one LaTeX table writer the other tables (audit, agreement, merging) use."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from medvirk.counting import presence_source_label
from medvirk.studydata import published_by_prefix
from medvirk.xlsxio import save_workbook

TABLE1_NOTE = (
    "n = antall eksempler der faktoren ble funnet: eksemplene faktoren er knyttet til (fra kodernes "
    "konsensus, eller fra kuratorenes fordeling av de rå faktorene i vedlegg 3 på eksempler), pluss "
    "én for hver rå faktor kuratorenes fordeling ikke gir et eksempel (en antakelse: en slik faktor "
    "kan komme fra et eksempel som alt er talt, eller stå for flere). n_published er tallet i "
    "rapportens tabell 1, bare til sammenligning; reproduction/audit.md setter dem ved siden av "
    "hverandre.\n\n"
    "n = the number of examples in which the factor was identified: the examples it is attributed to "
    "(by the coders' consensus, or by the curators' attribution of appendix 3's raw factors to "
    "examples), plus one for each raw factor the curators' attribution gives no example (an "
    "assumption: such a factor may come from an example already counted, or stand for several). "
    "n_published is the count printed in the report's Table 1, shown for reference only; "
    "reproduction/audit.md compares them."
)

# A new round coded from its forms: no raw factors, no published Table 1.
TABLE1_NOTE_FROM_FORMS = (
    "n = antall eksempler der kodernes konsensus markerer faktoren (konsensusmøtets beslutninger, "
    "og coding.majority_policy der møtet ikke avgjorde en celle). Runden har ingen rå faktorer og "
    "ingen publisert tabell 1, så n_unattributed og n_raw_factors er 0 og n_published er tom.\n\n"
    "n = the number of examples in which the coders' consensus marks the factor (the consensus "
    "meeting's decisions, and coding.majority_policy where it left a cell undecided). This round "
    "has no raw factors and no published Table 1, so n_unattributed and n_raw_factors are 0 and "
    "n_published is empty."
)

# The legend of table1.md: with the report's printed counts beside the regenerated ones, or
# the regenerated counts alone (a new round) in the report's notation.
TABLE1_LEGEND_PRINTED = (
    "«(xN)» etter en faktor er rapportens egen merking av tallet den trykket (N > 1; uten merke: "
    "1). Under hver faktor står det trykte tallet og n regenerert her. Faktorene står slik "
    "rapporten ordnet dem.\n\n"
    "«(xN)» after a factor is the report's own mark of the count it printed (N > 1; no mark: 1). "
    "Below each factor: the printed count and n regenerated here. Factors in the report's order."
)
TABLE1_LEGEND_REGENERATED = (
    "«(xN)»: funnet i N eksempler, der N ≠ 1; uten merke: i ett; «(x0)»: i ingen. Sortert etter "
    "n.\n\n"
    "«(xN)»: identified in N examples, where N ≠ 1; no mark: in one; «(x0)»: in none. Sorted by n."
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
    """The report's notation: "(xN)" after a factor named in more than one example.

    "(x0)" marks a factor no example named, which the report's own table never has.
    """
    return f" (x{n})" if n != 1 else ""


def table1_markdown(table: pd.DataFrame, title: str, note: str) -> str:
    """Table 1 laid out as published: one column per category, Norwegian with English below.

    Where the study has the report's printed counts, each factor carries the report's own
    «(xN)» mark of the printed count, then the printed and the regenerated count, in the
    report's order (factor_id). Otherwise the regenerated n in that notation, sorted by n.
    """
    printed = table["n_published"].notna().any()
    if printed:
        table = table.sort_values(["factor_id"], kind="stable")
    cats = list(
        dict.fromkeys(
            zip(table["category_id"], table["category"], table["category_en"], strict=True)
        )
    )
    columns = [table[table["category_id"] == cid] for cid, _, _ in cats]
    depth = max(len(c) for c in columns)
    header = "| " + " | ".join(f"{nb}<br>*{en}*" for _, nb, en in cats) + " |"
    legend = TABLE1_LEGEND_PRINTED if printed else TABLE1_LEGEND_REGENERATED
    lines = [f"# {title}", "", note, "", legend, "", header, "|" + "---|" * len(cats)]
    for i in range(depth):
        cells = []
        for col in columns:
            if i >= len(col):
                cells.append("")
                continue
            r = col.iloc[i]
            if printed and pd.notna(r["n_published"]):
                pub = int(r["n_published"])
                cells.append(
                    f"{r['factor']}{count_mark(pub)}<br>*{r['factor_en']}*<br>"
                    f"trykt / printed {pub} · regenerert / regenerated {int(r['n'])}"
                )
            else:
                cells.append(f"{r['factor']}{count_mark(int(r['n']))}<br>*{r['factor_en']}*")
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
    # Symbols pdfLaTeX's utf8 input encoding does not know: set them as math, which every engine has.
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "×": r"$\times$",
    "→": r"$\rightarrow$",
}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters; æøå and «» pass through (use UTF-8 input encoding).

    ≥, ≤, × and → become math symbols, since pdfLaTeX's utf8 encoding has no text glyph for them.
    """
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def latex_preamble_comment(packages: str = r"\usepackage{booktabs}") -> str:
    """The comment that heads every generated table: which packages it needs, and UTF-8."""
    return (
        f"% Generated by medvirk. Needs {packages}.\n"
        r"% UTF-8 (æøå): with pdfLaTeX add \usepackage[utf8]{inputenc} and \usepackage[T1]{fontenc};"
        "\n% LuaLaTeX and XeLaTeX read UTF-8 as it is."
    )


def latex_table(
    header: Sequence[str],
    blocks: Sequence[tuple[str | None, Sequence[Sequence[str]]]],
    *,
    align: Sequence[str],
    caption: tuple[str, str],
    label: str,
    note: str = "",
    long: bool = False,
) -> str:
    """A booktabs table for papers: the one writer behind every LaTeX table medvirk makes.

    `header` and the cells of `blocks` are LaTeX (escape text with `latex_escape`);
    `caption` (Bokmål, English) and `note` are plain text and escaped here. Each block is
    (title or None, rows): a title spans all columns, blocks are separated by a little space.
    `align` gives one column type per column ("l", "r", "p{0.5\\linewidth}"). `long` makes a
    longtable that breaks across pages (needs \\usepackage{longtable}).
    """
    width = len(align)
    if len(header) != width:
        raise ValueError(f"{len(header)} header cells for {width} columns")
    for _, rows in blocks:
        for row in rows:
            if len(row) != width:
                raise ValueError(f"row {list(row)} has {len(row)} cells for {width} columns")
    nb, en = caption
    caption_line = rf"\caption{{{latex_escape(nb)} / {latex_escape(en)}}}\label{{{label}}}"
    head = [r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    body = []
    for k, (title, rows) in enumerate(blocks):
        if k:
            body.append(r"\addlinespace")
        if title is not None:
            body.append(rf"\multicolumn{{{width}}}{{l}}{{{title}}} \\")
        body += [" & ".join(row) + r" \\" for row in rows]
    note_line = [rf"{{\footnotesize {latex_escape(note)}\par}}"] if note else []
    spec = " ".join(align)
    if long:
        lines = [
            latex_preamble_comment(r"\usepackage{booktabs} and \usepackage{longtable}"),
            r"\begingroup",
            r"\small",
            rf"\begin{{longtable}}{{{spec}}}",
            caption_line + r" \\",
            *head,
            r"\endfirsthead",
            *head,
            r"\endhead",
            r"\bottomrule",
            r"\endfoot",
            *body,
            r"\end{longtable}",
            *note_line,
            r"\endgroup",
        ]
    else:
        lines = [
            latex_preamble_comment(),
            r"\begin{table}[ht]",
            r"\centering",
            r"\small",
            caption_line,
            rf"\begin{{tabular}}{{{spec}}}",
            *head,
            *body,
            r"\bottomrule",
            r"\end{tabular}",
            *([r"\par\smallskip"] + note_line if note_line else []),
            r"\end{table}",
        ]
    return "\n".join(lines) + "\n"


def latex_number(value, digits: int = 0) -> str:
    """A number for a LaTeX cell: fixed decimals, a true minus sign, "---" where there is none."""
    number = pd.to_numeric(value, errors="coerce")
    if pd.isna(number):
        return "---"
    text = f"{abs(float(number)):.{digits}f}"
    return f"$-${text}" if float(number) < 0 and float(text) != 0 else text


def table1_latex(
    table: pd.DataFrame, study: str, source: str = "curated", simulated: bool = False
) -> str:
    """Table 1 as a booktabs table: one block per category, n and the published count.

    `source` says where n was counted from ("consensus" or "curated", with `simulated` coders or
    not); the note says so.
    """
    blocks = []
    for (_, cat, cat_en), rows in table.groupby(
        ["category_id", "category", "category_en"], sort=False
    ):
        title = rf"\textbf{{{latex_escape(cat)}}} / \textit{{{latex_escape(cat_en)}}}"
        cells = [
            [
                latex_escape(r.factor_id),
                rf"{latex_escape(r.factor)} \newline \textit{{{latex_escape(r.factor_en)}}}",
                latex_number(r.n),
                "" if pd.isna(r.n_published) else latex_number(r.n_published),
            ]
            for r in rows.itertuples(index=False)
        ]
        blocks.append((title, cells))
    nb, en = presence_source_label(source, simulated)
    note = f"n: antall eksempler, telt fra {nb} / number of examples, counted from {en}."
    if table["n_published"].notna().any():
        note += (
            " Publisert: antallet i rapportens Tabell 1, til sammenligning / "
            "published: the count in the report's Table 1, for comparison."
        )
    return latex_table(
        ["Id", r"Suksessfaktor / \textit{success factor}", "$n$", "Publisert"],
        blocks,
        align=["l", r"p{0.55\linewidth}", "r", "r"],
        caption=("Suksessfaktorene kategorisert", f"success factors by category ({study})"),
        label=f"tab:{study}-table1",
        note=note,
    )


def read_table1(path) -> pd.DataFrame:
    """Read a table1.csv written by the workflow, with counts as integers (n_published may be empty)."""
    from medvirk.io import read_csv

    table = read_csv(path)
    table["n"] = table["n"].astype(int)
    table["n_published"] = table["n_published"].replace("", None).astype("Int64")
    return table
