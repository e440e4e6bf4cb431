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


AUDIT = """quantity_id,quantity,published,regenerated,status,source,explanation
n_examples,Eksempler,39,39,match,kap. 3,x
table1_count/F01,F01,14,7,differs,Tabell 1,x
table1_count/F02,F02,1,1,match,Tabell 1,x
n_readers,Lesere,3,,not_derivable,kap. 2,x
"""
POOLED = """data_source,scope,name,alpha,ci_low,ci_high,status,new_column
SIMULATED,pooled,all,0.4127,0.3025,-0.0088,unreliable,1
SIMULATED,category,C1,0.44,0.22,0.59,unreliable,1
"""
EVALUATION = (
    "metric,evaluation,tfidf,embedding\n"
    "adjusted_rand_index,cross_validated,0.2457,0.2254\n"
    "n_groups_human,cross_validated,21.0,21.0\n"
    "adjusted_rand_index,in_sample_configured,,0.2342\n"
)


def test_headline_results_are_computed_from_the_run(tmp_path):
    results = tmp_path / "results/s"
    _write(results / "reproduction/audit.csv", AUDIT)
    _write(results / "agreement/alpha_pooled.csv", POOLED)
    _write(results / "merge/evaluation.csv", EVALUATION)
    table1, agreement, merge = front_page_facts("s", {}, tmp_path)["headline"]
    assert table1[0].startswith("**Tabell 1:** 1 av de 2 tellingene rapporten trykket")
    assert "1 of the 2 counts the report printed are regenerated exactly, 1 differ" in table1[1]
    assert "add up to 8 against the printed 15" in table1[1]
    assert "alfa 0,41 (95 % KI 0,30 til −0,01), status *unreliable*. **SIMULERT:**" in agreement[0]
    assert "alpha 0.41 (95% CI 0.30 to −0.01), flag *unreliable*. **SIMULATED:**" in agreement[1]
    assert "Rand-indeks TF-IDF 0,25, setningsvektorer 0,23 (kryssvalidert" in merge[0]
    assert "Rand index of TF-IDF 0.25, sentence embeddings 0.23 (cross-validated" in merge[1]
    # where embeddings could not run, their column is empty and only TF-IDF is named
    _write(results / "merge/evaluation.csv", EVALUATION.replace(",0.2254", ","))
    merge = front_page_facts("s", {}, tmp_path)["headline"][2]
    assert "Rand index of TF-IDF 0.25 (cross-validated" in merge[1]


def test_headline_leaves_out_what_is_missing_or_unreadable(tmp_path):
    results = tmp_path / "results/s"
    _write(results / "agreement/alpha_pooled.csv", "scope,alpha\npooled,not a number\n")
    _write(results / "merge/evaluation.csv", "metric,value\nn_groups_proposed,48\n")
    _write(results / "reproduction/audit.csv", "\ufffd\x00broken")
    assert front_page_facts("s", {}, tmp_path)["headline"] == []
    real = POOLED.replace("SIMULATED", "coders")
    _write(results / "agreement/alpha_pooled.csv", real)
    (agreement,) = front_page_facts("s", {}, tmp_path)["headline"]
    assert "SIMUL" not in agreement[0] + agreement[1]


def test_headline_reports_only_the_files_this_run_makes(tmp_path):
    """A file left from an earlier run with other settings is not reported."""
    results = tmp_path / "results/s"
    _write(results / "reproduction/audit.csv", AUDIT)
    _write(results / "agreement/alpha_pooled.csv", POOLED)
    outputs = ["results/s/reproduction/audit.csv", "results/s/tables/table1.csv"]
    (table1,) = front_page_facts("s", {}, tmp_path, outputs)["headline"]
    assert table1[1].startswith("**Table 1:**")
