"""The tables the report shows in place: every column rendered, text escaped, statuses coloured."""

import re
from html import unescape
from html.parser import HTMLParser

import pandas as pd

from medvirk.htmltables import (
    agreement_page,
    audit_page,
    format_value,
    html_table,
    merge_evaluation_page,
    table1_page,
    typed,
)


class Cells(HTMLParser):
    """Header and body cells of the tables of a page, as text."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "br" and self._cell is not None:
            self._cell += " / "

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def cells(page: str) -> list[list[str]]:
    parser = Cells()
    parser.feed(page)
    return parser.rows


TABLE1 = pd.DataFrame(
    {
        "category_id": ["C1", "C1"],
        "category": ["Konkrete tips", "Konkrete tips"],
        "category_en": ["Practical tips", "Practical tips"],
        "factor_id": ["F01", "F02"],
        "factor": ["Få brukerne tidlig inn i forbedringsarbeid", "Tenk utenfor «boksen»"],
        "factor_en": ["Involve users early", "Think outside the box"],
        "n": ["7", "1"],
        "n_examples": ["3", "1"],
        "n_unattributed": ["4", "0"],
        "n_raw_factors": ["9", "1"],
        "n_published": ["14", "1"],
    }
)


def test_table1_sets_the_printed_count_beside_the_regenerated_one():
    page = table1_page(TABLE1, "demo", ("kuratorenes fordeling", "the curators' attribution"))
    rows = cells(page)
    header = rows[0]
    assert header[:6] == [
        "Faktor-id / factor id",
        "Suksessfaktor / success factor",
        "Suksessfaktor (engelsk) / success factor (English)",
        "Publisert n / published n",
        "Regenerert n / regenerated n",
        "Differanse / difference",
    ]
    assert rows[1] == ["Konkrete tips / Practical tips"]  # the category heads its factors
    assert rows[2][:6] == [
        "F01",
        "Få brukerne tidlig inn i forbedringsarbeid",
        "Involve users early",
        "14",
        "7",
        "−7",
    ]
    assert rows[3][3:6] == ["1", "1", "0"]
    assert "the regenerated ones to 8." in unescape(page)
    assert "Tenk utenfor «boksen»" in page  # UTF-8, not entities
    text = unescape(page)
    assert "1 of 2 counts match" in text and "counted from the curators' attribution" in text
    assert '<meta charset="utf-8">' in page and "<script" not in page


def test_a_new_round_without_printed_counts_shows_the_regenerated_ones_alone():
    page = table1_page(TABLE1.assign(n_published=""), "r2", ("kodernes konsensus", "x"))
    header = cells(page)[0]
    assert "Regenerert n / regenerated n" in header
    assert not any(h.startswith(("Publisert", "Differanse")) for h in header)


def test_every_column_is_shown_even_one_this_module_does_not_know():
    pooled = pd.DataFrame(
        {"scope": ["pooled"], "alpha": ["0.41843"], "new_ac9": ["0.8012"], "q_value": ["0.0312"]}
    )
    rows = cells(html_table(pooled))
    assert rows[0] == [
        "Omfang / scope",
        "Krippendorffs alfa / Krippendorff's alpha",
        "new_ac9",
        "q_value",
    ]
    assert rows[1] == ["pooled", "0.418", "0.801", "0.031"]


def test_text_is_escaped():
    hostile = pd.DataFrame({"explanation": ['<script>alert("x")</script> & «æøå»']})
    html = html_table(hostile)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; «æøå»" in html


def test_audit_colours_each_status_and_keeps_the_reason_whole():
    reason = "The published count is higher:" + " the readers counted from the forms." * 5
    audit = pd.DataFrame(
        {
            "quantity_id": ["a", "b", "c"],
            "quantity": ["A", "B", "C"],
            "published": ["1", "2", "3"],
            "regenerated": ["1", "1", ""],
            "status": ["match", "differs", "not_derivable"],
            "source": ["kap. 3"] * 3,
            "explanation": ["ok", reason, "missing"],
        }
    )
    page = audit_page(audit, "demo")
    assert re.search(r'<td class="status-good">match</td>', page)
    assert re.search(r'<td class="status-warn">differs</td>', page)
    assert re.search(r'<td class="status-none">not_derivable</td>', page)
    assert f'<td class="long">{reason}</td>' in page
    assert cells(page)[0][:5] == [
        "Størrelse / quantity",
        "Publisert / published",
        "Regenerert / regenerated",
        "Status / status",
        "Forklaring / explanation",
    ]
    assert cells(page)[3][2] == "—"  # no regenerated value
    assert "differs 1, match 1, not_derivable 1 (of 3)" in page


def test_agreement_page_flags_simulated_coders_and_labels_factors():
    pooled = pd.DataFrame(
        {
            "data_source": ["SIMULATED"],
            "scope": ["pooled"],
            "alpha": ["0.4"],
            "status": ["unreliable"],
        }
    )
    by_factor = pd.DataFrame(
        {"data_source": ["SIMULATED"], "factor_id": ["F01"], "alpha": [""], "status": ["undefined"]}
    )
    kappas = pd.DataFrame({"statistic": ["fleiss"], "kappa": ["0.41"]})
    factors = pd.DataFrame({"factor_id": ["F01"], "label_nb": ["Åpen dialog"]})
    page = agreement_page(pooled, by_factor, kappas, factors)
    assert '<p class="banner">SIMULATED — koderne er simulert' in page
    assert ["SIMULATED", "F01", "Åpen dialog", "—", "undefined"] in cells(page)
    real = agreement_page(
        pooled.assign(data_source="coders"), by_factor.assign(data_source="coders"), kappas, factors
    )
    assert "banner" not in real.split("</style>")[1]


def test_merge_page_names_each_metric():
    evaluation = pd.DataFrame(
        {"metric": ["adjusted_rand_index", "n_groups_proposed"], "value": ["0.2423", "48.0"]}
    )
    rows = cells(merge_evaluation_page(evaluation, "demo", {"adjusted_rand_index": "ARI"}))
    assert rows[1] == ["adjusted_rand_index", "ARI", "0.2423"]
    assert rows[2] == ["n_groups_proposed", "n_groups_proposed", "48"]


def test_numbers_and_ids():
    assert format_value(None) == format_value(float("nan")) == format_value("") == "—"
    assert (format_value(48.0), format_value(-0.05)) == ("48", "−0.050")
    kept = typed(pd.DataFrame({"id": ["007", "12"], "code": ["E01", "3"], "n": ["3", ""]}))
    assert kept["id"].tolist() == ["007", "12"] and kept["code"].tolist() == ["E01", "3"]
    assert str(kept["n"].dtype) == "Int64"


def test_same_table_same_bytes():
    source = ("kuratorenes fordeling", "the curators' attribution")
    assert table1_page(TABLE1, "demo", source) == table1_page(TABLE1.copy(), "demo", source)
