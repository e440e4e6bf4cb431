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

# Okabe–Ito palette; each colour also gets a hatch so categories stay apart in greyscale.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]

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
    fig.savefig(png, metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(svg, metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)


def factor_counts_figure(table1: pd.DataFrame, title: str) -> plt.Figure:
    """Horizontal bars of n per factor, grouped by category; published counts as markers."""
    with plt.rc_context(STYLE):
        cats = list(
            dict.fromkeys(
                zip(table1["category_id"], table1["category"], table1["category_en"], strict=True)
            )
        )
        fig, ax = plt.subplots(figsize=(8.5, 0.28 * len(table1) + 1.8))
        y, labels, ticks = 0, [], []
        for k, (cid, nb, en) in enumerate(cats):
            rows = table1[table1["category_id"] == cid]
            ys = [y + i for i in range(len(rows))]
            ax.barh(
                ys,
                rows["n"],
                color=PALETTE[k % 8],
                hatch=HATCHES[k % 8],
                edgecolor="black",
                linewidth=0.4,
                label=f"{nb} / {en}",
            )
            if rows["n_published"].notna().any():
                ax.scatter(
                    rows["n_published"].astype(float),
                    ys,
                    marker="|",
                    s=120,
                    color="black",
                    zorder=3,
                    label="_pub",
                )
            labels += [
                f"{f} ({fid})" for f, fid in zip(rows["factor"], rows["factor_id"], strict=True)
            ]
            ticks += ys
            y += len(rows) + 1
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()
        ax.set_xlabel("Antall eksempler / number of examples")
        ax.set_title(title, loc="left")
        handles, names = ax.get_legend_handles_labels()
        if table1["n_published"].notna().any():
            handles.append(Line2D([], [], marker="|", linestyle="", color="black", markersize=12))
            names.append("Publisert antall (Tabell 1) / published count")
        ax.legend(handles, names, loc="lower right", fontsize=7, frameon=False)
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
        if "n_published" in counts and counts["n_published"].notna().any():
            ax.scatter(
                counts["n_published"].astype(float),
                ys,
                marker="|",
                s=140,
                color="black",
                zorder=3,
                label="Publisert (kap. 3) / published",
            )
        ax.set_yticks(ys, counts["municipality"])
        ax.invert_yaxis()
        ax.set_xlabel("Antall eksempler / number of examples")
        ax.set_title(title, loc="left")
        ax.legend(loc="lower right", fontsize=7, frameon=False)
        ax.xaxis.get_major_locator().set_params(integer=True)
        return fig


def municipality_counts(
    examples: pd.DataFrame, published: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Examples per municipality, most first, with the published count where the report gives one."""
    n = examples.groupby("municipality", sort=True).size().rename("n").reset_index()
    pub = {}
    if published is not None:
        rows = published[published["quantity_id"].str.startswith("examples_by_municipality/")]
        pub = {
            q.split("/", 1)[1]: int(v)
            for q, v in zip(rows["quantity_id"], rows["published"], strict=True)
        }
    n["n_published"] = n["municipality"].map(pub).astype("Int64")
    return n.sort_values(["n", "municipality"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
