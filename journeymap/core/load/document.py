"""A loaded file: its data, where every value in it was written, and what the loader found wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Fix, Location

Path_ = tuple  # a path into a document: keys and list indexes

#: file kinds and where they live in a map folder
KINDS = ("journey", "owners", "personas", "stage", "experiment", "brief", "evidence")


@dataclass(frozen=True)
class Problem:
    """A finding the loader makes before any rule runs (rule id + place + message)."""

    rule: str
    location: Location
    message: str
    fix: Fix | None = None


@dataclass
class Document:
    """One file's data, the position of every value in it, and its Markdown body."""

    file: str
    kind: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    #: where the text of a block value (`key: |` or `key: >`) begins: the line after its key
    text_lines: dict[Path_, int] = field(default_factory=dict)

    @property
    def fields(self) -> dict:
        """The top-level mapping, or nothing when the file holds something else (already a finding)."""
        return self.data if isinstance(self.data, dict) else {}

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    def span(self, path: Path_) -> tuple[int, int] | None:
        """The first and last line of the values under `path`, or None when nothing is written there."""
        by_depth: dict[int, dict[tuple, list[int]]] = self.__dict__.setdefault("_spans", {})
        spans = by_depth.get(len(path))
        if spans is None:  # every span at this depth in one pass: a site asks for thousands, all of a few depths
            spans = by_depth[len(path)] = {}
            depth = len(path)
            for position, (line, _) in self.positions.items():
                if len(position) >= depth:
                    span = spans.get(position[:depth])
                    if span is None:
                        spans[position[:depth]] = [line, line]
                    elif line < span[0]:
                        span[0] = line
                    elif line > span[1]:
                        span[1] = line
        span = spans.get(path)
        return None if span is None else (span[0], span[1])

    def text_line(self, path: Path_) -> int:
        """The line the text of the value at `path` starts on (for finding a place inside it)."""
        return self.text_lines.get(path) or self.at(*path).line or 1

    def at(self, *path: Any) -> Location:
        """The location of a value, or of its nearest enclosing value that has one."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        line, column = self.positions.get(path, (1, 1))
        return Location(self.file, line, column)


@dataclass
class Folder:
    """Everything read from one map folder: its documents and what could not be read."""

    root: Path
    documents: list[Document]
    problems: list[Problem]
    unreadable: set[str]

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]
