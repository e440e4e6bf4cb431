"""Coding sheets for independent coders: write one workbook per coder, read them back, check them.

A coder marks with ``x`` each codebook factor they find in an example. Co-researchers work in
the spreadsheet; researchers may hand in the long CSV format ``example_id, coder, factor_id``
(one row per factor found) instead. Reading checks everything at the boundary and reports every
problem at once, naming the file, the sheet, the row and the column, in plain Norwegian.

The tidy result is a full grid ``example_id, coder, factor_id, present`` (0/1): an empty cell
means the coder did not find the factor in that example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from medvirk.errors import InputError
from medvirk.privacy import scrub_text

SHEET = "Koding"
INSTRUCTIONS = "Instruksjoner"
MARK = "x"
STEPS = (1, 2, 3, 4)
LEVELS = ("A", "B", "C")
HEADER_ROW = 2  # machine-readable keys; row 1 holds category groups, row 3 the labels
FIRST_DATA_ROW = 4
EXAMPLE_COLUMNS = ("example_id", "title", "aim", "text")
EXTRA_COLUMNS = ("other_factors", "ladder_step", "ladder_level")
LADDER_COLUMNS = ["example_id", "coder", "ladder_step", "ladder_level", "other_factors"]
# Several factors in one «Andre faktorer» cell: one per line, or separated by semicolons.
FACTOR_SEPARATORS = re.compile(r"[\n\r;]+")
# A list marker a coder may put before a factor: "-", "•", "*", "1.", "2)".
LIST_MARKER = re.compile(r"^\s*(?:[-–•*·]+|\d{1,2}[.)])\s+")

INSTRUCTION_LINES = [
    "Slik koder du eksemplene",
    "",
    "1. Gå til arket «Koding». Hver rad er ett eksempel. Les eksemplet (tittel, mål og tekst, "
    "eller dokumentet det vises til).",
    "2. Kolonnene med faktorer er samlet under de fire kategoriene øverst. Skriv x i cellen når du "
    "finner faktoren i eksemplet. La cellen stå tom når du ikke finner den.",
    "3. Finner du en suksessfaktor som ikke står i kodeboken, skriv den med egne ord i kolonnen "
    "«Andre faktorer». Én faktor per linje (Alt+Enter gir ny linje i cellen), eller skill dem "
    "med semikolon (;). Ikke skriv navn eller andre opplysninger som kan kjenne igjen en person.",
    "4. Velg trinn (1–4) og nivå (A, B eller C) i medvirkningsstigen fra nedtrekkslistene.",
    "5. Kod alene. Ikke snakk med de andre koderne om eksemplene før alle er ferdige: "
    "vi måler hvor enige vi er. Uenighetene diskuterer vi sammen i konsensusmøtet.",
    "6. Ikke endre eksempel-id-ene, kolonneoverskriftene eller rekkefølgen på arkene.",
    "",
    "Medvirkningsstigen: trinn 1 informasjon, 2 konsultasjon, 3 medbestemmelse/partnerskap, "
    "4 brukerstyring. Nivå A individnivå, B tjeneste-/systemnivå, C systemnivå/politikkutforming.",
]


class CodingError(InputError):
    """One or more problems in the coders' files, each a sentence a co-researcher can act on.

    Each problem names its file (and sheet, row, column); all are listed at once.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        self.file, self.row, self.column = "", None, None
        self.detail = "\n- ".join(self.problems)
        ValueError.__init__(self, "Kodingene kan ikke leses før dette er rettet:\n- " + self.detail)


