"""The colour-blind-safe colours medvirk gives the codebook's categories.

One source for the figures (bars by category) and the REFI-QDA export (code colours), so a
category has the same colour in a figure and in the QDA program that opens the export.
"""

from __future__ import annotations

from collections.abc import Iterable

# Okabe–Ito palette; each colour also gets a hatch so categories stay apart in greyscale.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]


def category_colours(category_ids: Iterable[object]) -> dict[str, str]:
    """Each category's colour (#RRGGBB) by its place in the order given (published order).

    The k-th category gets PALETTE[k % 8], as in the figures; a repeated id keeps its first place.

    >>> category_colours(["C1", "C2", "C1"])
    {'C1': '#0072B2', 'C2': '#E69F00'}
    """
    ordered = dict.fromkeys(str(c) for c in category_ids)
    return {cid: PALETTE[k % len(PALETTE)] for k, cid in enumerate(ordered)}
