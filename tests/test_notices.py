"""Notices: written deterministically, read back, summarised in Bokmål and English."""

import pytest

from medvirk.notices import Notice, read_notices, summary_markdown, write_notices


def _notice(**kw):
    base = dict(
        effect="count",
        step="read_codings",
        kind="coder_marked_nothing",
        file="data/raw/r2/codings/kari.xlsx",
        where="ark «Koding»",
        nb="Kari markerte ingen faktorer; alle celler teller som fraværende.",
        en="Kari marked no factor; every cell counts as absent.",
    )
    base.update(kw)
    return Notice(**base)


def test_round_trip_sorted_and_deduplicated(tmp_path):
    a = _notice()
    b = _notice(effect="info", kind="other", file="x.csv", where="rad 3")
    c = _notice(effect="agreement", kind="skipped_rows", where="rad 7, 9")
    path = tmp_path / "n.csv"
    write_notices([b, a, c, a], path)
    assert read_notices([path]) == [a, c, b]
    first = path.read_bytes()
    write_notices([c, b, a], path)
    assert path.read_bytes() == first


def test_empty_file_means_nothing_noticed(tmp_path):
    path = tmp_path / "n.csv"
    write_notices([], path)
    assert path.read_text(encoding="utf-8").strip() == ",".join(
        ["effect", "step", "kind", "file", "where", "nb", "en"]
    )
    text = summary_markdown(read_notices([path]), "r2")
    assert "Ingenting endret" in text and "Nothing changed" in text


def test_summary_groups_by_effect_bokmal_first():
    text = summary_markdown([_notice(effect="info", kind="k2"), _notice()], "r2")
    assert text.index("## Endrer tellinger / Changes counts (1)") < text.index(
        "## Til orientering / For information (1)"
    )
    nb, en = text.index("Kari markerte"), text.index("Kari marked")
    assert nb < en
    assert "`data/raw/r2/codings/kari.xlsx, ark «Koding»`" in text


def test_unknown_effect_is_refused():
    with pytest.raises(ValueError, match="effect"):
        _notice(effect="maybe")
