"""Merge keys (`<<: *name`) merge as YAML says, within a budget, and text YAML cannot hold is named by its code.

In-process (mutmut sees these): the loader is called on YAML text, and what it builds is compared with what
PyYAML's own loader builds from the same text; what it refuses, with the finding the user is shown.
"""

from __future__ import annotations

import pytest
import yaml
from yaml.reader import ReaderError

from journeymap.core.findings import INVALID_YAML, Location
from journeymap.core.load import parse_markdown, parse_yaml
from journeymap.core.load.document import Problem
from journeymap.core.load.yaml import MAX_DEPTH, MERGED_PER_BYTE, _unacceptable_character

NOT_A_MAPPING = ("`<<:` merges a mapping into this one: write `<<: *name` (or `<<: [*a, *b]`) with an anchor "
                 "`&name` on a mapping, or write the values out")
ITSELF = "`<<:` merges the mapping that contains it: write the values out"
TOO_MANY_KEYS = ("merge keys (`<<:`) expand this file into more keys than a map can hold: write the values out "
                 "instead of merging mappings that merge others")
TOO_DEEP = (f"merge keys (`<<:`) merge mappings that merge others more than {MAX_DEPTH} levels deep: "
            "write the values out")
ESCAPE_ADVICE = 'delete it; to mean it, write it as an escape in double quotes, e.g. "\\x1b"'


def _as_pyyaml(text: str) -> tuple[dict, list[Problem]]:
    """The loader's data, checked against PyYAML's (a mapping's keys have no order in YAML); and its problems."""
    document, problems = parse_yaml(text, "f.yaml", "stage")
    assert document is not None
    assert document.data == yaml.safe_load(text)
    return document.data, problems


def test_a_merged_mapping_brings_its_keys_and_its_positions() -> None:
    text = "base: &base\n  owner: mkt\n  intent: high\nitem:\n  <<: *base\n  id: a\n"
    data, problems = _as_pyyaml(text)
    assert problems == []
    assert data["item"] == {"owner": "mkt", "intent": "high", "id": "a"}
    document, _ = parse_yaml(text, "f.yaml", "stage")
    assert document.at("item", "owner") == Location("f.yaml", 2, 3)  # where the merged value is written
    assert document.at("item", "id") == Location("f.yaml", 6, 3)


def test_a_list_of_mappings_merges_the_first_to_bring_a_key_and_own_keys_win() -> None:
    text = ("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\n"
            "c:\n  <<: [*a, *b]\n  w: 5\n"
            "d:\n  <<: [*b, *a]\n"
            "e:\n  w: 5\n  <<: *b\n  y: 9\n")
    data, problems = _as_pyyaml(text)
    assert problems == []
    assert data["c"] == {"x": 1, "y": 2, "z": 4, "w": 5}  # a's y: the earlier merged mapping wins
    assert data["d"] == {"y": 3, "z": 4, "x": 1}  # b's y this time
    assert data["e"] == {"z": 4, "w": 5, "y": 9}  # the explicit y, wherever `<<:` stands


def test_a_key_merged_twice_is_taken_once_from_the_first() -> None:
    data, problems = _as_pyyaml("a: &a {k: 1}\nb: &b {k: 2}\nc: {<<: [*a, *b, *a, *b]}\nd: {<<: [*b, *a]}\n")
    assert problems == [] and data["c"] == {"k": 1} and data["d"] == {"k": 2}


def test_nested_merges_merge_what_the_merged_mapping_merged() -> None:
    text = ("a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: &c {<<: *b, z: 3}\nd: {<<: *c, x: 0}\n"
            "e: {<<: {<<: {q: 1}, r: 2}, s: 3}\n")
    data, problems = _as_pyyaml(text)
    assert problems == []
    assert data["c"] == {"x": 1, "y": 2, "z": 3} and data["d"] == {"y": 2, "z": 3, "x": 0}
    assert data["e"] == {"q": 1, "r": 2, "s": 3}


