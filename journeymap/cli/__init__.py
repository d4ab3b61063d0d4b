"""The `journeymap` command: parse options, call the core, print, set the exit code.

A problem the person can fix is a JourneymapError, raised wherever it is found; the command
group (group.py) catches it, there and only there, prints it as `journeymap: <line>` and exits with its code.
"""

from __future__ import annotations

import os
import sys

from . import map_commands, setup_commands  # noqa: F401 - each adds its commands to `main`
from .group import main
from .map_commands import _progress  # noqa: F401 - the build's progress line, for its test


def run() -> None:
    """The `journeymap` command: `main`, then leave without tearing the model down object by object.

    Freeing a large portfolio's model at exit took a tenth of a second after the work was done;
    the operating system takes the memory back at once (mypy leaves the same way).
    """
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if not isinstance(code, int):  # sys.exit("message"): Python prints it and exits 1
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`), a stream already closed
            pass
    os._exit(code)