def write_coding_sheet(
    path: str | Path,
    coder: str,
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
) -> None:
    """Write the workbook one coder fills in: instructions first, then one row per example."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = INSTRUCTIONS
    info["A1"] = f"Kodeskjema for {coder}"
    info["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(INSTRUCTION_LINES, start=3):
        info.cell(row=i, column=1, value=line)
    info.column_dimensions["A"].width = 110

    ws = wb.create_sheet(SHEET)
    order = "published_order" if "published_order" in factors.columns else "factor_id"
    factors = factors.sort_values(["category_id", order])
    cat_label = categories.set_index("category_id")["label_nb"]
    keys = list(EXAMPLE_COLUMNS) + list(factors["factor_id"]) + list(EXTRA_COLUMNS)
    labels = (
        ["Eksempel-id", "Tittel", "Mål", "Tekst / hvor den finnes"]
        + list(factors["label_nb"])
        + ["Andre faktorer (fritekst)", "Trinn (1–4)", "Nivå (A/B/C)"]
    )
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for col, (key, label) in enumerate(zip(keys, labels, strict=True), start=1):
        ws.cell(row=HEADER_ROW, column=col, value=key).font = bold
        ws.cell(row=HEADER_ROW + 1, column=col, value=label).alignment = wrap
    ws.cell(row=1, column=1, value="Eksempel").font = bold
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(EXAMPLE_COLUMNS))
    col = len(EXAMPLE_COLUMNS) + 1
    fills = ["DDEBF7", "E2EFDA", "FFF2CC", "FCE4D6"]
    for i, (cat, group) in enumerate(factors.groupby("category_id", sort=True)):
        cell = ws.cell(row=1, column=col, value=f"{cat}: {cat_label.get(cat, cat)}")
        cell.font = bold
        for c in range(col, col + len(group)):
            ws.cell(row=1, column=c).fill = PatternFill("solid", fgColor=fills[i % len(fills)])
        ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + len(group) - 1)
        col += len(group)
    ws.cell(row=1, column=col, value="Annet").font = bold
    ws.cell(row=1, column=col + 1, value="Medvirkningsstigen").font = bold
    ws.merge_cells(start_row=1, start_column=col + 1, end_row=1, end_column=col + 2)

    for r, ex in enumerate(examples.sort_values("example_id").itertuples(), start=FIRST_DATA_ROW):
        ws.cell(row=r, column=1, value=ex.example_id)
        ws.cell(row=r, column=2, value=getattr(ex, "title", ""))
        ws.cell(row=r, column=3, value=getattr(ex, "aim", "") or getattr(ex, "summary", ""))
        ws.cell(row=r, column=4, value=_where_to_read(ex))
        for c in range(2, 5):
            ws.cell(row=r, column=c).alignment = wrap
    last = FIRST_DATA_ROW + len(examples) - 1
    first_f, last_f = len(EXAMPLE_COLUMNS) + 1, len(EXAMPLE_COLUMNS) + len(factors)
    validations = [
        (f'"{MARK}"', first_f, last_f, "Skriv x når faktoren finnes, ellers la cellen stå tom."),
        ('"1,2,3,4"', last_f + 2, last_f + 2, "Velg trinn 1, 2, 3 eller 4."),
        ('"A,B,C"', last_f + 3, last_f + 3, "Velg nivå A, B eller C."),
    ]
    for formula, c0, c1, message in validations:
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage = message, "Ikke tillatt", True
        dv.add(f"{get_column_letter(c0)}{FIRST_DATA_ROW}:{get_column_letter(c1)}{max(last, 4)}")
        ws.add_data_validation(dv)
    for c in range(1, len(keys) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 40 if 2 <= c <= 4 else 14
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
    from medvirk.xlsxio import save_workbook

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_workbook(wb, path)


MATERIAL_NB = {
    "written_form": "Utfylt skjema (se skjemaet for eksemplet)",
    "partial": "Delvis utfylt skjema; se også presentasjonen og filmen",
    "presentation_only": "Bare presentasjon (PowerPoint/film)",
}


def _where_to_read(example) -> str:
    """The form's text if the study has it, otherwise where to find the material."""
    text = getattr(example, "text", "")
    if isinstance(text, str) and text.strip():
        return text
    material = getattr(example, "material", "")
    where = MATERIAL_NB.get(material, material if isinstance(material, str) else "")
    note = getattr(example, "material_note", "")
    return f"{where}. {note}" if isinstance(note, str) and note.strip() else where


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_coding_sheet(
    path: str | Path, coder: str, example_ids: list[str], factor_ids: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one filled workbook into (presence rows, ladder/other-factor rows).

    Raises CodingError listing every problem with file, sheet, row and column.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    name = Path(path).name
    wb = load_workbook(path, read_only=True, data_only=True)
    if SHEET not in wb.sheetnames:
        raise CodingError([f"{name}: finner ikke arket «{SHEET}». Arkene heter: {wb.sheetnames}."])
    rows = list(wb[SHEET].iter_rows(values_only=True))
    header = list(rows[HEADER_ROW - 1]) if len(rows) >= HEADER_ROW else []
    problems: list[str] = []
    known_ex, known_f = set(example_ids), set(factor_ids)
    fixed = set(EXAMPLE_COLUMNS) | set(EXTRA_COLUMNS)
    factor_cols: dict[int, str] = {}
    for c, key in enumerate(header):
        if _blank(key) or key in fixed:
            continue
        cell = f"{get_column_letter(c + 1)}{HEADER_ROW}"
        if str(key).strip() not in known_f:
            problems.append(
                f"{name}, ark «{SHEET}», rad {HEADER_ROW}, kolonne {get_column_letter(c + 1)} "
                f"(celle {cell}): faktor-id «{key}» finnes ikke i kodeboken. "
                "Rett overskriften tilbake til id-en fra kodeboken."
            )
        else:
            factor_cols[c] = str(key).strip()
    pos = {k: header.index(k) for k in fixed if k in header}
    if "example_id" not in pos:
        raise CodingError(
            [f"{name}, ark «{SHEET}», rad {HEADER_ROW}: mangler kolonnen example_id."]
        )
    present, ladder, seen = [], [], {}
    for r, row in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
        row = list(row) + [None] * (len(header) - len(row))
        ex = row[pos["example_id"]]
        if _blank(ex) and all(_blank(row[c]) for c in factor_cols):
            continue
        where = f"{name}, ark «{SHEET}», rad {r}"
        ex = str(ex).strip() if not _blank(ex) else ""
        if ex not in known_ex:
            problems.append(
                f"{where}, kolonne A (celle A{r}): eksempel-id «{ex}» finnes ikke i studien."
            )
            continue
        if ex in seen:
            problems.append(f"{where}: eksempel {ex} står to ganger (også på rad {seen[ex]}).")
            continue
        seen[ex] = r
        for c, factor in factor_cols.items():
            value = row[c]
            if _blank(value):
                continue
            if str(value).strip().lower() != MARK:
                cell = f"{get_column_letter(c + 1)}{r}"
                problems.append(
                    f"{where}, kolonne {get_column_letter(c + 1)} ({factor}, celle {cell}): "
                    f"«{value}» er ikke tillatt. Skriv x eller la cellen stå tom."
                )
            else:
                present.append({"example_id": ex, "coder": coder, "factor_id": factor})
        entry = {"example_id": ex, "coder": coder}
        for key, allowed in (("ladder_step", STEPS), ("ladder_level", LEVELS)):
            value = row[pos[key]] if key in pos else None
            if _blank(value):
                entry[key] = None
                continue
            norm = int(value) if key == "ladder_step" and str(value).strip().isdigit() else value
            norm = norm.strip().upper() if isinstance(norm, str) else norm
            if norm not in allowed:
                cell = f"{get_column_letter(pos[key] + 1)}{r}"
                problems.append(
                    f"{where}, kolonne {get_column_letter(pos[key] + 1)} (celle {cell}): "
                    f"«{value}» er ikke tillatt. Velg en av {', '.join(map(str, allowed))}."
                )
                norm = None
            entry[key] = norm
        other = row[pos["other_factors"]] if "other_factors" in pos else None
        # Free text may hold a phone number or an e-mail address: never let it reach processed/.
        entry["other_factors"] = None if _blank(other) else scrub_text(str(other).strip())
        ladder.append(entry)
    if problems:
        raise CodingError(problems)
    return _presence_frame(present), pd.DataFrame(ladder, columns=LADDER_COLUMNS)


def _presence_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["example_id", "coder", "factor_id"])


