"""From independent codings to one consensus: list disagreements, read decisions, decide the rest.

Where coders differ on an example x factor, the consensus meeting writes a decision (x = the
factor is present, 0 or "nei" = absent). Cells without a decision are settled by the
configured policy: ``majority`` (more than half of the coders marked it; a tie counts as
absent), ``any`` (one coder is enough) or ``all`` (every coder must have marked it).

Where coders put an example on different steps or levels of the participation ladder, the
meeting decides the step (1-4) and the level (A/B/C) on rows of their own (``factor_id``
``ladder_step`` / ``ladder_level``); without a decision the example sits where most of its
coders put it (on a tie: the lowest step, the first level).

The meeting saves the filled workbook as ``data/raw/<study>/consensus.xlsx`` (or a CSV
``example_id, factor_id, decision``); the name is matched ignoring case, and two such files stop
the run. A decision typed into the generated ``results/<study>/agreement/disagreements.xlsx``
instead would be overwritten; :func:`unsaved_meeting_decisions` finds such decisions before a
run starts, so the run can stop and say where to save them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from medvirk.errors import CODER, InputError
from medvirk.io import read_user_csv
from medvirk.limits import MAX_SHEET_ROWS
from medvirk.notices import Notice

# Found when the workflow is read, in Snakemake's own process (no pandas there); named here too.
from medvirk.studyfiles import UnsavedDecisionsError as UnsavedDecisionsError
from medvirk.studyfiles import decision_files as decision_files
from medvirk.studyfiles import decision_lookalikes as decision_lookalikes
from medvirk.studyfiles import file_digest as file_digest
from medvirk.studyfiles import (
    stop_if_meeting_decisions_unsaved as stop_if_meeting_decisions_unsaved,
)
from medvirk.textnorm import nfc
from medvirk.xlsxio import TooManyRows

POLICIES = ("majority", "any", "all")
PRESENT_WORDS = {"x", "1", "ja", "yes", "true", "present", "til stede"}
ABSENT_WORDS = {"0", "nei", "no", "false", "absent", "ikke til stede", "-"}
# The ladder's rows in the meeting's table, and the values a decision on them may take.
LADDER_KEYS = ("ladder_step", "ladder_level")
LADDER_VALUES = {"ladder_step": (1, 2, 3, 4), "ladder_level": ("A", "B", "C")}
LADDER_LABELS = {
    "ladder_step": "Trinn i medvirkningsstigen (1–4)",
    "ladder_level": "Nivå i medvirkningsstigen (A/B/C)",
}
DISAGREEMENTS_SHEET = "Uenigheter"
# The machine coder's mark in the meeting's sheet: its own column, named so nobody takes it for
# a coder (medvirk.machine_coder).
MACHINE_COLUMN = "maskin_bare_til_orientering (machine, for reference only)"
GUIDE_SHEET = "Slik gjør dere"
POLICY_NB = {
    "majority": "flertallet av koderne avgjør (uavgjort: ikke til stede)",
    "any": "én koder som har markert faktoren, er nok",
    "all": "faktoren telles bare når alle koderne har markert den",
}
POLICY_EN = {
    "majority": "the majority of the coders decides (a tie: absent)",
    "any": "one coder who marked the factor is enough",
    "all": "the factor counts only when every coder marked it",
}


def disagreements(codings: pd.DataFrame, ladder: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per example x factor where coders differ: who marked what, and an empty decision.

    ``codings`` is the tidy grid example_id, coder, factor_id, present. ``ladder`` (example_id,
    coder, ladder_step, ladder_level: the coders' placements on the participation ladder) adds a
    row ``ladder_step`` or ``ladder_level`` per example whose coders placed it differently, with
    each coder's choice in their column and ``marked_by`` listing who chose what. Rows are sorted
    by example, its factors first and then its ladder rows.
    """
    wide = codings.pivot_table(
        index=["example_id", "factor_id"], columns="coder", values="present", aggfunc="first"
    )
    coders = list(wide.columns)
    n_present = wide.sum(axis=1)
    n_coded = wide.notna().sum(axis=1)
    differ = (n_present > 0) & (n_present < n_coded)
    out = wide[differ].map(lambda v: "x" if v == 1 else "").reset_index()
    out.columns.name = None
    out.insert(
        2, "marked_by", [", ".join(c for c in coders if r[c] == "x") for _, r in out.iterrows()]
    )
    out["n_present"] = n_present[differ].to_numpy().astype(int)
    out["n_coders"] = n_coded[differ].to_numpy().astype(int)
    if ladder is not None and len(ladder):
        steps = _ladder_disagreements(ladder)
        coders += sorted(set(steps.columns) - set(out.columns) - {"example_id", "factor_id"})
        out = pd.concat([out.astype(object), steps], ignore_index=True)
        out = out.sort_values(["example_id", "factor_id"], kind="stable", ignore_index=True)
        out = out[["example_id", "factor_id", "marked_by", *coders, "n_present", "n_coders"]]
        out[coders] = out[coders].fillna("")
    out["decision"] = ""
    out["note"] = ""
    return out


