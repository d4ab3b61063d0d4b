"""Files → documents that remember where every value came from.

PyYAML's composer gives nodes with marks; we turn them into plain Python data
ourselves so that every value keeps its line and column, and so that a key
written twice (the classic merge-conflict bug PyYAML silently hides) is found.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..util.errors import JourneymapError
from .findings import Fix, Location
from .strays import strays
from .yaml_errors import explain

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple  # a path into a document: keys and list indexes
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


#: file kinds and where they live in a map folder
KINDS = ("journey", "owners", "personas", "stage", "experiment", "brief", "evidence")
#: a map file larger than this is refused before it is parsed (a stage of 1,000 touchpoints is about 250 KB)
MAX_FILE_BYTES = 5 * 1024 * 1024
#: nesting deeper than this is no journey map; refusing it keeps every later walk shallow
MAX_DEPTH = 64
#: values one file may expand to through aliases, per byte of the file ("billion laughs" stops here)
VALUES_PER_BYTE = 10
#: keys one file's merge keys (`<<: *name`) may copy, per byte of the file: merging a merge of merges multiplies
#: the work without a value more to show for it (PyYAML 6.0.3 and earlier take minutes and gigabytes on a few
#: hundred bytes, 6.0.4 still seconds per line), so the copying is counted here, whatever PyYAML does
MERGED_PER_BYTE = 1


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
        problems.append(Problem("schema", Location(f"{prefix}owners.yaml", None, None),
                                "the map has no owners.yaml: create it with `owners:` listing each team's `id`, "
                                "`name` and `department`"))
    stray, misnamed = strays(root, prefix)
    problems += [Problem("unknown-file", location, message) for location, message in stray]
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
    return Problem("invalid-yaml", Location(rel, 1, 1), f"cannot read the file ({error}): save it as UTF-8 text")


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
        return Problem("outside-link", Location(rel, None, None),
                       f"`{rel}` is a link to {path.resolve()}, outside the map folder: nothing outside the map "
                       "is read; copy the file into the map instead of linking to it")
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it will say why
    if size > MAX_FILE_BYTES:
        return Problem("invalid-yaml", Location(rel, 1, 1),
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
            return None, [Problem("invalid-yaml", Location(rel, 1, 1),
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
    return None, [Problem("invalid-yaml", Location(rel, 1, 1),
                          "front matter is not closed: add a line `---` after its last field")]


def parse_yaml(text: str, rel: str, kind: str, line_offset: int = 0) -> tuple[Document | None, list[Problem]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        explained = explain(error, text)
        line = explained.line + line_offset
        fix = replace(explained.fix, line=line) if explained.fix else None
        return None, [Problem("invalid-yaml", Location(rel, line, explained.column), explained.message, fix)]
    except yaml.reader.ReaderError as error:
        return None, [_unacceptable_character(error, text, rel, line_offset)]
    except yaml.YAMLError as error:
        return None, [Problem("invalid-yaml", Location(rel, 1, 1), f"not valid YAML: {error}")]
    finally:
        loader.dispose()
    document = Document(rel, kind, None, {(): (1 + line_offset, 1)})
    problems: list[Problem] = []
    if node is not None:
        builder = _Builder(document, problems, line_offset, budget=VALUES_PER_BYTE * len(text) + 10_000,
                           merge_budget=MERGED_PER_BYTE * len(text) + 10_000)
        try:
            document.data = builder.build(node, ())
        except _TooComplex as error:
            return None, [Problem("invalid-yaml", Location(rel, *builder.mark(error.node)), str(error))]
        document.positions[()] = builder.mark(node)
    return document, problems


def _unacceptable_character(error: yaml.reader.ReaderError, text: str, rel: str, line_offset: int) -> Problem:
    """A character YAML does not allow in a file (a control character, such as an escape): at its line, and
    named by its code, not written as itself (a terminal would act on it)."""
    before = text[:error.position]
    line, column = before.count("\n") + 1 + line_offset, error.position - (before.rfind("\n") + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return Problem("invalid-yaml", Location(rel, line, column),
                   f"not valid YAML: unacceptable character #x{code:04x}: {error.reason}: delete it; to mean it, "
                   "write it as an escape in double quotes, e.g. \"\\x1b\"")


class _TooComplex(Exception):
    """Nesting or alias expansion beyond any real map: the file is refused, not walked."""

    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


class _Builder:
    """Walks composed nodes into plain data, recording positions and duplicate keys."""

    def __init__(self, document: Document, problems: list[Problem], line_offset: int, budget: int,
                 merge_budget: int) -> None:
        self.budget = budget  # values left to build: aliases may not multiply a file without end
        self.merge_budget = merge_budget  # keys merge keys may still copy: nor may merges of merges
        self.merged: dict[int, list[tuple[Node, Node]]] = {}  # a mapping's pairs once its merges are done
        self.expanded: dict[int, int] = {}  # and how many pairs it has if every merge is copied out, as PyYAML did
        self.merging: set[int] = set()  # mappings whose merges are being done: merging one of them is a cycle
        self.document = document
        self.problems = problems
        self.line_offset = line_offset
        self.constructor = SafeConstructor()
        self.open_nodes: set[int] = set()  # nodes being built: an alias to one of them is a cycle
        self.reported_keys: set[int] = set()

    def mark(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def build(self, node: Node, path: Path_) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooComplex("aliases (`*name`) expand this file into more values than a map can hold: "
                              "write the values out instead of nesting aliases of aliases", node)
        if len(path) > MAX_DEPTH:
            raise _TooComplex(f"values are nested more than {MAX_DEPTH} levels deep: a journey map needs a few; "
                              "check for runaway brackets", node)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self.open_nodes:
            line, column = self.mark(node)
            self.problems.append(Problem("invalid-yaml", Location(self.document.file, line, column),
                                         "an alias refers to the collection that contains it: write the values out"))
            return None
        self.open_nodes.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            items = []
            for index, item in enumerate(node.value):
                self.document.positions[path + (index,)] = self.mark(item)
                items.append(self.build(item, path + (index,)))
            return items
        finally:
            self.open_nodes.discard(id(node))

    def _mapping(self, node: MappingNode, path: Path_) -> dict:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self._key(key_node)
            if key in seen:
                line, column = self.mark(key_node)
                first_line = self.mark(seen[key])[0]
                self.problems.append(Problem(
                    "duplicate-key", Location(self.document.file, line, column),
                    f"key `{key}` is written twice (first at line {first_line}); YAML keeps only "
                    "the last: merge the two into one `" + str(key) + ":`"))
            seen[key] = key_node
        result: dict = {}
        for key_node, value_node in self._pairs(node, 0):
            key = self._key(key_node)
            self.document.positions[path + (key,)] = self.mark(key_node)
            if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
                self.document.text_lines[path + (key,)] = self.mark(value_node)[0] + 1
            result[key] = self.build(value_node, path + (key,))
        return result

    def _pairs(self, node: MappingNode, depth: int) -> list[tuple[Node, Node]]:
        """The mapping's key/value nodes with what its merge keys bring in, each key once.

        Done here rather than by PyYAML's flatten_mapping, whose work on merges of merges grows without a
        bound in the releases `pyyaml>=6.0` allows. Every merge is counted as if copied out (as the alias
        budget counts aliases): a file past its budget is refused, however cheaply it could be built.
        As YAML's merge key says: the mapping's own keys win, then the earlier of the merged.
        """
        if id(node) in self.merged:
            return self.merged[id(node)]
        own = [(key_node, value) for key_node, value in node.value if key_node.tag != _MERGE]
        taken = {self._key(key_node) for key_node, _ in own}
        merged: list[tuple[Node, Node]] = []
        expanded = len(own)
        self.merging.add(id(node))
        try:
            for key_node, value in node.value:
                if key_node.tag == _MERGE:
                    for source in self._merge_sources(key_node, value, depth):
                        pairs = self._pairs(source, depth + 1)
                        expanded += self._charge(key_node, self.expanded[id(source)])
                        merged.extend(self._untaken(pairs, taken))
        finally:
            self.merging.discard(id(node))
        self.merged[id(node)], self.expanded[id(node)] = merged + own, expanded
        return self.merged[id(node)]

    def _merge_sources(self, key_node: Node, value: Node, depth: int) -> list[MappingNode]:
        """The mappings a `<<:` names (one, or a list of them); anything else is reported and skipped."""
        if depth >= MAX_DEPTH:
            raise _TooComplex(f"merge keys (`<<:`) merge mappings that merge others more than {MAX_DEPTH} levels "
                              "deep: write the values out", key_node)
        sources = value.value if isinstance(value, SequenceNode) else [value]
        usable = []
        for source in sources:
            if not isinstance(source, MappingNode):
                self._report(key_node, "`<<:` merges a mapping into this one: write `<<: *name` (or `<<: [*a, *b]`) "
                                     "with an anchor `&name` on a mapping, or write the values out")
            elif id(source) in self.merging:
                self._report(key_node, "`<<:` merges the mapping that contains it: write the values out")
            else:
                usable.append(source)
        return usable

    def _charge(self, key_node: Node, pairs: int) -> int:
        """`pairs` merged by the `<<:` at `key_node`, taken from the file's budget; refused past it."""
        self.merge_budget -= pairs
        if self.merge_budget < 0:
            raise _TooComplex("merge keys (`<<:`) expand this file into more keys than a map can hold: write the "
                              "values out instead of merging mappings that merge others", key_node)
        return pairs

    def _untaken(self, pairs: list[tuple[Node, Node]], taken: set[str]) -> list[tuple[Node, Node]]:
        """The pairs whose keys are not yet taken (and now are): the first mapping to bring a key wins."""
        fresh = []
        for pair in pairs:
            key = self._key(pair[0])
            if key not in taken:
                taken.add(key)
                fresh.append(pair)
        return fresh

    def _report(self, node: Node, message: str) -> None:
        line, column = self.mark(node)
        self.problems.append(Problem("invalid-yaml", Location(self.document.file, line, column), message))

    def _key(self, node: Node) -> str:
        """Keys are text: `2026-Q2`, `2026`, `yes` and `2026-10-01 09:00` all stay as written.

        A key with a tag YAML does not know is reported (once: a mapping asks for its keys twice)."""
        if not isinstance(node, ScalarNode):
            return f"<{type(node).__name__} at line {self.mark(node)[0]}>"
        if node.tag not in SafeConstructor.yaml_constructors and id(node) not in self.reported_keys:
            self.reported_keys.add(id(node))
            self._scalar(node)  # reports the tag
        return node.value

    def _scalar(self, node: Node) -> Any:
        if node.tag == _STR:  # most values: text as written, no constructor needed
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ConstructorError as error:
            line, column = self.mark(node)
            self.problems.append(Problem("invalid-yaml", Location(self.document.file, line, column),
                                         f"not valid YAML: {error.problem}"))
            return None
        except (ValueError, OverflowError):  # e.g. 2026-13-45 looks like a date but is none
            return node.value
        if isinstance(value, float) and not math.isfinite(value):  # `.inf`, `.nan`, `1.0e+999`: no figure
            return node.value  # stays text as written, so no inf or nan reaches a rule, a page or map.json
        if isinstance(value, dt.datetime):  # every date field is a day; a time of day adds nothing
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
