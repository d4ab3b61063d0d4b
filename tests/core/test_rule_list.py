"""The one list of rules: every function marked `@rule` is listed in CHECKS, once, so it runs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from journeymap.core import rules
from journeymap.core.rules import CHECKS, RULES
from journeymap.core.rules.registry import rule_of


def test_every_marked_rule_is_listed_once() -> None:
    marked = []
    for module_info in pkgutil.iter_modules(rules.__path__):
        module = importlib.import_module(f"{rules.__name__}.{module_info.name}")
        marked += [function for _, function in inspect.getmembers(module, inspect.isfunction)
                   if rule_of(function) is not None and function.__module__ == module.__name__]
    assert sorted(f.__qualname__ for f in marked) == sorted(f.__qualname__ for f in CHECKS)
    assert len(set(CHECKS)) == len(CHECKS)


def test_the_rules_are_in_the_order_listed() -> None:
    assert [rule.check for rule in RULES.values()] == list(CHECKS)
    assert list(RULES)[:3] == ["invalid-yaml", "duplicate-key", "schema"]
