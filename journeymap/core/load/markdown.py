"""Markdown files (briefs, evidence): YAML front matter between `---` lines, and the body after it."""

from __future__ import annotations

import itertools
import re

from ..findings import INVALID_YAML, Location
from .document import Document, Problem
from .yaml import parse_yaml

_FIELD = re.compile(r"[A-Za-z_][\w-]*:(\s|$)")


def _front_matter_without_dashes(lines: list[str]) -> bool:
    """A first paragraph of `key: value` lines with a `title:` (every .md kind has one): `---` forgotten."""
    paragraph = list(itertools.takewhile(str.strip, lines))
    return bool(paragraph) and _FIELD.match(paragraph[0]) is not None and any(
        line.startswith("title:") for line in paragraph)


def parse_markdown(text: str, rel: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """Front matter between `---` lines, parsed like any YAML file, lines counted in the .md."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        if _front_matter_without_dashes(lines):
            return None, [Problem(INVALID_YAML, Location(rel, 1, 1),
                                  "the front matter must be between two `---` lines: add a line `---` above "
                                  f"`{lines[0].strip()}` and another after the last field")]
        return Document(rel, kind, {}, {(): (1, 1)}, body=text, body_line=1), []
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front = "".join(lines[1:index])
            document, problems = parse_yaml(front, rel, kind, line_offset=1)
            if document is not None:
                if document.data is None:
                    document.data = {}
                document.positions[()] = (1, 1)
                document.body = "".join(lines[index + 1:])
                document.body_line = index + 2
            return document, problems
    return None, [Problem(INVALID_YAML, Location(rel, 1, 1),
                          "front matter is not closed: add a line `---` after its last field")]
