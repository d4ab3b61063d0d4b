"""One base for the problems a user can fix, so the command line catches them in one place."""

from __future__ import annotations

from .printable import printable

#: the exit codes every command uses: done, the map (or the change) fails, the command could not run
EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


class JourneymapError(Exception):
    """A problem with the input or the setting, not a bug: printed as `journeymap: <message>`, no traceback.

    `exit_code` is 2 (the command could not do its work) unless a subclass says otherwise;
    `lines()` is what is printed, one line each, for a problem that has several parts.
    """

    exit_code: int = EXIT_UNUSABLE

    def lines(self) -> list[str]:
        return [str(self)]


def as_printed(error: JourneymapError) -> str:
    """The error as the command line says it: each line as `journeymap: <line>`; map text in it shown, never obeyed."""
    return "\n".join(printable(f"journeymap: {line}", lines=True) for line in error.lines())
