"""Every text says where a number comes from in the same words (README, «Provenance words»).

The attribution of appendix 3's raw factors to examples is the curators' reading: the 2016
report prints none. Calling it "published" (or the consensus of simulated coders a published
one) overclaims, so no caption, code, document or output may do so.
"""

import re
from pathlib import Path

from tests.conftest import REPO

OVERCLAIM = re.compile(
    r"\b(published|publiserte?)\s+(2016\s+)?(example\s*[x×]\s*factor\s+)?"
    r"(attribution|fordelingen|fordeling|tilordningen|tilordning|konsensusen|consensus)\b",
    re.IGNORECASE,
)


def overclaims(text: str) -> list[str]:
    """Phrases in `text` that call the curators' attribution (or a consensus) published."""
    return [m.group(0) for m in OVERCLAIM.finditer(text)]


def test_the_check_can_fail():
    assert overclaims("counted from the published attribution") == ["published attribution"]
    assert overclaims("simulert fra den publiserte fordelingen") == ["publiserte fordelingen"]
    assert overclaims("from the published 2016 consensus") == ["published 2016 consensus"]
    assert overclaims("the curators' attribution; n_published is the printed count") == []


def test_no_caption_code_or_document_calls_the_curated_attribution_published():
    files = [REPO / "README.md", REPO / "Snakefile", REPO / "config" / "config.yaml"]
    for folder, pattern in (
        ("src/medvirk", "**/*.py"),
        ("workflow", "**/*"),
        ("notebooks", "*.ipynb"),
        ("data/raw", "**/README.md"),
        ("tests", "*.py"),
    ):
        files += sorted(p for p in (REPO / folder).glob(pattern) if p.is_file())
    this = Path(__file__).resolve()
    found = {
        str(p.relative_to(REPO)): overclaims(p.read_text(encoding="utf-8"))
        for p in files
        if p.suffix not in (".png", ".pyc") and p.resolve() != this
    }
    assert len(found) > 100  # captions, rules, scripts, package, tests, documents
    assert {name: hits for name, hits in found.items() if hits} == {}
