"""Tables a reviewer reads inside the HTML report, as small self-contained HTML pages.

`snakemake --report` shows an .html result in place, in the report's own page, where a CSV,
Excel or LaTeX file is only a download. Each page here holds tables rendered from the workflow's
CSV outputs column by column, as the CSV has them, so a column added to a CSV shows without a
change here; columns this module knows get a Bokmål header with the English below. Every text is
escaped (html.escape); the page is UTF-8, with its style inline and no script, and the same table
gives the same bytes.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Sequence

import pandas as pd

# Bokmål and English headers for the columns the workflow writes; others show their own name.
COLUMN_LABELS = {
    "category_id": ("Kategori-id", "category id"),
    "evaluation": ("Måling", "evaluation"),
    "kind": ("Slags koder", "kind of coder"),
    "precision": ("Presisjon", "precision"),
    "recall": ("Treff (recall)", "recall"),
    "n_marked_coder": ("Markert av koderen", "marked by the coder"),
    "n_consensus": ("Markert i konsensus", "marked in the consensus"),
    "n_both": ("Markert av begge", "marked by both"),
    "tfidf": ("TF-IDF", "TF-IDF"),
    "embedding": ("Setningsvektorer", "embeddings"),
    "category": ("Kategori", "category"),
    "category_en": ("Kategori (engelsk)", "category (English)"),
    "factor_id": ("Faktor-id", "factor id"),
    "factor": ("Suksessfaktor", "success factor"),
    "factor_en": ("Suksessfaktor (engelsk)", "success factor (English)"),
    "label_nb": ("Suksessfaktor", "success factor"),
    "n": ("Regenerert n", "regenerated n"),
    "n_published": ("Publisert n", "published n"),
    "difference": ("Differanse", "difference"),
    "n_examples": ("Eksempler (kuratorenes fordeling)", "examples (curators' attribution)"),
    "n_unattributed": ("Rå faktorer uten eksempel", "raw factors without example"),
    "n_raw_factors": ("Rå faktorer", "raw factors merged"),
    "quantity_id": ("Størrelse-id", "quantity id"),
    "quantity": ("Størrelse", "quantity"),
    "published": ("Publisert", "published"),
    "regenerated": ("Regenerert", "regenerated"),
    "status": ("Status", "status"),
    "source": ("Kilde", "source"),
    "explanation": ("Forklaring", "explanation"),
    "data_source": ("Datakilde", "data source"),
    "scope": ("Omfang", "scope"),
    "name": ("Navn", "name"),
    "alpha": ("Krippendorffs alfa", "Krippendorff's alpha"),
    "ci_low": ("95 % KI, nedre", "95% CI, lower"),
    "ci_high": ("95 % KI, øvre", "95% CI, upper"),
    "n_units": ("Enheter", "units"),
    "n_coders": ("Kodere", "coders"),
    "n_pairable": ("Parbare verdier", "pairable values"),
    "n_factors": ("Faktorer", "factors"),
    "n_marked": ("Markert av noen koder", "marked by a coder"),
    "n_cells": ("Celler", "cells"),
    "level": ("Målenivå", "level of measurement"),
    "replicates": ("Bootstrap-trekk", "bootstrap replicates"),
    "reason": ("Årsak", "reason"),
    "percent_agreement": ("Prosent enighet", "percent agreement"),
    "statistic": ("Mål", "statistic"),
    "coder_a": ("Koder A", "coder A"),
    "coder_b": ("Koder B", "coder B"),
    "kappa": ("Kappa", "kappa"),
    "metric": ("Mål", "metric"),
    "value": ("Verdi", "value"),
    "ac1": ("Gwets AC1", "Gwet's AC1"),
    "ac1_ci_low": ("AC1, 95 % KI, nedre", "AC1, 95% CI, lower"),
    "ac1_ci_high": ("AC1, 95 % KI, øvre", "AC1, 95% CI, upper"),
    "ac1_replicates_used": ("AC1, trekk brukt", "AC1, replicates used"),
    "ac1_replicates_dropped": ("AC1, trekk utelatt", "AC1, replicates dropped"),
    "observed_agreement": ("Observert enighet", "observed agreement"),
    "unanimous_agreement": ("Alle enige (andel)", "unanimous agreement"),
    "prevalence": ("Andel markert", "share marked"),
    "q_below_667": ("q (alfa < .667)", "q (alpha < .667)"),
    "q_below_800": ("q (alfa < .800)", "q (alpha < .800)"),
    "replicates_used": ("Trekk brukt", "replicates used"),
    "replicates_dropped": ("Trekk utelatt", "replicates dropped"),
    "note_nb": ("Merknad", "note (Bokmål)"),
    "note_en": ("Merknad (engelsk)", "note (English)"),
    "band": ("Landis & Koch", "Landis & Koch band"),
    "n_cells_left_out": ("Celler utelatt", "cells left out"),
    "without_coder": ("Uten koder", "without coder"),
    "variable": ("Variabel", "variable"),
}

# Status words the workflow writes, each with a colour; the word itself is always shown.
STATUS_CLASSES = {
    "match": "good",
    "reliable": "good",
    "differs": "warn",
    "tentative": "warn",
    "unreliable": "bad",
    "not_derivable": "none",
    "undefined": "none",
}

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:14px;color:#1a1a1a;margin:16px;}
h1{font-size:19px;margin:0 0 8px}h2{font-size:16px;margin:22px 0 6px}
p{max-width:70em;line-height:1.4;margin:6px 0}.en{color:#555;font-style:italic}
.banner{border:2px solid #b35900;background:#fff3e0;padding:6px 10px;font-weight:bold}
table{border-collapse:collapse;margin:8px 0 4px}caption{text-align:left;padding:4px 0}
th,td{border:1px solid #c8c8c8;padding:3px 7px;vertical-align:top;text-align:left}
th{background:#eef1f4;font-weight:bold}th .en{font-weight:normal}
tr.group th{background:#dde4ea;font-size:15px;padding-top:6px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.long{min-width:24em;max-width:48em}
tr:nth-child(even) td{background:#fafafa}
td.status-good{background:#d9f0d3 !important}td.status-warn{background:#fde8c8 !important}
td.status-bad{background:#f8d0d0 !important}td.status-none{background:#e6e6e6 !important}
"""


