"""What Snakemake's own process imports when it reads the workflow stays light.

The Snakefile and workflow/rules/*.smk run in Snakemake's process on every run, a run with
nothing to do included; pandas, openpyxl, scipy, scikit-learn, spaCy or matplotlib there would
cost that process about a second each time. The steps import them in their own processes.
"""

import re
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("pandas", "openpyxl", "scipy", "sklearn", "spacy", "matplotlib")
IMPORT = re.compile(r"^\s*(?:from (medvirk[\w.]*) import|import (medvirk[\w.]*))", re.MULTILINE)


def workflow_imports() -> set[str]:
    """The medvirk modules the Snakefile and the rule files import when they are read."""
    files = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    return {a or b for f in files for a, b in IMPORT.findall(f.read_text(encoding="utf-8"))}


def test_the_workflow_imports_no_heavy_package_when_it_is_read():
    modules = workflow_imports()
    assert {"medvirk.settings", "medvirk.studyfiles", "medvirk.similarity"} <= modules
    imports = "; ".join(f"import {m}" for m in sorted(modules))
    code = f"{imports}; import sys; print(*(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], f"imported when the workflow is read: {done.stdout}"
