"""Each rule: one map that triggers it at a known file and line, one near-miss that does not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from journeymap.core.check import check_map
from journeymap.core.findings import Severity
from journeymap.core.rules import CHECKS, RULES

from .conftest import CLEAN_MAP, edited, line_of, write_map


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` (relative to the map folder's parent), written in place of a file."""

    target: str


@dataclass
class Case:
    rule: str
    edits: dict[str, tuple[str, str] | str | Link | None]  # file -> (old, new) | new text | link | None (delete)
    file: str = ""
    needle: str | None = ""  # text on the line the finding must point at; None: the file as a whole
    passing: dict[str, tuple[str, str] | str | None] = field(default_factory=dict)  # a near-miss


SPARK = "stages/spark.yaml"
ADOPT = "stages/adopt.yaml"

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
    Case("unowned-touchpoint", {ADOPT: ("    owner: cs\n", "")}, ADOPT, "- id: welcome",
         passing={ADOPT: ("    owner: cs\n", "    owner: css\n")}),  # owned, if by an unknown team
    Case("unowned-touchpoint", {ADOPT: ("    owner: cs\n", "    owner:\n")}, ADOPT, "owner:"),
    Case("unknown-owner", {ADOPT: ("    owner: cs\n", "    owner: css\n")}, ADOPT, "owner: css",
         passing={ADOPT: ("    owner: cs\n", "    owner: mkt\n")}),
    Case("unknown-owner", {"briefs/spark-brief.md": ("owner: mkt", "owner: marketing")},
         "briefs/spark-brief.md", "owner: marketing"),
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
    Case("missing-metric", {ADOPT: ("  health:\n    name: Weekly active share\n    value: 0.5\n    unit: ratio\n",
                                    "")}, ADOPT, "metrics:",
         passing={ADOPT: ("  health:\n    name: Weekly active share\n    value: 0.5\n    unit: ratio\n",
                          "  health: {name: NPS}\n")}),  # named is enough: a value may come later
    Case("missing-job", {ADOPT: ("job: Get the team using it\n", "")}, ADOPT, "id: adopt",
         passing={ADOPT: ("job: Get the team using it\n", "job: Use it\n")}),
    Case("empty-stage", {ADOPT: (CLEAN_MAP[ADOPT][CLEAN_MAP[ADOPT].index("touchpoints:"):],
                                 "touchpoints: []\n"),
                         SPARK: ("    next: [welcome]\n    handoff: Marketing passes the lead to CS in the CRM\n",
                                 ""),
                         "owners.yaml": ("  - id: cs\n    name: Customer Success\n    department: Customer Success\n",
                                         "")}, ADOPT, "touchpoints: []",
         passing={ADOPT: (CLEAN_MAP[ADOPT][CLEAN_MAP[ADOPT].index("touchpoints:"):],
                          "touchpoints: [{id: welcome, name: Welcome, owner: cs}]\n")}),
    Case("orphan-stage", {"journey.yaml": ("stages: [spark, adopt]", "stages: [spark]")}, ADOPT, "id: adopt",
         passing={"journey.yaml": ("stages: [spark, adopt]", "stages: [adopt, spark]")}),
    Case("unbriefed-stage", {"briefs/adopt-brief.md": None}, ADOPT, "id: adopt",
         passing={"briefs/adopt-brief.md": ("stage: adopt", "stage: adopt\nowner: cs")}),
    Case("high-intent-no-sla", {SPARK: ("    response_sla_hours: 4\n", "")}, SPARK, "intent: high",
         passing={SPARK: ("    response_sla_hours: 4\n    next", "    response_sla_hours: 0.5\n    next")}),
    Case("handoff-gap", {SPARK: ("    handoff: Marketing passes the lead to CS in the CRM\n", "")}, SPARK,
         "next: [welcome]", passing={SPARK: ("    handoff: Marketing passes the lead to CS in the CRM\n", ""),
                                     ADOPT: ("    owner: cs\n", "    owner: mkt\n")}),  # same team: no hand-off
    Case("no-evidence", {"evidence/talk.md": ("stages: [adopt]\n", "")}, ADOPT, "id: adopt",
         passing={"evidence/talk.md": ("stages: [adopt]\n", "stages: [adopt, spark]\n")}),
    Case("stale-review", {"journey.yaml": ("last_reviewed: 2026-11-01", "last_reviewed: 2026-01-15")},
         "journey.yaml", "last_reviewed", passing={"journey.yaml": ("last_reviewed: 2026-11-01",
                                                                    "last_reviewed: 2026-08-26")}),
    Case("idle-owner", {"owners.yaml": ("    department: Customer Success\n",
                                        "    department: Customer Success\n  - id: partners\n    name: Partners\n"
                                        "    department: Sales\n")}, "owners.yaml", "- id: partners",
         passing={"owners.yaml": ("    department: Customer Success\n",
                                  "    department: Customer Success\n  - id: partners\n    name: Partners\n"
                                  "    department: Sales\n"),
                  ADOPT: CLEAN_MAP[ADOPT] + "  - {id: partner-call, name: Partner call, owner: partners}\n"}),
    Case("unsafe-url", {"owners.yaml": ("    name: Marketing team\n",
                                        "    name: Marketing team\n    contact: \"javascript:alert(1)\"\n")},
         "owners.yaml", "contact:",
         passing={"owners.yaml": ("    name: Marketing team\n",
                                  "    name: Marketing team\n    contact: \"#mkt: ask Jo\"\n")}),
    Case("unsafe-url", {"briefs/spark-brief.md": ("Reach people **early**.\n",
                                                  "Reach people **early**.\n\nSee [the plan](JaVa\tScript:go()).\n")},
         "briefs/spark-brief.md", "the plan", passing={"briefs/spark-brief.md": (
             "Reach people **early**.\n", "See [the plan](https://example.com/plan) or [us](mailto:a@b.c).\n")}),
    Case("unsafe-url", {"journey.yaml": ("persona: pat\n", "persona: pat\nrepo_url: \"data:text/html,hi\"\n")},
         "journey.yaml", "repo_url"),
    Case("unsafe-url", {"evidence/talk.md": ("kind: interview\n", "kind: interview\nsource: vbscript:run\n")},
         "evidence/talk.md", "source:"),
    Case("outside-link", {"stages/outside.yaml": Link("elsewhere/secret.yaml")}, "stages/outside.yaml", None,
         passing={"stages/inside.yaml": Link("map/stages/adopt.yaml")}),
    Case("unknown-file", {"stages/notes.txt": "remember to add the renewal stage\n"}, "stages/notes.txt", None,
         passing={"stages/.notes.txt": "dot-files are nobody's business\n", "README.md": "about this map\n"}),
    Case("unknown-file", {"Briefs/launch.md": "---\ntitle: Launch\nstage: spark\n---\n"}, "Briefs/", None,
         passing={"templates/brief.html": "{% extends 'base.html' %}"}),
    Case("unmeasured-metric", {ADOPT: ("    name: Weekly active share\n    value: 0.5\n",
                                       "    name: Weekly active share\n")}, ADOPT, "  health:",
         passing={ADOPT: ("    value: 0.5\n", "    value: 0\n")}),  # zero is a measurement
    Case("weakest-link", {}, ADOPT, "value: 100",
         # no conversion into adopt (no volume value) and no cycle times: nothing to report
         passing={ADOPT: CLEAN_MAP[ADOPT].replace("    value: 100\n", "").replace("cycle_time_days: 20\n", ""),
                  SPARK: ("cycle_time_days: 10\n", "")}),
]


