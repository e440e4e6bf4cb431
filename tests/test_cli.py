import subprocess
import sys

from medvirk import __version__
from medvirk.cli import main


def test_version_flag(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert __version__ in capsys.readouterr().out


def test_console_script_runs_as_module():
    out = subprocess.run(
        [sys.executable, "-m", "medvirk.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "medvirk" in out.stdout


def test_validate_command_accepts_the_embedded_study(capsys):
    from tests.conftest import EMBEDDED

    assert main(["validate", str(EMBEDDED)]) == 0
    assert "raw_factors.csv: 97 rows, valid" in capsys.readouterr().out


def test_validate_command_names_the_bad_row(study_dir, capsys):
    path = study_dir / "codebook" / "factors.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("F03,C1", "F03,C7"), encoding="utf-8")
    assert main(["validate", str(study_dir)]) == 1
    err = capsys.readouterr().err
    assert "factors.csv, row 4, column 'category_id'" in err and "'C7'" in err
