"""Disagreements, decisions from the meeting, and the consensus matrix."""

from pathlib import Path

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


# --- Whole outputs: the meeting's table, its guide, its workbook, the notices ---------------------


def test_the_disagreements_table_whole():
    expected = pd.DataFrame(
        {
            "example_id": ["E01", "E02"],
            "factor_id": ["F02", "F01"],
            "marked_by": ["a, b", "c"],
            "a": ["x", ""],
            "b": ["x", ""],
            "c": ["", "x"],
            "n_present": [2, 1],
            "n_coders": [3, 3],
            "decision": ["", ""],
            "note": ["", ""],
        }
    )
    out = consensus.disagreements(three_coders())
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)
    assert out.columns.name is None and out["n_present"].dtype == int
    with_ladder = consensus.disagreements(three_coders(), ladder_choices())
    assert with_ladder.to_dict("list") == {
        "example_id": ["E01", "E02", "E02", "E02"],
        "factor_id": ["F02", "F01", "ladder_level", "ladder_step"],
        "marked_by": ["a, b", "c", "B: a, c; C: b", "3: a, b; 4: c"],
        "a": ["x", "", "B", "3"],
        "b": ["x", "", "C", "3"],
        "c": ["", "x", "B", "4"],
        "n_present": [2, 1, "", ""],
        "n_coders": [3, 3, 3, 3],
        "decision": ["", "", "", ""],
        "note": ["", "", "", ""],
    }
    assert list(with_ladder.index) == [0, 1, 2, 3]
    # a coder who placed an example on the ladder but marked no factor of it still gets a column
    ladder = pd.concat(
        [ladder_choices(), pd.DataFrame([("E02", "d", 1, "A")], columns=ladder_choices().columns)]
    )
    wide = consensus.disagreements(three_coders(), ladder)
    assert list(wide.columns[3:7]) == ["a", "b", "c", "d"]
    assert wide["d"].tolist() == ["", "", "A", "1"]
    # ladder choices that all agree add no row
    agreed = consensus.disagreements(three_coders(), ladder_choices().query("example_id == 'E01'"))
    pd.testing.assert_frame_equal(agreed.astype(str), expected.astype(str))


def test_ladder_values_long():
    ladder = pd.DataFrame(
        {"example_id": ["E1", "E2"], "coder": ["a", "a"], "ladder_step": [2.0, None],
         "ladder_level": [" b", "C"]}
    )  # fmt: skip
    out = consensus.ladder_values(ladder)
    assert out.values.tolist() == [
        ["E1", "a", "ladder_step", 2],
        ["E1", "a", "ladder_level", "B"],
        ["E2", "a", "ladder_level", "C"],
    ]
    assert consensus.ladder_values(ladder.drop(columns="ladder_level"))["key"].tolist() == [
        "ladder_step"
    ]
    with pytest.raises(
        ValueError,
        match=r"^«5» er ikke tillatt her; skriv en av 1, 2, 3, 4 / not allowed here; write one of 1, 2, 3, 4$",
    ):
        consensus.ladder_values(ladder.assign(ladder_step=[5, 2]))
    with pytest.raises(ValueError, match=r"write one of A, B, C$"):
        consensus.ladder_values(ladder.assign(ladder_level=["3", "C"]))