def test_a_merged_mapping_is_the_same_when_written_out_and_when_merged_again() -> None:
    # YAML's merge key: b's own x overrides a's, so b is {x: 3, y: 2}, and what merges b gets b's pairs.
    # (PyYAML's own loader gives c and d a's x: 1 here, the explicit key lost once b is merged in turn.)
    document, problems = parse_yaml("a: &a {x: 1, y: 2}\nb: &b {<<: *a, x: 3}\nc: {<<: *b}\nd: {<<: *b}\n",
                                    "f.yaml", "stage")
    assert problems == [] and document.data["b"] == document.data["c"] == document.data["d"] == {"y": 2, "x": 3}


def _nested_merges(levels: int) -> str:
    """`levels` merge keys, each merging a mapping written under the one before."""
    lines = ["top:"] + ["  " * level + "<<:" for level in range(1, levels + 1)] + ["  " * (levels + 1) + "q: 1"]
    return "\n".join(lines) + "\n"


def test_merges_nested_as_deep_as_a_map_may_go_merge() -> None:
    data, problems = _as_pyyaml(_nested_merges(MAX_DEPTH))
    assert problems == [] and data == {"top": {"q": 1}}


def test_merges_nested_deeper_are_refused_at_the_merge_key_too_deep() -> None:
    document, problems = parse_yaml(_nested_merges(MAX_DEPTH + 1), "f.yaml", "stage")
    # the merge key on line MAX_DEPTH + 2, indented by two spaces per level
    assert document is None
    assert problems == [Problem(INVALID_YAML, Location("f.yaml", MAX_DEPTH + 2, 2 * (MAX_DEPTH + 1) + 1), TOO_DEEP)]


def _merging(keys: int, merges: int, length: int) -> str:
    """A mapping of `keys` keys merged `merges` times on line 3, padded by a comment to `length` characters."""
    text = ("wide: &wide {" + ", ".join(f"k{i}: 1" for i in range(keys)) + "}\n"
            "#\n"
            "copy: {x: 1,  <<: [" + ", ".join(["*wide"] * merges) + "]}\n")
    padding = length - len(text)
    assert padding >= 0
    return text.replace("#\n", "#" + "p" * padding + "\n")


def _budget(length: int) -> int:
    """The keys a file of `length` characters may merge (what parse_yaml gives its builder)."""
    return MERGED_PER_BYTE * length + 10_000


def test_merging_exactly_the_budget_is_accepted() -> None:
    keys, merges = 100, 120  # 12,000 keys copied: the budget of a file of 2,000 characters
    length = keys * merges - _budget(0)
    assert _budget(length) == keys * merges
    data, problems = _as_pyyaml(_merging(keys, merges, length))
    assert problems == [] and list(data["copy"]) == [f"k{i}" for i in range(keys)] + ["x"]


def test_merging_one_key_past_the_budget_is_refused_at_the_merge_key() -> None:
    keys, merges = 100, 120
    length = keys * merges - _budget(0) - 1  # a character shorter: one key over
    document, problems = parse_yaml(_merging(keys, merges, length), "f.yaml", "stage")
    assert document is None
    assert problems == [Problem(INVALID_YAML, Location("f.yaml", 3, 15), TOO_MANY_KEYS)]


def test_merges_of_merges_are_counted_as_if_copied_out() -> None:
    # each level merges the one before 9 times: 3 keys become 3 × 9⁸ (about 130 million) if copied out
    lines = ["a: &a {x0: 1, x1: 2, x2: 3}"]
    for level, (name, previous) in enumerate(zip("bcdefghi", "abcdefgh", strict=True)):
        lines.append(f"{name}: &{name} {{<<: [{', '.join(['*' + previous] * 9)}], k{level}: 1}}")
    document, problems = parse_yaml("\n".join(lines) + "\n", "f.yaml", "stage")
    # copied out, a has 3 keys, b 28, c 253, d 2,278: the budget (10,000 and a key a byte) runs out in e's merge
    assert document is None and problems == [Problem(INVALID_YAML, Location("f.yaml", 5, 8), TOO_MANY_KEYS)]


