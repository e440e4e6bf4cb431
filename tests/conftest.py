import os
import shutil
from pathlib import Path

import pytest

from medvirk import studydata

REPO = Path(__file__).resolve().parents[1]
EMBEDDED = REPO / "data" / "raw" / "fhi2016"


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A writable copy of the embedded study's curated files."""
    dst = tmp_path / "fhi2016"
    shutil.copytree(EMBEDDED, dst)
    return dst


@pytest.fixture(scope="session")
def embedded() -> dict:
    """The embedded study's tables, validated."""
    return studydata.load_study(EMBEDDED)


def need_tool(found: object, what: str) -> None:
    """Skip a test whose outside tool (a TeX engine, Chromium) is not installed, saying which.

    CI installs them (.ci/run sets MEDVIRK_REQUIRE_TOOLS=1), so there a missing tool fails the
    test instead of skipping it.
    """
    if found:
        return
    message = f"{what} is not installed"
    if os.environ.get("MEDVIRK_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message}, but CI must run this test (MEDVIRK_REQUIRE_TOOLS=1)")
    pytest.skip(message)
