"""The one place that touches the output folder: render beside it, then swap it in.

A failed or interrupted build removes its temporary folder and leaves the
previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".journeymap-site"


class UnsafeOutput(Exception):
    """The output folder holds something we did not write; replacing it would destroy it."""


def check_output(output: Path, source: Path) -> None:
    output, source = output.resolve(), source.resolve()
    if output == source or output in source.parents or output == Path.cwd().resolve() or output == Path.home():
        raise UnsafeOutput(f"{output}: refusing to build over a folder that holds the map or the working "
                           "directory; give a separate --output such as output/")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise UnsafeOutput(f"{output}: exists and was not written by journeymap; give an empty or new "
                           "--output folder, or remove this one")


@contextmanager
def staged(output: Path) -> Iterator[Path]:
    """Yield a fresh folder beside `output`; on success it replaces `output` whole."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        yield stage
        (stage / MARKER).write_text("built by journeymap; this folder is replaced on every build\n")
        os.chmod(stage, 0o755)
        _swap(stage, output)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _swap(stage: Path, output: Path) -> None:
    if not output.exists():
        os.replace(stage, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    os.rmdir(old)
    os.replace(output, old)
    try:
        os.replace(stage, output)
    except OSError:
        os.replace(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_text(folder: Path, path: str, text: str) -> None:
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