def findings_for(tmp_path: Path, edits: dict) -> tuple[list, dict[str, str]]:
    links = {name: edit for name, edit in edits.items() if isinstance(edit, Link)}
    files = edited({name: edit for name, edit in edits.items() if name not in links})
    folder = write_map(tmp_path / "map", files)
    write_map(tmp_path / "elsewhere", {"secret.yaml": "token: do-not-publish\n"})
    for name, link in links.items():
        (folder / name).symlink_to(tmp_path / link.target)
    return check_map(folder).findings, files


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_rule_reports_the_gap_at_its_file_and_line(tmp_path: Path, case: Case) -> None:
    findings, files = findings_for(tmp_path, case.edits)
    expected_line = None if case.needle is None else line_of(files[case.file], case.needle)
    hits = [f for f in findings if f.rule == case.rule]
    assert any(f.location.file == case.file and f.location.line == expected_line for f in hits), (
        f"expected {case.rule} at {case.file}:{expected_line}, got {[(f.rule, str(f.location)) for f in findings]}")
    assert all(f.message for f in hits)


@pytest.mark.parametrize("case", [c for c in CASES if c.passing], ids=lambda c: c.rule)
def test_rule_stays_quiet_on_the_near_miss(tmp_path: Path, case: Case) -> None:
    findings, _ = findings_for(tmp_path, case.passing)
    assert [f for f in findings if f.rule == case.rule] == []