def ladder_values(ladder: pd.DataFrame) -> pd.DataFrame:
    """The coders' ladder choices, long: example_id, coder, key (ladder_step|ladder_level), value.

    Steps become ints, levels upper-case letters; a choice left empty is no row.
    """
    rows = []
    for r in ladder.itertuples(index=False):
        for key in LADDER_KEYS:
            value = _ladder_value(key, getattr(r, key, None))
            if value is not None:
                rows.append((str(r.example_id), str(r.coder), key, value))
    return pd.DataFrame(rows, columns=["example_id", "coder", "key", "value"])


def _ladder_value(key: str, value):
    """A step 1-4 as int or a level A/B/C; None when empty; ValueError when not allowed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().upper()
    if text == "":
        return None
    if key == "ladder_step" and text.endswith(".0"):
        text = text[:-2]
    allowed = LADDER_VALUES[key]
    found = int(text) if key == "ladder_step" and text.isdigit() else text
    if found not in allowed:
        choices = ", ".join(map(str, allowed))
        raise ValueError(
            f"«{value}» er ikke tillatt her; skriv en av {choices} / "
            f"not allowed here; write one of {choices}"
        )
    return found


def _ladder_disagreements(ladder: pd.DataFrame) -> pd.DataFrame:
    choices = ladder_values(ladder)
    rows = []
    for (example, key), group in choices.groupby(["example_id", "key"], sort=True):
        if group["value"].nunique() < 2:
            continue
        row = {"example_id": example, "factor_id": key}
        row.update({c: str(v) for c, v in zip(group["coder"], group["value"], strict=True)})
        by_value = group.groupby("value")["coder"].agg(lambda s: ", ".join(sorted(s)))
        row["marked_by"] = "; ".join(f"{value}: {who}" for value, who in by_value.items())
        row["n_present"] = ""
        row["n_coders"] = len(group)
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=["example_id", "factor_id", "marked_by", "n_present"])
    return pd.DataFrame(rows)


def guide_lines(
    study: str, policy: str = "majority", machine: bool = False
) -> list[tuple[str, bool]]:
    """The first sheet of disagreements.xlsx: (line, bold) in Bokmål, then English.

    Says what the meeting writes where, and where to save the filled file; with `machine`,
    what the machine coder's column is and is not.
    """
    target = f"data/raw/{study}/consensus.xlsx"
    lines = [
        ("Slik bruker dere arket i konsensusmøtet", True),
        ("", False),
        (
            f"1. Arket «{DISAGREEMENTS_SHEET}» har én rad per eksempel og faktor der koderne er "
            "uenige, og én rad per eksempel der de har valgt ulikt trinn eller nivå i "
            "medvirkningsstigen (factor_id ladder_step / ladder_level).",
            False,
        ),
        (
            "2. Skriv møtets beslutning i kolonnen «decision»: x når faktoren finnes i "
            "eksemplet, 0 når den ikke gjør det; for trinn 1, 2, 3 eller 4; for nivå A, B eller "
            f"C. Står cellen tom, avgjør regelen: {POLICY_NB[policy]}; for stigen: der flest "
            "av koderne plasserte eksemplet.",
            False,
        ),
        (f"3. Lagre den utfylte filen som {target} (Fil → Lagre som).", True),
        (
            "   Ikke lagre den her i results/: den mappen skrives over ved neste kjøring, og "
            "beslutninger som står der, blir ikke lest. Står det beslutninger her ved neste "
            "kjøring, stopper den og ber dere lagre filen.",
            False,
        ),
        (f"4. Kjør arbeidsflyten igjen (make run STUDY={study}).", False),
        ("", False),
        ("How to use this workbook in the consensus meeting", True),
        ("", False),
        (
            f"1. The sheet «{DISAGREEMENTS_SHEET}» has one row per example and factor where "
            "the coders differ, and one per example they placed on different ladder steps or "
            "levels (factor_id ladder_step / ladder_level).",
            False,
        ),
        (
            "2. Write the meeting's decision in the «decision» column: x when the factor is "
            "present, 0 when it is not; 1-4 for a step, A, B or C for a level. An empty "
            f"decision follows the rule: {POLICY_EN[policy]}; on the ladder, where most of "
            "the coders put the example.",
            False,
        ),
        (f"3. Save the filled file as {target} (File → Save As).", True),
        (
            "   Do not save it here in results/: that folder is overwritten by the next run "
            "and decisions in it are not read. If decisions are found here, the next run stops "
            "and asks you to save the file.",
            False,
        ),
        (f"4. Run the workflow again (make run STUDY={study}).", False),
    ]
    if not machine:
        return lines
    return lines + [
        ("", False),
        (f"Kolonnen «{MACHINE_COLUMN}»", True),
        (
            "x der maskinkoderen (et dataprogram som sammenligner eksempelets tekst med "
            "kodebokens faktorer, uten nett) mener teksten støtter faktoren. Den er ikke en "
            "koder: den teller ikke i samsvaret eller i konsensus, og kodernes ark viser den "
            "ikke. Møtet kan se på den som en ekstra mening, men avgjør selv. Hvor ofte den "
            "treffer, står i results/<studie>/agreement/coders_vs_consensus.csv.",
            False,
        ),
        (
            "x where the machine coder (a program that compares the example's text with the "
            "codebook's factors, offline) finds that the text supports the factor. It is not a "
            "coder: it counts in neither the agreement nor the consensus, and the coders' sheets "
            "do not show it. The meeting may consult it as one more opinion, and decides itself. "
            "How often it is right: results/<study>/agreement/coders_vs_consensus.csv.",
            False,
        ),
    ]


def write_disagreements_xlsx(
    table: pd.DataFrame,
    path: str | Path,
    factors: pd.DataFrame | None = None,
    simulated: bool = False,
    study: str = "<study>",
    policy: str = "majority",
) -> None:
    """Workbook for the consensus meeting; SIMULATED in the title and sheet name if so; the
    guide explains the machine coder's column where the table has one.

    The first sheet says how to fill it in and where to save it
    (``data/raw/<study>/consensus.xlsx``); the second holds ``table``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    table = table.copy()
    if factors is not None and len(table):
        labels = {**factors.set_index("factor_id")["label_nb"].to_dict(), **LADDER_LABELS}
        table.insert(2, "factor_label", table["factor_id"].map(labels))
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    lines = guide_lines(study, policy, MACHINE_COLUMN in table.columns)
    for r, (line, bold) in enumerate(lines, start=1):
        cell = guide.cell(row=r, column=1, value=line)
        cell.font, cell.alignment = Font(bold=bold), Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 120
    if simulated:
        guide.insert_rows(1)
        guide["A1"] = (
            "SIMULATED (simulerte kodere, ikke ekte data / simulated coders, not real data)"
        )
        guide["A1"].font = Font(bold=True)
    ws = wb.create_sheet(DISAGREEMENTS_SHEET + (" SIMULATED" if simulated else ""))
    title = "Uenigheter til konsensusmøtet"
    if simulated:
        title = "SIMULATED (simulerte kodere, ikke ekte data) — " + title
    ws["A1"] = title
    ws["A1"].font = Font(bold=True)
    ws["A2"] = (
        "Skriv x i «decision» når faktoren finnes i eksemplet, 0 når den ikke gjør det; trinn "
        f"1–4 og nivå A–C for stigen. Lagre filen som data/raw/{study}/consensus.xlsx "
        f"(se arket «{GUIDE_SHEET}»)."
    )
    header = list(table.columns)
    for c, name in enumerate(header, start=1):
        ws.cell(row=4, column=c, value=name).font = Font(bold=True)
    for r, row in enumerate(table.itertuples(index=False), start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=None if _missing(value) else value)
    if len(table):
        col = get_column_letter(header.index("decision") + 1)
        allowed = {None: '"x,0"', "ladder_step": '"1,2,3,4"', "ladder_level": '"A,B,C"'}
        rows: dict = {key: [] for key in allowed}
        for r, factor in enumerate(table["factor_id"], start=5):
            rows[factor if factor in LADDER_KEYS else None].append(f"{col}{r}")
        for key, cells in rows.items():
            if cells:
                dv = DataValidation(type="list", formula1=allowed[key], allow_blank=True)
                for cell_range in _ranges(cells):
                    dv.add(cell_range)
                ws.add_data_validation(dv)
    from medvirk.xlsxio import save_workbook

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _ranges(cells: list[str]) -> list[str]:
    """Consecutive cells of one column as ranges: ["F5", "F6", "F8"] -> ["F5:F6", "F8:F8"]."""
    import re

    out, start, prev = [], None, None
    col = re.match(r"[A-Z]+", cells[0]).group() if cells else ""
    for cell in cells:
        n = int(cell[len(col) :])
        if start is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(f"{col}{start}:{col}{prev}")
        start = prev = n
    if start is not None:
        out.append(f"{col}{start}:{col}{prev}")
    return out


