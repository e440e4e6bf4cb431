"""Opening one result of the HTML report for a screenshot."""

import pytest

from medvirk.report_snapshot import open_result_html

REPORT = (
    '<html><body><script>var results = {"results/s/figures/a.png": {"data_uri": "x"}};'
    "</script></body></html>"
)


def test_script_opens_the_result_before_the_end_of_body():
    html = open_result_html(REPORT, "Figures", "results/s/figures/a.png")
    script = html[html.index("</script>") + len("</script>") : html.rindex("</body>")]
    assert 'app.showCategory("Figures")' in script
    assert "results[path].data_uri" in script
    assert 'var path = "results/s/figures/a.png"' in script
    assert html.endswith("</body></html>")


def test_unknown_result_is_named():
    with pytest.raises(ValueError, match="results/s/figures/b.png is not a result"):
        open_result_html(REPORT, "Figures", "results/s/figures/b.png")


def test_not_a_report():
    with pytest.raises(ValueError, match="no </body>"):
        open_result_html('"results/s/figures/a.png"', "Figures", "results/s/figures/a.png")