def test_every_rule_has_a_case_and_a_near_miss() -> None:
    assert {c.rule for c in CASES} == set(RULES)
    assert {c.rule for c in CASES if c.passing} == set(RULES)


def test_every_file_of_a_single_journey_is_counted_once(clean_map: Path) -> None:
    assert check_map(clean_map).files_checked == len(CLEAN_MAP)  # no shared owners.yaml outside the journey
    (clean_map / ADOPT).write_text("id: adopt\nname: [broken\n")  # a file that cannot be read still counts
    assert check_map(clean_map).files_checked == len(CLEAN_MAP)


def test_clean_map_has_no_errors_or_warnings(clean_map: Path) -> None:
    findings = check_map(clean_map).findings
    assert [(f.rule, f.severity.value) for f in findings] == [("weakest-link", "info")] * 2


def test_checks_override_changes_severity_and_off_disables(tmp_path: Path) -> None:
    edits = {SPARK: ("    response_sla_hours: 4\n", ""),
             "journey.yaml": ("stages: [spark, adopt]", "stages: [spark, adopt]\nchecks:\n"
                                                         "  high-intent-no-sla: error\n  weakest-link: off\n")}
    findings, _ = findings_for(tmp_path, edits)
    assert {(f.rule, f.severity.value) for f in findings} == {("high-intent-no-sla", "error")}


def test_unknown_key_message_suggests_the_closest_key(tmp_path: Path) -> None:
    findings, _ = findings_for(tmp_path, {SPARK: ("    owner: mkt\n", "    ownr: mkt\n")})
    schema = [f for f in findings if f.rule == "schema"]
    assert len(schema) == 1 and "did you mean `owner`?" in schema[0].message
    # one mistake, one finding: the misspelt key is not also an unowned touchpoint
    assert sorted(f.rule for f in findings if f.severity.value == "error") == ["schema"]
    assert schema[0].fix is not None and (schema[0].fix.old, schema[0].fix.new) == ("ownr:", "owner:")


def test_unparseable_file_is_one_finding_and_the_rest_is_still_checked(tmp_path: Path) -> None:
    findings, _ = findings_for(tmp_path, {ADOPT: "id: adopt\nname: [broken\n",
                                          SPARK: ("    owner: mkt\n", "")})
    assert {f.rule for f in findings if f.severity.value == "error"} == {"invalid-yaml", "unowned-touchpoint"}
    assert not [f for f in findings if f.rule == "unknown-stage"]


def test_relative_weakest_link_needs_every_target(tmp_path: Path) -> None:
    plain, _ = findings_for(tmp_path, {ADOPT: ("    target: 150\n", "")})
    message = next(f.message for f in plain if f.rule == "weakest-link" and "weakest" in f.message)
    assert "converts 10.0%" in message and "lowest conversion" in message  # adopt 100 of spark's 1000


def test_weakest_link_is_worded_with_its_target_and_shortfall(tmp_path: Path) -> None:
    findings, files = findings_for(tmp_path, {})
    message = next(f.message for f in findings if f.rule == "weakest-link" and "weakest" in f.message)
    # the clean map: spark 1000 → adopt 100 converts 10.0%; targets 1200 → 150 need 12.5%; 2.5 points short
    assert "Spark → Adopt converts 10.0%, 2.5 points short of the 12.5% its targets need" in message


def test_every_rule_doc_has_why_and_examples() -> None:
    for rule in RULES.values():
        assert rule.summary and "Why:" in rule.doc and "Fails:" in rule.doc and "Passes:" in rule.doc, rule.id


def _funnel(tmp_path: Path, stages: list[tuple[str, int | None, int | None]]) -> Path:
    """A journey of stages given as (id, volume value, volume target); None leaves the number out."""
    files = {"journey.yaml": f"title: Funnel\nstages: [{', '.join(s for s, _, _ in stages)}]\n"}
    for stage_id, value, target in stages:
        numbers = (f"    value: {value}\n" if value is not None else "") + \
                  (f"    target: {target}\n" if target is not None else "")
        files[f"stages/{stage_id}.yaml"] = (f"id: {stage_id}\nname: {stage_id.title()}\njob: Move on\n"
                                            f"metrics:\n  volume:\n    name: Accounts\n{numbers}")
    return write_map(tmp_path / "funnel", files)


