"""What a rule case is, and the map it is checked on: the clean map with its edits, written to disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from journeymap.core.check import check_map

from ..conftest import edited, write_map


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` (relative to the map folder's parent), written in place of a file."""

    target: str


@dataclass
class Case:
    rule: str
    edits: dict[str, tuple[str, str] | str | Link | None]  # file -> (old, new) | new text | link | None (delete)
    file: str = ""
    needle: str | None = ""  # text on the line the finding must point at; None: the file as a whole
    passing: dict[str, tuple[str, str] | str | None] = field(default_factory=dict)  # a near-miss


SPARK = "stages/spark.yaml"
ADOPT = "stages/adopt.yaml"


def findings_for(tmp_path: Path, edits: dict) -> tuple[list, dict[str, str]]:
    """The findings on the clean map with `edits` made, and its files as written. A link's target may be
    `elsewhere/secret.yaml`, a file beside the map folder, outside it."""
    links = {name: edit for name, edit in edits.items() if isinstance(edit, Link)}
    files = edited({name: edit for name, edit in edits.items() if name not in links})
    folder = write_map(tmp_path / "map", files)
    write_map(tmp_path / "elsewhere", {"secret.yaml": "token: do-not-publish\n"})
    for name, link in links.items():
        (folder / name).symlink_to(tmp_path / link.target)
    return check_map(folder).findings, files