GUIDE_ALL = [
    ("Slik bruker dere arket i konsensusmøtet", True),
    ("", False),
    (
        "1. Arket «Uenigheter» har én rad per eksempel og faktor der koderne er uenige, og én rad "
        "per eksempel der de har valgt ulikt trinn eller nivå i medvirkningsstigen (factor_id "
        "ladder_step / ladder_level).",
        False,
    ),
    (
        "2. Skriv møtets beslutning i kolonnen «decision»: x når faktoren finnes i eksemplet, 0 "
        "når den ikke gjør det; for trinn 1, 2, 3 eller 4; for nivå A, B eller C. Står cellen "
        "tom, avgjør regelen: faktoren telles bare når alle koderne har markert den; for stigen: "
        "der flest av koderne plasserte eksemplet.",
        False,
    ),
    ("3. Lagre den utfylte filen som data/raw/r2/consensus.xlsx (Fil → Lagre som).", True),
    (
        "   Ikke lagre den her i results/: den mappen skrives over ved neste kjøring, og "
        "beslutninger som står der, blir ikke lest. Står det beslutninger her ved neste kjøring, "
        "stopper den og ber dere lagre filen.",
        False,
    ),
    ("4. Kjør arbeidsflyten igjen (make run STUDY=r2).", False),
    ("", False),
    ("How to use this workbook in the consensus meeting", True),
    ("", False),
    (
        "1. The sheet «Uenigheter» has one row per example and factor where the coders differ, "
        "and one per example they placed on different ladder steps or levels (factor_id "
        "ladder_step / ladder_level).",
        False,
    ),
    (
        "2. Write the meeting's decision in the «decision» column: x when the factor is present, "
        "0 when it is not; 1-4 for a step, A, B or C for a level. An empty decision follows the "
        "rule: the factor counts only when every coder marked it; on the ladder, where most of "
        "the coders put the example.",
        False,
    ),
    ("3. Save the filled file as data/raw/r2/consensus.xlsx (File → Save As).", True),
    (
        "   Do not save it here in results/: that folder is overwritten by the next run and "
        "decisions in it are not read. If decisions are found here, the next run stops and asks "
        "you to save the file.",
        False,
    ),
    ("4. Run the workflow again (make run STUDY=r2).", False),
]


def test_the_guide_whole():
    assert consensus.guide_lines("r2", "all") == GUIDE_ALL
    majority = consensus.guide_lines("r2")
    assert (
        "avgjør regelen: flertallet av koderne avgjør (uavgjort: ikke til stede);"
        in (majority[3][0])
    )
    assert (
        "follows the rule: the majority of the coders decides (a tie: absent);" in (majority[11][0])
    )


def test_the_guide_says_what_the_machine_coders_column_is_when_it_codes():
    """With the machine coder on, the guide ends with its column, in Bokmål then English: that
    it is a program, not a coder, and where its hit rate stands."""
    machine = consensus.guide_lines("r2", "all", machine=True)
    assert machine[: len(GUIDE_ALL)] == GUIDE_ALL
    assert machine[len(GUIDE_ALL) :] == [
        ("", False),
        ("Kolonnen «maskin_bare_til_orientering (machine, for reference only)»", True),
        (
            "x der maskinkoderen (et dataprogram som sammenligner eksempelets tekst med "
            "kodebokens faktorer, uten nett) mener teksten støtter faktoren. Den er ikke en "
            "koder: den teller ikke i samsvaret eller i konsensus, og kodernes ark viser den "
            "ikke. Møtet kan se på den som en ekstra mening, men avgjør selv. Hvor ofte den "
            "treffer, står i results/<studie>/agreement/coders_vs_consensus.csv.",
            False,
        ),
        (
            "x where the machine coder (a program that compares the example's text with the "
            "codebook's factors, offline) finds that the text supports the factor. It is not a "
            "coder: it counts in neither the agreement nor the consensus, and the coders' sheets "
            "do not show it. The meeting may consult it as one more opinion, and decides itself. "
            "How often it is right: results/<study>/agreement/coders_vs_consensus.csv.",
            False,
        ),
    ]
    assert consensus.guide_lines("r2", "all", machine=False) == GUIDE_ALL