def parse_decision(value) -> int | None:
    """x/ja/1 -> 1, 0/nei -> 0, blank -> None; anything else raises ValueError."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in PRESENT_WORDS or text == "1.0":
        return 1
    if text in ABSENT_WORDS or text == "0.0":
        return 0
    raise ValueError(
        f"«{value}» er ingen beslutning; skriv x (til stede) eller 0 (ikke til stede) / "
        "not a decision; write x (present) or 0 (absent)"
    )


def read_decisions(path: str | Path, example_ids=None, factor_ids=None) -> pd.DataFrame:
    """Decisions from consensus.csv or consensus.xlsx (columns example_id, factor_id, decision).

    Returns example_id, factor_id, decision (1/0 for a factor, 1-4 for ``ladder_step``, A/B/C
    for ``ladder_level``) and row (the row as a spreadsheet counts it). For xlsx the header row
    is found by looking for example_id on each sheet, so a filled-in disagreements.xlsx can be
    saved as consensus.xlsx directly. A decision for an example or factor not among
    ``example_ids`` / ``factor_ids`` (when given) is an error naming its row, not a decision
    silently dropped. Two rows for the same example and factor with different decisions stop
    with both rows named; with the same decision both are kept (see :func:`decision_notices`).
    """
    from medvirk.codings import CodingError, check_coding_file, too_many_rows
    from medvirk.limits import MAX_SHEET_ROWS

    path = Path(path)
    check_coding_file(path)
    known = {
        "example_id": None if example_ids is None else {str(e) for e in example_ids},
        "factor_id": None if factor_ids is None else {str(f) for f in factor_ids} | {*LADDER_KEYS},
    }
    columns = ("example_id", "factor_id", "decision")
    try:
        if path.suffix.lower() == ".csv":
            table = read_user_csv(path, CODER, required=columns, max_rows=MAX_SHEET_ROWS)
        else:
            table = _decision_sheet(path)
    except TooManyRows as exc:
        raise CodingError([too_many_rows(nfc(path.name), "filen")]) from exc
    except InputError as exc:
        raise CodingError([f"{nfc(path.name)}: {exc.detail}"]) from exc
    rows, problems, first = [], [], {}
    for i, row in zip(table.index, table.itertuples(index=False), strict=True):
        factor = str(row.factor_id).strip()
        try:
            if factor in LADDER_KEYS:
                decision = _ladder_value(factor, row.decision)
            else:
                decision = parse_decision(row.decision)
        except ValueError as exc:
            problems.append(f"{path.name}, rad {i}, kolonne decision: {exc}")
            continue
        if decision is None:
            continue
        example = str(row.example_id).strip()
        unknown = [
            f"{path.name}, rad {i}, kolonne {column}: «{value}» finnes ikke i kodingene"
            for column, value in (("example_id", example), ("factor_id", factor))
            if known[column] is not None and value not in known[column]
        ]
        if unknown:
            problems.extend(unknown)
            continue
        key = (example, factor)
        if key in first and first[key][1] != decision:
            r0, d0 = first[key]
            problems.append(
                f"{path.name}, rad {r0} og rad {i}: to ulike beslutninger for eksempel {example}, "
                f"{factor}: «{_shown(d0, factor)}» og «{_shown(decision, factor)}». Stryk den "
                f"ene raden. / Rows {r0} and {i} decide {example}, {factor} differently; "
                "delete one of them."
            )
            continue
        first.setdefault(key, (i, decision))
        rows.append({"example_id": example, "factor_id": factor, "decision": decision, "row": i})
    if problems:
        raise CodingError(problems)
    return pd.DataFrame(rows, columns=["example_id", "factor_id", "decision", "row"])


def _shown(decision, factor: str) -> str:
    """A decision as the meeting writes it: x or 0 for a factor, the step or level as is."""
    if factor in LADDER_KEYS:
        return str(decision)
    return "x" if decision == 1 else "0"


def decision_notices(decisions: pd.DataFrame, file: str) -> list[Notice]:
    """A notice for each example and factor decided twice, the same way, in the meeting's file."""
    notices = []
    for (example, factor), group in decisions.groupby(["example_id", "factor_id"]):
        if len(group) < 2:
            continue
        rows = ", ".join(str(r) for r in sorted(group["row"]))
        notices.append(
            Notice(
                "info",
                "consensus",
                "duplicate_decision",
                file,
                f"rad {rows}",
                f"Eksempel {example}, {factor} er avgjort {len(group)} ganger, likt; "
                "beslutningen telles én gang.",
                f"Example {example}, {factor} is decided {len(group)} times, the same way; "
                "the decision counts once.",
            )
        )
    return notices


