"""journeymap/core/rules/ids.py, ids: invalid-id, duplicate-id.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.check import check_map

from ..conftest import CLEAN_MAP, edited, line_of, write_map
from .cases import ADOPT, SPARK, Case, findings_for

CASES = [
    Case("invalid-id", {ADOPT: ("id: adopt", "id: Adopt_Stage")}, ADOPT, "id: Adopt_Stage"),
    Case("invalid-id", {SPARK: ("  - id: ad\n", "  - id: Big Ad\n"), "briefs/spark-brief.md":
                        ("touchpoints: [ad]", "touchpoints: [Big Ad]"),
                        "experiments/faster-reply.yaml": ("touchpoints: [ad]", "touchpoints: [Big Ad]")},
         SPARK, "id: Big Ad", passing={SPARK: ("  - id: ad\n", "  - id: ad-2\n"), "briefs/spark-brief.md":
                                       ("touchpoints: [ad]", "touchpoints: [ad-2]"),
                                       "experiments/faster-reply.yaml": ("touchpoints: [ad]", "touchpoints: [ad-2]")}),
    Case("invalid-id", {"briefs/Spark Brief.md": CLEAN_MAP["briefs/spark-brief.md"], "briefs/spark-brief.md": None},
         "briefs/Spark Brief.md", "---"),
    Case("invalid-id", {"stages/spark-stage.yaml": CLEAN_MAP[SPARK], SPARK: None}, "stages/spark-stage.yaml",
         "id: spark"),
    # the repeat is the one later in the journey's order: adopt comes after spark
    Case("duplicate-id", {ADOPT: ("  - id: welcome", "  - id: ad")}, ADOPT, "- id: ad",
         passing={ADOPT: ("  - id: welcome", "  - id: welcome-2")}),
    Case("duplicate-id", {"owners.yaml": ("  - id: cs", "  - id: mkt  # again")}, "owners.yaml", "# again"),
]


@pytest.mark.parametrize(("written", "suggested"), [("Big Ad", "big-ad"), ("--Ad  Nº 2!--", "ad-n-2"),
                                                    ("x" * 70, "x" * 64), ("¿¡!", "my-id")])
def test_an_id_that_is_not_a_slug_is_told_its_slug(tmp_path: Path, written: str, suggested: str) -> None:
    # lower case, every run of other characters one hyphen, none at the ends, at most 64 characters
    findings, _ = findings_for(tmp_path, {SPARK: ("  - id: ad\n", f"  - id: '{written}'\n"),
                                          "briefs/spark-brief.md": ("touchpoints: [ad]\n", ""),
                                          "experiments/faster-reply.yaml": ("touchpoints: [ad]\n", "")})
    messages = [f.message for f in findings if f.rule == "invalid-id"]
    assert len(messages) == 1 and messages[0].endswith(f"e.g. `{suggested}`"), messages


def test_every_kind_of_id_is_checked_and_named_in_the_message(tmp_path: Path) -> None:
    renamed = {"journey.yaml": ("  - id: early", "  - id: Early Phase"),
               "owners.yaml": ("  - id: cs", "  - id: CS Team"),
               "personas.yaml": ("  - id: pat", "  - id: Pat D"),
               # the id is not the first line of its file, nor the first key of its touchpoint: the finding
               # must point at the id itself
               ADOPT: ("id: adopt", "# stage file\nid: Adopt_Stage"),
               SPARK: ("  - id: ad\n    name: Sees an ad\n", "  - name: Sees an ad\n    id: Big Ad\n"),
               "experiments/faster-reply.yaml": ("id: faster-reply", "id: Faster Reply")}
    files = edited(renamed)
    files["briefs/Spark Brief.md"], files["evidence/Talk Notes.md"] = files["briefs/spark-brief.md"], files[
        "evidence/talk.md"]
    del files["briefs/spark-brief.md"], files["evidence/talk.md"]
    findings = check_map(write_map(tmp_path / "map", files)).findings
    reported = {(f.location.file, f.location.line, f.message.split(" is not a slug")[0])
                for f in findings if f.rule == "invalid-id" and "is not a slug" in f.message}
    kinds = {"journey.yaml": "phase", "owners.yaml": "owner", "personas.yaml": "persona", ADOPT: "stage",
             SPARK: "touchpoint", "experiments/faster-reply.yaml": "experiment"}
    expected = {(name, line_of(files[name], new.split("\n")[-2 if new.endswith("\n") else -1]),
                 f"{kinds[name]} id `{new.split('id: ')[1].strip()}`") for name, (_, new) in renamed.items()}
    expected |= {("briefs/Spark Brief.md", 1, "brief file name `Spark Brief`"),
                 ("evidence/Talk Notes.md", 1, "evidence file name `Talk Notes`")}
    assert reported == expected


def test_a_repeated_id_after_an_item_without_one_is_still_found(tmp_path: Path) -> None:
    stage = CLEAN_MAP[ADOPT] + "  - {name: No id yet, owner: cs}\n  - {id: welcome, name: Again, owner: cs}\n"
    findings, files = findings_for(tmp_path, {ADOPT: stage})
    assert [(f.location.file, f.location.line) for f in findings if f.rule == "duplicate-id"] == [
        (ADOPT, line_of(files[ADOPT], "{id: welcome, name: Again"))]


def test_an_id_is_fixed_automatically_only_where_nothing_else_names_it(tmp_path: Path) -> None:
    from journeymap.core.findings import Fix

    alone = {ADOPT: ("  - id: welcome", "  - id: Welcome Call")}
    findings, files = findings_for(tmp_path / "alone", alone)
    assert [f.fix for f in findings if f.rule == "invalid-id"] == [
        Fix(line_of(files[ADOPT], "id: Welcome Call"), "Welcome Call", "welcome-call")]
    # spark's `next` names it too: renaming the id alone would break that reference, so no fix is offered
    named = {**alone, SPARK: ("next: [welcome]", "next: [Welcome Call]")}
    findings, _ = findings_for(tmp_path / "named", named)
    assert [(f.location.file, f.fix) for f in findings if f.rule == "invalid-id"] == [(ADOPT, None)]