def test_the_meeting_workbook_whole(tmp_path):
    from openpyxl import load_workbook

    table = consensus.disagreements(three_coders(), ladder_choices())
    factors = pd.DataFrame({"factor_id": ["F01", "F02"], "label_nb": ["Tidlig", "Erfaring"]})
    path = tmp_path / "out" / "disagreements.xlsx"  # the folder is made
    consensus.write_disagreements_xlsx(table, path, factors, study="r2", policy="all")
    wb = load_workbook(path)
    guide = wb[consensus.GUIDE_SHEET]
    assert [(c.value or "", bool(c.font.b)) for c in guide["A"]] == GUIDE_ALL
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in guide["A"])
    assert guide.column_dimensions["A"].width == 120
    ws = wb[consensus.DISAGREEMENTS_SHEET]
    assert ws["A1"].value == "Uenigheter til konsensusmøtet" and ws["A1"].font.b
    assert ws["A2"].value == (
        "Skriv x i «decision» når faktoren finnes i eksemplet, 0 når den ikke gjør det; trinn "
        "1–4 og nivå A–C for stigen. Lagre filen som data/raw/r2/consensus.xlsx (se arket "
        "«Slik gjør dere»)."
    )
    assert ws["A3"].value is None
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert rows == [
        ["example_id", "factor_id", "factor_label", "marked_by", "a", "b", "c", "n_present",
         "n_coders", "decision", "note"],
        ["E01", "F02", "Erfaring", "a, b", "x", "x", None, 2, 3, None, None],
        ["E02", "F01", "Tidlig", "c", None, None, "x", 1, 3, None, None],
        ["E02", "ladder_level", "Nivå i medvirkningsstigen (A/B/C)", "B: a, c; C: b", "B", "C",
         "B", None, 3, None, None],
        ["E02", "ladder_step", "Trinn i medvirkningsstigen (1–4)", "3: a, b; 4: c", "3", "3",
         "4", None, 3, None, None],
    ]  # fmt: skip
    assert all(c.font.b for c in ws[4])
    lists = {dv.formula1: (str(dv.sqref), dv.type, dv.allow_blank) for dv in
             ws.data_validations.dataValidation}  # fmt: skip
    assert lists == {
        '"x,0"': ("J5:J6", "list", True),
        '"A,B,C"': ("J7", "list", True),
        '"1,2,3,4"': ("J8", "list", True),
    }
    # simulated: said in the guide's first line, the sheet's name and its title
    consensus.write_disagreements_xlsx(table, path, simulated=True, study="r2")
    wb = load_workbook(path)
    guide = wb[consensus.GUIDE_SHEET]
    assert guide["A1"].value == (
        "SIMULATED (simulerte kodere, ikke ekte data / simulated coders, not real data)"
    )
    assert guide["A1"].font.b and guide["A2"].value == GUIDE_ALL[0][0]
    ws = wb[consensus.DISAGREEMENTS_SHEET + " SIMULATED"]
    assert ws["A1"].value == (
        "SIMULATED (simulerte kodere, ikke ekte data) — Uenigheter til konsensusmøtet"
    )
    assert "factor_label" not in [c.value for c in ws[4]]
    # nothing to decide: the header only, no drop-down lists
    empty = consensus.disagreements(three_coders().assign(present=0))
    consensus.write_disagreements_xlsx(empty, path, factors)
    ws = load_workbook(path)[consensus.DISAGREEMENTS_SHEET]
    assert ws.max_row == 4 and not ws.data_validations.dataValidation
    # with the machine coder's column, the guide explains it (and only then)
    machine = table.assign(**{consensus.MACHINE_COLUMN: ["x", "", "", ""]})
    consensus.write_disagreements_xlsx(machine, path, factors, study="r2", policy="all")
    guide = load_workbook(path)[consensus.GUIDE_SHEET]
    expected = consensus.guide_lines("r2", "all", machine=True)
    assert [(c.value or "", bool(c.font.b)) for c in guide["A"]] == expected
    assert len(expected) == len(GUIDE_ALL) + 4


def test_cell_ranges_of_the_drop_down_lists():
    assert consensus._ranges(["F5", "F6", "F8"]) == ["F5:F6", "F8:F8"]
    assert consensus._ranges(["AB10", "AB11", "AB12", "AB20", "AB22", "AB23"]) == [
        "AB10:AB12",
        "AB20:AB20",
        "AB22:AB23",
    ]
    assert consensus._ranges([]) == []


