"""The one place that turns a near-miss into "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(value: str, choices: Iterable[str], kind: str) -> str:
    """`did you mean `x`?` or, failing that, the list of what exists."""
    choices = sorted({str(c) for c in choices if c})
    match = closest(value, choices)
    if match:
        return f"did you mean `{match}`?"
    if not choices:
        return f"no {kind} is defined yet"
    shown = ", ".join(choices[:8]) + (", …" if len(choices) > 8 else "")
    return f"write one of the {kind} ids: {shown}"