def read_codings_csv(
    path: str | Path, coder: str, example_ids: list[str], factor_ids: list[str]
) -> pd.DataFrame:
    """Read the long CSV format example_id, coder, factor_id (one row per factor found)."""
    name = Path(path).name
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("example_id", "factor_id") if c not in table.columns]
    if missing:
        raise CodingError([f"{name}: mangler kolonnen {', '.join(missing)} i første rad."])
    if "coder" not in table.columns:
        table["coder"] = coder
    problems = []
    known_ex, known_f = set(example_ids), set(factor_ids)
    seen: dict[tuple, int] = {}
    for i, row in enumerate(table.itertuples(index=False), start=2):
        where = f"{name}, rad {i}"
        ex, f, c = row.example_id.strip(), row.factor_id.strip(), row.coder.strip()
        if c != coder:
            problems.append(f"{where}, kolonne coder: koder «{c}», men filen tilhører {coder}.")
        if ex not in known_ex:
            problems.append(f"{where}, kolonne example_id: eksempel-id «{ex}» finnes ikke.")
        if f not in known_f:
            problems.append(f"{where}, kolonne factor_id: faktor-id «{f}» finnes ikke i kodeboken.")
        if (ex, f) in seen:
            problems.append(f"{where}: samme eksempel og faktor som rad {seen[(ex, f)]}.")
        seen.setdefault((ex, f), i)
    if problems:
        raise CodingError(problems)
    return _presence_frame(
        [{"example_id": e.strip(), "coder": coder, "factor_id": f.strip()} for e, f in seen]
    )