def test_a_merge_of_what_is_no_mapping_is_a_finding_at_the_merge_key_and_merges_nothing() -> None:
    text = "list: &list [1, 2]\nm: {<<: *list, a: 1}\nn:\n  <<: 5\no: {<<: [{b: 2}, [3]], c: 3}\n"
    document, problems = parse_yaml(text, "f.yaml", "stage")
    assert document is not None
    assert document.data == {"list": [1, 2], "m": {"a": 1}, "n": {}, "o": {"b": 2, "c": 3}}
    assert set(problems) == {Problem(INVALID_YAML, Location("f.yaml", 2, 5), NOT_A_MAPPING),
                             Problem(INVALID_YAML, Location("f.yaml", 4, 3), NOT_A_MAPPING),
                             Problem(INVALID_YAML, Location("f.yaml", 5, 5), NOT_A_MAPPING)}


def test_a_mapping_that_merges_itself_is_a_finding_and_keeps_its_own_keys() -> None:
    text = "a: 0\nitself: &itself\n  k: 1\n  <<: *itself\n"
    document, problems = parse_yaml(text, "f.yaml", "stage")
    assert document is not None and document.data == {"a": 0, "itself": {"k": 1}}
    assert problems == [Problem(INVALID_YAML, Location("f.yaml", 4, 3), ITSELF)]


def test_findings_in_front_matter_are_at_the_markdown_file_s_lines() -> None:
    text = "---\ntitle: T\nm: {<<: 5}\n---\nBody\n"
    _, problems = parse_markdown(text, "e.md", "evidence")
    assert problems == [Problem(INVALID_YAML, Location("e.md", 3, 5), NOT_A_MAPPING)]


def _refused(text: str, line_offset: int = 0) -> Problem:
    document, problems = parse_yaml(text, "f.yaml", "stage", line_offset)
    assert document is None and len(problems) == 1
    return problems[0]


def test_a_character_yaml_cannot_hold_is_named_by_its_code_at_its_line_and_column() -> None:
    assert _refused("a: 1\nb: c\n  d: \x7f\n") == Problem(INVALID_YAML, Location("f.yaml", 3, 6), (
        f"not valid YAML: unacceptable character #x007f: control characters are not allowed: {ESCAPE_ADVICE}"))
    assert _refused("\x1bx: 1\n") == Problem(INVALID_YAML, Location("f.yaml", 1, 1), (
        f"not valid YAML: unacceptable character #x001b: control characters are not allowed: {ESCAPE_ADVICE}"))
    assert _refused("a: \ufffe\n").message.startswith("not valid YAML: unacceptable character #xfffe: ")


def test_a_character_yaml_cannot_hold_in_front_matter_is_at_the_markdown_file_s_line() -> None:
    assert _refused("a: 1\nb: \x07\n", line_offset=3).location == Location("f.yaml", 5, 4)
    _, problems = parse_markdown("---\ntitle: T\nb: x\x08\n---\nBody\n", "e.md", "evidence")
    assert [p.location for p in problems] == [Location("e.md", 3, 5)]


def test_a_character_given_as_text_is_named_by_its_code_too() -> None:
    # PyYAML's readers give the character's code; one that gives the character itself is named the same way
    error = ReaderError("f.yaml", 7, "\x1b", "unicode", "special characters are not allowed")
    assert _unacceptable_character(error, "a: 1\nb: \x1b\n", "f.yaml", 2) == Problem(
        INVALID_YAML, Location("f.yaml", 4, 3),
        f"not valid YAML: unacceptable character #x001b: special characters are not allowed: {ESCAPE_ADVICE}")


def test_an_error_without_a_position_is_one_finding_at_the_file_s_start(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML's parsers mark their errors; an unmarked one (none known today) still names the file, not a traceback
    class Unmarked:
        def __init__(self, text: str) -> None:
            self.text = text

        def get_single_node(self) -> None:
            raise yaml.YAMLError("something PyYAML could not say where")

        def dispose(self) -> None:
            pass

    monkeypatch.setattr("journeymap.core.load.yaml._Loader", Unmarked)
    assert parse_yaml("a: 1\n", "f.yaml", "stage", 3) == (None, [Problem(
        INVALID_YAML, Location("f.yaml", 1, 1), "not valid YAML: something PyYAML could not say where")])