def pick_decision_file(paths: list[str | Path]) -> Path | None:
    """The one file with the meeting's decisions, or None; two of them stop the run."""
    from medvirk.codings import CodingError

    if len(paths) > 1:
        names = " og ".join(str(p) for p in paths)
        raise CodingError(
            [
                f"{names}: to filer med konsensusmøtets beslutninger. Behold den ene og flytt "
                "eller slett den andre, så det er klart hvilke beslutninger som gjelder. / "
                "Two files hold the consensus meeting's decisions; keep one and move or "
                "delete the other."
            ]
        )
    return Path(paths[0]) if paths else None


def _decision_sheet(path: Path) -> pd.DataFrame:
    """The table below the first header row holding example_id, on any sheet (disagreements.xlsx
    opens on its guide sheet), indexed by spreadsheet row number; InputError (Norwegian) if
    unreadable or without such a row."""
    from medvirk.xlsxio import read_user_workbook

    header, rows = None, []
    for rows in read_user_workbook(path, CODER, max_rows=MAX_SHEET_ROWS + 10).values():
        header = next((r for r, row in enumerate(rows) if "example_id" in row), None)
        if header is not None:
            break
    if header is None:
        raise InputError(path, "finner ingen overskriftsrad med example_id, factor_id, decision")
    names = [str(v).strip() if v is not None else "" for v in rows[header]]
    missing = [c for c in ("example_id", "factor_id", "decision") if c not in names]
    if missing:
        raise InputError(path, f"mangler kolonnen {', '.join(missing)}")
    body = [list(row) + [None] * (len(names) - len(row)) for row in rows[header + 1 :]]
    table = pd.DataFrame([row[: len(names)] for row in body], columns=names, dtype=object)
    table.index = range(header + 2, header + 2 + len(table))
    return table


