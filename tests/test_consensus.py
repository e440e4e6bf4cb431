"""Disagreements, decisions from the meeting, and the consensus matrix."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from medvirk import consensus
from medvirk.codings import presence_grid
from medvirk.errors import InputError


def three_coders():
    marks = pd.DataFrame(
        [
            ("E01", "a", "F01"),
            ("E01", "b", "F01"),
            ("E01", "c", "F01"),  # unanimous present
            ("E01", "a", "F02"),
            ("E01", "b", "F02"),  # 2 of 3
            ("E02", "c", "F01"),  # 1 of 3
        ],
        columns=["example_id", "coder", "factor_id"],
    )
    return presence_grid(marks, ["E01", "E02"], ["F01", "F02"], ["a", "b", "c"])


def test_disagreements_lists_who_marked_what():
    out = consensus.disagreements(three_coders())
    assert list(map(tuple, out[["example_id", "factor_id"]].to_numpy())) == [
        ("E01", "F02"),
        ("E02", "F01"),
    ]
    assert out.loc[0, "marked_by"] == "a, b"
    assert list(out.loc[0, ["a", "b", "c"]]) == ["x", "x", ""]
    assert (out["decision"] == "").all()


@pytest.mark.parametrize(
    "policy, expected", [("majority", [1, 1, 0, 0]), ("any", [1, 1, 1, 0]), ("all", [1, 0, 0, 0])]
)
def test_policies(policy, expected):
    m = consensus.consensus_matrix(three_coders(), policy=policy)
    assert list(m["present"]) == expected


def test_decision_overrides_policy():
    decisions = pd.DataFrame({"example_id": ["E02"], "factor_id": ["F01"], "decision": [1]})
    m = consensus.consensus_matrix(three_coders(), decisions)
    row = m[(m["example_id"] == "E02") & (m["factor_id"] == "F01")].iloc[0]
    assert row["present"] == 1 and row["source"] == "decision"
    facts = consensus.consensus_factors(m)
    assert list(facts.columns) == ["example_id", "factor_id"] and len(facts) == 3


def test_disagreements_xlsx_round_trips_as_consensus_file(tmp_path):
    path = tmp_path / "disagreements.xlsx"
    table = consensus.disagreements(three_coders())
    consensus.write_disagreements_xlsx(table, path, simulated=True, study="r2")
    wb = load_workbook(path)
    assert wb.active.title == consensus.GUIDE_SHEET  # the guide opens first
    assert "SIMULATED" in wb.active["A1"].value
    ws = wb.worksheets[1]
    assert "SIMULATED" in ws.title and "SIMULATED" in ws["A1"].value
    header = [c.value for c in ws[4]]
    col = header.index("decision") + 1
    ws.cell(row=5, column=col, value="0")
    ws.cell(row=6, column=col, value="x")
    wb.save(path)
    decisions = consensus.read_decisions(path)
    assert list(decisions["decision"]) == [0, 1]
    assert list(decisions["row"]) == [5, 6]
    m = consensus.consensus_matrix(three_coders(), decisions)
    assert list(m["present"]) == [1, 0, 1, 0]


def test_bad_decision_names_the_row(tmp_path):
    path = tmp_path / "consensus.csv"
    path.write_text("example_id,factor_id,decision\nE01,F02,kanskje\n")
    with pytest.raises(ValueError, match="rad 2"):
        consensus.read_decisions(path)


def test_a_decision_for_an_unknown_example_or_factor_names_its_row(tmp_path):
    path = tmp_path / "consensus.csv"
    path.write_text(
        "example_id,factor_id,decision\nE01,F01,x\nex-feil,F01,x\nE01,F99,0\nE02,F99,\n"
    )
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    message = str(err.value)
    assert "consensus.csv, rad 3, kolonne example_id: «ex-feil» finnes ikke" in message
    assert "consensus.csv, rad 4, kolonne factor_id: «F99» finnes ikke" in message
    assert "rad 5" not in message  # no decision written: nothing to check


def test_the_guide_says_where_to_save_the_filled_file(tmp_path):
    path = tmp_path / "disagreements.xlsx"
    consensus.write_disagreements_xlsx(consensus.disagreements(three_coders()), path, study="r2")
    wb = load_workbook(path)
    assert wb.sheetnames == [consensus.GUIDE_SHEET, consensus.DISAGREEMENTS_SHEET]
    guide = " ".join(str(c.value) for c in wb[consensus.GUIDE_SHEET]["A"] if c.value)
    assert guide.count("data/raw/r2/consensus.xlsx") == 2  # in Bokmål and in English
    assert "Lagre den utfylte filen som" in guide and "Save the filled file as" in guide
    assert "skrives over" in guide and "overwritten" in guide


def ladder_choices():
    return pd.DataFrame(
        [
            ("E01", "a", 2, "A"),
            ("E01", "b", 2, "A"),
            ("E01", "c", 2, None),  # the steps agree; c chose no level: no row
            ("E02", "a", 3, "B"),
            ("E02", "b", 3, "C"),
            ("E02", "c", 4, "B"),
        ],
        columns=["example_id", "coder", "ladder_step", "ladder_level"],
    )


def test_ladder_disagreements_are_rows_of_the_meeting(tmp_path):
    table = consensus.disagreements(three_coders(), ladder_choices())
    keys = list(map(tuple, table[["example_id", "factor_id"]].to_numpy()))
    assert keys == [
        ("E01", "F02"),
        ("E02", "F01"),
        ("E02", "ladder_level"),
        ("E02", "ladder_step"),
    ]
    step = table.iloc[3]
    assert list(step[["a", "b", "c"]]) == ["3", "3", "4"]
    assert step["marked_by"] == "3: a, b; 4: c" and step["n_coders"] == 3
    path = tmp_path / "disagreements.xlsx"
    factors = pd.DataFrame({"factor_id": ["F01", "F02"], "label_nb": ["Tidlig", "Erfaring"]})
    consensus.write_disagreements_xlsx(table, path, factors, study="r2")
    wb = load_workbook(path)
    ws = wb[consensus.DISAGREEMENTS_SHEET]
    header = [c.value for c in ws[4]]
    assert ws.cell(row=8, column=header.index("factor_label") + 1).value.startswith("Trinn")
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    col = "ABCDEFGHIJKLMNOP"[header.index("decision")]
    assert lists == {'"x,0"': f"{col}5:{col}6", '"A,B,C"': f"{col}7", '"1,2,3,4"': f"{col}8"}
    # rows of different kinds in turn: each list covers exactly its rows
    mixed = table.iloc[[0, 3, 1, 2]].reset_index(drop=True)
    consensus.write_disagreements_xlsx(mixed, tmp_path / "mixed.xlsx", factors)
    ws2 = load_workbook(tmp_path / "mixed.xlsx")[consensus.DISAGREEMENTS_SHEET]
    lists2 = {dv.formula1: str(dv.sqref) for dv in ws2.data_validations.dataValidation}
    assert lists2['"x,0"'] == f"{col}5 {col}7" and lists2['"1,2,3,4"'] == f"{col}6"
    ws.cell(row=8, column=header.index("decision") + 1, value=4)  # the meeting: step 4
    ws.cell(row=6, column=header.index("decision") + 1, value="x")
    wb.save(path)
    decisions = consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    placed = consensus.consensus_ladder(ladder_choices(), decisions).set_index("example_id")
    assert placed.loc["E02", ["ladder_step", "step_source"]].tolist() == [4, "decision"]
    assert placed.loc["E02", ["ladder_level", "level_source"]].tolist() == ["B", "majority"]
    assert placed.loc["E01", ["ladder_step", "step_source"]].tolist() == [2, "unanimous"]
    matrix = consensus.consensus_matrix(three_coders(), decisions)
    assert matrix.loc[matrix["source"] == "decision", "factor_id"].tolist() == ["F01"]


def test_a_ladder_decision_must_be_a_step_or_a_level(tmp_path):
    path = tmp_path / "consensus.csv"
    path.write_text(
        "example_id,factor_id,decision\nE01,ladder_step,x\nE01,ladder_level,D\nE02,ladder_step,3\n"
    )
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path, ["E01", "E02"], ["F01"])
    assert "rad 2, kolonne decision" in str(err.value) and "rad 3" in str(err.value)
    assert "rad 4" not in str(err.value)


def test_contradicting_rows_stop_with_both_rows_and_identical_ones_are_announced(tmp_path):
    path = tmp_path / "consensus.csv"
    path.write_text("example_id,factor_id,decision\nE01,F02,x\nE02,F01,0\nE01,F02,0\nE02,F01,nei\n")
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    message = str(err.value)
    assert "consensus.csv, rad 2 og rad 4" in message and "E01, F02" in message
    assert "«x» og «0»" in message and "rad 3" not in message  # rows 3 and 5 agree
    path.write_text("example_id,factor_id,decision\nE01,F02,x\nE02,F01,0\nE02,F01,nei\n")
    decisions = consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    notices = consensus.decision_notices(decisions, "data/raw/r2/consensus.csv")
    assert [(n.kind, n.where, n.effect) for n in notices] == [
        ("duplicate_decision", "rad 3, 4", "info")
    ]
    assert "E02, F01" in notices[0].nb and "E02, F01" in notices[0].en


def test_meeting_files_are_found_ignoring_case_and_two_stop_the_run(tmp_path):
    (tmp_path / "Consensus.XLSX").write_bytes(b"")
    (tmp_path / "konsensus.xlsx").write_bytes(b"")
    (tmp_path / "~$Consensus.XLSX").write_bytes(b"")  # Excel's lock file while it is open
    assert [p.name for p in consensus.decision_files(tmp_path)] == ["Consensus.XLSX"]
    assert [p.name for p in consensus.decision_lookalikes(tmp_path)] == ["konsensus.xlsx"]
    assert consensus.pick_decision_file(consensus.decision_files(tmp_path)).name == "Consensus.XLSX"
    (tmp_path / "consensus.csv").write_text("example_id,factor_id,decision\n")
    with pytest.raises(InputError) as err:
        consensus.pick_decision_file(consensus.decision_files(tmp_path))
    assert "Consensus.XLSX og " in str(err.value) and "consensus.csv" in str(err.value)
    assert "Two files" in str(err.value)
    notices = consensus.lookalike_notices(consensus.decision_lookalikes(tmp_path))
    assert notices[0].effect == "count" and notices[0].file.endswith("konsensus.xlsx")


def test_the_policy_deciding_open_disagreements_is_announced(tmp_path):
    matrix, placed, notices = consensus.build_consensus(
        three_coders(), [], ladder_choices(), "majority"
    )
    assert [n.kind for n in notices] == ["undecided_disagreements"]
    assert notices[0].nb.startswith("2 uenighet(er)") and "1 eksempel(er)" in notices[0].nb
    path = tmp_path / "consensus.csv"
    path.write_text(
        "example_id,factor_id,decision\nE01,F02,x\nE02,F01,0\n"
        "E02,ladder_step,3\nE02,ladder_level,B\n"
    )
    matrix, placed, notices = consensus.build_consensus(
        three_coders(), [path], ladder_choices(), "majority"
    )
    assert notices == []
    assert set(matrix.loc[matrix["source"] == "decision", "factor_id"]) == {"F01", "F02"}


def test_decisions_typed_into_the_generated_workbook_stop_the_run(tmp_path, monkeypatch):
    generated = tmp_path / "results/r2/agreement/disagreements.xlsx"
    consensus.write_disagreements_xlsx(consensus.disagreements(three_coders()), generated)
    consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)  # untouched: nothing to say
    digest = tmp_path / "data/processed/r2/disagreements.sha256"
    digest.parent.mkdir(parents=True)
    digest.write_text(consensus.file_digest(generated) + "\n")
    with monkeypatch.context() as m:  # as written: not even opened
        m.setattr(consensus, "unsaved_meeting_decisions", lambda *a: pytest.fail("opened"))
        consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)
    wb = load_workbook(generated)
    ws = wb[consensus.DISAGREEMENTS_SHEET]
    col = [c.value for c in ws[4]].index("decision") + 1
    ws.cell(row=5, column=col, value="x")
    ws.cell(row=6, column=col, value="0")
    wb.save(generated)
    with pytest.raises(consensus.UnsavedDecisionsError) as err:
        consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)
    message = str(err.value)
    assert "results/r2/agreement/disagreements.xlsx: 2 beslutning(er)" in message
    assert "(rad 5, 6)" in message and "Lagre filen som data/raw/r2/consensus.xlsx" in message
    assert "Save it as data/raw/r2/consensus.xlsx" in message
    # saved as the meeting's file: nothing is lost, the run goes on
    raw = tmp_path / "data/raw/r2"
    raw.mkdir(parents=True)
    (raw / "consensus.csv").write_text("example_id,factor_id,decision\nE01,F02,x\n")
    with pytest.raises(consensus.UnsavedDecisionsError, match=r"\(rad 6\)"):
        consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)
    (raw / "consensus.csv").write_text("example_id,factor_id,decision\nE01,F02,x\nE02,F01,x\n")
    consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)


# --- Ties, policies and decisions, each against a count made by hand -----------------------------


def grid_of(marks: dict[str, list[str]], coders: list[str]) -> pd.DataFrame:
    """example_factor -> the coders who marked it (factor F01 of examples E01...)."""
    rows = [(key, c, "F01") for key, who in marks.items() for c in who]
    return presence_grid(
        pd.DataFrame(rows, columns=["example_id", "coder", "factor_id"]),
        list(marks),
        ["F01"],
        coders,
    )


def test_a_tie_between_two_coders_counts_as_absent_under_the_majority_rule():
    codings = grid_of({"E01": ["a"], "E02": ["a", "b"], "E03": []}, ["a", "b"])
    by = {
        policy: consensus.consensus_matrix(codings, policy=policy).set_index("example_id")
        for policy in consensus.POLICIES
    }
    # E01: 1 of 2 marked it, a tie: not more than half -> absent; any: present; all: absent
    assert by["majority"].loc["E01", ["present", "source"]].tolist() == [0, "majority"]
    assert by["any"].loc["E01", ["present", "source"]].tolist() == [1, "any"]
    assert by["all"].loc["E01", ["present", "source"]].tolist() == [0, "all"]
    for policy in consensus.POLICIES:  # both or neither: unanimous whatever the policy
        assert by[policy].loc["E02", ["present", "source"]].tolist() == [1, "unanimous"]
        assert by[policy].loc["E03", ["present", "source"]].tolist() == [0, "unanimous"]
    assert by["majority"][["n_present", "n_coders"]].to_numpy().tolist() == [[1, 2], [2, 2], [0, 2]]


def test_four_coders_need_three_marks_for_a_majority():
    coders = ["a", "b", "c", "d"]
    marks = {"E01": ["a"], "E02": ["a", "b"], "E03": ["a", "b", "c"], "E04": coders}
    m = consensus.consensus_matrix(grid_of(marks, coders), policy="majority")
    assert m["present"].tolist() == [0, 0, 1, 1]  # 1/4, 2/4 (a tie), 3/4, 4/4
    assert m["source"].tolist() == ["majority", "majority", "majority", "unanimous"]
    assert consensus.consensus_matrix(grid_of(marks, coders), policy="any")["present"].tolist() == [
        1,
        1,
        1,
        1,
    ]
    assert consensus.consensus_matrix(grid_of(marks, coders), policy="all")["present"].tolist() == [
        0,
        0,
        0,
        1,
    ]


def test_a_coder_who_did_not_code_an_example_is_not_counted_in_its_majority():
    codings = grid_of({"E01": ["a", "b"], "E02": ["a"]}, ["a", "b", "c"])
    codings = codings[~((codings["coder"] == "c") & (codings["example_id"] == "E01"))]
    m = consensus.consensus_matrix(codings).set_index("example_id")
    assert m.loc["E01", ["present", "source", "n_coders"]].tolist() == [1, "unanimous", 2]
    assert m.loc["E02", ["present", "source", "n_coders"]].tolist() == [0, "majority", 3]


def test_an_unknown_policy_stops_with_the_known_ones():
    with pytest.raises(
        ValueError, match="unknown consensus policy 'most'.*'majority', 'any', 'all'"
    ):
        consensus.consensus_matrix(three_coders(), policy="most")


def test_the_same_decision_written_twice_counts_once_and_is_announced(tmp_path):
    path = tmp_path / "consensus.csv"
    path.write_text("example_id,factor_id,decision\nE02,F01,x\nE01,F02,0\nE02,F01,ja\n")
    decisions = consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    assert decisions.to_numpy().tolist() == [
        ["E02", "F01", 1, 2],
        ["E01", "F02", 0, 3],
        ["E02", "F01", 1, 4],
    ]
    m = consensus.consensus_matrix(three_coders(), decisions)
    assert len(m) == 4  # one row per example and factor, not one per decision
    assert m[["present", "source"]].to_numpy().tolist() == [
        [1, "unanimous"],
        [0, "decision"],  # E01 F02: 2 of 3 marked it, the meeting said absent
        [1, "decision"],  # E02 F01: 1 of 3 marked it, the meeting said present
        [0, "unanimous"],
    ]
    notices = consensus.decision_notices(decisions, str(path))
    assert len(notices) == 1 and notices[0].where == "rad 2, 4"
    assert "er avgjort 2 ganger" in notices[0].nb and "decided 2 times" in notices[0].en


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["Uenigheter"], [], ["E01", "F01", "x"]], "finner ingen overskriftsrad med example_id"),
        (
            [["example_id", "factor_id", "beslutning"], ["E01", "F01", "x"]],
            "mangler kolonnen decision",
        ),
        ([["example_id", "decision"], ["E01", "x"]], "mangler kolonnen factor_id"),
    ],
)
def test_a_meeting_workbook_without_its_header_or_a_column_is_named(tmp_path, rows, message):
    from openpyxl import Workbook

    path = tmp_path / "consensus.xlsx"
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path, ["E01"], ["F01"])
    assert f"consensus.xlsx: {message}" in str(err.value)


def test_the_meeting_workbook_is_read_from_the_sheet_that_has_the_header(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "consensus.xlsx"
    wb = Workbook()
    wb.active.append(["Slik gjør dere"])
    sheet = wb.create_sheet("Uenigheter")
    for row in (
        ["tittel"],
        [],
        ["example_id", "factor_id", "decision", "note"],
        ["E01", "F02", "0"],
    ):
        sheet.append(row)
    sheet.append(["E02", "F01", "x", "enige etter diskusjon"])
    wb.save(path)
    decisions = consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    assert decisions.to_numpy().tolist() == [["E01", "F02", 0, 4], ["E02", "F01", 1, 5]]


@pytest.mark.parametrize(
    "value, expected",
    [("x", 1), (" X ", 1), ("ja", 1), ("Yes", 1), (1, 1), (1.0, 1), ("til stede", 1),
     ("0", 0), (0, 0), (0.0, 0), ("Nei", 0), ("-", 0), ("ikke til stede", 0),
     ("", None), ("  ", None), (None, None), (float("nan"), None)],
)  # fmt: skip
def test_decision_words(value, expected):
    assert consensus.parse_decision(value) == expected


def test_a_ladder_tie_sits_on_the_lowest_step_and_the_first_level():
    ladder = pd.DataFrame(
        [
            ("E01", "a", 2, "B"),
            ("E01", "b", 3, "A"),  # two coders: a tie on both
            ("E02", "a", 4, "C"),
            ("E02", "b", 4, "C"),
            ("E02", "c", 1, "B"),
            ("E02", "d", 1, "B"),  # four coders: 2 against 2
            ("E03", "a", 3, "c"),
            ("E03", "b", 3, " C"),  # the same level written differently
            ("E03", "c", 2, "A"),
            ("E04", "a", None, None),  # nobody chose
        ],
        columns=["example_id", "coder", "ladder_step", "ladder_level"],
    )
    placed = consensus.consensus_ladder(ladder).set_index("example_id")
    assert placed.loc["E01"].tolist() == [2, "A", "majority", "majority"]
    assert placed.loc["E02"].tolist() == [1, "B", "majority", "majority"]
    assert placed.loc["E03"].tolist() == [3, "C", "majority", "majority"]
    assert placed.loc["E04"].tolist() == ["", "", "", ""]
    decisions = pd.DataFrame(
        {"example_id": ["E01", "E01"], "factor_id": ["ladder_step", "ladder_level"],
         "decision": [3, "B"]}
    )  # fmt: skip
    decided = consensus.consensus_ladder(ladder, decisions).set_index("example_id")
    assert decided.loc["E01"].tolist() == [3, "B", "decision", "decision"]


policies_grid = st.lists(
    st.lists(st.integers(0, 1), min_size=1, max_size=5), min_size=1, max_size=6
)


@settings(max_examples=60, deadline=None)
@given(policies_grid, st.integers(1, 5))
def test_all_is_within_majority_within_any(examples, n_coders):
    """For any codings: what every coder marked, most coders marked; what most marked, someone
    marked. And the majority is what more than half of the coders marked, counted here."""
    marks = [
        (f"E{e}", f"c{c}", "F01")
        for e, row in enumerate(examples)
        for c, present in enumerate((row * n_coders)[:n_coders])
        if present
    ]
    codings = presence_grid(
        pd.DataFrame(marks, columns=["example_id", "coder", "factor_id"]),
        [f"E{e}" for e in range(len(examples))],
        ["F01"],
        [f"c{c}" for c in range(n_coders)],
    )
    present = {
        policy: set(
            consensus.consensus_matrix(codings, policy=policy).query("present == 1")["example_id"]
        )
        for policy in consensus.POLICIES
    }
    assert present["all"] <= present["majority"] <= present["any"]
    counted = {e for e in {m[0] for m in marks} if 2 * sum(m[0] == e for m in marks) > n_coders}
    assert present["majority"] == counted
