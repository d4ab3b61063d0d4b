"""docs/format.md is generated from the schema and the rules; it must never drift from them."""

from __future__ import annotations

import re

from journeymap.core import rules
from journeymap.core.load import KINDS
from journeymap.core.schema import schema_for
from journeymap.reference import _fields, render

from ..conftest import ROOT


def test_the_committed_format_reference_is_current() -> None:
    committed = (ROOT / "docs/format.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/format.md is stale: run `python -m journeymap.reference docs/format.md`"


def test_every_field_has_a_meaning_and_every_rule_a_row() -> None:
    text = render()
    for kind in KINDS:
        for path, field, _ in _fields(schema_for(kind, rules.rule_ids())):
            assert field.get("description"), (kind, path)
    for rule_id in rules.RULES:
        assert f"| `{rule_id}` |" in text and f"### `{rule_id}`" in text


def test_the_readme_and_docs_link_only_inside_the_repository() -> None:
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        prose = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)  # not code examples
        for target in re.findall(r"\]\(([^)#\s]+)", prose):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (page.parent / target).resolve().is_relative_to(ROOT), (page.name, target)
            assert (page.parent / target).exists(), (page.name, target)
