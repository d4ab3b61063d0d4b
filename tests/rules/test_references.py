"""journeymap/core/rules/references.py, what the map names: unknown-stage, unknown-reference, orphan-stage.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from pathlib import Path

from .cases import ADOPT, SPARK, Case, findings_for

CASES = [
    Case("unknown-stage", {"briefs/adopt-brief.md": ("stage: adopt", "stage: adoptt")}, "briefs/adopt-brief.md",
         "stage: adoptt", passing={"briefs/adopt-brief.md": ("stage: adopt", "stage: spark")}),
    Case("unknown-stage", {"journey.yaml": ("stages: [spark, adopt]", "stages: [spark, adopt, renew]")},
         "journey.yaml", "stages: [spark"),
    Case("unknown-stage", {"experiments/faster-reply.yaml": ("stage: spark", "stage: sparks")},
         "experiments/faster-reply.yaml", "stage: sparks"),
    Case("unknown-reference", {SPARK: ("next: [welcome]", "next: [welcom]")}, SPARK, "next: [welcom]",
         passing={"briefs/spark-brief.md": ("touchpoints: [ad]", "touchpoints: [ad, welcome]")}),
    Case("unknown-reference", {"journey.yaml": ("persona: pat", "persona: patt")}, "journey.yaml", "persona: patt"),
    Case("unknown-reference", {SPARK: ("phase: early", "phase: late")}, SPARK, "phase: late"),
    Case("unknown-reference", {SPARK: ("evidence: [talk]", "evidence: [talks]")}, SPARK, "evidence: [talks]"),
    Case("unknown-reference", {"briefs/spark-brief.md": ("touchpoints: [ad]", "touchpoints: [add]")},
         "briefs/spark-brief.md", "touchpoints: [add]"),
    Case("orphan-stage", {"journey.yaml": ("stages: [spark, adopt]", "stages: [spark]")}, ADOPT, "id: adopt",
         passing={"journey.yaml": ("stages: [spark, adopt]", "stages: [adopt, spark]")}),
]


def test_unparseable_file_is_one_finding_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    findings, _ = findings_for(tmp_path, {ADOPT: "id: adopt\nname: [broken\n",
                                          SPARK: ("    owner: mkt\n", "")})
    assert {f.rule for f in findings if f.severity.value == "error"} == {"invalid-yaml", "unowned-touchpoint"}
    assert not [f for f in findings if f.rule == "unknown-stage"]


def test_a_stage_listed_by_its_file_name_is_not_an_orphan(tmp_path: Path) -> None:
    # journey.yaml lists `adopt`; stages/adopt.yaml calls itself `adoption`: listed by file name, so not orphaned
    findings, _ = findings_for(tmp_path, {ADOPT: ("id: adopt\n", "id: adoption\n")})
    assert not [f for f in findings if f.rule == "orphan-stage"]


def test_a_backup_of_a_stage_file_does_not_stand_in_for_it(tmp_path: Path) -> None:
    # stages/adopt.yaml is gone; stages/adopt.old.yaml cannot be read: adopt is still a missing stage
    findings, _ = findings_for(tmp_path, {ADOPT: None, "stages/adopt.old.yaml": "id: adopt\nname: [broken\n"})
    assert "journey.yaml lists stage `adopt` but there is no stages/adopt.yaml" in [
        f.message.split(":")[0] for f in findings if f.rule == "unknown-stage"]
