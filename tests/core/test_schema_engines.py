"""The compiled validator is only a fast "valid": it must agree with jsonschema on every document."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from journeymap.core import rules
from journeymap.core.check import check_map
from journeymap.core.schema import _validators

from ..conftest import EXAMPLE, ROOT

MAPS = [EXAMPLE, ROOT / "tests/fixtures/seeded", ROOT / "tests/fixtures/portfolio"]
ODD_VALUES = [None, 0, -1, 2.5, True, "", "x", "2026-02-30", "2026-10-01", [], ["x"], [1], {}, {"x": 1}]


def _documents() -> Iterator[tuple[str, Any]]:
    for folder in MAPS:
        for journey in check_map(folder).journeys:
            yield from ((d.kind, d.data) for d in journey.documents())


def _mutations(data: Any) -> Iterator[Any]:
    """Every value replaced, one at a time, by each odd value; every key dropped; an unknown key in each mapping."""
    def walk(node: Any, path: tuple) -> Iterator[tuple]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield path + (key,)
                yield from walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield path + (index,)
                yield from walk(value, path + (index,))

    for path in [(), *walk(data, ())]:
        mutated = copy.deepcopy(data)
        node = mutated
        for part in path:
            node = node[part]
        if isinstance(node, dict):
            node["ownr"] = "sales"
            yield mutated
    for path in list(walk(data, ())):
        for value in [*ODD_VALUES, "drop"]:
            mutated = copy.deepcopy(data)
            parent = mutated
            for part in path[:-1]:
                parent = parent[part]
            if value == "drop":
                parent.pop(path[-1]) if isinstance(parent, dict) else parent.pop(path[-1])
            else:
                parent[path[-1]] = value
            yield mutated


def _agree(kind: str, data: Any) -> bool:
    fast, full = _validators(kind, tuple(rules.rule_ids()))
    try:
        fast(data)
        fast_valid = True
    except Exception:  # noqa: BLE001
        fast_valid = False
    return fast_valid == (next(full.iter_errors(data), None) is None)


@pytest.mark.parametrize("kind, data", list(_documents()))
def test_fast_and_full_validation_agree_on_every_document_and_its_mutations(kind: str, data: Any) -> None:
    assert _agree(kind, data), data
    disagreements = [mutated for mutated in _mutations(data) if not _agree(kind, mutated)]
    assert not disagreements, disagreements[:3]
