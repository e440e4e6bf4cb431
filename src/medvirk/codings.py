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
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from medvirk.errors import CODER, InputError
from medvirk.io import read_user_csv
from medvirk.limits import (
    MAX_SHEET_ROWS,
    LimitError,
    check_file_size,
    check_zip,
    format_count,
)
from medvirk.privacy import scrub_text
from medvirk.studyfiles import coder_files
from medvirk.textnorm import nfc

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
    "6. Ikke endre eksempel-id-ene, kolonneoverskriftene eller rekkefølgen på arkene, og ikke "
    "slett rader eller kolonner: et eksempel eller en faktor uten sin rad eller kolonne regnes "
    "som ikke kodet av deg.",
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


def check_coding_file(path: str | Path) -> None:
    """Refuse a coder's file (or a consensus file) over the limits before opening it.

    A file over ``medvirk.limits.MAX_FILE_BYTES``, or a workbook that would expand too far, is
    a CodingError naming the file, in Bokmål and English.
    """
    path = Path(path)
    try:
        check_file_size(path)
        if path.suffix.lower() in (".xlsx", ".xlsm", ".qdpx"):
            check_zip(path)
    except LimitError as exc:
        raise CodingError([f"{path.name}: {exc}"]) from None


def too_many_rows(name: str, where: str) -> str:
    nb_limit, en_limit = format_count(MAX_SHEET_ROWS)
    return (
        f"{name}, {where}: over {nb_limit} rader; grensen er {nb_limit}. Slett tomme eller "
        f"overflødige rader nederst. / over {en_limit} rows; the limit is {en_limit}. Delete "
        "empty or extra rows at the bottom."
    )


def refuse_links(folder: str | Path) -> None:
    """Stop with a message if the codings folder holds a symbolic link.

    A link can point outside the study; it is never followed. Hidden files are ignored.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return
    links = sorted(p.name for p in folder.iterdir() if p.is_symlink() and p.name[:1] != ".")
    if links:
        raise CodingError(
            [
                f"{folder / name}: er en snarvei (symbolsk lenke) og leses ikke, for den kan "
                "peke ut av studien. Legg selve filen i mappen. / is a symbolic link and is not "
                "read, as it can point outside the study. Put the file itself in the folder."
                for name in links
            ]
        )


def write_coding_sheet(
    path: str | Path,
    coder: str,
    examples: pd.DataFrame,
    factors: pd.DataFrame,
    categories: pd.DataFrame,
) -> None:  # pragma: no mutate block (a writer; `make mutation` tests the readers)
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
        # Text format: what a coder types in «Andre faktorer» stays text, even "-Jobb".
        ws.cell(row=r, column=len(keys) - len(EXTRA_COLUMNS) + 1).number_format = "@"
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


def _where_to_read(example) -> str:  # pragma: no mutate block (the writer's)
    """The form's text if the study has it, otherwise where to find the material."""
    text = getattr(example, "text", "")
    if isinstance(text, str) and text.strip():
        return text
    material = getattr(example, "material", "")
    where = MATERIAL_NB.get(material, material if isinstance(material, str) else "")
    note = getattr(example, "material_note", "")
    return f"{where}. {note}" if isinstance(note, str) and note.strip() else where


