"""What the coders handed in that changes a count or an agreement figure without stopping the run.

Reading the codings goes on past these, so each becomes a :class:`~medvirk.notices.Notice`
for the run summary: a file in ``codings/`` that matches no coder (with the coder it most
likely belongs to: ``bjorn (1).xlsx``, ``Cy.xlsx``), a coder who marked nothing or returned the
sheet unchanged, rows and factor columns a coder left out, a ``.qdpx`` file that contributed
nothing or had problems. A notice names files, example and factor ids and counts, never a
coder's or a QDA user's name (a coder's file is how the researcher knows it).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd

from medvirk.notices import Notice

STEP = "read_codings"
# What a copy or a second download adds to a file name: "bjorn (1)", "bjorn - Kopi", "bjorn_copy".
COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|\s*[-_ ]\s*(kopi|copy|kopia|kopie)(\s*\(?\d+\)?)?)+$", re.I)
COPY_PREFIX = re.compile(r"^(kopi av|copy of|kopia av)\s+", re.I)
CODING_SUFFIXES = (".xlsx", ".csv", ".qdpx")
SPREADSHEET_SUFFIXES = (".xls", ".xlsm", ".ods", ".numbers")
MAPPING = "qdpx_mapping.csv"
SHOWN_IDS = 10


def likely_coder(filename: str, coders: list[str]) -> str | None:
    """The configured coder a file name most likely belongs to, or None.

    Ignores case, a copy mark (``bjorn (1).xlsx``, ``Kopi av bjorn.xlsx``) and a small typo.

    >>> likely_coder("bjorn (1).xlsx", ["anne", "bjorn", "cy"])
    'bjorn'
    >>> likely_coder("Cy.XLSX", ["anne", "bjorn", "cy"]), likely_coder("dina.xlsx", ["anne", "cy"])
    ('cy', None)
    """
    stem = Path(filename).name
    stem = stem[: -len(Path(stem).suffix)] if Path(stem).suffix else stem
    stem = COPY_PREFIX.sub("", COPY_SUFFIX.sub("", stem.strip())).strip().casefold()
    folded = {c.casefold(): c for c in coders}
    if stem in folded:
        return folded[stem]
    close = difflib.get_close_matches(stem, sorted(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" … (+{len(ids) - SHOWN_IDS})" if len(ids) > SHOWN_IDS else "")


def _notice(effect: str, kind: str, file, where: str, nb: str, en: str) -> Notice:
    return Notice(effect, STEP, kind, str(file), where, nb, en)


def unmatched_file_notices(
    folder: str | Path, used: set[str], coders: list[str], found: dict[str, Path]
) -> list[Notice]:
    """A notice for each file in codings/ that is not read, with the coder it likely belongs to.

    ``used`` are the names of the files read (coders' files, .qdpx projects, the mapping);
    ``found`` the configured coders' files. Hidden files, Excel's lock files (``~$…``) and
    README files are left alone.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    notices = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if (
            not path.is_file()
            or name in used
            or name == MAPPING
            or name.startswith((".", "~$"))
            or name.casefold().startswith("readme")
        ):
            continue
        suffix = path.suffix.casefold()
        guess = likely_coder(name, coders)
        if suffix in (".xlsx", ".csv") and guess in found:
            nb = (
                f"Filen leses ikke. Den ligner på {found[guess].name}, som leses. Er den en "
                f"nyere utgave, erstatt {found[guess].name} med den og kjør igjen."
            )
            en = (
                f"Not read. It looks like {found[guess].name}, which is read. If it is a newer "
                f"version, replace {found[guess].name} with it and run again."
            )
        elif suffix in (".xlsx", ".csv") and guess:
            nb = f"Filen leses ikke. Er den koderens fil {guess}{suffix}? Gi den det navnet."
            en = f"Not read. Is it the coder's file {guess}{suffix}? Give it that name."
        elif suffix in (".xlsx", ".csv"):
            nb = (
                "Filen leses ikke: ingen koder i coding.coders har dette filnavnet. Skal "
                "kodingene telle, før koderen opp i coding.coders (study.yaml) og kjør igjen."
            )
            en = (
                "Not read: no coder in coding.coders has this file name. For these codings to "
                "count, list the coder in coding.coders (study.yaml) and run again."
            )
        elif suffix == ".qdpx":
            nb = "Filen leses ikke: gi den endelsen .qdpx med små bokstaver."
            en = "Not read: give it the extension .qdpx in lower case."
        elif suffix in SPREADSHEET_SUFFIXES:
            nb = "Filen leses ikke: lagre den som Excel-arbeidsbok (.xlsx)."
            en = "Not read: save it as an Excel workbook (.xlsx)."
        else:
            notices.append(
                _notice(
                    "info",
                    "file_not_read",
                    path,
                    "",
                    "Filen er ikke en kodefil (.xlsx, .csv, .qdpx) og leses ikke.",
                    "Not a coding file (.xlsx, .csv, .qdpx); not read.",
                )
            )
            continue
        notices.append(_notice("count", "unknown_coder_file", path, "", nb, en))
    return notices


def sheet_notices(
    files: dict[str, Path],
    grid: pd.DataFrame,
    ladder: pd.DataFrame,
    example_ids: list[str],
    factor_ids: list[str],
) -> list[Notice]:
    """Notices on each configured coder's workbook or CSV: coded no example, left rows or factor
    columns out, marked nothing (or returned the sheet unchanged)."""
    from medvirk.codings import SHEET

    notices = []
    by_coder = dict(tuple(grid.groupby("coder")))
    for coder, path in files.items():
        rows = by_coder.get(coder, grid.iloc[0:0])
        sheet = not str(path).endswith(".csv")
        where = f"ark «{SHEET}»" if sheet else ""
        if rows.empty:
            notices.append(
                _notice(
                    "count",
                    "coded_no_example",
                    path,
                    where,
                    "Filen har ingen rad for noen av eksemplene; koderen er ikke med i samsvar "
                    "og konsensus.",
                    "The file has no row for any example; the coder is left out of agreement "
                    "and consensus.",
                )
            )
            continue
        skipped = sorted(set(example_ids) - set(rows["example_id"]))
        if sheet and skipped:
            notices.append(
                _notice(
                    "count",
                    "rows_skipped",
                    path,
                    where,
                    f"Arket har ingen rad for {len(skipped)} av {len(example_ids)} eksempler "
                    f"({_ids(skipped)}). De regnes som ikke kodet av denne koderen og telles "
                    "ikke i samsvar og konsensus for dem. Ble radene slettet ved en feil, legg "
                    "dem inn igjen fra kodeskjemaet.",
                    f"The sheet has no row for {len(skipped)} of {len(example_ids)} examples "
                    f"({_ids(skipped)}). They count as not coded by this coder and are left "
                    "out of agreement and consensus for them. If the rows were deleted by "
                    "mistake, put them back from the coding sheet.",
                )
            )
        missing = sorted(set(factor_ids) - set(rows["factor_id"]))
        if sheet and missing:
            notices.append(
                _notice(
                    "count",
                    "factor_column_missing",
                    path,
                    f"ark «{SHEET}», rad 2",
                    f"Kolonnen for {len(missing)} faktor(er) mangler ({_ids(missing)}). Koderen "
                    "regnes ikke for å ha kodet dem: de telles ikke som fraværende, og koderen "
                    "er holdt utenfor samsvar og konsensus for disse faktorene. Ble kolonnene "
                    "slettet ved en feil, legg dem inn igjen fra kodeskjemaet.",
                    f"The column of {len(missing)} factor(s) is missing ({_ids(missing)}). The "
                    "coder is taken not to have coded them: they do not count as absent, and "
                    "the coder is left out of agreement and consensus on these factors. If the "
                    "columns were deleted by mistake, put them back from the coding sheet.",
                )
            )
        if int(rows["present"].astype(int).sum()) == 0:
            notices.append(_nothing_marked(path, where, ladder[ladder["coder"] == coder]))
    return notices


def _nothing_marked(path: Path, where: str, ladder: pd.DataFrame) -> Notice:
    filled = ladder[["ladder_step", "ladder_level", "other_factors"]].map(
        lambda v: v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v).strip()
    )
    if not filled.to_numpy().any():
        return _notice(
            "count",
            "returned_unchanged",
            path,
            where,
            "Filen ser ut til å være sendt tilbake uendret: ingen kryss, trinn, nivå eller andre "
            "faktorer. Den telles som om koderen ikke fant noen faktor i noe eksempel, og det "
            "senker samsvaret og kan endre konsensus. Er den ikke fylt ut, ta den ut av "
            "codings/ eller få den fylt ut, og kjør igjen.",
            "The file looks returned unchanged: no mark, step, level or other factor. It "
            "counts as if the coder found no factor in any example, which lowers agreement and "
            "can change the consensus. If it was not filled in, take it out of codings/ or "
            "have it filled in, and run again.",
        )
    return _notice(
        "count",
        "marked_nothing",
        path,
        where,
        "Koderen har ikke markert en eneste faktor. Det telles som at ingen faktor finnes i "
        "noe eksempel, og det senker samsvaret og kan endre konsensus. Sjekk at det stemmer.",
        "The coder marked no factor at all. That counts as no factor present in any example, "
        "which lowers agreement and can change the consensus. Check that this is right.",
    )


