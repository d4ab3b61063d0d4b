"""The site `serve` shows: built into a temporary folder, rebuilt on each save, numbered by generation."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..core.check import ModelMemo
from ..core.findings import Finding, Severity
from ..util.words import plural


class Site:
    """The current build: its folder, a generation that rises with each rebuild, and what broke, if anything."""

    def __init__(self, source: Path, templates: Path | None, log: Callable[[str], None]) -> None:
        self.source, self.templates, self.log = source, templates, log
        self.scratch = Path(tempfile.mkdtemp(prefix="journeymap-serve-"))
        self.folder = self.scratch / "site"
        self.generation = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.models = ModelMemo()  # the journeys of the last check: a save remodels only the journey it touched

    def rebuild(self) -> None:
        """Check, then build. While the map has errors the last good site stays up, under a banner naming them
        (the first build goes ahead anyway, gaps and all, so there is something to show)."""
        from ..core.check import check_map
        from ..core.load import MapNotFound
        from .build import build_site
        from .templates import TemplateProblem

        started = time.perf_counter()
        try:
            # this process has threads: it must not fork
            checked = check_map(self.source, parallel=False, models=self.models)
            self.problems = [_describe(f) for f in checked.findings if f.severity is Severity.ERROR]
            if self.problems and self.folder.is_dir():
                self.log(f"the map has {plural(len(self.problems), 'error')}: still serving the last good build")
            else:
                build_site(checked, self.folder, self.templates, parallel=False)
                errors = f"; {plural(len(self.problems), 'error')}" if self.problems else ""
                self.log(f"rebuilt in {time.perf_counter() - started:.2f} s{errors}")
        except (MapNotFound, TemplateProblem, OSError) as error:
            self.problems = [f"the site could not be built: {error}"]
            self.log(f"build failed: {error}")
        for problem in self.problems[:5]:
            self.log(f"  {problem}")
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def _describe(finding: Finding) -> str:
    return f"{finding.location}: [{finding.rule}] {finding.message}"
