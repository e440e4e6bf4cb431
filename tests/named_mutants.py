"""The mutants issue 17 names, each applied to a copy of the package and run against the test
that must kill it (run by `make mutation`; mutmut makes most of them too, but not all: it does
not change module constants such as TENTATIVE, nor a keyword argument it was not given).

Each mutant is one text replacement in one module; the named tests run with the changed copy
first on the import path. A mutant is killed when the named test fails. Exit 1 when a mutant
that should be killed survives (or when a replacement no longer matches the code).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONSENSUS, AGREEMENT = "consensus.py", "agreement.py"
TC, TA = "tests/test_consensus.py::", "tests/test_agreement.py::"
# (module, code, mutated code, tests that must fail, or None: equivalent, with the reason)
MUTANTS = [
    (
        CONSENSUS,
        'rule = 2 * out["n_present"] > out["n_coders"]',
        'rule = 2 * out["n_present"] >= out["n_coders"]',
        [
            TC + "test_a_tie_between_two_coders_counts_as_absent_under_the_majority_rule",
            TC + "test_four_coders_need_three_marks_for_a_majority",
        ],
    ),
    (
        AGREEMENT,
        "np.percentile(finite, [2.5, 97.5])",
        "np.percentile(finite, [10, 90])",
        [
            TA + "test_percentile_ci_by_hand",
            TA + "test_unit_bootstrap_ci_is_the_percentiles_of_krippendorff_on_the_same_resamples",
            TA + "test_cluster_bootstrap_resamples_whole_examples_as_krippendorff_sees_them",
        ],
    ),
    (
        AGREEMENT,
        "    return float(((pairable > 0).sum(axis=1) == 1).mean())",
        "    return 1.0",
        [TA + "test_percent_agreement_on_a_hand_made_table"],
    ),
    (AGREEMENT, "TENTATIVE = 0.667", "TENTATIVE = 0.6", [TA + "test_flags_at_both_thresholds"]),
    (AGREEMENT, "RELIABLE = 0.800", "RELIABLE = 0.75", [TA + "test_flags_at_both_thresholds"]),
]


def run(root: Path = Path(".")) -> int:
    # First the unchanged copy: every named test must pass on it, so a failure below is the
    # mutant's doing, not the copy's.
    failed = 0
    control = [(AGREEMENT, "LEVELS = (", "LEVELS = (", sorted({t for m in MUTANTS for t in m[3]}))]
    for module, code, mutated, tests in control + MUTANTS:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "medvirk"
            shutil.copytree(root / "src" / "medvirk", copy)
            source = (copy / module).read_text(encoding="utf-8")
            if source.count(code) != 1:
                print(f"NO MATCH  {module}: {code!r} is not in the code once")
                failed += 1
                continue
            (copy / module).write_text(source.replace(code, mutated), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": tmp}
            for test in tests:
                result = subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", test],
                    cwd=root,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                killed = result.returncode != 0
                if code == mutated:  # the control
                    failed += killed
                    print(f"{'FAILS   ' if killed else 'passes  '}  unchanged copy: {test}")
                    continue
                failed += not killed
                print(f"{'killed  ' if killed else 'SURVIVED'}  {module}: {mutated!r}  by {test}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