def test_the_notices_whole(tmp_path):
    from medvirk.notices import Notice

    matrix, placed, notices = consensus.build_consensus(three_coders(), [], ladder_choices())
    assert notices == [
        Notice(
            "count",
            "consensus",
            "undecided_disagreements",
            "",
            "",
            "2 uenighet(er) om faktorer har ingen beslutning (det finnes ingen consensus.xlsx "
            "eller consensus.csv); coding.majority_policy (majority) avgjør dem. 1 eksempel(er) "
            "plasseres på stigen der flest av koderne satte dem.",
            "2 disagreement(s) on factors have no decision (there is no consensus.xlsx or "
            "consensus.csv); coding.majority_policy (majority) decides them. 1 example(s) are "
            "placed on the ladder where most of their coders put them.",
        )
    ]
    assert matrix["source"].tolist() == ["unanimous", "majority", "majority", "unanimous"]
    # a meeting's file that decides the factors but not the ladder; a file not read beside it
    path = tmp_path / "consensus.csv"
    path.write_text("example_id,factor_id,decision\nE01,F02,x\nE02,F01,0\nE02,F01,0\n")
    lookalike = tmp_path / "konsensus.xlsx"
    matrix, placed, notices = consensus.build_consensus(
        three_coders(), [path], ladder_choices(), "any", [lookalike]
    )
    assert [n.kind for n in notices] == [
        "decision_file_not_read",
        "duplicate_decision",
        "undecided_disagreements",
    ]
    assert notices[0] == Notice(
        "count",
        "consensus",
        "decision_file_not_read",
        str(lookalike),
        "",
        "Filen leses ikke: møtets beslutninger leses bare fra consensus.xlsx eller "
        "consensus.csv i studiens mappe. Holder filen beslutningene, gi den det navnet.",
        "Not read: the meeting's decisions are read only from consensus.xlsx or consensus.csv "
        "in the study's folder. If this file holds them, give it that name.",
    )
    assert notices[1] == Notice(
        "info",
        "consensus",
        "duplicate_decision",
        str(path),
        "rad 3, 4",
        "Eksempel E02, F01 er avgjort 2 ganger, likt; beslutningen telles én gang.",
        "Example E02, F01 is decided 2 times, the same way; the decision counts once.",
    )
    assert notices[2] == Notice(
        "count",
        "consensus",
        "undecided_disagreements",
        str(path),
        "",
        f"0 uenighet(er) om faktorer har ingen beslutning i {path}; coding.majority_policy "
        "(any) avgjør dem. 1 eksempel(er) plasseres på stigen der flest av koderne satte dem.",
        "0 disagreement(s) on factors have no decision; coding.majority_policy (any) decides "
        "them. 1 example(s) are placed on the ladder where most of their coders put them.",
    )
    # only factors left open, no ladder: a notice all the same
    _, _, notices = consensus.build_consensus(three_coders(), [])
    assert notices[0].nb.startswith("2 uenighet(er)") and "0 eksempel(er)" in notices[0].nb
    # a decision for an example the codings do not hold is an error, not dropped
    path.write_text("example_id,factor_id,decision\nE09,F02,x\n")
    with pytest.raises(InputError, match="«E09» finnes ikke"):
        consensus.build_consensus(three_coders(), [path])
    path.write_text("example_id,factor_id,decision\nE01,F09,x\n")
    with pytest.raises(InputError, match="«F09» finnes ikke"):
        consensus.build_consensus(three_coders(), [path])


def _stop_message(err) -> str:
    return str(err.value).split("\n", 1)[1]


