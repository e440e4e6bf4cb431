"""Open one result of the HTML report in headless Chromium as a reviewer would, and record it.

`snakemake --report` writes a single-page app: a reviewer picks a category in the menu, then the
result's view button, and the result shows in the page (an image, or an HTML table in a frame).
`open_result` does exactly those clicks in headless Chromium, driven over the DevTools protocol
on a pipe (no network port, no extra package), then returns what the page shows: the text and
table cells of every frame, whether the page is still the report, and a screenshot. The tests
read it to prove that Table 1 and the audit are readable inside the report; `make readme-images`
takes the README picture with it. The report file itself is never changed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--no-first-run",
    "--remote-debugging-pipe",
)

# Run in the report: the menu item of a category; the row that lists a result (by its first
# label, or its path when unlabelled), whose first button views it and whose second shows its
# caption.
_MENU_ITEM = """Array.from(document.querySelectorAll("a")).find(function (a) {
  return a.textContent.trim() === %s;
})"""

_RESULT_ROW = """(function (path) {
  var labels = results[path].labels;
  var key = labels ? String(Object.values(labels)[0]) : path;
  return Array.from(document.querySelectorAll("tr")).find(function (tr) {
    return tr.cells.length > 1 && tr.cells[0].textContent.trim() === key;
  });
})(%s)"""

_FRAME_CONTENT = """JSON.stringify({
  text: document.body ? document.body.innerText : "",
  tables: Array.from(document.querySelectorAll("table")).map(function (table) {
    return Array.from(table.rows).map(function (row) {
      return Array.from(row.cells).map(function (cell) {
        return {text: cell.innerText.trim(), cls: cell.className,
                background: getComputedStyle(cell).backgroundColor};
      });
    });
  })
})"""

_SHOWN_FRAME = """JSON.stringify(Array.from(document.querySelectorAll("iframe, img")).map(
  function (el) {
    var r = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), width: r.width, height: r.height,
            top: r.top, left: r.left, src: String(el.src).slice(0, 40)};
  }))"""


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class DevTools:
    """A minimal Chrome DevTools Protocol client over --remote-debugging-pipe.

    Chromium reads commands from its file descriptor 3 and writes replies and events to 4,
    each a JSON message ended by a NUL byte.
    """

    def __init__(self, chromium: str | None = None, timeout: float = 60):
        self.chromium = chromium or find_chromium()
        if self.chromium is None:
            raise RuntimeError("no Chromium found; on Debian: apt-get install chromium")
        self.timeout = timeout
        self._id = 0
        self._buffer = b""
        self.session: str | None = None

    def __enter__(self) -> DevTools:
        self._profile = tempfile.TemporaryDirectory()
        to_chromium, self._commands = os.pipe()
        self._replies, from_chromium = os.pipe()

        def child_fds() -> None:  # runs in the child: its fds 3 and 4 are the pipe ends
            read_end, write_end = os.dup(to_chromium), os.dup(from_chromium)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [self.chromium, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile.name}"],
            preexec_fn=child_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chromium)
        os.close(from_chromium)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close", session=False)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._replies)
        self._profile.cleanup()

    def _message(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        """Send one command (to the attached page unless `session` is False); its result."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})

    def open_page(self, size: tuple[int, int]) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, False
        )
        self.session = attached["sessionId"]
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )

    def evaluate(self, expression: str, context: int | None = None) -> object:
        params = {"expression": expression, "returnByValue": True}
        if context is not None:
            params["contextId"] = context
        result = self.call("Runtime.evaluate", params)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def frames(self) -> list[dict]:
        """Every frame of the page, top first."""

        def walk(node: dict) -> list[dict]:
            return [node["frame"]] + [f for c in node.get("childFrames", []) for f in walk(c)]

        return walk(self.call("Page.getFrameTree")["frameTree"])

    def in_frame(self, frame_id: str, expression: str) -> object:
        world = self.call("Page.createIsolatedWorld", {"frameId": frame_id})
        return self.evaluate(expression, world["executionContextId"])


@dataclass
class ReportView:
    """What the report shows after a reviewer opened one result."""

    url: str  # the page's address after the clicks: still the report, not a download
    shown: list[dict]  # frames and images in the page, with their size and position
    frames: list[dict] = field(default_factory=list)  # per frame: url, text, tables (cells)
    png: Path | None = None

    def text(self) -> str:
        """The visible text of the page and of every frame in it."""
        return "\n".join(frame["text"] for frame in self.frames)

    def tables(self) -> list[list[list[dict]]]:
        """Every table in every frame: rows of cells with text, class and background colour."""
        return [table for frame in self.frames for table in frame["tables"]]


def open_result(
    report: str | Path,
    category: str,
    result_path: str,
    png: str | Path | None = None,
    size: tuple[int, int] = (1400, 900),
    info: bool = False,
    chromium: str | None = None,
    settle: float = 1.5,
) -> ReportView:
    """Open `report`, click `category` in its menu and `result_path`'s view button (with
    `info`, also its caption), and return what the page then shows; a screenshot to `png`."""
    report_url = Path(report).resolve().as_uri()
    with DevTools(chromium) as browser:
        browser.open_page(size)
        browser.call("Page.navigate", {"url": report_url})
        _wait_for(browser, "typeof app !== 'undefined' && typeof results !== 'undefined'")
        if not browser.evaluate(f"{json.dumps(result_path)} in results"):
            raise ValueError(f"{result_path} is not a result of {report}")
        menu_item = _MENU_ITEM % json.dumps(category)
        _wait_for(browser, menu_item, f"{report}: no menu item «{category}»")
        browser.evaluate(f"{menu_item}.click()")
        row = _RESULT_ROW % json.dumps(result_path)
        _wait_for(browser, row, f"{report}: «{category}» does not list {result_path}")
        buttons = f"{row}.cells[{row}.cells.length - 1].querySelectorAll('a')"
        browser.evaluate(f"{buttons}[0].click()")  # the view button (an eye)
        _wait_for(
            browser,
            f"app.state.resultPath === {json.dumps(result_path)} && "
            "document.querySelector('iframe, div.p-3 > img') !== null",
            f"{report}: {result_path} did not open",
        )
        if info:
            browser.evaluate(f"{buttons}[1].click()")  # the caption (an i)
        time.sleep(settle)  # let the frame lay out its table and the caption panel open
        view = ReportView(
            url=browser.evaluate("location.href"),
            shown=json.loads(browser.evaluate(_SHOWN_FRAME)),
        )
        for frame in browser.frames():
            content = json.loads(browser.in_frame(frame["id"], _FRAME_CONTENT))
            view.frames.append({"url": frame["url"], **content})
        if png is not None:
            shot = browser.call("Page.captureScreenshot", {"format": "png"})
            view.png = Path(png).resolve()
            view.png.parent.mkdir(parents=True, exist_ok=True)
            view.png.write_bytes(base64.b64decode(shot["data"]))
    return view


def _wait_for(browser: DevTools, condition: str, failure: str = "", timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not browser.evaluate(f"Boolean({condition})"):
        if time.monotonic() > deadline:
            raise ValueError(failure or f"the report did not get to: {condition}")
        time.sleep(0.1)


def snapshot(
    report: str | Path,
    png: str | Path,
    category: str,
    result_path: str,
    size: tuple[int, int] = (1400, 900),
    chromium: str | None = None,
) -> Path:
    """Screenshot of `report` showing `result_path` with its caption, written to `png`."""
    return open_result(report, category, result_path, png, size, info=True, chromium=chromium).png
