"""Glue for workflow scripts: send messages to the rule's log and turn input errors into clean failures."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

from medvirk.errors import InputError


@contextlib.contextmanager
def logged(log_path: str, step: str) -> Iterator[logging.Logger]:
    """Log to `log_path`; on bad input, write a plain message (no traceback) and exit with status 1."""
    logger = logging.getLogger(f"medvirk.{step}")
    logger.setLevel(logging.INFO)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.handlers[:] = [handler]
    try:
        yield logger
    except InputError as exc:
        message = f"medvirk: {step} stopped because of bad input.\n  {exc}\nNothing under data/raw/ was changed."
        logger.error(str(exc))
        print(message, file=sys.stderr)
        sys.exit(1)
    finally:
        handler.close()