def test_targets_are_used_only_when_every_stage_has_one(tmp_path: Path) -> None:
    # a 1000 → b 500 → c 100: conversions 50% and 20%. With targets 1000, 1000, 100 the targets expect
    # 100% then 10%, so relative to them a→b reaches 0.5 and b→c 2.0: the weakest is a→b.
    # Without c's target the comparison is by plain conversion: the weakest is b→c (20%).
    with_targets = check_map(_funnel(tmp_path / "1", [("a", 1000, 1000), ("b", 500, 1000), ("c", 100, 100)]))
    without = check_map(_funnel(tmp_path / "2", [("a", 1000, 1000), ("b", 500, 1000), ("c", 100, None)]))
    assert [(t.conversion, t.relative) for t in with_targets.journey.transitions()] == [
        (500 / 1000, (500 / 1000) / (1000 / 1000)), (100 / 500, (100 / 500) / (100 / 1000))]
    assert [(t.conversion, t.relative) for t in without.journey.transitions()] == [(500 / 1000, None),
                                                                                  (100 / 500, None)]
    assert [t.source.id for t in (with_targets.journey.weakest_link(), without.journey.weakest_link())] == ["a", "b"]
    messages = [next(f.message for f in checked.findings if f.rule == "weakest-link" and "weakest" in f.message)
                for checked in (with_targets, without)]
    assert "A → B converts 50.0%, 50.0 points short of the 100.0% its targets need" in messages[0]
    assert "B → C converts 20.0%, the lowest conversion in the journey" in messages[1]


def test_relative_comparison_needs_every_transition_measured(tmp_path: Path) -> None:
    # Every stage has a target but c has no value, so b→c and c→d have no conversion. Relative to the
    # targets a→b (500/1000 against 1000/1000) is 0.5 and d→e (20/100 against 10/100) is 2.0, yet with
    # transitions unmeasured the comparison falls back to plain conversion: d→e's 20% beats a→b's 50%.
    checked = check_map(_funnel(tmp_path, [("a", 1000, 1000), ("b", 500, 1000), ("c", None, 100),
                                           ("d", 100, 100), ("e", 20, 10)]))
    link = checked.journey.weakest_link()
    assert (link.source.id, link.target.id, link.conversion) == ("d", "e", 20 / 100)


def test_a_stage_listed_by_its_file_name_is_not_an_orphan(tmp_path: Path) -> None:
    # journey.yaml lists `adopt`; stages/adopt.yaml calls itself `adoption`: listed by file name, so not orphaned
    findings, _ = findings_for(tmp_path, {ADOPT: ("id: adopt\n", "id: adoption\n")})
    assert not [f for f in findings if f.rule == "orphan-stage"]


def test_no_conversion_out_of_a_stage_with_no_volume(tmp_path: Path) -> None:
    # a has 0 accounts: a→b has no conversion (not a division by zero); b 1 → c 1 converts 100%
    checked = check_map(_funnel(tmp_path, [("a", 0, None), ("b", 1, None), ("c", 1, None)]))
    assert [t.conversion for t in checked.journey.transitions()] == [None, 1 / 1]
    assert checked.journey.weakest_link().source.id == "b"


@pytest.mark.parametrize(("written", "suggested"), [("Big Ad", "big-ad"), ("--Ad  Nº 2!--", "ad-n-2"),
                                                    ("x" * 70, "x" * 64), ("¿¡!", "my-id")])
def test_an_id_that_is_not_a_slug_is_told_its_slug(tmp_path: Path, written: str, suggested: str) -> None:
    # lower case, every run of other characters one hyphen, none at the ends, at most 64 characters
    findings, _ = findings_for(tmp_path, {SPARK: ("  - id: ad\n", f"  - id: '{written}'\n"),
                                          "briefs/spark-brief.md": ("touchpoints: [ad]\n", ""),
                                          "experiments/faster-reply.yaml": ("touchpoints: [ad]\n", "")})
    messages = [f.message for f in findings if f.rule == "invalid-id"]
    assert len(messages) == 1 and messages[0].endswith(f"e.g. `{suggested}`"), messages


def test_a_rule_id_registers_once() -> None:
    from journeymap.core.rules import registry

    again = registry.rule("weakest-link", Severity.INFO)(lambda journey: iter(()))
    with pytest.raises(ValueError, match="rule weakest-link registered twice"):
        registry.index([*CHECKS, again])
    assert RULES["weakest-link"].severity is Severity.INFO