def find_coding_files(
    folder: str | Path, coders: list[str], qdpx_coders: list[str] | tuple[str, ...] = ()
) -> dict[str, Path]:
    """The file of each configured coder in folder (<coder>.xlsx or <coder>.csv).

    A configured coder without such a file is fine when a .qdpx user has that name.
    """
    folder = Path(folder)
    found, problems = {}, []
    for coder in coders:
        candidates = [folder / f"{coder}.xlsx", folder / f"{coder}.csv"]
        existing = [p for p in candidates if p.exists()]
        if not existing and coder in qdpx_coders:
            continue
        if not existing:
            users = f" Brukerne i .qdpx-filene er: {', '.join(qdpx_coders)}." if qdpx_coders else ""
            problems.append(
                f"Koder «{coder}» står i oppsettet, men det finnes ingen fil {coder}.xlsx eller "
                f"{coder}.csv i {folder}, og ingen bruker med det navnet i en .qdpx-fil. "
                f"Legg inn filen, eller fjern koderen fra oppsettet (coding.coders).{users}"
            )
        elif len(existing) > 1:
            problems.append(f"Koder «{coder}» har både {coder}.xlsx og {coder}.csv i {folder}.")
        elif coder in qdpx_coders:
            problems.append(
                f"Koder «{coder}» har både {existing[0].name} og kodinger i en .qdpx-fil i "
                f"{folder}. Behold én av dem, eller gi brukeren et annet navn."
            )
        else:
            found[coder] = existing[0]
    if problems:
        raise CodingError(problems)
    return found


