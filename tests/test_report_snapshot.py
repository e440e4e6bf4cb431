"""The DevTools client that opens results of the HTML report in headless Chromium.

A stand-in browser speaks the protocol on the same pipe (file descriptors 3 and 4), so the
client's framing, its matching of replies among events and its errors are tested without
Chromium; tests/test_workflow_e2e.py opens the real report in the real browser.
"""

import sys
import textwrap

import pytest

from medvirk.report_snapshot import DevTools, find_chromium

FAKE_BROWSER = textwrap.dedent(
    """\
    import json, os, sys
    buffer = b""
    while True:
        while b"\\0" not in buffer:
            chunk = os.read(3, 65536)
            if not chunk:
                sys.exit(0)
            buffer += chunk
        raw, buffer = buffer.split(b"\\0", 1)
        message = json.loads(raw)
        out = [{"method": "Page.loadEventFired", "params": {}}]  # an event first
        if message["method"] == "Fail":
            out.append({"id": message["id"], "error": {"message": "no such thing"}})
        else:
            out.append({"id": message["id"], "result": {"echo": message["method"],
                        "session": message.get("sessionId"), "flags": sys.argv[1:3]}})
        os.write(4, b"".join(json.dumps(m).encode() + b"\\0" for m in out))
        if message["method"] == "Browser.close":
            sys.exit(0)
    """
)


@pytest.fixture
def fake_browser(tmp_path):
    script = tmp_path / "browser.py"
    script.write_text(FAKE_BROWSER, encoding="utf-8")
    launcher = tmp_path / "chromium"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    return str(launcher)


def test_replies_are_matched_to_their_command_among_events(fake_browser):
    with DevTools(fake_browser, timeout=20) as browser:
        first = browser.call("Target.getTargets", session=False)
        assert first["echo"] == "Target.getTargets" and first["session"] is None
        assert first["flags"] == ["--headless=new", "--no-sandbox"]
        browser.session = "S1"
        assert browser.call("Page.enable") == {
            "echo": "Page.enable",
            "session": "S1",
            "flags": ["--headless=new", "--no-sandbox"],
        }


def test_an_error_reply_names_the_command(fake_browser):
    with (
        DevTools(fake_browser, timeout=20) as browser,
        pytest.raises(RuntimeError, match="Fail: no such thing"),
    ):
        browser.call("Fail")


def test_no_browser_is_said_plainly(monkeypatch):
    monkeypatch.setattr("medvirk.report_snapshot.find_chromium", lambda: None)
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        DevTools()


def test_find_chromium_gives_a_path_or_none():
    found = find_chromium()
    assert found is None or found.startswith("/")
