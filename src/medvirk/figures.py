"""Figures of a study, drawn in one shared style (colour-blind safe, legible in greyscale, æøå).

Every figure is saved as PNG and SVG with fixed metadata, so reruns give identical bytes.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from medvirk.palette import HATCHES, PALETTE, category_colours  # noqa: E402
from medvirk.studydata import published_by_prefix  # noqa: E402

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib; has æøå
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "medvirk",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 150,
}


def save_figure(fig: plt.Figure, png: str | Path, svg: str | Path) -> None:
    """Save a figure as PNG and SVG without time stamps or version strings."""
    from medvirk.io import naming_file_on_error

    with plt.rc_context(STYLE):  # svg.hashsalt is read at save time
        with naming_file_on_error(png):
            fig.savefig(png, metadata={"Software": None}, bbox_inches="tight")
        with naming_file_on_error(svg):
            fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)


def with_english(label: str, english: object) -> str:
    """A Bokmål label with its English on a second line, or the label alone without English."""
    return f"{label}\n{english}" if isinstance(english, str) and english.strip() else label


def published_ticks(ax: plt.Axes, published: pd.Series, ys: list, label: str) -> None:
    """Published counts as black ticks across the bars at `ys`, then the legend with them last.

    Rows without a published count get no tick; with none at all there is no legend entry.
    """
    handles, names = ax.get_legend_handles_labels()
    if published.notna().any():
        ax.scatter(
            published.astype(float).to_numpy(), ys, marker="|", s=130, color="black", zorder=3
        )
        handles.append(Line2D([], [], marker="|", linestyle="", color="black", markersize=12))
        names.append(label)
    ax.legend(handles, names, loc="lower right", fontsize=7, frameon=False)


def factor_counts_figure(table1: pd.DataFrame, title: str) -> plt.Figure:
    """Horizontal bars of n per factor, grouped by category; published counts as markers.

    Factors are labelled in Bokmål with their id, and in English below when `factor_en` is given.
    """
    with plt.rc_context(STYLE):
        cats = list(
            dict.fromkeys(
                zip(table1["category_id"], table1["category"], table1["category_en"], strict=True)
            )
        )
        fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(table1) + 1.8))
        colours = category_colours(cid for cid, _, _ in cats)
        y, labels, ticks, published = 0, [], [], []
        for k, (cid, nb, en) in enumerate(cats):
            rows = table1[table1["category_id"] == cid]
            ys = [y + i for i in range(len(rows))]
            ax.barh(
                ys,
                rows["n"],
                color=colours[str(cid)],
                hatch=HATCHES[k % 8],
                edgecolor="black",
                linewidth=0.4,
                label=f"{nb} / {en}",
            )
            published.append(rows["n_published"])
            english = rows["factor_en"] if "factor_en" in rows else pd.Series("", index=rows.index)
            labels += [
                with_english(f"{f} ({fid})", e)
                for f, fid, e in zip(rows["factor"], rows["factor_id"], english, strict=True)
            ]
            ticks += ys
            y += len(rows) + 1
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()
        ax.set_xlabel("Antall eksempler / number of examples")
        ax.set_title(title, loc="left")
        published_ticks(
            ax, pd.concat(published), ticks, "Publisert antall (Tabell 1) / published count"
        )
        ax.xaxis.get_major_locator().set_params(integer=True)
        return fig


def examples_by_municipality_figure(counts: pd.DataFrame, title: str) -> plt.Figure:
    """Horizontal bars of examples per municipality or hospital trust; published counts as markers.

    `counts` has columns municipality, n and optionally n_published.
    """
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 0.32 * len(counts) + 1.4))
        ys = list(range(len(counts)))
        ax.barh(
            ys,
            counts["n"],
            color=PALETTE[0],
            edgecolor="black",
            linewidth=0.4,
            label="Regenerert / regenerated",
        )
        ax.set_yticks(ys, counts["municipality"])
        ax.invert_yaxis()
        ax.set_xlabel("Antall eksempler / number of examples")
        ax.set_title(title, loc="left")
        if "n_published" in counts:
            published_ticks(ax, counts["n_published"], ys, "Publisert (kap. 3) / published")
        else:
            ax.legend(loc="lower right", fontsize=7, frameon=False)
        ax.xaxis.get_major_locator().set_params(integer=True)
        return fig


def municipality_counts(
    examples: pd.DataFrame, published: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Examples per municipality, most first, with the published count where the report gives one."""
    n = examples.groupby("municipality", sort=True).size().rename("n").reset_index()
    pub = published_by_prefix(published, "examples_by_municipality/")
    n["n_published"] = n["municipality"].map(pub).astype("Int64")
    return n.sort_values(["n", "municipality"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def ladder_figure(
    ladder: pd.DataFrame, title: str, placements: pd.DataFrame | None = None
) -> plt.Figure:
    """The participation ladder (Figure 4): 4 steps × 3 levels with the instruments in their cells.

    `placements` (optional) has columns step, level, n: how many examples coders placed in each
    cell; it is printed in the cell's corner.
    """
    import textwrap

    steps = sorted(ladder["step"].astype(int).unique(), reverse=True)
    levels = sorted(ladder["level"].unique())
    step_names = dict(
        zip(ladder["step"].astype(int), ladder["step_nb"] + "\n" + ladder["step_en"], strict=False)
    )
    level_names = dict(
        zip(ladder["level"], ladder["level_nb"] + "\n" + ladder["level_en"], strict=False)
    )
    english = ladder["instrument_en"] if "instrument_en" in ladder else ladder["instrument_nb"]
    cells = {
        (int(s), lv): list(zip(g["instrument_nb"], g["instrument_en"], strict=True))
        for (s, lv), g in ladder.assign(
            order_in_cell=ladder["order_in_cell"].astype(int), instrument_en=english.fillna("")
        )
        .sort_values("order_in_cell")
        .groupby(["step", "level"])
    }
    counts = {}
    if placements is not None:
        counts = {
            (int(s), lv): int(n)
            for s, lv, n in placements[["step", "level", "n"]].itertuples(index=False)
        }
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(12, 11))
        ax.set_xlim(0, len(levels) + 0.55)
        ax.set_ylim(0, len(steps))
        ax.axis("off")
        # One 7-pt line (with spacing) in data units: a step row is one data unit high.
        line_height = 7 * 1.1 / 72 / (fig.get_figheight() * ax.get_position().height / len(steps))
        shades = [
            "#FFFFFF",
            "#EEF4FA",
            "#D9E8F5",
            "#C2DAF0",
        ]  # darker = higher step, legible in greyscale
        for r, step in enumerate(steps):
            y = len(steps) - r - 1
            # Right-aligned in the margin, so a long step name never runs into column A.
            ax.text(
                0.5,
                y + 0.5,
                f"{step}. {step_names[step]}",
                ha="right",
                va="center",
                fontsize=9,
                weight="bold",
            )
            for c, lv in enumerate(levels):
                x = c + 0.55
                ax.add_patch(
                    plt.Rectangle(
                        (x, y),
                        1,
                        1,
                        facecolor=shades[(step - 1) % 4],
                        edgecolor="black",
                        linewidth=0.6,
                        clip_on=False,  # the outer border sits on the axes edge
                    )
                )
                # Each instrument in Bokmål as published, its English in grey italics below.
                top = y + 0.97
                for nb, en in cells.get((step, lv), []):
                    for text, style in (
                        (
                            "– "
                            + textwrap.fill(nb, 40, subsequent_indent="  ", break_on_hyphens=False),
                            {},
                        ),
                        (
                            textwrap.fill(
                                en,
                                44,
                                initial_indent="  ",
                                subsequent_indent="  ",
                                break_on_hyphens=False,
                            ),
                            {"color": "#444444", "style": "italic", "fontsize": 6.5},
                        ),
                    ):
                        if not text.strip():
                            continue
                        ax.text(
                            x + 0.03, top, text, ha="left", va="top",
                            **{"fontsize": 7, "linespacing": 1.1, **style},
                        )  # fmt: skip
                        top -= (text.count("\n") + 1) * line_height
                    top -= line_height * 0.25
                if (step, lv) in counts:
                    ax.text(
                        x + 0.97,
                        y + 0.04,
                        f"n = {counts[(step, lv)]}",
                        ha="right",
                        va="bottom",
                        fontsize=8,
                        weight="bold",
                    )
        for c, lv in enumerate(levels):
            ax.text(
                c + 1.05,
                len(steps) + 0.04,
                f"{lv}. {level_names[lv]}",
                ha="center",
                va="bottom",
                fontsize=9,
                weight="bold",
            )
        ax.set_title(title, loc="left", pad=34)
        return fig


def example_label(example: dict) -> str:
    """An example's row label: its id and municipality, or its (shortened) title where the
    municipality is not known, as for examples from a new round's forms."""
    place = str(example.get("municipality") or "").strip()
    if not place:
        title = " ".join(str(example.get("title") or "").split())
        place = title if len(title) <= 40 else title[:39] + "…"
    return f"{example['example_id']} {place}".strip()


def example_factor_heatmap(
    matrix: pd.DataFrame, examples: pd.DataFrame, table1: pd.DataFrame, title: str
) -> plt.Figure:
    """Examples (rows) × factors (columns, grouped by category as in Table 1): dark cell = identified."""
    import numpy as np

    factor_ids = table1["factor_id"].tolist()
    example_ids = examples["example_id"].tolist()
    grid = np.zeros((len(example_ids), len(factor_ids)))
    row = {e: i for i, e in enumerate(example_ids)}
    col = {f: j for j, f in enumerate(factor_ids)}
    for e, f in matrix[["example_id", "factor_id"]].itertuples(index=False):
        if e in row and f in col:
            grid[row[e], col[f]] = 1
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(0.3 * len(factor_ids) + 3.5, 0.22 * len(example_ids) + 2.5))
        ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.25, aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(factor_ids)), factor_ids, rotation=90, fontsize=7)
        labels = [example_label(rec) for rec in examples.to_dict("records")]
        ax.set_yticks(range(len(example_ids)), labels, fontsize=7)
        cats = table1["category_id"].tolist()
        for j in range(1, len(cats)):
            if cats[j] != cats[j - 1]:
                ax.axvline(j - 0.5, color=PALETTE[5], linewidth=1.2)
        ax.set_xticks(np.arange(-0.5, len(factor_ids)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(example_ids)), minor=True)
        ax.grid(which="minor", color="#BBBBBB", linewidth=0.3)
        ax.tick_params(which="minor", length=0)
        ax.set_xlabel(
            "Faktor (Tabell 1-rekkefølge, kategorier skilt med linje) / factor, by category"
        )
        ax.set_ylabel("Eksempel / example")
        ax.set_title(title, loc="left")
        return fig


