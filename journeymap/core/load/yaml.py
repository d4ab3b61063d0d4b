"""YAML text → a document that remembers where every value came from.

PyYAML's composer gives nodes with marks; we turn them into plain Python data
ourselves so that every value keeps its line and column, and so that a key
written twice (the classic merge-conflict bug PyYAML silently hides) is found.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..findings import DUPLICATE_KEY, INVALID_YAML, Location
from .document import Document, Path_, Problem
from .yaml_errors import explain

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
#: nesting deeper than this is no journey map; refusing it keeps every later walk shallow
MAX_DEPTH = 64
#: values one file may expand to through aliases, per byte of the file ("billion laughs" stops here)
VALUES_PER_BYTE = 10
#: keys one file's merge keys (`<<: *name`) may copy, per byte of the file: merging a merge of merges multiplies
#: the work without a value more to show for it (PyYAML 6.0.3 and earlier take minutes and gigabytes on a few
#: hundred bytes, 6.0.4 still seconds per line), so the copying is counted here, whatever PyYAML does
MERGED_PER_BYTE = 1


def parse_yaml(text: str, rel: str, kind: str, line_offset: int = 0) -> tuple[Document | None, list[Problem]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        explained = explain(error, text)
        line = explained.line + line_offset
        fix = replace(explained.fix, line=line) if explained.fix else None
        return None, [Problem(INVALID_YAML, Location(rel, line, explained.column), explained.message, fix)]
    except yaml.reader.ReaderError as error:
        return None, [_unacceptable_character(error, text, rel, line_offset)]
    except yaml.YAMLError as error:
        return None, [Problem(INVALID_YAML, Location(rel, 1, 1), f"not valid YAML: {error}")]
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
            return None, [Problem(INVALID_YAML, Location(rel, *builder.mark(error.node)), str(error))]
        document.positions[()] = builder.mark(node)
    return document, problems


def _unacceptable_character(error: yaml.reader.ReaderError, text: str, rel: str, line_offset: int) -> Problem:
    """A character YAML does not allow in a file (a control character, such as an escape): at its line, and
    named by its code, not written as itself (a terminal would act on it)."""
    before = text[:error.position]
    line, column = before.count("\n") + 1 + line_offset, error.position - (before.rfind("\n") + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    return Problem(INVALID_YAML, Location(rel, line, column),
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
            self.problems.append(Problem(INVALID_YAML, Location(self.document.file, line, column),
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
                    DUPLICATE_KEY, Location(self.document.file, line, column),
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
        self.problems.append(Problem(INVALID_YAML, Location(self.document.file, line, column), message))

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
            self.problems.append(Problem(INVALID_YAML, Location(self.document.file, line, column),
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