def test_the_meeting_files_messages_whole(tmp_path):
    path = tmp_path / "consensus.csv"
    path.write_text("example_id,factor_id\nE01,F01\n")
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path)
    assert _stop_message(err) == (
        "- consensus.csv: mangler kolonnen decision i første rad (fant: example_id, factor_id)"
    )
    path.write_text(
        "example_id,factor_id,decision\nE01,F01,x\nE01,F01,0\nE02,ladder_step,3\n"
        "E02,ladder_step,4\nE02,F01,kanskje\n"
    )
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path)
    assert _stop_message(err).split("\n") == [
        "- consensus.csv, rad 2 og rad 3: to ulike beslutninger for eksempel E01, F01: «x» og "
        "«0». Stryk den ene raden. / Rows 2 and 3 decide E01, F01 differently; delete one of "
        "them.",
        "- consensus.csv, rad 4 og rad 5: to ulike beslutninger for eksempel E02, ladder_step: "
        "«3» og «4». Stryk den ene raden. / Rows 4 and 5 decide E02, ladder_step differently; "
        "delete one of them.",
        "- consensus.csv, rad 6, kolonne decision: «kanskje» er ingen beslutning; skriv x (til "
        "stede) eller 0 (ikke til stede) / not a decision; write x (present) or 0 (absent)",
    ]
    (tmp_path / "a.csv").write_text("example_id,factor_id,decision\n")
    with pytest.raises(InputError) as err:
        consensus.pick_decision_file([tmp_path / "a.csv", path])
    assert _stop_message(err) == (
        f"- {tmp_path / 'a.csv'} og {path}: to filer med konsensusmøtets beslutninger. Behold den "
        "ene og flytt eller slett den andre, så det er klart hvilke beslutninger som gjelder. / "
        "Two files hold the consensus meeting's decisions; keep one and move or delete the other."
    )
    assert consensus.pick_decision_file([]) is None
    assert consensus.pick_decision_file([str(path)]) == path


def test_a_meeting_file_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    """The limit is lowered here: 3 rows of decisions, and a workbook's header may sit up to ten
    rows down (disagreements.xlsx has its title above)."""
    from openpyxl import Workbook

    import medvirk.limits
    from medvirk import codings

    monkeypatch.setattr(medvirk.limits, "MAX_SHEET_ROWS", 3)
    monkeypatch.setattr(consensus, "MAX_SHEET_ROWS", 3)
    monkeypatch.setattr(codings, "MAX_SHEET_ROWS", 3)  # the message's figure
    path = tmp_path / "consensus.csv"
    rows = ["E01,F01,x", "E01,F02,x", "E02,F01,0"]
    path.write_text("example_id,factor_id,decision\n" + "\n".join(rows) + "\n")
    assert len(consensus.read_decisions(path)) == 3
    path.write_text("example_id,factor_id,decision\n" + "\n".join(rows + ["E02,F02,0"]) + "\n")
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path)
    assert _stop_message(err).startswith("- consensus.csv: over 3 rader; grensen er 3.")
    book = tmp_path / "consensus.xlsx"
    for n_rows, ok in ((13, True), (14, False)):  # 3 + 10 rows in all pass, 14 do not
        wb = Workbook()
        for i in range(n_rows - 4):
            wb.active.append([f"tittel {i}"])
        wb.active.append(["example_id", "factor_id", "decision"])
        for row in rows:
            wb.active.append(row.split(","))
        wb.save(book)
        if ok:
            assert len(consensus.read_decisions(book)) == 3
        else:
            with pytest.raises(InputError, match="consensus.xlsx, filen: over 3 rader"):
                consensus.read_decisions(book)


