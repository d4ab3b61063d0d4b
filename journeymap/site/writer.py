"""The one place that touches the output folder: render beside it, then swap it in.

A file whose bytes are the same as in the previous site is linked to it rather
than written, so it keeps its modification time (and a static host, or rsync,
sees only what changed). A failed, interrupted or killed build leaves the previous site exactly as it
was, or the new one whole, never a mix: on Linux the two folders are exchanged
in one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, and the next
build restores the old site if a kill fell between them. Builds of one output
folder take turns through a lock file (in the user's own 0700 folder in the temporary folder);
leftovers of a killed build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..core.cache import NotPrivate, private_folder
from ..util.errors import JourneymapError
from ..util.inside import Outside, join_inside

MARKER = ".journeymap-site"
#: how long a build waits for another build of the same folder before it gives up
LOCK_WAIT_SECONDS = 120.0
_RENAME_EXCHANGE = 2
#: each folder being staged, and the site it will replace: where write_text finds a file's previous bytes
_previous: dict[Path, Path] = {}


class UnsafeOutput(JourneymapError):
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
    with _locked(output):
        _recover(output)
        stage = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
        _previous[_absolute(stage)] = _absolute(output)
        try:
            yield stage
            if not (stage / MARKER).exists():
                (stage / MARKER).write_text("built by journeymap; this folder is replaced on every build\n")
            os.chmod(stage, 0o755)
            _swap(stage, output)
        finally:
            _previous.pop(_absolute(stage), None)
            shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def _locked(output: Path) -> Iterator[None]:
    """One build of a folder at a time; the lock goes with the process, however it ends.

    The lock file is removed by its holder on the way out (thousands of builds would otherwise leave
    thousands of files); a build that was waiting on the removed file sees that and locks the new one.
    """
    key = hashlib.sha256(os.fsencode(output.resolve())).hexdigest()[:16]
    lock_path = _lock_folder() / f"{key}.lock"  # not beside the site: no clutter there
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        with open(lock_path, "a+") as lock:
            _wait_for(lock, output, deadline)
            if not _still_there(lock, lock_path):
                continue  # its holder removed it while we waited: lock the file there now
            try:
                yield
            finally:
                lock_path.unlink(missing_ok=True)  # while holding it, so no one can have locked the next one yet
                fcntl.flock(lock, fcntl.LOCK_UN)
            return


def _lock_folder() -> Path:
    """The user's own folder in the temporary folder: a lock another user could create first, or link
    elsewhere, would let them stall every build or have it create a file where they choose."""
    folder = Path(tempfile.gettempdir()) / f"journeymap-{os.geteuid()}"
    try:
        return private_folder(folder)
    except (NotPrivate, OSError) as error:
        raise UnsafeOutput(f"{error}: builds take turns through a lock file there, so it must be a folder only "
                           "you can write; remove it, or set TMPDIR to such a folder") from error


def _wait_for(lock: IO, output: Path, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError as error:
            if time.monotonic() > deadline:
                raise UnsafeOutput(f"{output}: another journeymap build has been writing it for over "
                                   f"{LOCK_WAIT_SECONDS:.0f} s; wait for it, or build into another "
                                   "--output") from error
            time.sleep(0.05)


def _still_there(lock: IO, lock_path: Path) -> bool:
    try:
        return os.stat(lock_path).st_ino == os.fstat(lock.fileno()).st_ino
    except FileNotFoundError:
        return False


def _recover(output: Path) -> None:
    """Undo what a killed build left: restore a site caught between two renames, remove half-built ones."""
    leftovers = sorted(output.parent.glob(f".{output.name}-old-*")) + sorted(
        output.parent.glob(f".{output.name}-new-*"))
    if not output.exists():
        complete = [p for p in leftovers if "-old-" in p.name and (p / MARKER).exists()]
        if complete:
            os.replace(complete[0], output)
            leftovers.remove(complete[0])
    for leftover in leftovers:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _swap(stage: Path, output: Path) -> None:
    if not output.exists():
        os.replace(stage, output)
        return
    if _exchange(stage, output):
        return  # `stage` now holds the previous site, removed by the caller
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    os.rmdir(old)
    os.replace(output, old)
    try:
        os.replace(stage, output)
    except OSError:
        os.replace(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def write_text(folder: Path, path: str, text: str) -> None:
    """Write a page (or link the previous site's copy when its bytes are the same)."""
    try:  # ids are slugs; this guards against a template's path, and a link no one should have made
        target = _absolute(join_inside(folder, path))
    except Outside as error:
        raise UnsafeOutput(f"{path}: a page path that leads out of the site folder ({error}); nothing was "
                           "written") from error
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    previous = previous_of(target)
    if previous is not None and _same_bytes(previous, data) and link(previous, target):
        return
    target.write_bytes(data)


def _absolute(path: Path) -> Path:
    """Absolute, with `..` folded (not resolve(): no link-following per page; the stage holds no links)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def previous_of(path: Path) -> Path | None:
    """The same file in the site being replaced, if `path` is in a folder being staged."""
    for stage, output in _previous.items():
        if path.is_relative_to(stage):
            return output / path.relative_to(stage)
    return None


def link(source: str | Path, target: str | Path) -> bool:
    """Give `target` the file at `source` (a hard link: same bytes, same time); False when there is none."""
    try:
        os.link(source, target)
        return True
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copy2(source, target)
            return True
        except OSError:
            return False


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False
