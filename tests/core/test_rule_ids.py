"""Every rule id the code names is a rule, and every rule is in the format's table.

The loader and the schema make findings before any rule runs, and the model asks whether a rule is
off: a misspelt id there would be a finding no `checks:` can turn off, or a rule never off. So the
core names such ids only through the constants in core/findings.py, and each is a registered rule.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from journeymap.core import findings
from journeymap.core.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "journeymap" / "core"
#: calls whose argument at this position is a rule id
RULE_ID_ARGUMENT = {"Problem": 0, "Finding": 0, "rule_off": 0, "_problems": 1, "rule": 0}


def rule_id_arguments() -> list[tuple[str, ast.expr]]:
    """(file:line, the expression) for every rule id passed to those calls in the core."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            position = RULE_ID_ARGUMENT.get(name)
            if position is not None and len(node.args) > position:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[position]))
    return found


def test_the_scan_sees_the_loader_and_the_schema() -> None:
    places = {where.split(":")[0] for where, _ in rule_id_arguments()}
    assert {"journeymap/core/load/yaml.py", "journeymap/core/load/folder.py",
            "journeymap/core/schema/explain.py", "journeymap/core/model/journey.py"} <= places


def test_the_core_names_the_ids_it_emits_by_their_constants() -> None:
    literal = [(where, argument.value) for where, argument in rule_id_arguments()
               if isinstance(argument, ast.Constant) and not where.startswith("journeymap/core/rules/")]
    assert literal == [], "name these rule ids by a constant in journeymap/core/findings.py"


def test_every_id_the_core_names_is_a_registered_rule() -> None:
    named = {}
    for where, argument in rule_id_arguments():
        if isinstance(argument, ast.Constant):
            named[where] = argument.value
        elif isinstance(argument, ast.Name) and argument.id.isupper():
            named[where] = getattr(findings, argument.id)
    assert len(named) >= 20
    assert {where: rule_id for where, rule_id in named.items() if rule_id not in RULES} == {}


@pytest.mark.parametrize("constant", [name for name in vars(findings) if name.isupper()])
def test_each_constant_is_a_registered_rule(constant: str) -> None:
    assert getattr(findings, constant) in RULES


def test_every_rule_is_in_the_format_table() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", text, re.M))
    assert {rule_id: rule.severity.value for rule_id, rule in RULES.items()} == table