def test_a_meeting_workbook_with_short_rows_and_blank_header_cells(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "consensus.xlsx"
    wb = Workbook()
    wb.active.append(["example_id", None, "factor_id", "decision", "note"])
    wb.active.append(["E01", "x", "F01", 1])  # no note: a short row
    wb.active.append(["E02", None, "F02", "nei", "enige"])
    wb.save(path)
    decisions = consensus.read_decisions(path, ["E01", "E02"], ["F01", "F02"])
    assert decisions.values.tolist() == [["E01", "F01", 1, 2], ["E02", "F02", 0, 3]]
    assert consensus._decision_sheet(path).columns.tolist() == [
        "example_id", "", "factor_id", "decision", "note"
    ]  # fmt: skip


def test_a_stop_for_decisions_left_in_the_generated_file_lists_twenty_rows(tmp_path):
    generated = tmp_path / "results/r2/agreement/disagreements.xlsx"
    marks = pd.DataFrame(
        [(f"E{e:02d}", "a", "F01") for e in range(21)],
        columns=["example_id", "coder", "factor_id"],
    )
    codings = presence_grid(marks, [f"E{e:02d}" for e in range(21)], ["F01"], ["a", "b"])
    consensus.write_disagreements_xlsx(consensus.disagreements(codings), generated)
    from openpyxl import load_workbook

    def typed(n):
        wb = load_workbook(generated)
        ws = wb[consensus.DISAGREEMENTS_SHEET]
        col = [c.value for c in ws[4]].index("decision") + 1
        for r in range(5, 5 + 21):
            ws.cell(row=r, column=col, value="x" if r < 5 + n else None)
        wb.save(generated)

    typed(20)
    with pytest.raises(consensus.UnsavedDecisionsError) as err:
        consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)
    rows = ", ".join(str(r) for r in range(5, 25))
    assert str(err.value) == (
        f"{Path('results/r2/agreement/disagreements.xlsx')}: 20 beslutning(er) er skrevet inn i "
        f"denne filen (rad {rows}), men arbeidsflyten leser dem ikke herfra, og filen skrives "
        "over når kodingene endres. Lagre filen som data/raw/r2/consensus.xlsx og kjør igjen. "
        "Vil dere forkaste dem, slett results/r2/agreement/disagreements.xlsx.\n20 decision(s) "
        f"were typed into this file (row {rows}), but the workflow does not read them from "
        "here, and the file is rewritten when the codings change. Save it as "
        "data/raw/r2/consensus.xlsx and run again. To discard them, delete "
        "results/r2/agreement/disagreements.xlsx."
    )
    typed(21)  # more than twenty: the first twenty and an ellipsis
    with pytest.raises(consensus.UnsavedDecisionsError) as err:
        consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)
    assert f"21 beslutning(er) er skrevet inn i denne filen (rad {rows} …), men" in str(err.value)
    raw = tmp_path / "data/raw/r2"
    raw.mkdir(parents=True)
    (raw / "consensus.csv").write_text("example_id,factor_id,decision\nE00,F01,x\n")
    with pytest.raises(consensus.UnsavedDecisionsError) as err:
        consensus.stop_if_meeting_decisions_unsaved("r2", tmp_path)
    message = str(err.value)
    assert (
        f"20 beslutning(er) er skrevet inn i denne filen (rad {', '.join(map(str, range(6, 26)))}), men"
        in message
    )
    assert f"Skriv dem inn i {raw / 'consensus.csv'}, som ikke har dem, og kjør igjen." in message
    assert f"Copy them into {raw / 'consensus.csv'}, which lacks them, and run again." in message
    (raw / "consensus.xlsx").write_bytes(b"")  # two files, and one unreadable: left to the run
    assert consensus.unsaved_meeting_decisions(generated, consensus.decision_files(raw)) == []
    (raw / "consensus.xlsx").unlink()
    (raw / "more.csv").write_text("example_id,factor_id,decision\nE01,F01,x\n")
    held = consensus.unsaved_meeting_decisions(generated, [raw / "consensus.csv", raw / "more.csv"])
    assert held == list(range(7, 26))  # rows 5 and 6 are held by the two files together