def consensus_matrix(
    codings: pd.DataFrame, decisions: pd.DataFrame | None = None, policy: str = "majority"
) -> pd.DataFrame:
    """Example x factor consensus: present (0/1) and where it came from.

    source is ``unanimous``, ``decision`` (the meeting), or the policy name. Ladder decisions in
    ``decisions`` are left to :func:`consensus_ladder`.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown consensus policy {policy!r}; use one of {POLICIES}")
    g = codings.groupby(["example_id", "factor_id"])["present"]
    out = pd.DataFrame({"n_present": g.sum(), "n_coders": g.count()}).reset_index()
    unanimous = (out["n_present"] == 0) | (out["n_present"] == out["n_coders"])
    if policy == "majority":
        rule = 2 * out["n_present"] > out["n_coders"]
    elif policy == "any":
        rule = out["n_present"] > 0
    else:
        rule = out["n_present"] == out["n_coders"]
    out["present"] = rule.astype(int)
    out["source"] = unanimous.map({True: "unanimous", False: policy})
    if decisions is not None and len(decisions):
        d = decisions[~decisions["factor_id"].isin(LADDER_KEYS)]
        d = d[["example_id", "factor_id", "decision"]].drop_duplicates(["example_id", "factor_id"])
        merged = out.merge(d, on=["example_id", "factor_id"], how="left")
        has = merged["decision"].notna()
        out.loc[has.to_numpy(), "present"] = merged.loc[has, "decision"].astype(int).to_numpy()
        out.loc[has.to_numpy(), "source"] = "decision"
    return out[["example_id", "factor_id", "present", "source", "n_present", "n_coders"]]


LADDER_CONSENSUS_COLUMNS = [
    "example_id",
    "ladder_step",
    "ladder_level",
    "step_source",
    "level_source",
]


def consensus_ladder(ladder: pd.DataFrame, decisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each example's place on the participation ladder after the meeting.

    ``ladder`` holds the coders' choices (example_id, coder, ladder_step, ladder_level). The
    step and the level are each the meeting's decision (source ``decision``), else the choice
    of every coder who made one (``unanimous``), else the most common choice (``majority``; on
    a tie the lowest step and the first level, so an example is never placed higher than a
    coder saw it). Nobody chose: empty, with an empty source.
    """
    choices = ladder_values(ladder)
    decided: dict = {}
    if decisions is not None and len(decisions):
        for r in decisions[decisions["factor_id"].isin(LADDER_KEYS)].itertuples(index=False):
            decided.setdefault((r.example_id, r.factor_id), r.decision)
    by_key = {key: group["value"].tolist() for key, group in choices.groupby(["example_id", "key"])}
    examples = sorted({str(e) for e in ladder["example_id"]} | {e for e, _ in decided})
    rows = []
    for example in examples:
        row = {"example_id": example}
        for key, source in (("ladder_step", "step_source"), ("ladder_level", "level_source")):
            values = by_key.get((example, key), [])
            if (example, key) in decided:
                row[key], row[source] = decided[(example, key)], "decision"
            elif values:
                counts = pd.Series(values).value_counts()
                row[key] = min(counts.index[counts == counts.max()])
                row[source] = "unanimous" if len(counts) == 1 else "majority"
            else:
                row[key], row[source] = "", ""
        rows.append(row)
    return pd.DataFrame(rows, columns=LADDER_CONSENSUS_COLUMNS)


