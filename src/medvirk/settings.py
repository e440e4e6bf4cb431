"""Check a run's settings (config/config.yaml, a study's study.yaml, `--config`) at start.

The Snakefile calls `validate_settings`; a wrong setting stops the run before anything is
built, with one plain sentence per problem in Bokmål and English naming the setting
(``coding.coders[1]``), its value and what is allowed, instead of a JSON-schema dump.
Names in the settings (coders, users to leave out) are brought to Unicode NFC first, so
«bjørn» typed on any keyboard is one coder with one file name.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from medvirk.textnorm import nfc

# Settings whose values are names a person types; compared and used in file names in NFC.
NAME_LISTS = (("coding", "coders"), ("coding", "exclude_users"))

# What a value of these settings may look like, in words (the schema holds the pattern).
PATTERN_WORDS = {
    "study": (
        "bokstavene a–z og A–Z, sifre, - og _, og starte med en bokstav eller et siffer",
        "the letters a-z and A-Z, digits, - and _, starting with a letter or a digit",
    ),
    "coding.coders": (
        "bokstaver (også æ, ø, å), sifre, - og _, uten mellomrom, og starte med en bokstav "
        "eller et siffer (navnet blir et filnavn: <koder>.xlsx)",
        "letters (æ, ø, å too), digits, - and _, no spaces, starting with a letter or a digit "
        "(the name becomes a file name: <coder>.xlsx)",
    ),
}
TYPE_WORDS = {
    "string": ("tekst", "text"),
    "integer": ("et heltall", "a whole number"),
    "number": ("et tall", "a number"),
    "boolean": ("true eller false", "true or false"),
    "array": ("en liste, f.eks. [a, b]", "a list, e.g. [a, b]"),
    "object": ("en gruppe innstillinger", "a group of settings"),
}


class SettingsError(ValueError):
    """The settings break the schema; the message lists every problem in Bokmål and English."""

    def __init__(self, problems: list[str], files: Sequence[str] = ()):
        self.problems = list(problems)
        where = ", ".join(str(f) for f in files) or "config/config.yaml"
        super().__init__(
            "medvirk: innstillingene kan ikke brukes / the settings cannot be used\n"
            + "".join(f"- {p}\n" for p in self.problems)
            + f"Rett dette i {where} eller i --config på kommandolinjen; ingenting er kjørt.\n"
            + f"Fix this in {where} or in --config on the command line; nothing was run."
        )


def normalize_names(config: dict) -> None:
    """Bring the name lists of `config` (coders, users to leave out) to NFC, in place."""
    for section, key in NAME_LISTS:
        group = config.get(section)
        if isinstance(group, dict) and isinstance(group.get(key), list):
            group[key] = [nfc(v) for v in group[key]]


def _setting(path: Sequence) -> str:
    """coding.coders[1] for the path ('coding', 'coders', 1)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(innstillingene / the settings)"


def _generic(path: Sequence) -> str:
    """coding.coders for coding.coders[1]: the key of PATTERN_WORDS."""
    return ".".join(str(p) for p in path if not isinstance(p, int))


def _problem(error) -> str:
    """One sentence, Bokmål / English, for one jsonschema ValidationError."""
    name, value = _setting(error.path), error.instance
    kind, rule = error.validator, error.validator_value
    shown = f"«{value}»" if not isinstance(value, dict | list) else ""
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(value) - set(known))
        hints = []
        for key in extra:
            close = difflib.get_close_matches(str(key), known, n=1)
            hints.append(f"{key}" + (f" (→ {close[0]}?)" if close else ""))
        where = name if error.path else "øverste nivå / top level"
        return (
            f"{where}: ukjent innstilling {', '.join(hints)}; kjente er {', '.join(known)} / "
            f"unknown setting {', '.join(hints)}; known ones are {', '.join(known)}"
        )
    if kind == "pattern":
        nb, en = PATTERN_WORDS.get(
            _generic(error.path), (f"mønsteret {rule}", f"the pattern {rule}")
        )
        return f"{name} = {shown}: kan bare ha {nb} / may only hold {en}"
    if kind == "type":
        types = rule if isinstance(rule, list) else [rule]
        nb = " eller ".join(TYPE_WORDS.get(t, (t, t))[0] for t in types)
        en = " or ".join(TYPE_WORDS.get(t, (t, t))[1] for t in types)
        return f"{name} = {shown or value}: må være {nb} / must be {en}"
    if kind in ("enum", "oneOf"):
        allowed = rule if kind == "enum" else _choices(error.schema)
        words = [str(a).lower() if isinstance(a, bool) else str(a) for a in allowed]
        listed = ", ".join(dict.fromkeys(words))  # true and "true" are one word
        return f"{name} = {shown}: må være en av {listed} / must be one of {listed}"
    bounds = {
        "minimum": ("minst", "at least"),
        "maximum": ("høyst", "at most"),
        "exclusiveMinimum": ("større enn", "greater than"),
        "exclusiveMaximum": ("mindre enn", "less than"),
    }
    if kind in bounds:
        nb, en = bounds[kind]
        return f"{name} = {shown}: må være {nb} {rule} / must be {en} {rule}"
    if kind == "uniqueItems":
        twice = sorted({str(v) for v in value if value.count(v) > 1})
        return (
            f"{name}: {', '.join(twice)} står mer enn én gang / "
            f"{', '.join(twice)} is listed more than once"
        )
    if kind == "minItems":
        return f"{name}: må ha minst {rule} / must have at least {rule}"
    if kind == "required":
        return f"{name}: mangler / is missing ({error.message})"
    return f"{name} = {shown or value}: {error.message}"


def _choices(schema: dict) -> list:
    """The values a oneOf of types and enums allows, for the message."""
    out: list = []
    for option in schema.get("oneOf", []):
        if option.get("type") == "boolean":
            out += [True, False]
        out += [v for v in option.get("enum", []) if v not in out]
    return out


def check_settings(config: dict, schema_path: str | Path, files: Sequence[str] = ()) -> None:
    """Normalise names in `config` and check it against the schema; raise SettingsError with
    every problem (Bokmål / English, naming the setting), else fill in the schema's defaults.

    `files` are the settings files the config came from, named in the message.
    """
    from jsonschema.validators import validator_for

    normalize_names(config)
    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    validator = validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise SettingsError([_problem(e) for e in errors], files)
    from snakemake.utils import validate  # fills in the defaults, as the workflow expects

    validate(config, str(Path(schema_path).resolve()))


def validate_settings(config: dict, schema_path: str | Path, files: Sequence[str] = ()) -> None:
    """`check_settings` for the Snakefile: a problem prints its message and stops the run with
    exit status 1, without a traceback."""
    try:
        check_settings(config, schema_path, files)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
