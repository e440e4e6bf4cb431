"""Front page facts of the report come from what the run used."""

from medvirk.provenance import front_page_facts


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_before_a_run_the_configured_coders_and_curated_examples(tmp_path):
    _write(tmp_path / "data/raw/s/examples.csv", "example_id\nE01\nE02\n")
    facts = front_page_facts("s", {"coding": {"coders": ["a", "b"]}}, tmp_path)
    assert (facts["n_examples"], facts["n_coders"], facts["coders"]) == (2, 2, "a, b")
    assert facts["versions"]["pandas"][0].isdigit()


def test_after_a_run_the_coders_found_including_qdpx_users(tmp_path):
    _write(tmp_path / "data/processed/s/examples_ingested.csv", "example_id\nE01\nE02\nE03\n")
    _write(
        tmp_path / "data/processed/s/codings.csv",
        "example_id,coder,factor_id,present\nE01,Kari N,F01,1\nE01,anne,F01,0\nE02,anne,F01,1\n",
    )
    facts = front_page_facts("s", {"coding": {"coders": []}}, tmp_path)
    assert (facts["n_examples"], facts["n_coders"], facts["coders"]) == (3, 2, "Kari N, anne")


def test_nothing_known_yet(tmp_path):
    facts = front_page_facts("s", {}, tmp_path)
    assert facts["n_coders"] == 0 and facts["coders"] == "none configured"
    assert str(facts["n_examples"]).startswith("not yet known")