def consensus_notices(
    matrix: pd.DataFrame, ladder: pd.DataFrame, decision_file: str | None, policy: str
) -> list[Notice]:
    """What the policy, not the meeting, decided: the disagreements left without a decision."""
    notices = []
    where = decision_file or ""
    open_cells = int((matrix["source"] == policy).sum())
    open_places = int(ladder[["step_source", "level_source"]].eq("majority").any(axis=1).sum())
    if open_cells or open_places:
        has = f"har ingen beslutning i {decision_file}" if decision_file else "har ingen beslutning"
        nb_none = "" if decision_file else " (det finnes ingen consensus.xlsx eller consensus.csv)"
        en_none = "" if decision_file else " (there is no consensus.xlsx or consensus.csv)"
        notices.append(
            Notice(
                "count",
                "consensus",
                "undecided_disagreements",
                where,
                "",
                f"{open_cells} uenighet(er) om faktorer {has}{nb_none}; coding.majority_policy "
                f"({policy}) avgjør dem. {open_places} eksempel(er) plasseres på stigen der "
                "flest av koderne satte dem.",
                f"{open_cells} disagreement(s) on factors have no decision{en_none}; "
                f"coding.majority_policy ({policy}) decides them. {open_places} example(s) are "
                "placed on the ladder where most of their coders put them.",
            )
        )
    return notices