def qdpx_notices(
    qdpx_files: list[Path],
    grid: pd.DataFrame,
    problems: pd.DataFrame,
    covered: pd.DataFrame,
    example_ids: list[str],
    problems_file: str,
) -> list[Notice]:
    """Notices on each .qdpx project: contributed nothing, held only some examples, users who
    marked nothing, and the problems listed in ``problems_file`` (qdpx_problems.csv)."""
    notices = []
    marked = grid.groupby("coder")["present"].apply(lambda s: int(s.astype(int).sum()))
    for path in sorted(qdpx_files):
        name = path.name
        own = problems[problems["file"] == name]
        kinds = ", ".join(f"{n} {k}" for k, n in own["kind"].value_counts().sort_index().items())
        held = covered[covered["file"] == name]
        if held.empty:
            notices.append(
                _notice(
                    "count",
                    "qdpx_contributed_nothing",
                    path,
                    "",
                    f"Filen ga ingen kodinger på studiens eksempler ({len(own)} problem(er): "
                    f"{kinds or 'ingen'}). Se {problems_file}.",
                    f"The file contributed no coding on the study's examples ({len(own)} "
                    f"problem(s): {kinds or 'none'}). See {problems_file}.",
                )
            )
            continue
        if len(own):
            notices.append(
                _notice(
                    "count",
                    "qdpx_problems",
                    path,
                    "",
                    f"{len(own)} problem(er) ({kinds}): det som ikke kunne plasseres, er hoppet "
                    f"over. Se {problems_file}.",
                    f"{len(own)} problem(s) ({kinds}): what could not be placed was skipped. "
                    f"See {problems_file}.",
                )
            )
        examples = set(held["example_id"])
        missing = sorted(set(example_ids) - examples)
        if missing:
            notices.append(
                _notice(
                    "count",
                    "qdpx_examples_missing",
                    path,
                    "",
                    f"Prosjektet har {len(examples)} av {len(example_ids)} eksempler; de andre "
                    f"({_ids(missing)}) er ikke kodet av brukerne i filen og telles ikke i "
                    "deres samsvar.",
                    f"The project holds {len(examples)} of {len(example_ids)} examples; the "
                    f"others ({_ids(missing)}) are not coded by its users and do not count in "
                    "their agreement.",
                )
            )
        idle = sorted(u for u in set(held["coder"]) if marked.get(u, 0) == 0)
        if idle:
            notices.append(
                _notice(
                    "count",
                    "marked_nothing",
                    path,
                    "",
                    f"{len(idle)} bruker(e) i prosjektet kodet i eksemplene, men ingen kode "
                    "svarer til en faktor: alle faktorer telles som fraværende for dem. Se "
                    f"code_unmatched i {problems_file}.",
                    f"{len(idle)} user(s) of the project coded in the examples, but none of "
                    "their codes maps onto a factor: every factor counts as absent for them. "
                    f"See code_unmatched in {problems_file}.",
                )
            )
    return notices


def coding_notices(
    folder: str | Path,
    files: dict[str, Path],
    qdpx_files: list[Path],
    mapping: str | Path | None,
    grid: pd.DataFrame,
    ladder: pd.DataFrame,
    problems: pd.DataFrame,
    covered: pd.DataFrame,
    example_ids: list[str],
    factor_ids: list[str],
    coders: list[str],
) -> list[Notice]:
    """Every notice on a study's codings (see the module's docstring)."""
    folder = Path(folder)
    used = {Path(p).name for p in [*files.values(), *qdpx_files]}
    if mapping:
        used.add(Path(mapping).name)
    problems_file = f"results/{folder.parent.name}/coding/qdpx_problems.csv"
    return (
        unmatched_file_notices(folder, used, coders, files)
        + sheet_notices(files, grid, ladder, example_ids, factor_ids)
        + qdpx_notices(qdpx_files, grid, problems, covered, example_ids, problems_file)
    )
