"""journeymap/core/rules/files.py, the files themselves:
invalid-yaml, duplicate-key, schema, outside-link, unknown-file.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from pathlib import Path

from journeymap.core.check import check_map

from ..conftest import CLEAN_MAP, write_map
from .cases import ADOPT, SPARK, Case, Link, findings_for

CASES = [
    Case("invalid-yaml", {ADOPT: ("name: Adopt\n", "name: Adopt\n  bad: [unclosed\n")}, ADOPT, "bad: [unclosed",
         passing={ADOPT: ("name: Adopt\n", "name: Adopt\ndescription: \"[closed]\"\n")}),
    Case("invalid-yaml", {"briefs/spark-brief.md": ("status: live\n---", "status: live\n")},
         "briefs/spark-brief.md", "---"),
    Case("duplicate-key", {SPARK: ("    owner: mkt\n", "    owner: mkt\n    channel: ad\n    owner: cs\n")},
         SPARK, "owner: cs", passing={SPARK: ("    owner: mkt\n", "    owner: mkt\n    channel: ad\n")}),
    Case("duplicate-key", {"evidence/talk.md": ("kind: interview\n", "kind: interview\nkind: crm\n")},
         "evidence/talk.md", "kind: crm"),
    Case("schema", {SPARK: ("    owner: mkt\n", "    ownr: mkt\n    owner: mkt\n")}, SPARK, "ownr: mkt",
         passing={SPARK: ("    owner: mkt\n", "    owner: mkt\n    meta: {ownr: anything}\n")}),
    Case("schema", {ADOPT: ("    intent: medium", "    intent: hi")}, ADOPT, "intent: hi",
         passing={ADOPT: ("    intent: medium", "    intent: low")}),
    Case("schema", {"journey.yaml": ("title: Tiny journey\n", "")}, "journey.yaml", "persona: pat"),
    Case("schema", {SPARK: ("    value: 1000", "    value: lots")}, SPARK, "value: lots"),
    Case("schema", {"journey.yaml": ("last_reviewed: 2026-11-01", "last_reviewed: Nov 1st")},
         "journey.yaml", "last_reviewed"),
    Case("outside-link", {"stages/outside.yaml": Link("elsewhere/secret.yaml")}, "stages/outside.yaml", None,
         passing={"stages/inside.yaml": Link("map/stages/adopt.yaml")}),
    Case("unknown-file", {"stages/notes.txt": "remember to add the renewal stage\n"}, "stages/notes.txt", None,
         passing={"stages/.notes.txt": "dot-files are nobody's business\n", "README.md": "about this map\n"}),
    Case("unknown-file", {"Briefs/launch.md": "---\ntitle: Launch\nstage: spark\n---\n"}, "Briefs/", None,
         passing={"templates/brief.html": "{% extends 'base.html' %}"}),
]


def test_unknown_key_message_suggests_the_closest_key(tmp_path: Path) -> None:
    findings, _ = findings_for(tmp_path, {SPARK: ("    owner: mkt\n", "    ownr: mkt\n")})
    schema = [f for f in findings if f.rule == "schema"]
    assert len(schema) == 1 and "did you mean `owner`?" in schema[0].message
    # one mistake, one finding: the misspelt key is not also an unowned touchpoint
    assert sorted(f.rule for f in findings if f.severity.value == "error") == ["schema"]
    assert schema[0].fix is not None and (schema[0].fix.old, schema[0].fix.new) == ("ownr:", "owner:")


def test_with_the_stages_folder_misnamed_no_listed_stage_is_called_missing(tmp_path: Path) -> None:
    files = {name.replace("stages/", "stage/"): text for name, text in CLEAN_MAP.items()}
    findings = check_map(write_map(tmp_path / "map", files)).findings
    # one mistake, one finding: the folder's name; journey.yaml and the briefs still name stages that are there
    assert [(f.rule, f.location.file) for f in findings] == [("unknown-file", "stage/")]
