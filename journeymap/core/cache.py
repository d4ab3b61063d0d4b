"""What checking a map produced, kept between runs: an unchanged file is not parsed again.

One file per map folder under `$XDG_CACHE_HOME/journeymap/` (default `~/.cache/journeymap/`,
or `$JOURNEYMAP_CACHE_DIR`), holding two things:

- per map file, keyed by its path, kind and a hash of its bytes: the parsed document and the
  problems parsing and validating it found;
- per journey (each of a portfolio), its last result (check.py's `_Found`: its findings and what
  it needs from the others), keyed by the hash of each of its files and of a portfolio's shared
  owners.yaml, its folder listing (strays), the day (the review rule depends on it) and the code:
  after an edit, only the journey it touched is checked again.

Entries are keyed by content, so a changed file is never served from the cache; the code's own
files are part of every key, so another version of journeymap never reads this one's entries; a
file that cannot be read back (corrupt, truncated, foreign) is ignored and rewritten. `--no-cache`
turns it off. The cache is the user's own, like pip's or mypy's: a pickle, read only from a folder
only the user writes (`cache_dir` checks its owner and mode on every use; a folder that fails is
passed over with a one-line warning, and the run has a fresh private folder instead).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..util.errors import JourneymapError
from ..util.files import write_atomically
from ..util.resources import PACKAGE

_FORMAT = 3


class NotPrivate(JourneymapError):
    """A folder another user owns or may write in: what it holds may be theirs."""


def private_folder(path: Path) -> Path:
    """`path`, created with mode 0700 when missing; NotPrivate when it belongs to another user or others may
    write in it (what is read from there, a pickle or a lock, could then be someone else's); OSError when
    it cannot be created."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    status = path.stat()
    if hasattr(os, "geteuid") and status.st_uid != os.geteuid():
        raise NotPrivate(f"{path} belongs to another user (uid {status.st_uid})")
    if status.st_mode & 0o022:
        raise NotPrivate(f"{path} may be written by others (mode {status.st_mode & 0o777:o})")
    return path


def configured_cache_dir() -> Path:
    """Where the cache is meant to be, from the environment; `cache_dir` says whether it may be used."""
    explicit = os.environ.get("JOURNEYMAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "journeymap"


def cache_dir() -> Path:
    """The cache folder when it is the user's own; else a folder of this run alone, so nothing is read
    that another user could have written (a pickle runs code as it loads) and the run carries on."""
    folder = configured_cache_dir()
    try:
        return private_folder(folder)
    except NotPrivate as error:
        _warn_once(f"journeymap: warning: {error}, so the cache there is not used; set XDG_CACHE_HOME or "
                   "JOURNEYMAP_CACHE_DIR to a folder only you can write")
    except OSError:
        pass  # cannot be created (a read-only home): no cache, as ever
    return _this_run_only()


@functools.cache
def _warn_once(message: str) -> None:
    print(message, file=sys.stderr)


@functools.cache
def _this_run_only() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="journeymap-cache-"))  # 0700, new: nothing in it but ours
    creator = os.getpid()

    def remove() -> None:
        if os.getpid() == creator:  # not a forked worker on its way out
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


@functools.cache
def code_version() -> str:
    """journeymap's version and its code as installed: an edited checkout invalidates the cache too."""
    package = PACKAGE
    stamps = sorted(f"{p.relative_to(package)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                    for p in package.rglob("*.py"))
    return digest(__version__, sys.version, str(_FORMAT), *stamps)


class Cache:
    """The cache of one map folder; in memory only when `enabled` is False or the folder cannot be written."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.path = cache_dir() / f"{digest(str(Path(root).resolve()))}.pickle"
        self.version = code_version() if enabled else ""
        self.files: dict[tuple[str, str], tuple[str, bytes]] = {}
        self.parts: dict[str, tuple[str, bytes]] = {}
        self.dirty = False
        if enabled:
            self._read()

    def _read(self) -> None:
        try:
            with open(self.path, "rb") as file:
                stored = pickle.load(file)
            if stored["version"] == self.version:
                self.files, self.parts = stored["files"], stored["parts"]
        except Exception:  # noqa: BLE001 - missing, corrupt, truncated or foreign: start empty
            self.files, self.parts = {}, {}

    def has(self, rel: str, kind: str, content: str) -> bool:
        stored = self.files.get((rel, kind))
        return stored is not None and stored[0] == content

    def keep(self, rel: str, kind: str, content: str, pickled: bytes) -> None:
        """Keep a result computed elsewhere (another process), as `pickle.dumps` gave it."""
        self.files[(rel, kind)] = (content, pickled)
        self.dirty = True

    def file(self, rel: str, kind: str, content: str, compute: Callable[[], Any]) -> Any:
        """What `compute` gives for this file, whose bytes hash to `content`: from the cache when they did before."""
        if self.has(rel, kind, content):
            try:
                return pickle.loads(self.files[(rel, kind)][1])
            except Exception:  # noqa: BLE001 - an entry that cannot be read is computed again
                pass
        value = compute()
        self.keep(rel, kind, content, pickled(value))
        return value

    def part(self, prefix: str, key: str) -> Any | None:
        """The last result for one journey of a portfolio (by its folder), if made from exactly these inputs."""
        return _unpickled(self.parts.get(prefix), key)

    def keep_part(self, prefix: str, key: str, value: Any) -> None:
        self.parts[prefix] = (key, pickled(value))
        self.dirty = True

    def save(self, read: set[tuple[str, str]], prefixes: list[str]) -> None:
        """Write what changed, keeping only the files this run `read` and the journeys it checked (`prefixes`);
        a folder we cannot write means no cache."""
        if not self.enabled or not self.dirty:
            return
        files = {key: value for key, value in self.files.items() if key in read}
        parts = {prefix: value for prefix, value in self.parts.items() if prefix in prefixes}
        try:
            write_atomically(self.path, pickled({"version": self.version, "files": files, "parts": parts}))
            self.dirty = False
        except OSError:
            pass  # a folder we cannot write: no cache this time
        prune()


def _unpickled(stored: tuple[str, bytes] | None, key: str) -> Any | None:
    """The value stored under `key`; None when another key's value is stored, or it cannot be read back."""
    if stored is None or stored[0] != key:
        return None
    try:
        return pickle.loads(stored[1])
    except Exception:  # noqa: BLE001 - an entry that cannot be read is computed again
        return None


#: cache files (of any map, drawing or template) not written for this long are removed
MAX_AGE_DAYS = 30


def prune(now: float | None = None) -> None:
    """Remove what nobody has written for a month, at most once a day: a cache must not grow without end."""
    now = time.time() if now is None else now
    folder = cache_dir()
    stamp = folder / ".pruned"
    try:
        if now - stamp.stat().st_mtime < 86400:
            return
    except OSError:
        pass
    for path in folder.rglob("*"):
        try:
            if path.is_file() and now - path.stat().st_mtime > MAX_AGE_DAYS * 86400:
                path.unlink()
        except OSError:
            pass
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        pass
