"""Every example in medvirk's docstrings parses and gives what it says (doctest).

The same as ``pytest --doctest-modules src/medvirk``, kept here so that ``make test`` and the
mutation run (which select tests/) include the examples too.
"""

import doctest
import importlib
import io
import pkgutil

import pytest

import medvirk

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(medvirk.__path__, prefix="medvirk."))


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    return [t for t in doctest.DocTestFinder().find(module) if t.examples]


def test_every_docstring_example_parses():
    """A docstring whose example is not valid doctest (a stray newline inside a string, say)
    makes the finder raise; all modules are read, so none is skipped unnoticed."""
    unparsable = {}
    for name in MODULES:
        try:
            _examples(name)
        except ValueError as exc:
            unparsable[name] = str(exc)
    assert unparsable == {}


def _has_examples(name: str) -> bool:
    try:
        return bool(_examples(name))
    except ValueError:  # unparsable: its run below fails with the reason
        return True


WITH_EXAMPLES = [name for name in MODULES if _has_examples(name)]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name):
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in _examples(name):
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, out.getvalue()
    assert result.attempted > 0
