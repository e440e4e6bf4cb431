"""Scaffold a new study (a new round of collected examples) from an existing one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # same rule as config `study`

README = """# Study {name}

A new round of collected examples, started from the codebook of `{source}`.

- `forms/`: the submitted forms, exactly as received (.docx, .pdf, .pptx, .txt/.md, .yaml).
  `medvirk form-template skjema.docx` writes the blank form to send out.
- `codings/`: the coders' files, once the examples have been coded.
- `codebook/`: copied from `data/raw/{source}/codebook/`; edit it here if this round's
  factors differ.

- `study.yaml`: this study's own settings, over the defaults in config/config.yaml; list the
  coders there.

`forms/` and `codings/` are git-ignored: each holds a `.gitignore` that ignores everything in
the folder but itself (and the repository's `.gitignore` says the same for every study). The
forms carry the contact persons' names, phone numbers and e-mail addresses and can tell
patients' stories; returned coding sheets can carry coders' notes with the same. They stay on
the machines of the people allowed to see them and are never committed, even when the rest of
the study (codebook, study.yaml, consensus.xlsx) is. Keep them where your project keeps
personal data, and never `git add -f` them.

Run: `make run STUDY={name}`. The first run ingests the forms and writes one coding sheet per
coder in `coding.coders` (study.yaml) to `results/{name}/coding_sheets/`; with the
returned sheets in `codings/`, the next run gives agreement, the consensus and Table 1. Contact
details from the forms go to `data/private/{name}/contacts.csv`, which is never committed.
"""


STUDY_SETTINGS = """\
# Settings of study {name}: they override config/config.yaml for this study only
# (same keys; see workflow/schemas/config.schema.yaml).
coding:
  # The coders, one coding sheet each (results/{name}/coding_sheets/<coder>.xlsx). Replace these
  # with your coders' names (letters, digits, - and _). Coders who work in a QDA program and hand
  # in a .qdpx need not be listed.
  coders: [koder1, koder2, koder3]
  # .qdpx users who are not coders (e.g. NVivo's test_user).
  exclude_users: []
"""


# Written into forms/ and codings/ of a new study.
GITIGNORE = """\
# {what}: personal data, never committed. Only this file is, so that the folder exists in every
# clone. See ../README.md.
*
!.gitignore
"""
PRIVATE_FOLDERS = {
    "forms": "Submitted forms name contact persons, their phones and e-mail addresses",
    "codings": "Coders' returned sheets and projects can carry notes with personal data",
}


class StudyError(Exception):
    """The study cannot be created; the message says why and what to do."""


def new_study(root: str | Path, name: str, source: str = "fhi2016") -> Path:
    """Create ``data/raw/<name>/`` with forms/, codings/ and the codebook of ``source``.

    Returns the new study folder. Refuses to overwrite an existing study.
    """
    raw = Path(root) / "data" / "raw"
    if not NAME_RE.match(name):
        raise StudyError(
            f"'{name}' is not a valid study name: use letters, digits, '-' and '_' only."
        )
    target = raw / name
    if target.exists():
        raise StudyError(f"{target} already exists; choose another name or remove it first.")
    codebook = raw / source / "codebook"
    if not (raw / source).is_dir():
        raise StudyError(f"no study '{source}' under {raw}; --from must name an existing study.")
    for folder, what in PRIVATE_FOLDERS.items():
        (target / folder).mkdir(parents=True)
        (target / folder / ".gitignore").write_text(GITIGNORE.format(what=what), encoding="utf-8")
    if codebook.is_dir():
        shutil.copytree(codebook, target / "codebook")
    else:
        (target / "codebook").mkdir()
    (target / "README.md").write_text(README.format(name=name, source=source), encoding="utf-8")
    (target / "study.yaml").write_text(STUDY_SETTINGS.format(name=name), encoding="utf-8")
    return target