def _shown(value) -> str:
    """A cell's value as a message quotes it: personal data in it replaced by placeholders."""
    return scrub_text(str(value))


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_coding_sheet(
    path: str | Path,
    coder: str,
    example_ids: list[str],
    factor_ids: list[str],
    scrub: bool = True,
    names: Sequence[str] = (),
    id_hints: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one filled workbook into (presence rows, ladder/other-factor rows).

    Raises CodingError listing every problem with file, sheet, row and column. The free text
    («Andre faktorer») is scrubbed of personal data and of the contacts' ``names``;
    ``scrub=False`` only serves to show that the privacy scan catches what it would leak.
    ``id_hints`` says what happened to the form of an id no longer in the study (see
    :func:`medvirk.form_changes.id_hints`).
    """
    from openpyxl.utils import get_column_letter

    from medvirk.xlsxio import Formula, TooManyRows, read_user_workbook

    name = nfc(Path(path).name)
    check_coding_file(path)
    # Formulas as written, not their results: a coder's text that Excel took for a formula
    # ("-Jobb" becomes =-Jobb and shows #NAVN?) must be pointed out, not read as its result.
    try:
        sheets = read_user_workbook(
            path,
            CODER,
            formulas=True,
            max_rows=FIRST_DATA_ROW - 1 + MAX_SHEET_ROWS,
            sheet=SHEET,
        )
    except TooManyRows as exc:
        raise CodingError([too_many_rows(name, f"ark «{exc.sheet}»")]) from exc
    except InputError as exc:
        raise CodingError([f"{name}: {exc.detail}"]) from exc
    if SHEET not in sheets:
        raise CodingError([f"{name}: finner ikke arket «{SHEET}». Arkene heter: {list(sheets)}."])
    rows = [list(row) for row in sheets[SHEET]]
    formulas = {
        (r, c): v
        for r, row in enumerate(rows, start=1)
        for c, v in enumerate(row)
        if isinstance(v, Formula)
    }
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
                f"(celle {cell}): faktor-id «{_shown(key)}» finnes ikke i kodeboken. "
                "Rett overskriften tilbake til id-en fra kodeboken."
            )
        else:
            factor_cols[c] = str(key).strip()
    pos = {k: header.index(k) for k in fixed if k in header}
    if "example_id" not in pos:
        raise CodingError(
            [f"{name}, ark «{SHEET}», rad {HEADER_ROW}: mangler kolonnen example_id."]
        )
    problems += _formula_problems(name, rows, formulas, set(factor_cols) | set(pos.values()))
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
                f"{where}, kolonne A (celle A{r}): eksempel-id «{_shown(ex)}» finnes ikke i studien."
                + _id_hint(ex, id_hints)
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
                    f"«{_shown(value)}» er ikke tillatt. Skriv x eller la cellen stå tom."
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
                    f"«{_shown(value)}» er ikke tillatt. Velg en av {', '.join(map(str, allowed))}."
                )
                norm = None
            entry[key] = norm
        other = row[pos["other_factors"]] if "other_factors" in pos else None
        # Free text may hold personal data: never let it reach processed/.
        other = None if _blank(other) else str(other).strip()
        entry["other_factors"] = scrub_text(other, (), names) if scrub and other else other
        ladder.append(entry)
    if problems:
        raise CodingError(problems)
    return _presence_frame(present), pd.DataFrame(ladder, columns=LADDER_COLUMNS)


def _id_hint(example: str, hints: dict[str, str] | None) -> str:
    """What happened to an unknown example id's form, if known; a hint for a form id."""
    if hints and example in hints:
        return " " + hints[example]
    if example.startswith("ex-"):
        return (
            " Er skjemaet endret eller fjernet etter at kodeskjemaet ble laget, har eksemplet "
            "fått ny id eller er borte; se kodeskjemaene som ble laget nå."
        )
    return ""


def missing_factor_columns(path: str | Path, factor_ids: list[str]) -> list[str]:
    """Codebook factors whose column is not in a coder's workbook (deleted by the coder).

    A factor without its column was not coded by that coder: it is left out of their
    agreement and consensus rather than counted as absent (and the run summary says so).
    A workbook without any factor column cannot be read.
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[SHEET]
        ws.reset_dimensions()  # the cells the file holds, not the size it claims
        rows = ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True)
        header = {str(v).strip() for row in rows for v in row if not _blank(v)}
    finally:
        wb.close()
    missing = [f for f in factor_ids if f not in header]
    if missing and len(missing) == len(factor_ids):
        raise CodingError(
            [
                f"{Path(path).name}, ark «{SHEET}», rad {HEADER_ROW}: finner ingen av "
                "faktorkolonnene fra kodeboken (F01, F02, …). Bruk kodeskjemaet slik det ble "
                "sendt ut, uten å slette kolonner."
            ]
        )
    return missing


def _formula_problems(name: str, rows: list[list], formulas: dict, columns: set[int]) -> list[str]:
    """A problem for each formula (or formula error) in a data cell the sheet is read from.

    The cell is then read as empty, so it gives no other problem. Coders write marks and text;
    a formula there is almost always text Excel took for one (it starts with = + - or @).
    """
    from openpyxl.utils import get_column_letter

    problems = []
    for (r, c), formula in sorted(formulas.items()):
        if r < FIRST_DATA_ROW or c not in columns:
            continue
        rows[r - 1][c] = None
        col = get_column_letter(c + 1)
        problems.append(
            f"{name}, ark «{SHEET}», rad {r}, kolonne {col} (celle {col}{r}): cellen inneholder "
            f"en formel («{str(formula)[:40]}»), ikke tekst. Excel lager en formel av tekst som "
            "begynner med = + - eller @: skriv teksten på nytt med ' foran (for eksempel "
            "'-Jobb), eller uten tegnet først."
        )
    return problems


def _presence_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["example_id", "coder", "factor_id"])


def read_codings_csv(
    path: str | Path,
    coder: str,
    example_ids: list[str],
    factor_ids: list[str],
    id_hints: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read the long CSV format example_id, coder, factor_id (one row per factor found)."""
    name = nfc(Path(path).name)
    check_coding_file(path)
    try:
        table = read_user_csv(
            path, CODER, required=("example_id", "factor_id"), max_rows=MAX_SHEET_ROWS
        )
    except InputError as exc:
        raise CodingError([f"{name}: {exc.detail}"]) from exc
    if "coder" not in table.columns:
        table["coder"] = coder
    problems = []
    known_ex, known_f = set(example_ids), set(factor_ids)
    seen: dict[tuple, int] = {}
    for i, row in zip(table.index, table.itertuples(index=False), strict=True):
        where = f"{name}, rad {i}"
        ex, f, c = row.example_id.strip(), row.factor_id.strip(), row.coder.strip()
        if c != coder:
            problems.append(
                f"{where}, kolonne coder: koder «{_shown(c)}», men filen tilhører {coder}."
            )
        if ex not in known_ex:
            problems.append(
                f"{where}, kolonne example_id: eksempel-id «{_shown(ex)}» finnes ikke."
                + _id_hint(ex, id_hints)
            )
        if f not in known_f:
            problems.append(
                f"{where}, kolonne factor_id: faktor-id «{_shown(f)}» finnes ikke i kodeboken."
            )
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
    from medvirk.coding_notices import likely_coder

    folder = Path(folder)
    found, problems = {}, []
    own_files = coder_files(folder, coders)
    others = sorted(nfc(p.name) for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    for coder in coders:
        coder = nfc(coder)
        existing = own_files[coder]
        if not existing and coder in qdpx_coders:
            continue
        if not existing:
            users = f" Brukerne i .qdpx-filene er: {', '.join(qdpx_coders)}." if qdpx_coders else ""
            renamed = [n for n in others if likely_coder(n, coders) == coder]
            hint = (
                f" Filen {' / '.join(renamed)} ser ut til å være koderens: gi den navnet "
                f"{coder}{Path(renamed[0]).suffix.lower()}."
                if renamed
                else ""
            )
            problems.append(
                f"Koder «{coder}» står i oppsettet, men det finnes ingen fil {coder}.xlsx eller "
                f"{coder}.csv i {folder}, og ingen bruker med det navnet i en .qdpx-fil.{hint} "
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
    scrub: bool = True,
    names: Sequence[str] = (),
    id_hints: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every coder's file; return the tidy presence grid and the ladder/other table.

    ``qdpx_codings`` (example_id, coder, factor_id from .qdpx files) add their coders, who have
    no ladder. ``qdpx_covered`` (coder, example_id) lists the examples their projects hold: an
    example outside a QDA coder's project has no rows for that coder (not coded, rather than
    coded as absent), so it does not count in agreement. So has a row deleted from a workbook,
    and a factor whose column was deleted from it. Problems from all files are collected
    before stopping, so one run lists them all.
    """
    presence, ladders, problems, uncoded = [], [], [], set()
    for coder, path in files.items():
        try:
            if str(path).endswith(".csv"):
                presence.append(read_codings_csv(path, coder, example_ids, factor_ids, id_hints))
            else:
                p, lad = read_coding_sheet(
                    path, coder, example_ids, factor_ids, scrub, names, id_hints
                )
                presence.append(p)
                ladders.append(lad)
                uncoded |= {(coder, f) for f in missing_factor_columns(path, factor_ids)}
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
    # A factor whose column the coder deleted was not coded by them either.
    keep = [
        (coder not in partial or (coder, example) in held) and (coder, factor) not in uncoded
        for coder, example, factor in zip(
            grid["coder"], grid["example_id"], grid["factor_id"], strict=True
        )
    ]
    grid = grid[keep].reset_index(drop=True)
    ladder = (
        pd.concat(ladders, ignore_index=True) if ladders else pd.DataFrame(columns=LADDER_COLUMNS)
    )
    return grid, ladder


def read_study_codings_with_notices(
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
    categories: pd.DataFrame | None = None,
    contact_names: Sequence[str] = (),
    scrub: bool = True,
    id_hints: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list]:
    """All codings of a study: (presence grid, ladder table, .qdpx problems, notices).

    The notices (:mod:`medvirk.coding_notices`) say what changed a count or an agreement
    figure without stopping: files in ``folder`` that match no coder, coders who marked
    nothing, rows and factor columns a coder left out, .qdpx files with problems.
    ``id_hints`` (old example id -> what happened to its form) go into the message when a
    sheet names an id no longer in the study.

    Coders are the configured ones with a workbook or CSV plus every .qdpx user with codings
    on the study's examples, under the user's name. Whatever a .qdpx holds that cannot be
    placed is in the problems table (file, kind, item, detail); an unreadable .qdpx is one of
    them and the other files are still read (with `strict`, it stops the run instead).
    `schema` is a setting for `refiqda.schema_file` ("packaged", "", a path); a path that does
    not exist is reported and the files are read without checks. Users named in `exclude_users`
    (a test account, say) are not coders; their skipped codings are reported as problems.
    `categories` lets a .qdpx code group (Set) named like a category stand for it (see
    refiqda.set_categories).

    What coders wrote in free text, and the names in a .qdpx that the problems table quotes, are
    scrubbed of personal data and of the forms' `contact_names` (`scrub=False` only serves to
    show that the privacy scan catches what it would leak).
    """
    from medvirk import refiqda
    from medvirk.coding_notices import coding_notices
    from medvirk.privacy import scrub_columns

    refuse_links(folder)
    example_ids = [str(e) for e in examples["example_id"]]
    factor_ids = [str(f) for f in factors["factor_id"]]
    table = refiqda.read_mapping(mapping) if mapping else None
    schema = refiqda.schema_file(schema)
    notes = []
    if schema and not Path(schema).is_file():
        notes = [("", "schema_missing", str(schema), "not found; read without checks")]
        schema = None
    elif schema:
        try:
            refiqda.load_schema(str(schema))
        except Exception as exc:  # a broken schema file is the setting's fault, not the files'
            detail = f"not a usable XML schema ({type(exc).__name__}); read without checks"
            notes = [("", "schema_unreadable", str(schema), detail)]
            schema = None
    qdpx, problems, covered = refiqda.read_qdpx_files(
        list(qdpx_files),
        examples,
        factors,
        table,
        match_sources_by,
        schema or None,
        exclude_users,
        categories,
    )
    if scrub:
        problems = scrub_columns(problems, ["file", "item", "detail"], contact_names)
    unreadable = problems[problems["kind"] == "unreadable"]
    if strict and len(unreadable):
        raise CodingError([f"{p.file}: {p.detail}" for p in unreadable.itertuples()])
    if notes:
        extra = pd.DataFrame(notes, columns=refiqda.FILE_PROBLEM_COLUMNS)
        problems = pd.concat([extra, problems], ignore_index=True)
    files = find_coding_files(folder, coders, sorted(set(qdpx["coder"]) | set(covered["coder"])))
    grid, ladder = read_codings(
        files, example_ids, factor_ids, qdpx, covered, scrub, contact_names, id_hints
    )
    n_coders = grid["coder"].nunique()
    if n_coders < 2:
        raise CodingError(
            [
                f"Fant {n_coders} koder(e) i {folder}; enighet krever minst to. Legg inn "
                "kodeskjemaer (coding.coders) eller .qdpx-filer med flere brukere."
            ]
            + [f"{p.file}: [{p.kind}] {p.item}: {p.detail}" for p in problems.itertuples()]
        )
    notices = coding_notices(
        folder, files, [Path(p) for p in qdpx_files], mapping, grid, ladder, problems, covered,
        example_ids, factor_ids, coders,
    )  # fmt: skip
    return grid, ladder, problems, notices


def read_study_codings(*args, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """All codings of a study: (presence grid, ladder table, .qdpx problems).

    See :func:`read_study_codings_with_notices` for the arguments.
    """
    grid, ladder, problems, _ = read_study_codings_with_notices(*args, **kwargs)
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

    >>> split_other_factors("- Jobb\\n- Felles mål; jobb ;Jobb")
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