def bilingual_labels(table: pd.DataFrame, id_column: str) -> dict[str, str]:
    """«ID Bokmål label» with the English label on a second line, by id (Bokmål only if no English)."""
    english = table["label_en"] if "label_en" in table else pd.Series("", index=table.index)
    return {
        str(key): with_english(f"{key} {nb}", en)
        for key, nb, en in zip(table[id_column], table["label_nb"], english, strict=True)
    }


def _number(row: dict, key: str) -> float:
    return pd.to_numeric(row.get(key), errors="coerce")


def agreement_forest(
    by_factor: pd.DataFrame,
    pooled: pd.DataFrame,
    factors: pd.DataFrame,
    title: str,
    categories: pd.DataFrame | None = None,
) -> plt.Figure:
    """Forest plot: alpha and AC1 with their 95% CIs per factor, then per category and pooled.

    Alpha is a filled circle (diamond for categories and pooled), AC1 a hollow triangle just
    below it, so a gap between them shows at once. Beside the plot stand AC1, the observed
    agreement and the share of cells marked; a dagger marks rows whose alpha is low because
    marks are rare (the tables' ``note_nb``/``note_en``), explained below the plot. Factors and
    categories are labelled in Bokmål with English below. Dashed lines mark .667 (tentative)
    and .800 (reliable). Undefined alphas say «undefined» instead of a point. If any row rests
    on simulated coders, the title says SIMULATED.
    """
    labels = bilingual_labels(factors, "factor_id")
    category_labels = {} if categories is None else bilingual_labels(categories, "category_id")
    rows = [
        (labels.get(str(fid), str(fid)), r)
        for fid, r in zip(by_factor["factor_id"], by_factor.to_dict("records"), strict=True)
    ]
    for r in pooled.to_dict("records"):
        if r["scope"] == "pooled":
            name = "Alle faktorer\nall factors (pooled)"
        else:
            name = category_labels.get(str(r["name"]), f"Kategori / category {r['name']}")
        rows.append((name, r))
    simulated = any(str(r.get("data_source", "")) == "SIMULATED" for _, r in rows)
    two_lines = any("\n" in name for name, _ in rows)
    rare = [isinstance(r.get("note_en"), str) and bool(r["note_en"].strip()) for _, r in rows]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(10, (0.36 if two_lines else 0.26) * len(rows) + 2.2))
        fig.subplots_adjust(right=0.68)
        for y, (_, r) in enumerate(rows):
            pooled_row = r.get("scope") in ("pooled", "category")
            ac1 = _number(r, "ac1")
            if not pd.isna(ac1):
                lo, hi = _number(r, "ac1_ci_low"), _number(r, "ac1_ci_high")
                if not (pd.isna(lo) or pd.isna(hi)):
                    ax.plot([lo, hi], [y + 0.22] * 2, color="#888888", linewidth=0.8)
                ax.plot(
                    ac1, y + 0.22, marker="^", markersize=4.5, linestyle="",
                    markerfacecolor="white", markeredgecolor=PALETTE[1],
                )  # fmt: skip
            alpha = _number(r, "alpha")
            if pd.isna(alpha) or r.get("status") == "undefined":
                ax.text(
                    0.0, y, "udefinert / undefined", va="center", ha="left", fontsize=7,
                    style="italic",
                )  # fmt: skip
            else:
                lo, hi = _number(r, "ci_low"), _number(r, "ci_high")
                if not (pd.isna(lo) or pd.isna(hi)):
                    ax.plot([lo, hi], [y, y], color="black", linewidth=1)
                ax.plot(
                    alpha, y, marker="D" if pooled_row else "o", linestyle="",
                    color=PALETTE[5] if pooled_row else PALETTE[0], markersize=5,
                )  # fmt: skip
            _side_columns(ax, y, r, rare[y])
        for head, x in zip(SIDE_HEADS, SIDE_X, strict=True):
            ax.text(x, -1.2, head, transform=ax.get_yaxis_transform(), ha="right", fontsize=7)
        ax.axvline(0.667, color="#555555", linestyle="--", linewidth=0.8)
        ax.axvline(0.800, color="#000000", linestyle="--", linewidth=0.8)
        ax.text(0.667, -1.2, ".667", ha="center", fontsize=7)
        ax.text(0.800, -1.2, ".800", ha="center", fontsize=7)
        ax.set_yticks(range(len(rows)), [name for name, _ in rows], fontsize=7)
        ax.set_ylim(len(rows) - 0.4, -1.6)
        ax.set_xlim(-0.5, 1.05)
        ax.set_xlabel(
            "Krippendorffs alfa og Gwets AC1 med 95 % KI / "
            "Krippendorff's alpha and Gwet's AC1 with 95% CI"
        )
        handles = [
            Line2D([], [], marker="o", color=PALETTE[0], linestyle=""),
            Line2D([], [], marker="D", color=PALETTE[5], linestyle=""),
            Line2D(
                [], [], marker="^", linestyle="", markerfacecolor="white",
                markeredgecolor=PALETTE[1],
            ),
        ]  # fmt: skip
        names = [
            "Alfa, faktor / alpha, factor",
            "Alfa, kategori eller alle / alpha, category or pooled",
            "AC1",
        ]
        ax.legend(
            handles,
            names,
            loc="upper center",
            bbox_to_anchor=(0.7, -0.06 * 30 / max(len(rows), 1)),
            ncol=3,
            fontsize=7,
            frameon=False,
        )
        if any(rare):
            fig.text(
                0.02, 0.005,
                "† Lav alfa fordi markeringene er sjeldne: koderne er stort sett enige, og AC1 er "
                "høy (se note_nb i tabellen).\n"
                "† Alpha is low because marks are rare: the coders mostly agree and AC1 is high "
                "(see note_en in the table).",
                fontsize=7, ha="left", va="bottom",
            )  # fmt: skip
        ax.set_title(("SIMULATED — " if simulated else "") + title, loc="left")
        return fig


# The columns beside the forest plot (axes coordinates): AC1, observed agreement, share marked.
SIDE_HEADS = ("AC1", "Enighet\nagreement", "Merket\nmarked", "")
SIDE_X = (1.12, 1.27, 1.40, 1.45)


def _side_columns(ax: plt.Axes, y: float, row: dict, rare: bool) -> None:
    """AC1, observed agreement and prevalence of one row as text right of the plot."""
    ac1, agree, prev = (_number(row, k) for k in ("ac1", "observed_agreement", "prevalence"))
    cells = (
        "" if pd.isna(ac1) else f"{ac1:.2f}",
        "" if pd.isna(agree) else f"{agree:.0%}",
        "" if pd.isna(prev) else f"{prev:.0%}",
        "†" if rare else "",
    )
    for text, x in zip(cells, SIDE_X, strict=True):
        ax.text(x, y, text, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=7)