def test_today_is_fixed_by_journeymap_today(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from journeymap.core.rules.review import today

    monkeypatch.setenv("JOURNEYMAP_TODAY", "2031-02-03")  # far from the suite's own fixed day and the clock's
    assert today() == dt.date(2031, 2, 3)
    monkeypatch.delenv("JOURNEYMAP_TODAY")
    assert today() == dt.date.today()


def test_a_rule_is_looked_up_by_its_id() -> None:
    from journeymap.core import rules

    assert rules.get("orphan-stage") is RULES["orphan-stage"] and rules.get("orphan-stages") is None


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


def test_a_registered_rule_keeps_its_id_severity_and_check() -> None:
    from journeymap.core.rules import registry

    def check(journey):  # noqa: ANN001, ANN202
        return iter(())

    assert registry.rule("test-only-rule", Severity.WARNING)(check) is check
    assert registry.index([check]) == {"test-only-rule": registry.Rule("test-only-rule", Severity.WARNING, check)}
    assert "test-only-rule" not in RULES  # marked, not listed in CHECKS: it does not run


def test_a_repeated_id_after_an_item_without_one_is_still_found(tmp_path: Path) -> None:
    stage = CLEAN_MAP[ADOPT] + "  - {name: No id yet, owner: cs}\n  - {id: welcome, name: Again, owner: cs}\n"
    findings, files = findings_for(tmp_path, {ADOPT: stage})
    assert [(f.location.file, f.location.line) for f in findings if f.rule == "duplicate-id"] == [
        (ADOPT, line_of(files[ADOPT], "{id: welcome, name: Again"))]


def test_a_rule_turned_off_leaves_the_rules_after_it_on(tmp_path: Path) -> None:
    # unowned-touchpoint comes early in the rule order; the hand-off gap and weakest link come later
    findings, _ = findings_for(tmp_path, {"journey.yaml": CLEAN_MAP["journey.yaml"] + "checks:\n  invalid-yaml: off\n"
                                                                                     "  unowned-touchpoint: off\n",
                                          SPARK: ("    owner: mkt\n", "")})
    rules = {f.rule for f in findings}
    assert "unowned-touchpoint" not in rules and {"weakest-link", "idle-owner"} <= rules


def test_a_backup_of_a_stage_file_does_not_stand_in_for_it(tmp_path: Path) -> None:
    # stages/adopt.yaml is gone; stages/adopt.old.yaml cannot be read: adopt is still a missing stage
    findings, _ = findings_for(tmp_path, {ADOPT: None, "stages/adopt.old.yaml": "id: adopt\nname: [broken\n"})
    assert "journey.yaml lists stage `adopt` but there is no stages/adopt.yaml" in [
        f.message.split(":")[0] for f in findings if f.rule == "unknown-stage"]


def test_a_target_below_zero_is_no_comparison_and_no_crash(tmp_path: Path) -> None:
    # every stage has a target, but a's is -1000: the targets' conversion out of it means nothing
    checked = check_map(_funnel(tmp_path, [("a", 1000, -1000), ("b", 500, 1000), ("c", 100, 100)]))
    assert [(t.conversion, t.relative) for t in checked.journey.transitions()] == [
        (500 / 1000, None), (100 / 500, (100 / 500) / (100 / 1000))]


def test_each_unsafe_link_in_markdown_is_reported_at_the_line_it_is_written(tmp_path: Path) -> None:
    fix = "write an https:// (or http://, mailto:) address, or a relative link; it is shown as text, not as a link"
    body = ("Reach people **early**.\n"
            "Never write JAVASCRIPT links by hand.\n"  # the scheme's name, but not as a scheme
            "See [the plan](javascript:two()) and [ok](https://ok.example).\n"
            "Then [again](JavaScript:one()).\n"
            # not as written (a tab behind an entity): the first line its scheme is written on
            '<a href="java&#9;script:alert(\'a:b\')">hidden</a>\n'
            "Repeat [the plan](javascript:two()), [twice](javascript:two()).\n"  # again: its own line, once
            "[long](javascript:" + "a" * 100 + ")\n"
            '[attribute](https://ok.example){: href="javascript:four()"}\n'  # Markdown extra's attribute lists
            '<img src="&#100;&#97;ta:x">\n')  # neither the URL nor its scheme is written: the body's first line
    findings, files = findings_for(tmp_path, {"briefs/spark-brief.md": ("Reach people **early**.\n", body)})
    text = files["briefs/spark-brief.md"]
    first = line_of(text, "Reach people")
    found = sorted((f.location.line, f.location.column, f.message) for f in findings if f.rule == "unsafe-url")
    assert all(f.location.file == "briefs/spark-brief.md" for f in findings if f.rule == "unsafe-url")
    assert found == sorted([
        (line_of(text, "See [the plan]"), 1, f"a link to `javascript:two()` in the Markdown: {fix}"),
        (line_of(text, "Repeat [the plan]"), 1, f"a link to `javascript:two()` in the Markdown: {fix}"),
        (line_of(text, "Then [again]"), 1, f"a link to `JavaScript:one()` in the Markdown: {fix}"),
        (line_of(text, "See [the plan]"), 1, f"a link to `java\tscript:alert('a:b')` in the Markdown: {fix}"),
        (line_of(text, "[long]"), 1, f"a link to `{('javascript:' + 'a' * 100)[:80]}` in the Markdown: {fix}"),
        (line_of(text, "[attribute]"), 1, f"a link to `javascript:four()` in the Markdown: {fix}"),
        (first, 1, f"a link to `data:x` in the Markdown: {fix}")])


def test_an_unsafe_link_repeated_from_the_first_line_of_a_body_is_reported_at_each_line(tmp_path: Path) -> None:
    body = "[a](javascript:x) [b](javascript:x)\n\n[c](javascript:x)\n"
    findings, files = findings_for(tmp_path, {"briefs/spark-brief.md": ("Reach people **early**.\n", body)})
    text = files["briefs/spark-brief.md"]
    assert sorted(f.location.line for f in findings if f.rule == "unsafe-url") == [line_of(text, "[a]"),
                                                                                    line_of(text, "[c]")]


def test_an_unsafe_link_in_an_experiment_result_points_at_the_result(tmp_path: Path) -> None:
    experiment = "experiments/faster-reply.yaml"
    findings, files = findings_for(tmp_path, {experiment: (
        "status: running\n", 'status: running\nresult: "Lifted it, see [the log](javascript:go())"\n')})
    assert [(f.location.file, f.location.line) for f in findings if f.rule == "unsafe-url"] == [
        (experiment, line_of(files[experiment], "result:"))]
    for style in ("|", ">"):  # a block: its text starts on the line after `result:`
        findings, files = findings_for(tmp_path / f"block{style}", {experiment: (
            "status: running\n",
            f"status: running\nresult: {style}\n  Lifted it.\n\n  See [the log](javascript:go())\n")})
        [line] = [f.location.line for f in findings if f.rule == "unsafe-url"]
        if style == "|":
            assert line == line_of(files[experiment], "  See [the log]")
        else:  # folding joins lines, so the text no longer says which: a line of the block, never the key's
            assert line_of(files[experiment], "  Lifted it.") <= line <= line_of(files[experiment], "  See [the log]")
        findings, files = findings_for(tmp_path / f"first{style}", {experiment: (
            "status: running\n", f"status: running\nresult: {style}\n  See [the log](javascript:go())\n  Lifted.\n")})
        assert [f.location.line for f in findings if f.rule == "unsafe-url"] == [
            line_of(files[experiment], "  See [the log]")], style
    findings, _ = findings_for(tmp_path / "safe", {experiment: (
        "status: running\n", 'status: running\nresult: "Lifted it: see [the log](https://example.com/log)"\n')})
    assert [f for f in findings if f.rule == "unsafe-url"] == []


def test_with_the_stages_folder_misnamed_no_listed_stage_is_called_missing(tmp_path: Path) -> None:
    files = {name.replace("stages/", "stage/"): text for name, text in CLEAN_MAP.items()}
    findings = check_map(write_map(tmp_path / "map", files)).findings
    # one mistake, one finding: the folder's name; journey.yaml and the briefs still name stages that are there
    assert [(f.rule, f.location.file) for f in findings] == [("unknown-file", "stage/")]


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


def test_a_team_under_a_misspelt_owner_key_is_not_idle(tmp_path: Path) -> None:
    # `ownr: mkt` is mkt's only touchpoint: the schema says `ownr` is a typo; mkt is not also told it owns nothing
    findings, _ = findings_for(tmp_path, {SPARK: ("    owner: mkt\n", "    ownr: mkt\n")})
    assert [f.rule for f in findings if f.rule in ("idle-owner", "unowned-touchpoint", "schema")] == ["schema"]
