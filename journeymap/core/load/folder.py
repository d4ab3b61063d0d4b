"""A map folder → its documents: which files it holds, the strays beside them, and every file read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...util.errors import JourneymapError
from ..findings import SCHEMA, UNKNOWN_FILE, Location
from .document import Document, Folder, Problem
from .file import read_document
from .strays import strays


class MapNotFound(JourneymapError):
    """The folder given is not a journey map: the command cannot run at all."""


def find_journeys(root: Path) -> list[Path]:
    """The journey folders under `root`: itself, or, for a portfolio, its subfolders that hold a journey.yaml."""
    root = Path(root)
    if not root.is_dir():
        raise MapNotFound(f"{root}: no such folder; give the folder that holds journey.yaml")
    if (root / "journey.yaml").is_file():
        return [root]
    journeys = sorted(p for p in root.iterdir() if p.is_dir() and (p / "journey.yaml").is_file())
    if not journeys:
        raise MapNotFound(f"{root}: no journey.yaml here or in its subfolders; give the folder that holds "
                          "journey.yaml (title, review, stages), or a portfolio folder of such folders")
    return journeys


@dataclass
class Listing:
    """What one journey's folder holds, before any file is read: the files to read and the strays."""

    root: Path
    prefix: str
    files: list[tuple[str, Path, str]]  # (kind, path, path relative to the portfolio)
    problems: list[Problem]
    unreadable: set[str]


#: reads one map file: (path, relative path, kind, folder it must stay in) → (document or None, problems)
Reader = Callable[[Path, str, str, Path], tuple["Document | None", list[Problem]]]


def list_folder(root: Path, prefix: str = "", shared_owners: bool = False) -> Listing:
    """The files of one journey's folder and what is wrong with the folder itself (strays, no owners.yaml).

    In a portfolio, `prefix` ("new-logo/") makes each file relative to the portfolio folder, and
    `shared_owners` says the portfolio's owners.yaml serves this journey.
    """
    root = Path(root)
    if not (root / "journey.yaml").is_file():
        find_journeys(root)  # the message a user needs: no such folder, or no journey here
        raise MapNotFound(f"{root}: no journey.yaml here; a portfolio is checked as a whole with check_map")
    problems: list[Problem] = []
    if not shared_owners and not any((root / f"owners{suffix}").is_file() for suffix in (".yaml", ".yml")):
        problems.append(Problem(SCHEMA, Location(f"{prefix}owners.yaml", None, None),
                                "the map has no owners.yaml: create it with `owners:` listing each team's `id`, "
                                "`name` and `department`"))
    stray, misnamed = strays(root, prefix)
    problems += [Problem(UNKNOWN_FILE, location, message) for location, message in stray]
    files = [(kind, path, prefix + path.relative_to(root).as_posix()) for kind, path in _map_files(root)]
    # a `stage/` for `stages/`: what it holds is there, just not read; judge nothing by it
    return Listing(root, prefix, files, problems, set(misnamed))


def read_folder(listing: Listing, read: Reader | None = None) -> Folder:
    """Read every listed file; a file that cannot be parsed is a problem, not a stop."""
    read = read or read_document
    documents: list[Document] = []
    problems = list(listing.problems)
    unreadable = set(listing.unreadable)
    for kind, path, rel in listing.files:
        document, found = read(path, rel, kind, listing.root)
        problems.extend(found)
        if document is None:
            unreadable.add(rel[len(listing.prefix):])  # relative to the journey: "is a stages/ file unreadable?"
        else:
            documents.append(document)
    return Folder(listing.root, documents, problems, unreadable)


def load_folder(root: Path, prefix: str = "", shared_owners: bool = False) -> Folder:
    """Read every file of one journey's folder (see `list_folder` and `read_folder`)."""
    return read_folder(list_folder(root, prefix, shared_owners))


def shared_owners_file(root: Path) -> Path | None:
    """A portfolio's owners.yaml (or .yml), if it has one."""
    for suffix in (".yaml", ".yml"):
        path = Path(root) / f"owners{suffix}"
        if path.is_file():
            return path
    return None


def load_shared_owners(root: Path, read: Reader | None = None) -> tuple[Document | None, list[Problem], bool]:
    """A portfolio's owners.yaml: (document, problems, whether a file exists at all)."""
    path = shared_owners_file(root)
    if path is None:
        return None, [], False
    document, problems = (read or read_document)(path, path.name, "owners", Path(root))
    return document, problems, True


def _map_files(root: Path) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = [("journey", root / "journey.yaml")]
    for name, kind in (("owners", "owners"), ("personas", "personas")):
        for suffix in (".yaml", ".yml"):
            if (root / f"{name}{suffix}").is_file():
                files.append((kind, root / f"{name}{suffix}"))
    for folder, kind, suffixes in (
        ("stages", "stage", (".yaml", ".yml")),
        ("experiments", "experiment", (".yaml", ".yml")),
        ("briefs", "brief", (".md",)),
        ("evidence", "evidence", (".md",)),
    ):
        if (root / folder).is_dir():
            for path in sorted((root / folder).iterdir()):
                if path.suffix in suffixes and path.is_file() and not path.name.startswith("."):
                    files.append((kind, path))
    return files
