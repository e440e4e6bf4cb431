"""Every caption of the HTML report speaks Bokmål first, with English alongside."""

import re

import pytest

from tests.conftest import REPO

CAPTIONS = sorted((REPO / "workflow" / "report").glob("*.rst"))
# Short function words that only one of the two languages uses.
BOKMAL = re.compile(r"\b(og|er|ikke|hver|eller|som|fra|med|til)\b")
ENGLISH = re.compile(r"\b(the|and|is|each|of|from|with|which)\b")


def _paragraphs(text: str) -> list[str]:
    without_templates = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    return [p for p in re.split(r"\n\s*\n", without_templates) if p.strip()]


def test_every_report_output_has_a_caption_file():
    rules = "\n".join(
        p.read_text(encoding="utf-8") for p in (REPO / "workflow/rules").glob("*.smk")
    )
    named = set(re.findall(r'caption="\.\./report/([\w-]+\.rst)"', rules))
    assert named and named <= {p.name for p in CAPTIONS}


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda p: p.name)
def test_caption_has_a_bokmal_paragraph_and_an_english_one(caption):
    paragraphs = _paragraphs(caption.read_text(encoding="utf-8"))
    bokmal = [p for p in paragraphs if len(BOKMAL.findall(p)) > len(ENGLISH.findall(p))]
    english = [p for p in paragraphs if len(ENGLISH.findall(p)) > len(BOKMAL.findall(p))]
    assert bokmal, f"{caption.name}: no paragraph in Bokmål"
    assert english, f"{caption.name}: no paragraph in English"
    assert paragraphs.index(bokmal[0]) < paragraphs.index(english[0]), "Bokmål comes first"