def format_value(value: object, digits: int = 3) -> str:
    """A cell's text: whole numbers without decimals, other numbers with `digits`, "—" if empty."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value)).replace("-", "−")
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isnan(value):
            return "—"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.{digits}f}".replace("-", "−")
    text = str(value)
    return "—" if text == "" else text


def typed(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each column whose filled cells are all numbers read as numbers.

    Workflow tables are read as text; a column with an id such as «007» or «E01» stays text.
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        filled = values[values.astype(str).str.strip() != ""].astype(str).str.strip()
        if filled.empty or filled.str.match(r"^[+-]?0\d").any():
            continue
        numbers = pd.to_numeric(filled, errors="coerce")
        if numbers.isna().any():
            continue
        parsed = pd.to_numeric(values.where(values.astype(str).str.strip() != ""), errors="coerce")
        whole = (numbers == numbers.round()).all() and not filled.str.contains(r"[.eE]").any()
        out[column] = parsed.astype("Int64") if whole else parsed.astype(float)
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value is not pd.NA


def _header(column: str) -> str:
    nb, en = COLUMN_LABELS.get(column, (column, ""))
    label = html.escape(nb)
    if en:
        label += f'<br><span class="en">{html.escape(en)}</span>'
    return f'<th scope="col" title="{html.escape(column)}">{label}</th>'


def html_table(
    table: pd.DataFrame, caption: str = "", digits: int = 3, group: Sequence[str] = ()
) -> str:
    """Every column and row of `table` as an HTML table; a `status` column is coloured.

    `group` names columns (e.g. a category and its English name) shown as a heading row over
    each run of rows that share them, instead of as columns.
    """
    table = typed(table)
    groups = table[list(group)].astype(str).agg(" / ".join, axis=1) if group else None
    table = table.drop(columns=list(group))
    head = "".join(_header(str(c)) for c in table.columns)
    rows = []
    previous = None
    for i, record in enumerate(table.astype(object).itertuples(index=False, name=None)):
        if groups is not None and groups.iloc[i] != previous:
            previous = groups.iloc[i]
            rows.append(
                f'<tr class="group"><th colspan="{len(table.columns)}" scope="rowgroup">'
                f"{html.escape(previous)}</th></tr>"
            )
        cells = []
        for column, value in zip(table.columns, record, strict=True):
            text = html.escape(format_value(value, digits))
            classes = []
            if _is_number(value):
                classes.append("num")
            elif isinstance(value, str) and len(value) > 80:
                classes.append("long")
            if column == "status" and str(value) in STATUS_CLASSES:
                classes.append(f"status-{STATUS_CLASSES[str(value)]}")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f"<table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def paragraph(nb: str, en: str) -> str:
    """A Bokmål paragraph followed by its English one."""
    return f'<p>{html.escape(nb)}</p>\n<p class="en" lang="en">{html.escape(en)}</p>'


def html_page(
    title: tuple[str, str],
    sections: Sequence[tuple[tuple[str, str] | None, str]],
    banner: str = "",
) -> str:
    """A self-contained UTF-8 page: title (Bokmål, English), an optional banner, then sections.

    Each section is (heading (Bokmål, English) or None, HTML body made by this module).
    """
    nb, en = title
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nb">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(nb)} / {html.escape(en)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f'<h1>{html.escape(nb)}<br><span class="en" lang="en">{html.escape(en)}</span></h1>',
    ]
    if banner:
        parts.append(f'<p class="banner">{html.escape(banner)}</p>')
    for heading, body in sections:
        if heading is not None:
            hnb, hen = heading
            parts.append(
                f'<h2>{html.escape(hnb)} / <span class="en">{html.escape(hen)}</span></h2>'
            )
        parts.append(body)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _status_counts(statuses: pd.Series) -> str:
    counts = statuses.value_counts()
    return ", ".join(f"{status} {int(n)}" for status, n in counts.sort_index().items())


def table1_page(table1: pd.DataFrame, study: str, source: tuple[str, str]) -> str:
    """Table 1: the count the 2016 report printed beside the regenerated one and the difference.

    `source` (Bokmål, English) says where the regenerated n was counted from. A study without
    printed counts (a new round) shows the regenerated counts alone.
    """
    has_published = (
        "n_published" in table1.columns
        and pd.to_numeric(table1["n_published"], errors="coerce").notna().any()
    )
    shown = table1.copy()
    front = ["factor_id", "factor", "factor_en"]
    if has_published:
        published = pd.to_numeric(shown["n_published"], errors="coerce")
        shown["difference"] = (pd.to_numeric(shown["n"]) - published).astype("Int64")
        front += ["n_published", "n", "difference"]
    else:
        front += ["n"]
        shown = shown.drop(columns=["n_published"], errors="ignore")
    front = [c for c in front if c in shown.columns]
    group = ["category", "category_en"]
    rest = [c for c in shown.columns if c not in front + group + ["category_id"]]
    shown = shown[group + front + rest]
    nb, en = source
    intro = paragraph(
        f"Regenerert n er antall eksempler der faktoren ble funnet, talt fra {nb}.",
        f"Regenerated n is the number of examples in which the factor was identified, counted "
        f"from {en}.",
    )
    regenerated = int(pd.to_numeric(shown["n"]).sum())
    if has_published:
        match = int((shown["difference"] == 0).sum())
        intro += "\n" + paragraph(
            f"Publisert n er tallet som står i rapportens tabell 1 (2016), bare til sammenligning; "
            f"differanse = regenerert − publisert. {match} av {len(shown)} tellinger stemmer. "
            f"Summen av de publiserte tellingene er {int(published.sum())}, av de regenererte "
            f"{regenerated}.",
            f"Published n is the count printed in the report's Table 1 (2016), for comparison only; "
            f"difference = regenerated − published. {match} of {len(shown)} counts match. The "
            f"printed counts add up to {int(published.sum())}, the regenerated ones to "
            f"{regenerated}.",
        )
    return html_page(
        (
            "Tabell 1 — suksessfaktorene kategorisert",
            f"Table 1 — success factors by category ({study})",
        ),
        [(None, intro), (None, html_table(shown, group=group))],
    )


def audit_page(audit: pd.DataFrame, study: str) -> str:
    """The reproduction audit: every published number beside the regenerated one, with why.

    The reason comes right after the status, the ids last, so both fit on a screen.
    """
    first = ["quantity", "published", "regenerated", "status", "explanation", "source"]
    first = [c for c in first if c in audit.columns]
    audit = audit[first + [c for c in audit.columns if c not in first]]
    intro = paragraph(
        "Hvert tall rapporten fra 2016 oppgir om analysen sin, ved siden av tallet arbeidsflyten "
        "regner ut fra studiens filer. match: gjenskapt; differs: et annet tall, med begrunnelsen; "
        "not_derivable: det publiserte materialet har ikke det tallet bygger på. Status: "
        f"{_status_counts(audit['status'])} (av {len(audit)}).",
        "Every number the 2016 report gives about its analysis, beside the number the workflow "
        "computes from the study's files. match: regenerated; differs: a different number, with "
        "the reason; not_derivable: the published material does not hold what the number rests "
        f"on. Status: {_status_counts(audit['status'])} (of {len(audit)}).",
    )
    return html_page(
        ("Reproduksjonskontroll", f"Reproduction audit ({study})"),
        [(None, intro), (None, html_table(audit))],
    )


def agreement_page(
    pooled: pd.DataFrame, by_factor: pd.DataFrame, kappas: pd.DataFrame, factors: pd.DataFrame
) -> str:
    """Agreement between coders: pooled and per category, per factor (with its label), kappas."""
    from medvirk.agreement import rests_on_simulation

    simulated = rests_on_simulation(pooled, by_factor)
    banner = (
        "SIMULATED — koderne er simulert fra kuratorenes fordeling; tallene viser metoden, ikke "
        "kodingens pålitelighet / the coders are simulated from the curators' attribution; the "
        "numbers show the method, not the reliability of the coding."
        if simulated
        else ""
    )
    labels = factors.set_index("factor_id")["label_nb"] if "label_nb" in factors else None
    per_factor = by_factor.copy()
    if labels is not None and "factor_id" in per_factor.columns:
        position = list(per_factor.columns).index("factor_id") + 1
        per_factor.insert(position, "label_nb", per_factor["factor_id"].map(labels))
    flags = paragraph(
        "Status: reliable ved alfa ≥ .800, tentative ved ≥ .667, ellers unreliable; undefined "
        "når ingen eller alle markerte faktoren (årsaken står ved siden av). KI: 95 % "
        "bootstrap-intervall.",
        "Status: reliable at alpha ≥ .800, tentative at ≥ .667, otherwise unreliable; undefined "
        "when nobody or everybody marked the factor (the reason is given). CI: bootstrap 95% "
        "interval.",
    )
    return html_page(
        ("Samsvar mellom kodere", "Inter-coder agreement"),
        [
            (None, flags),
            (("Samlet og per kategori", "pooled and by category"), html_table(pooled)),
            (("Per faktor", "by factor"), html_table(per_factor)),
            (("Kappa per koderpar og Fleiss' kappa", "kappas"), html_table(kappas)),
        ],
        banner=banner,
    )


def merge_evaluation_page(evaluation: pd.DataFrame, study: str, labels: dict[str, str]) -> str:
    """The proposed merge measured against the readers' merge: one row per metric."""
    shown = evaluation.copy()
    if "metric" in shown.columns:
        shown.insert(1, "name", shown["metric"].map(lambda m: labels.get(m, m)))
    intro = paragraph(
        "Forslagene til sammenslåing målt mot lesernes sammenslåing i 2016 (det kuraterte "
        "sammenslåingskartet), én kolonne per likhetsmål (TF-IDF: felles ord; setningsvektorer: "
        "felles mening). Kryssvalidert: avstandsterskelen velges på en tilfeldig halvdel av "
        "råfaktorene og måles på den andre, gjentatt; bare etiketter: nærmeste kodebokfaktor "
        "etter etiketten alene; valgt terskel, samme data: forslaget i proposed_groups.csv, målt "
        "på de samme dataene (et beste tilfelle). ARI og AMI: 1 = identisk, 0 = tilfeldig. En "
        "tom kolonne: likhetsmålet kunne ikke kjøres her.",
        "The proposed merge measured against the readers' merge of 2016 (the curated merge map), "
        "one column per similarity backend (TF-IDF: shared words; embeddings: shared meaning). "
        "Cross-validated: the distance threshold is chosen on a random half of the raw factors "
        "and scored on the other, repeated; labels only: nearest codebook factor by its label "
        "alone; configured, in-sample: the proposal in proposed_groups.csv scored on the data it "
        "was tuned on (a best case). ARI and AMI: 1 = identical, 0 = chance. An empty column: "
        "the backend could not run here.",
    )
    return html_page(
        ("Foreslått sammenslåing mot lesernes", f"Proposed merge against the readers' ({study})"),
        [(None, intro), (None, html_table(shown, digits=4))],
    )


