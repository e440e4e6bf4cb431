"""Pictures of the HTML report for the README (`make readme-images`).

`snakemake --report` writes a single-page app whose view lives only in JavaScript state, so a
browser opened on the file shows the front page. To show a reviewer what one result looks like,
a copy of the report is given a script that opens that result and its caption, and headless
Chromium takes the screenshot. The report itself is never changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

# The report's own functions (snakemake 9 report app): category list, result view, caption panel.
_OPEN_RESULT = """<script>
(function () {{
  var path = {path};
  setTimeout(function () {{ app.showCategory({category}); }}, 200);
  setTimeout(function () {{
    app.setView({{content: "img", contentPath: results[path].data_uri, resultPath: path}});
  }}, 400);
  setTimeout(function () {{ app.showResultInfo(path); }}, 600);
}})();
</script>"""

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--virtual-time-budget=8000",
)


def open_result_html(report_html: str, category: str, result_path: str) -> str:
    """The report's HTML with a script that opens `result_path` (an image) in `category`."""
    if f'"{result_path}"' not in report_html:
        raise ValueError(f"{result_path} is not a result of this report")
    if "</body>" not in report_html:
        raise ValueError("not a snakemake report: no </body>")
    script = _OPEN_RESULT.format(path=json.dumps(result_path), category=json.dumps(category))
    end = report_html.rfind("</body>")
    return report_html[:end] + script + report_html[end:]


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def snapshot(
    report: str | Path,
    png: str | Path,
    category: str,
    result_path: str,
    size: tuple[int, int] = (1400, 900),
    chromium: str | None = None,
) -> Path:
    """Screenshot of `report` showing `result_path` with its caption, written to `png`."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError(
            "no Chromium found; on Debian: apt-get install chromium (only needed for README images)"
        )
    html = open_result_html(Path(report).read_text(encoding="utf-8"), category, result_path)
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return png
