"""What `build` tells the person building: why it will not build, and what it built.

Beside the site, not in the command line, so the GitHub Action's review says it in the same words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.findings import Finding, summarize
from ..util.words import plural

if TYPE_CHECKING:
    from . import Built


def refusal(findings: list[Finding], strict: bool) -> str:
    """Why the site is not built: the map's errors (and, under --strict, its warnings), and the way past them."""
    counts = summarize(findings)
    blocking = counts["errors"] + (counts["warnings"] if strict else 0)
    warnings = f" and {plural(counts['warnings'], 'warning')} (--strict)" if strict else ""
    return (f"not building: the map has {plural(counts['errors'], 'error')}{warnings}; "
            f"fix {'it' if blocking == 1 else 'them'}, or use --keep-going to render the site with its gaps page")


def built_line(built: Built, output: str, seconds: float) -> str:
    """The last line of a build: how many pages, where, how long, and how many were kept from the last build."""
    unchanged = f", {built.reused} unchanged since the last build" if built.reused else ""
    return f"built {built.pages} pages into {output}/ in {seconds:.2f} s{unchanged}"