def machine_coder_page(table: pd.DataFrame, factors: pd.DataFrame, backend: str) -> str:
    """Every coder against the consensus, the machine coder beside the (simulated) coders:
    pooled, over the examples the consensus gives a factor, by category; then the machine
    coder per factor. `table` is coders_vs_consensus.csv."""
    simulated = (table["kind"].astype(str) == "SIMULATED").any()
    kinds = {
        "machine": "MASKIN / MACHINE",
        "SIMULATED": "SIMULERT / SIMULATED",
        "coders": "koder / coder",
    }
    shown = table.assign(kind=table["kind"].astype(str).map(lambda k: kinds.get(k, k)))
    labels = factors.set_index("factor_id")["label_nb"] if "label_nb" in factors else None
    pooled = shown[shown["scope"] != "factor"]
    machine = shown[(shown["scope"] == "factor") & (table["kind"].astype(str) == "machine")]
    if labels is not None:
        machine = machine.assign(label_nb=machine["name"].map(labels))
    backend_words = (
        ("setningsvektorer (multilingual-e5-small)", "sentence embeddings (multilingual-e5-small)")
        if backend == "embedding"
        else ("TF-IDF (ord og tegn-n-gram)", "TF-IDF (words and character n-grams)")
    )
    intro = paragraph(
        "Hver koder målt mot konsensus med de samme målene: alfa og AC1 (konsensus som den "
        "andre koderen, 95 % bootstrap-KI over eksempler), presisjon (andelen av koderens "
        "markeringer som konsensus har) og treff (andelen av konsensus koderen fant). "
        "Maskinkoderen er et dataprogram som kjører uten nett og markerer faktorene teksten "
        f"støtter, her med {backend_words[0]}; den koder hvert eksempel uten eksempelets egne "
        "råfaktorer og med en terskel valgt på de andre eksemplene (la-ett-ut). Konsensus "
        "bygger på kodernes egne markeringer, ikke maskinens, så kodernes tall er ikke "
        "uavhengige. «pooled_covered»: bare eksemplene konsensus gir minst én faktor. "
        "Maskinkoderen er en ekstra mening til konsensusmøtet; den må ikke erstatte menneskelige "
        "kodere eller brukes til å telle faktorer.",
        "Each coder measured against the consensus with the same statistics: alpha and AC1 (the "
        "consensus as the other coder, bootstrap 95% CI over examples), precision (share of the "
        "coder's marks the consensus has) and recall (share of the consensus the coder found). "
        "The machine coder is a program that runs offline and marks the factors the text "
        f"supports, here with {backend_words[1]}; it codes each example without the example's "
        "own raw factors and with a cut-off chosen on the other examples (leave-one-out). The "
        "consensus rests on the coders' own marks, not the machine's, so the coders' figures "
        "are not independent of it. «pooled_covered»: only the examples the consensus gives at "
        "least one factor. The machine coder is one more opinion for the consensus meeting; it "
        "must not replace human coders or be used to count factors.",
    )
    banner = (
        "Koderne sim1–sim3 er SIMULERT fra kuratorenes fordeling / the coders are SIMULATED "
        "from the curators' attribution; MASKIN / MACHINE is the machine coder."
        if simulated
        else "MASKIN / MACHINE is the machine coder, not a person."
    )
    return html_page(
        ("Maskinkoderen mot konsensus", "The machine coder against the consensus"),
        [
            (None, intro),
            (("Samlet og per kategori", "pooled and by category"), html_table(pooled)),
            (("Maskinkoderen per faktor", "the machine coder by factor"), html_table(machine)),
        ],
        banner=banner,
    )
