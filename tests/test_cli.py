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
