"""Disagreements, decisions from the meeting, and the consensus matrix."""

import pandas as pd
import pytest
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
    consensus.write_disagreements_xlsx(table, path, simulated=True)
    wb = load_workbook(path)
    ws = wb.active
    assert "SIMULATED" in ws.title and "SIMULATED" in ws["A1"].value
    header = [c.value for c in ws[4]]
    col = header.index("decision") + 1
    ws.cell(row=5, column=col, value="0")
    ws.cell(row=6, column=col, value="x")
    wb.save(path)
    decisions = consensus.read_decisions(path)
    assert list(decisions["decision"]) == [0, 1]
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