def test_more_consensus_details(tmp_path, monkeypatch):
    from openpyxl import Workbook

    # the policy reaches the matrix; its values are integers, decided or not
    matrix, placed, _ = consensus.build_consensus(three_coders(), [], policy="any")
    assert matrix["present"].tolist() == [1, 1, 1, 0] and matrix["present"].dtype == int
    decisions = pd.DataFrame({"example_id": ["E02"], "factor_id": ["F01"], "decision": [0]})
    assert consensus.consensus_matrix(three_coders(), decisions)["present"].dtype == int
    # two examples placed by the majority on the ladder are two
    ladder = pd.concat(
        [ladder_choices(), pd.DataFrame([("E01", "c", 3, "A")], columns=ladder_choices().columns)]
    ).query("not (example_id == 'E01' and coder == 'c' and ladder_step == 2)")
    _, _, notices = consensus.build_consensus(three_coders(), [], ladder)
    assert "2 eksempel(er) plasseres på stigen" in notices[0].nb
    # ladder rows sort into their example, and the table is numbered 0, 1, 2 again
    table = consensus.disagreements(three_coders(), ladder)
    assert table[["example_id", "factor_id"]].values.tolist()[:2] == [
        ["E01", "F02"],
        ["E01", "ladder_step"],
    ]
    assert list(table.index) == list(range(len(table)))
    # files that look like the meeting's file
    for name in ("consensus (1).xlsx", "Consensus.xls", "konsensus.csv", "notes.xlsx"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in consensus.decision_lookalikes(tmp_path)] == [
        "Consensus.xls",
        "consensus (1).xlsx",
        "konsensus.csv",
    ]
    # a workbook: two missing columns named; example ids Excel stores as numbers read as typed
    path = tmp_path / "consensus.xlsx"
    wb = Workbook()
    wb.active.append(["example_id", "note"])
    wb.save(path)
    with pytest.raises(InputError) as err:
        consensus._decision_sheet(path)
    assert str(err.value) == f"{path}: mangler kolonnen factor_id, decision"
    wb = Workbook()
    wb.active.append(["tittel"])
    wb.save(path)
    with pytest.raises(InputError) as err:
        consensus._decision_sheet(path)
    assert str(err.value) == (
        f"{path}: finner ingen overskriftsrad med example_id, factor_id, decision"
    )
    wb = Workbook()
    for row in (["example_id", "factor_id", "decision"], [1, "F01", "x"], [None, None, None],
                [2, "F01", 0]):  # fmt: skip
        wb.active.append(row)
    wb.save(path)
    decisions = consensus.read_decisions(path, ["1", "2"], ["F01"])
    assert decisions[["example_id", "decision", "row"]].values.tolist() == [
        ["1", 1, 2],
        ["2", 0, 4],
    ]
    path.write_text("ikke en arbeidsbok")
    with pytest.raises(InputError) as err:
        consensus.read_decisions(path)
    assert _stop_message(err) == (
        "- consensus.xlsx: er ikke en Excel-arbeidsbok (kanskje en annen filtype med endelsen "
        ".xlsx). Åpne den i Excel og lagre som .xlsx (Excel-arbeidsbok)."
    )
    # the meeting's workbook without a study says where in words
    out = tmp_path / "d.xlsx"
    consensus.write_disagreements_xlsx(consensus.disagreements(three_coders()), out)
    from openpyxl import load_workbook

    assert (
        "data/raw/<study>/consensus.xlsx"
        in load_workbook(out)[consensus.DISAGREEMENTS_SHEET]["A2"].value
    )
    # run from the project's folder: the check looks there
    generated = tmp_path / "results/r2/agreement/disagreements.xlsx"
    generated.parent.mkdir(parents=True)
    wb = load_workbook(out)
    ws = wb[consensus.DISAGREEMENTS_SHEET]
    ws.cell(row=5, column=[c.value for c in ws[4]].index("decision") + 1, value="x")
    wb.save(generated)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(consensus.UnsavedDecisionsError, match=r"\(rad 5\)"):
        consensus.stop_if_meeting_decisions_unsaved("r2")


def test_a_decision_that_is_no_decision_is_named_in_norwegian_and_english(tmp_path):
    """Co-researchers at the meeting read Bokmål: the row, the column and what to write."""
    from medvirk.codings import CodingError

    path = tmp_path / "consensus.csv"
    path.write_text(
        "example_id,factor_id,decision\nE01,F01,kanskje\nE01,ladder_step,7\n", encoding="utf-8"
    )
    with pytest.raises(CodingError) as err:
        consensus.read_decisions(path, ["E01"], ["F01"])
    first, second = err.value.problems
    assert first.startswith("consensus.csv, rad 2, kolonne decision: «kanskje» er ingen beslutning")
    assert "skriv x (til stede) eller 0 (ikke til stede)" in first and "not a decision" in first
    assert second.startswith("consensus.csv, rad 3, kolonne decision: «7» er ikke tillatt her")
    assert "skriv en av 1, 2, 3, 4" in second
