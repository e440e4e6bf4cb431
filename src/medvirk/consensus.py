"""From independent codings to one consensus: list disagreements, read decisions, decide the rest.

Where coders differ on an example x factor, the consensus meeting writes a decision (x = the
factor is present, 0 or "nei" = absent). Cells without a decision are settled by the
configured policy: ``majority`` (more than half of the coders marked it; a tie counts as
absent), ``any`` (one coder is enough) or ``all`` (every coder must have marked it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

POLICIES = ("majority", "any", "all")
PRESENT_WORDS = {"x", "1", "ja", "yes", "true", "present", "til stede"}
ABSENT_WORDS = {"0", "nei", "no", "false", "absent", "ikke til stede", "-"}


def disagreements(codings: pd.DataFrame) -> pd.DataFrame:
    """One row per example x factor where coders differ: who marked what, and an empty decision.

    ``codings`` is the tidy grid example_id, coder, factor_id, present.
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
    out["decision"] = ""
    out["note"] = ""
    return out


def write_disagreements_xlsx(
    table: pd.DataFrame,
    path: str | Path,
    factors: pd.DataFrame | None = None,
    simulated: bool = False,
) -> None:
    """Workbook for the consensus meeting; SIMULATED in the title and sheet name if so."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    if factors is not None and len(table):
        labels = factors.set_index("factor_id")["label_nb"]
        table = table.copy()
        table.insert(2, "factor_label", table["factor_id"].map(labels))
    wb = Workbook()
    ws = wb.active
    ws.title = "Uenigheter SIMULATED" if simulated else "Uenigheter"
    title = "Uenigheter til konsensusmøtet"
    if simulated:
        title = "SIMULATED (simulerte kodere, ikke ekte data) — " + title
    ws["A1"] = title
    ws["A1"].font = Font(bold=True)
    ws["A2"] = (
        "Skriv x i «decision» når faktoren finnes i eksemplet, 0 når den ikke gjør det. "
        "Tom beslutning: flertallet avgjør."
    )
    header = list(table.columns)
    for c, name in enumerate(header, start=1):
        ws.cell(row=4, column=c, value=name).font = Font(bold=True)
    for r, row in enumerate(table.itertuples(index=False), start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=None if pd.isna(value) else value)
    if len(table):
        from openpyxl.utils import get_column_letter

        col = get_column_letter(header.index("decision") + 1)
        dv = DataValidation(type="list", formula1='"x,0"', allow_blank=True)
        dv.add(f"{col}5:{col}{4 + len(table)}")
        ws.add_data_validation(dv)
    from medvirk.xlsxio import save_workbook

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)


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
    raise ValueError(f"«{value}» is not a decision; write x (present) or 0 (absent)")


def read_decisions(path: str | Path, example_ids=None, factor_ids=None) -> pd.DataFrame:
    """Decisions from consensus.csv or consensus.xlsx (columns example_id, factor_id, decision).

    For xlsx the header row is found by looking for example_id, so a filled-in
    disagreements.xlsx can be saved as consensus.xlsx directly. A decision for an example or
    factor not among ``example_ids`` / ``factor_ids`` (when given) is an error naming its row,
    not a decision silently dropped.
    """
    from medvirk.codings import CodingError, check_coding_file, too_many_rows
    from medvirk.limits import MAX_SHEET_ROWS

    path = Path(path)
    check_coding_file(path)
    known = {
        "example_id": None if example_ids is None else {str(e) for e in example_ids},
        "factor_id": None if factor_ids is None else {str(f) for f in factor_ids},
    }
    if path.suffix == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=MAX_SHEET_ROWS + 1)
        offset = 2
    else:
        raw = pd.read_excel(path, header=None, dtype=object, nrows=MAX_SHEET_ROWS + 10)
        hits = raw.index[raw.apply(lambda r: "example_id" in r.values, axis=1)]
        if len(hits) == 0:
            raise CodingError(
                [f"{path.name}: finner ingen overskriftsrad med example_id, factor_id, decision"]
            )
        table = raw.iloc[hits[0] + 1 :].set_axis(raw.iloc[hits[0]].tolist(), axis=1)
        offset = hits[0] + 2
    if len(table) > MAX_SHEET_ROWS:
        raise CodingError([too_many_rows(path.name, "filen")])
    missing = [c for c in ("example_id", "factor_id", "decision") if c not in table.columns]
    if missing:
        raise CodingError([f"{path.name}: mangler kolonnen {', '.join(missing)}"])
    rows, problems = [], []
    for i, row in enumerate(table.itertuples(index=False), start=offset):
        try:
            decision = parse_decision(row.decision)
        except ValueError as exc:
            problems.append(f"{path.name}, rad {i}, kolonne decision: {exc}")
            continue
        unknown = [
            f"{path.name}, rad {i}, kolonne {column}: «{value}» finnes ikke i kodingene"
            for column, value in (("example_id", row.example_id), ("factor_id", row.factor_id))
            if decision is not None
            and known[column] is not None
            and str(value) not in known[column]
        ]
        if unknown:
            problems.extend(unknown)
            continue
        if decision is not None:
            rows.append(
                {
                    "example_id": str(row.example_id),
                    "factor_id": str(row.factor_id),
                    "decision": decision,
                }
            )
    if problems:
        raise CodingError(problems)
    return pd.DataFrame(rows, columns=["example_id", "factor_id", "decision"])


def consensus_matrix(
    codings: pd.DataFrame, decisions: pd.DataFrame | None = None, policy: str = "majority"
) -> pd.DataFrame:
    """Example x factor consensus: present (0/1) and where it came from.

    source is ``unanimous``, ``decision`` (the meeting), or the policy name.
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
        d = decisions.drop_duplicates(["example_id", "factor_id"], keep="last")
        merged = out.merge(d, on=["example_id", "factor_id"], how="left")
        has = merged["decision"].notna()
        out.loc[has.to_numpy(), "present"] = merged.loc[has, "decision"].astype(int).to_numpy()
        out.loc[has.to_numpy(), "source"] = "decision"
    return out[["example_id", "factor_id", "present", "source", "n_present", "n_coders"]]


def consensus_factors(matrix: pd.DataFrame) -> pd.DataFrame:
    """Long example_id, factor_id rows for factors present in the consensus (Table 1 input)."""
    present = matrix[matrix["present"] == 1]
    return present[["example_id", "factor_id"]].sort_values(["example_id", "factor_id"])
