"""One map file → a document: refused unread when it leads outside the map or is too large, then
decoded and parsed as YAML or as Markdown with front matter."""

from __future__ import annotations

from pathlib import Path

from ..findings import INVALID_YAML, OUTSIDE_LINK, Location
from .document import Document, Problem
from .markdown import parse_markdown
from .yaml import parse_yaml

#: a map file larger than this is refused before it is parsed (a stage of 1,000 touchpoints is about 250 KB)
MAX_FILE_BYTES = 5 * 1024 * 1024


def read_document(path: Path, rel: str, kind: str, root: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """One map file, refused unread when it leads out of `root` or is too large to be a map file."""
    data, refusal = read_bytes(path, rel, root)
    if refusal is not None:
        return None, [refusal]
    return parse_document(data, path.suffix, rel, kind)


def read_bytes(path: Path, rel: str, root: Path | None = None) -> tuple[bytes, Problem | None]:
    """A map file's bytes, or why it is not read."""
    refusal = _refusal(path, rel, root)
    if refusal is not None:
        return b"", refusal
    try:
        return path.read_bytes(), None
    except OSError as error:
        return b"", _unreadable(rel, error)


def _unreadable(rel: str, error: Exception) -> Problem:
    return Problem(INVALID_YAML, Location(rel, 1, 1), f"cannot read the file ({error}): save it as UTF-8 text")


def parse_document(data: bytes, suffix: str, rel: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """A map file's bytes as a document: front matter and body for Markdown, YAML otherwise."""
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark, as Windows editors write, is no content
    except UnicodeDecodeError as error:
        return None, [_unreadable(rel, error)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as reading in text mode would: any line ending
    if suffix == ".md":
        return parse_markdown(text, rel, kind)
    return parse_yaml(text, rel, kind)


def _refusal(path: Path, rel: str, root: Path | None) -> Problem | None:
    if root is not None and not _inside(path, Path(root)):
        return Problem(OUTSIDE_LINK, Location(rel, None, None),
                       f"`{rel}` is a link to {path.resolve()}, outside the map folder: nothing outside the map "
                       "is read; copy the file into the map instead of linking to it")
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it will say why
    if size > MAX_FILE_BYTES:
        return Problem(INVALID_YAML, Location(rel, 1, 1),
                       f"the file is {size / 1024 / 1024:.1f} MB, more than the {MAX_FILE_BYTES // 1024 // 1024} MB "
                       "a map file may have; it was not read: split it (one stage per file, one brief per file)")
    return None


def _inside(path: Path, root: Path) -> bool:
    """Whether `path` really lies in `root`: no link on the way, or one that leads back inside."""
    step = path
    while step != root and step.parent != step:
        if step.is_symlink():
            return path.resolve().is_relative_to(root.resolve())
        step = step.parent
    return step == root or path.resolve().is_relative_to(root.resolve())
