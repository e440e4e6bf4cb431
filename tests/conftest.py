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
