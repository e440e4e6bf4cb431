"""Glue for workflow scripts: send messages to the rule's log and turn input errors and a full
disk into clean failures."""

from __future__ import annotations

import contextlib
import errno
import logging
import sys
from collections.abc import Iterator

from medvirk.errors import InputError

# A write that fails because there is no room left: a full disk, or a user's disk quota.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def disk_full_message(step: str, exc: OSError) -> str:
    """What a researcher reads when `step` could not write its outputs: Bokmål, then English."""
    target = f"filen «{exc.filename}»" if exc.filename else "en av filene steget skriver"
    target_en = f"the file '{exc.filename}'" if exc.filename else "one of the step's files"
    return (
        f"medvirk: {step} stoppet: disken er full, så {target} kunne ikke skrives. "
        "Frigjør plass og kjør `make run` igjen; kjøringen fortsetter der den stoppet.\n"
        f"medvirk: {step} stopped: the disk is full, so {target_en} could not be written. "
        "Free some space and run `make run` again; the run resumes where it stopped.\n"
        "Ingenting under data/raw/ ble endret. / Nothing under data/raw/ was changed."
    )


class _LogFile(logging.FileHandler):
    """A rule's log file. A line that finds no room on the disk is dropped quietly instead of
    printing logging's own traceback: `logged` tells the terminal that the disk is full."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError) and exc.errno in NO_SPACE:
            return
        super().handleError(record)


def _stop_disk_full(step: str, exc: OSError):
    # The terminal's stderr, also when a script has sent sys.stderr to its log file.
    print(disk_full_message(step, exc), file=sys.__stderr__ or sys.stderr)
    sys.exit(1)


@contextlib.contextmanager
def stops_on_full_disk(step: str) -> Iterator[None]:
    """Turn a full disk while `step` writes into the plain message of `disk_full_message` and
    exit status 1; any other error passes through. `logged` does this for the scripts it wraps."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in NO_SPACE:
            raise
        _stop_disk_full(step, exc)


@contextlib.contextmanager
def logged(log_path: str, step: str) -> Iterator[logging.Logger]:
    """Log to `log_path`; on bad input or a full disk, write a plain message (no traceback) and
    exit with status 1."""
    logger = logging.getLogger(f"medvirk.{step}")
    logger.setLevel(logging.INFO)
    with stops_on_full_disk(step):
        handler = _LogFile(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.handlers[:] = [handler]
    try:
        # A full disk: no line to the log file (there is no room for it), the terminal is told.
        with stops_on_full_disk(step):
            yield logger
    except InputError as exc:
        message = f"medvirk: {step} stopped because of bad input.\n  {exc}\nNothing under data/raw/ was changed."
        logger.error(str(exc))
        print(message, file=sys.stderr)
        sys.exit(1)
    finally:
        with contextlib.suppress(OSError):  # flushing the log may find the disk full too
            handler.close()
