"""The schema and the item classes describe the same fields, kind by kind.

Each property the schema allows on an item is a field of its class, and each field of the class is a
property of the schema, but for the exceptions written here with their reason. The lists diff compares
and the CSV exports are read off those classes, so a field added to both is compared and exported only
when its class marks it.
"""

from __future__ import annotations

from dataclasses import fields

import pytest

from journeymap.core import schema
from journeymap.core.model import (
    ITEM_CLASSES,
    Touchpoint,
    compared_fields,
    exported_fields,
)
from journeymap.core.rules import rule_ids

_JOURNEY = schema.journey_schema(rule_ids())
#: the schema of each kind of item, as Journey.items names the kinds
SCHEMAS = {
    "stage": schema.STAGE, "touchpoint": schema.TOUCHPOINT, "metric": schema.METRIC,
    "owner": schema.OWNERS["properties"]["owners"]["items"], "brief": schema.BRIEF,
    "experiment": schema.EXPERIMENT, "evidence": schema.EVIDENCE,
    "persona": schema.PERSONAS["properties"]["personas"]["items"],
    "phase": _JOURNEY["properties"]["phases"]["items"], "journey": _JOURNEY,
}
#: every item: `meta` is free-form and never read; `origin` is where the item was written
EVERY_SCHEMA_ONLY = {"meta"}
EVERY_CLASS_ONLY = {"origin"}
#: kind → schema properties with no field of that name, and why
SCHEMA_ONLY = {
    "journey": {"templates",  # read by the site (site/templates.py), not part of the journey
                "review",  # its cadence_days and last_reviewed are fields of their own; its reviewers unread
                "stages"},  # the order, with each id's place: the field stage_order
}
#: kind → fields with no schema property of that name, and why
CLASS_ONLY = {
    "touchpoint": {"stage"},  # the stage whose file holds it
    "metric": {"kind"},  # its key under `metrics:`, volume or health
    "brief": {"id", "body"},  # its file's name, and the Markdown after the front matter
    "evidence": {"id", "body"},  # the same
    "journey": {"cadence_days", "last_reviewed",  # written under `review:`
                "stage_order", "stage_files", "owners", "personas", "experiments", "briefs", "evidence",  # files
                "problems", "unreadable", "prefix", "owners_used_elsewhere"},  # what loading and a portfolio found
}


def test_every_kind_of_item_has_a_schema() -> None:
    assert set(SCHEMAS) == set(ITEM_CLASSES)


@pytest.mark.parametrize("kind", list(ITEM_CLASSES))
def test_the_schema_and_the_class_agree(kind: str) -> None:
    properties = set(SCHEMAS[kind]["properties"]) - EVERY_SCHEMA_ONLY - SCHEMA_ONLY.get(kind, set())
    names = {f.name for f in fields(ITEM_CLASSES[kind])} - EVERY_CLASS_ONLY - CLASS_ONLY.get(kind, set())
    assert sorted(properties - names) == [], "schema properties without a field"
    assert sorted(names - properties) == [], "fields without a schema property"


@pytest.mark.parametrize("kind", list(ITEM_CLASSES))
def test_the_exceptions_are_still_true(kind: str) -> None:
    """An exception the code no longer needs is removed, not left to excuse a later mismatch."""
    properties = set(SCHEMAS[kind]["properties"])
    names = {f.name for f in fields(ITEM_CLASSES[kind])}
    assert SCHEMA_ONLY.get(kind, set()) <= properties - names
    assert CLASS_ONLY.get(kind, set()) <= names - properties


@pytest.mark.parametrize("kind", list(ITEM_CLASSES))
def test_diff_compares_fields_of_the_class_each_once(kind: str) -> None:
    compared = compared_fields(ITEM_CLASSES[kind])
    assert compared and len(set(compared)) == len(compared)
    assert set(compared) <= {f.name for f in fields(ITEM_CLASSES[kind])} - EVERY_CLASS_ONLY


def test_the_csv_columns_are_touchpoint_fields_in_their_order() -> None:
    from journeymap.data.exports import CSV_COLUMNS

    columns = exported_fields(Touchpoint)
    assert [header for header, _ in columns] == [c for c in CSV_COLUMNS if c not in ("journey", "owner")]
    assert CSV_COLUMNS[:2] == ["journey", "stage"] and CSV_COLUMNS.index("owner") == CSV_COLUMNS.index("owner_id") + 1
