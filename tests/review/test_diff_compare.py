"""review/diff.compare() on two real checked maps: the example journey, and a copy of it a change was made to.

Each change is written into the copy's YAML by hand, so what compare() must report, and where, is read from
the files, not from the code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journeymap.core.check import check_map
from journeymap.review.diff import Change, MapDiff, compare

from ..conftest import EXAMPLE, line_of
from ..gitrepo import edit

EVALUATION = "stages/evaluation.yaml"
REFERENCE_CALL = """\
  - id: reference-call
    name: Talks to a reference customer
    owner: customer-success
    channel: phone
    initiator: third-party
    intent: medium
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return shutil.copytree(EXAMPLE, tmp_path / "base")


@pytest.fixture
def head(tmp_path: Path) -> Path:
    return shutil.copytree(EXAMPLE, tmp_path / "head")


def compared(base: Path, head: Path) -> MapDiff:
    return compare(check_map(base), check_map(head))


def reported(change: Change) -> tuple:
    return change.kind, change.subject, change.action, change.field, change.old, change.new


def test_the_same_map_on_both_sides_is_no_change(base: Path, head: Path) -> None:
    diff = compared(base, head)
    assert (diff.changes, diff.conversions, diff.introduced, diff.fixed) == ([], [], [], [])
    assert not diff.has_journey_changes
    assert not any(moved.moved for moved in (*diff.weakest_link.values(), *diff.slowest_stage.values()))


def test_a_stage_given_a_new_name_is_that_stage_renamed_where_its_name_is_written(base: Path, head: Path) -> None:
    edit(head / EVALUATION, "name: Evaluation\n", "name: Proof of value\n")
    diff = compared(base, head)
    assert [reported(change) for change in diff.changes] == [
        ("stage", "evaluation", "renamed", "name", "Evaluation", "Proof of value")]
    where = diff.changes[0].where
    assert where is not None and not diff.changes[0].at_base
    text = (head / EVALUATION).read_text(encoding="utf-8")
    assert (where.file, where.line) == (EVALUATION, line_of(text, "name: Proof of value"))
    # a renamed stage is the same stage: the numbers, and where the weakest link is, do not move
    assert diff.conversions == [] and not diff.weakest_link[""].moved


def test_a_touchpoint_handed_to_another_team_is_its_owner_changed(base: Path, head: Path) -> None:
    roi_calculator = "    name: Builds a payback case in the ROI calculator\n    owner: product-marketing\n"
    edit(head / EVALUATION, roi_calculator, roi_calculator.replace("product-marketing", "demand-gen"))
    diff = compared(base, head)
    assert [reported(change) for change in diff.changes] == [
        ("touchpoint", "roi-calculator", "changed", "owner", "product-marketing", "demand-gen")]
    text = (head / EVALUATION).read_text(encoding="utf-8")
    where = diff.changes[0].where
    assert where is not None and (where.file, where.line) == (EVALUATION, line_of(text, "owner: demand-gen"))


def test_a_touchpoint_taken_out_is_removed_from_its_stage_at_its_place_in_the_base(base: Path, head: Path) -> None:
    edit(head / EVALUATION, REFERENCE_CALL, "")
    diff = compared(base, head)
    assert [reported(change) for change in diff.changes] == [
        ("touchpoint", "reference-call", "removed", "stage", "evaluation", None)]
    removed = diff.changes[0]
    text = (base / EVALUATION).read_text(encoding="utf-8")
    assert removed.at_base and removed.where is not None
    assert (removed.where.file, removed.where.line) == (EVALUATION, line_of(text, "- id: reference-call"))


def test_three_changes_at_once_are_three_changes_and_nothing_else(base: Path, head: Path) -> None:
    edit(head / EVALUATION, "name: Evaluation\n", "name: Proof of value\n")
    edit(head / EVALUATION, "    owner: product-marketing\n", "    owner: demand-gen\n")
    edit(head / EVALUATION, REFERENCE_CALL, "")
    assert sorted(reported(change) for change in compared(base, head).changes) == [
        ("stage", "evaluation", "renamed", "name", "Evaluation", "Proof of value"),
        ("touchpoint", "reference-call", "removed", "stage", "evaluation", None),
        ("touchpoint", "roi-calculator", "changed", "owner", "product-marketing", "demand-gen")]