def lookalike_notices(paths: list[str | Path]) -> list[Notice]:
    """A notice for each file that looks like the meeting's file but is not read."""
    return [
        Notice(
            "count",
            "consensus",
            "decision_file_not_read",
            str(path),
            "",
            "Filen leses ikke: møtets beslutninger leses bare fra consensus.xlsx eller "
            "consensus.csv i studiens mappe. Holder filen beslutningene, gi den det navnet.",
            "Not read: the meeting's decisions are read only from consensus.xlsx or "
            "consensus.csv in the study's folder. If this file holds them, give it that name.",
        )
        for path in paths
    ]


def build_consensus(
    codings: pd.DataFrame,
    decision_paths: list[str | Path],
    ladder: pd.DataFrame | None = None,
    policy: str = "majority",
    lookalikes: list[str | Path] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, list[Notice]]:
    """The consensus of a study: (example x factor matrix, ladder placements, notices).

    ``decision_paths`` are the meeting's files found (more than one stops the run); ``ladder``
    the coders' ladder choices, if any; ``lookalikes`` files that look like the meeting's file
    but are not read, announced.
    """
    path = pick_decision_file(list(decision_paths))
    decisions = None
    notices = lookalike_notices(lookalikes)
    if path is not None:
        decisions = read_decisions(path, codings["example_id"], codings["factor_id"])
        notices += decision_notices(decisions, str(path))
    matrix = consensus_matrix(codings, decisions, policy)
    if ladder is None:
        ladder = pd.DataFrame(columns=["example_id", "coder", *LADDER_KEYS])
    placed = consensus_ladder(ladder, decisions)
    notices += consensus_notices(matrix, placed, None if path is None else str(path), policy)
    return matrix, placed, notices


def consensus_factors(matrix: pd.DataFrame) -> pd.DataFrame:
    """Long example_id, factor_id rows for factors present in the consensus (Table 1 input)."""
    present = matrix[matrix["present"] == 1]
    return present[["example_id", "factor_id"]].sort_values(["example_id", "factor_id"])


def unsaved_meeting_decisions(generated: str | Path, saved: list[str | Path]) -> list[int]:
    """Rows of the generated disagreements.xlsx with a decision that no saved file holds.

    ``saved`` are the meeting's files (consensus.xlsx|csv). A row counts as saved when a saved
    file decides the same example and factor (the meeting may have changed its mind there).
    An unreadable file is left to the consensus step, which names what is wrong with it.
    """
    generated = Path(generated)
    if not generated.is_file():
        return []
    try:
        typed = read_decisions(generated)
        held = set()
        for path in saved:
            d = read_decisions(path)
            held |= set(zip(d["example_id"], d["factor_id"], strict=True))
    except Exception:  # noqa: BLE001 (any unreadable file: the consensus step reports it)
        return []
    keys = zip(typed["example_id"], typed["factor_id"], strict=True)
    return [int(r) for r, key in zip(typed["row"], keys, strict=True) if key not in held]