def read_codings(
    files: dict[str, str | Path],
    example_ids: list[str],
    factor_ids: list[str],
    qdpx_codings: pd.DataFrame | None = None,
    qdpx_covered: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every coder's file; return the tidy presence grid and the ladder/other table.

    ``qdpx_codings`` (example_id, coder, factor_id from .qdpx files) add their coders, who have
    no ladder. ``qdpx_covered`` (coder, example_id) lists the examples their projects hold: an
    example outside a QDA coder's project has no rows for that coder (not coded, rather than
    coded as absent), so it does not count in agreement. Problems from all files are collected
    before stopping, so one run lists them all.
    """
    presence, ladders, problems = [], [], []
    for coder, path in files.items():
        try:
            if str(path).endswith(".csv"):
                presence.append(read_codings_csv(path, coder, example_ids, factor_ids))
            else:
                p, lad = read_coding_sheet(path, coder, example_ids, factor_ids)
                presence.append(p)
                ladders.append(lad)
        except CodingError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CodingError(problems)
    coders = list(files)
    qda_coders = set()
    if qdpx_codings is not None and len(qdpx_codings):
        presence.append(qdpx_codings[["example_id", "coder", "factor_id"]])
        qda_coders |= set(qdpx_codings["coder"])
    if qdpx_covered is not None:  # a QDA coder who marked none of our factors still coded
        qda_coders |= set(qdpx_covered["coder"])
    coders += sorted(qda_coders - set(coders))
    marks = pd.concat(presence, ignore_index=True) if presence else _presence_frame([])
    grid = presence_grid(marks, example_ids, factor_ids, coders)
    # What each coder actually coded: the rows of their sheet, the examples their .qdpx project
    # holds; a long CSV lists only marks, so it stands for every example. An example outside
    # that has no rows for the coder (not coded), rather than rows saying "absent".
    partial = {c for c, p in files.items() if not str(p).endswith(".csv")}
    held = {(lad["coder"].iloc[0], e) for lad in ladders if len(lad) for e in lad["example_id"]}
    if qdpx_covered is not None:
        partial |= qda_coders - set(files)
        held |= set(zip(qdpx_covered["coder"], qdpx_covered["example_id"], strict=True))
    keep = [
        coder not in partial or (coder, example) in held
        for coder, example in zip(grid["coder"], grid["example_id"], strict=True)
    ]
    grid = grid[keep].reset_index(drop=True)
    ladder = (
        pd.concat(ladders, ignore_index=True) if ladders else pd.DataFrame(columns=LADDER_COLUMNS)
    )
    return grid, ladder


def read_study_codings(
    folder: str | Path,
    coders: list[str],
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    qdpx_files: list[str | Path] = (),
    mapping: str | Path | None = None,
    match_sources_by: str = "id_or_title",
    schema: str | Path | None = None,
    strict: bool = False,
    exclude_users: list[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """All codings of a study: (presence grid, ladder table, .qdpx problems).

    Coders are the configured ones with a workbook or CSV plus every .qdpx user with codings
    on the study's examples, under the user's name. Whatever a .qdpx holds that cannot be
    placed is in the problems table (file, kind, item, detail); an unreadable .qdpx is one of
    them and the other files are still read (with `strict`, it stops the run instead).
    `schema` is a setting for `refiqda.schema_file` ("packaged", "", a path); a path that does
    not exist is reported and the files are read without checks. Users named in `exclude_users`
    (a test account, say) are not coders; their skipped codings are reported as problems.
    """
    from medvirk import refiqda

    example_ids = [str(e) for e in examples["example_id"]]
    factor_ids = [str(f) for f in factors["factor_id"]]
    table = refiqda.read_mapping(mapping) if mapping else None
    schema = refiqda.schema_file(schema)
    notes = []
    if schema and not Path(schema).is_file():
        notes = [("", "schema_missing", str(schema), "not found; read without checks")]
        schema = None
    qdpx, problems, covered = refiqda.read_qdpx_files(
        list(qdpx_files), examples, factors, table, match_sources_by, schema or None, exclude_users
    )
    unreadable = problems[problems["kind"] == "unreadable"]
    if strict and len(unreadable):
        raise CodingError([f"{p.file}: {p.detail}" for p in unreadable.itertuples()])
    if notes:
        extra = pd.DataFrame(notes, columns=refiqda.FILE_PROBLEM_COLUMNS)
        problems = pd.concat([extra, problems], ignore_index=True)
    files = find_coding_files(folder, coders, sorted(set(qdpx["coder"]) | set(covered["coder"])))
    grid, ladder = read_codings(files, example_ids, factor_ids, qdpx, covered)
    n_coders = grid["coder"].nunique()
    if n_coders < 2:
        raise CodingError(
            [
                f"Fant {n_coders} koder(e) i {folder}; enighet krever minst to. Legg inn "
                "kodeskjemaer (coding.coders) eller .qdpx-filer med flere brukere."
            ]
            + [f"{p.file}: [{p.kind}] {p.item}: {p.detail}" for p in problems.itertuples()]
        )
    return grid, ladder, problems


def presence_grid(
    marks: pd.DataFrame, example_ids: list[str], factor_ids: list[str], coders: list[str]
) -> pd.DataFrame:
    """Long presence rows -> full grid example_id, coder, factor_id, present (0/1), sorted."""
    index = pd.MultiIndex.from_product(
        [sorted(example_ids), sorted(coders), sorted(factor_ids)],
        names=["example_id", "coder", "factor_id"],
    )
    hit = pd.MultiIndex.from_frame(marks[["example_id", "coder", "factor_id"]])
    grid = index.to_frame(index=False)
    grid["present"] = index.isin(hit).astype(int)
    return grid


def split_other_factors(cell) -> list[str]:
    """The separate factors a coder wrote in one «Andre faktorer» cell, in the order written.

    The sheet's instructions ask for one factor per line or semicolon-separated factors; list
    markers ("- ", "• ", "1. ") and surrounding spaces are dropped, and so are exact repeats.

    >>> split_other_factors("- Jobb\n- Felles mål; jobb ;Jobb")
    ['Jobb', 'Felles mål', 'jobb']
    """
    if _blank(cell) or (isinstance(cell, float) and pd.isna(cell)):
        return []
    out: list[str] = []
    for part in FACTOR_SEPARATORS.split(str(cell)):
        text = " ".join(LIST_MARKER.sub("", part).split())
        if text and text not in out:
            out.append(text)
    return out


def free_text_factors(ladder: pd.DataFrame, source: str = "ladder_codings.csv") -> pd.DataFrame:
    """One row per factor a coder wrote outside the codebook: example_id, coder, text.

    `ladder` is the second table of `read_codings` (columns example_id, coder, other_factors);
    `source` names it in the error if a column is missing. Sorted by example, coder and the
    order the coder wrote the factors in.
    """
    missing = [c for c in ("example_id", "coder", "other_factors") if c not in ladder.columns]
    if missing:
        raise InputError(
            source,
            f"missing column(s) {', '.join(missing)}; expected the coders' ladder and "
            "free-text table written by rule read_codings.",
        )
    rows = [
        {"example_id": str(r.example_id), "coder": str(r.coder), "text": text}
        for r in ladder.itertuples(index=False)
        for text in split_other_factors(r.other_factors)
    ]
    out = pd.DataFrame(rows, columns=["example_id", "coder", "text"])
    return out.sort_values(["example_id", "coder"], kind="stable").reset_index(drop=True)
