"""Which entries of a forms folder are read and which are refused (medvirk.studyfiles)."""

import os

from medvirk.studyfiles import refused_entries, submission_files


def test_hidden_entries_are_neither_read_nor_refused(tmp_path):
    """A hidden file, folder or link (.DS_Store, .cache/, a program's lock link) is passed over
    in silence; a folder or link in plain sight is refused, and a plain file is read."""
    (tmp_path / "skjema.txt").write_text("Overskrift: Et eksempel\n", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / ".cache").mkdir()
    (tmp_path / "gamle").mkdir()
    os.symlink(tmp_path / "skjema.txt", tmp_path / ".~lock.skjema.txt#")
    os.symlink(tmp_path / "skjema.txt", tmp_path / "lenke.txt")

    assert [p.name for p in submission_files(tmp_path)] == ["skjema.txt"]
    assert [p.name for p in refused_entries(tmp_path)] == ["gamle", "lenke.txt"]
