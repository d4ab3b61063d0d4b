"""data/exports.py called directly on the checked example map (journey/): what each export holds.

Every expected name and count is read from the map's YAML and the columns from docs/data.md, never from the
export code, so an export that drops, repeats or reorders a touchpoint fails here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
import yaml

from journeymap.core.check import Checked, check_map
from journeymap.data.exports import as_csv, as_html, as_markdown, as_mermaid

from ..conftest import EXAMPLE, ROOT


def _yaml(name: str) -> dict:
    return yaml.safe_load((EXAMPLE / name).read_text(encoding="utf-8"))


JOURNEY = _yaml("journey.yaml")
STAGES = [_yaml(f"stages/{stage_id}.yaml") for stage_id in JOURNEY["stages"]]
TOUCHPOINTS = [(stage, touchpoint) for stage in STAGES for touchpoint in stage["touchpoints"]]
TEAMS = {owner["id"]: owner["name"] for owner in _yaml("owners.yaml")["owners"]}


@pytest.fixture(scope="module")
def checked() -> Checked:
    return check_map(EXAMPLE)


def documented_columns() -> list[str]:
    """The CSV columns as docs/data.md lists them: "one row per touchpoint: `journey, stage, ...`"."""
    docs = (ROOT / "docs/data.md").read_text(encoding="utf-8")
    listed = re.search(r"one row per touchpoint: `([^`]+)`", docs)
    assert listed, "docs/data.md no longer lists the CSV columns"
    return [column.strip() for column in listed[1].split(",")]


def csv_rows(checked: Checked) -> list[dict[str, str]]:
    text = as_csv(checked)
    assert text.startswith("\ufeff") and text.endswith("\r\n")  # the byte-order mark and CRLF spreadsheets want
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_the_csv_header_is_the_documented_columns(checked: Checked) -> None:
    header = next(csv.reader(io.StringIO(as_csv(checked).removeprefix("\ufeff"))))
    assert header == documented_columns()


def test_the_csv_has_one_row_per_touchpoint_in_the_order_of_the_journey(checked: Checked) -> None:
    rows = csv_rows(checked)
    assert len(rows) == len(TOUCHPOINTS) == 37  # 5 + 5 + 5 + 6 + 5 + 5 + 6 touchpoints in the seven stage files
    assert [(row["stage"], row["touchpoint_id"]) for row in rows] == [
        (stage["id"], touchpoint["id"]) for stage, touchpoint in TOUCHPOINTS]


def test_each_csv_row_holds_its_touchpoint_as_written(checked: Checked) -> None:
    for row, (_, touchpoint) in zip(csv_rows(checked), TOUCHPOINTS, strict=True):
        sla = touchpoint.get("response_sla_hours")
        assert row == {
            "journey": JOURNEY["title"], "stage": row["stage"], "touchpoint_id": touchpoint["id"],
            "touchpoint": touchpoint["name"], "owner_id": touchpoint["owner"], "owner": TEAMS[touchpoint["owner"]],
            "channel": touchpoint.get("channel", ""), "initiator": touchpoint.get("initiator", ""),
            "intent": touchpoint.get("intent", ""), "response_sla_hours": "" if sla is None else str(sla),
            "next": "; ".join(touchpoint.get("next", [])), "handoff": touchpoint.get("handoff", ""),
            "source_system": touchpoint.get("source_system", "")}, touchpoint["id"]


def test_the_mermaid_diagram_has_every_stage_as_a_section_with_its_touchpoints(checked: Checked) -> None:
    lines = as_mermaid(checked).splitlines()
    assert lines[:2] == ["journey", f"  title {JOURNEY['title']}"]
    sections = [line.removeprefix("  section ") for line in lines if line.startswith("  section ")]
    assert sections == [stage["name"] for stage in STAGES]
    # a task per touchpoint: its name, its stage's emotion as Mermaid's score (-2..2 as 1..5), its team
    tasks = [line for line in lines if line.startswith("    ")]
    assert tasks == [f"    {touchpoint['name']}: {stage.get('emotion', 0) + 3}: {TEAMS[touchpoint['owner']]}"
                     for stage, touchpoint in TOUCHPOINTS]


@pytest.mark.parametrize(("export", "opening", "closing", "item"), [
    (as_markdown, "#### ", "", "- "), (as_html, "<h4>", "</h4>", "<li>")])
def test_the_cms_exports_have_a_heading_per_stage_and_an_item_per_touchpoint_and_metric(
        checked: Checked, export: Callable[[Checked], str], opening: str, closing: str, item: str) -> None:
    lines = export(checked).splitlines()
    # the example's stage names hold nothing Markdown or HTML would escape
    assert [line for line in lines if line.startswith(opening)] == [
        f"{opening}{stage['name']}{closing}" for stage in STAGES]
    items = [line for line in lines if line.startswith(item)]
    assert len(items) == sum(len(stage["touchpoints"]) + len(stage["metrics"]) for stage in STAGES)
