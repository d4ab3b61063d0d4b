"""authoring/yamledit.py: one value changed or one entry added, as a person would, every other byte kept.

The files edited are real: the example's stage file, and one written as people write them, with comments,
quotes, a block of text and flow mappings. Each edit is checked against the text a person would have typed,
and read back by the loader.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from journeymap.authoring.yamledit import EditProblem, add_entry, set_value
from journeymap.core.load import Document, parse_yaml
from journeymap.util.errors import JourneymapError

from ..conftest import EXAMPLE

EVALUATION = (EXAMPLE / "stages/evaluation.yaml").read_text(encoding="utf-8")
COMMENTED = """\
# Owned by the onboarding team; figures from the product, refreshed monthly.
id: onboarding
name: "Onboarding"   # as the board deck calls it
description: |
  First weeks in the product.
  value: this line is text, not a key
metrics:
  volume:
    name: Accounts live   # counted at day 30
    value: 80  # last month
    # the target is the plan's
    target: 90
    history: {2026-Q2: 70,   2026-Q3: 80}  # spaced as typed
  health:
    name: 'Weekly active share'
    unit: ratio
"""


def document(text: str) -> Document:
    parsed, problems = parse_yaml(text, "stages/onboarding.yaml", "stage")
    assert parsed is not None and problems == []
    return parsed


def edited(text: str, edit: Callable[..., None], *args: object) -> str:
    """`text` after `edit` (set_value or add_entry) made on its lines, as metrics import makes it."""
    lines = text.splitlines(keepends=True)
    edit(lines, document(text), *args)
    return "".join(lines)


def replaced_once(text: str, old: str, new: str) -> str:
    """The text a person gets by changing `old` to `new`: it must be there once."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_value_is_changed_on_its_own_line_and_nowhere_else() -> None:
    result = edited(EVALUATION, set_value, ("metrics", "volume", "value"), "120")
    assert result == replaced_once(EVALUATION, "    value: 100\n    target: 140\n", "    value: 120\n    target: 140\n")
    assert document(result).data["metrics"]["volume"]["value"] == 120


def test_a_value_keeps_its_comment_and_the_spaces_before_it() -> None:
    result = edited(COMMENTED, set_value, ("metrics", "volume", "value"), "85")
    assert result == replaced_once(COMMENTED, "    value: 80  # last month\n", "    value: 85  # last month\n")


def test_a_quoted_value_is_replaced_whole_and_the_comment_after_it_kept() -> None:
    result = edited(COMMENTED, set_value, ("name",), "Getting started")
    assert result == replaced_once(COMMENTED, 'name: "Onboarding"   #', "name: Getting started   #")


def test_a_value_inside_a_flow_mapping_is_changed_in_place_with_its_spacing() -> None:
    result = edited(COMMENTED, set_value, ("metrics", "volume", "history", "2026-Q3"), "82")
    assert result == replaced_once(COMMENTED, "{2026-Q2: 70,   2026-Q3: 80}", "{2026-Q2: 70,   2026-Q3: 82}")
    example = edited(EVALUATION, set_value, ("metrics", "health", "history", "2026-Q1"), "0.4")
    assert example == replaced_once(EVALUATION, "{2026-Q1: 0.41,", "{2026-Q1: 0.4,")


def test_an_entry_added_to_a_flow_mapping_goes_last_inside_its_braces() -> None:
    result = edited(COMMENTED, add_entry, ("metrics", "volume", "history"), "2026-Q4", "85")
    assert result == replaced_once(COMMENTED, "2026-Q3: 80}  # spaced", "2026-Q3: 80, 2026-Q4: 85}  # spaced")
    assert document(result).data["metrics"]["volume"]["history"] == {"2026-Q2": 70, "2026-Q3": 80, "2026-Q4": 85}


def test_an_entry_added_to_an_empty_flow_mapping_is_its_only_one() -> None:
    text = replaced_once(COMMENTED, "{2026-Q2: 70,   2026-Q3: 80}", "{}")
    assert edited(text, add_entry, ("metrics", "volume", "history"), "2026-Q4", "85") == replaced_once(
        text, "history: {}", "history: {2026-Q4: 85}")


def test_an_entry_added_after_a_key_goes_right_below_it_lined_up_with_it() -> None:
    result = edited(COMMENTED, add_entry, ("metrics", "health"), "value", "0.5", "name")
    assert result == replaced_once(COMMENTED, "    name: 'Weekly active share'\n",
                                   "    name: 'Weekly active share'\n    value: 0.5\n")
    assert document(result).data["metrics"]["health"] == {"name": "Weekly active share", "value": 0.5,
                                                          "unit": "ratio"}


def test_an_entry_with_no_key_to_follow_goes_after_the_last_line_of_the_mapping() -> None:
    # the last entry of the top mapping is `metrics:`, whose values run to the end of the file
    result = edited(COMMENTED, add_entry, (), "cycle_time_days", "14")
    assert result == COMMENTED + "cycle_time_days: 14\n"
    # a block of text is one value: a new entry after `description` goes below all of its lines
    after_text = edited(COMMENTED, add_entry, (), "job", "Get value in the first week", "description")
    assert after_text == replaced_once(COMMENTED, "  value: this line is text, not a key\nmetrics:\n",
                                       "  value: this line is text, not a key\njob: Get value in the first week\n"
                                       "metrics:\n")


@pytest.mark.parametrize(("text", "edit", "args", "said"), [
    (COMMENTED, set_value, (("metrics", "volume", "source"), "CRM"), "`metrics.volume.source` is not in"),
    (COMMENTED, set_value, (("metrics", "health"), "0.5"), "has no value after `health:` to change"),
    (COMMENTED + "  lift:\n", add_entry, (("metrics", "lift"), "value", "1"),
     "has no entries to line a new one up with"),
    (COMMENTED.replace("{2026-Q2: 70,   2026-Q3: 80}", "{2026-Q2: 70,\n      2026-Q3: 80}"), add_entry,
     (("metrics", "volume", "history"), "2026-Q4", "85"), "a `{` that does not close on its own line"),
], ids=["no such key", "no value to change", "no entry to line up with", "braces over two lines"])
def test_a_layout_a_one_line_edit_cannot_change_safely_is_an_edit_problem(
        text: str, edit: Callable[..., None], args: tuple, said: str) -> None:
    lines = text.splitlines(keepends=True)
    with pytest.raises(EditProblem, match=re.escape(said)):
        edit(lines, document(text), *args)
    assert lines == text.splitlines(keepends=True)  # refused before any line changed


def test_an_edit_problem_is_a_problem_the_user_fixes() -> None:
    problem = EditProblem("line 3 has no value after `health:` to change")
    assert isinstance(problem, JourneymapError) and problem.exit_code == 2
    assert problem.lines() == ["line 3 has no value after `health:` to change"]
