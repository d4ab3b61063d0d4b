"""The model's lookups and figures, checked against numbers and ids written in the map's YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.check import check_map
from journeymap.core.findings import Location

from ..conftest import CLEAN_MAP, line_of, write_map

SPARK, ADOPT = "stages/spark.yaml", "stages/adopt.yaml"


def journey_of(tmp_path: Path, edits: dict[str, str] | None = None):
    return check_map(write_map(tmp_path / "map", {**CLEAN_MAP, **(edits or {})})).journey


def test_metric_values_are_formatted_as_written_units(tmp_path: Path) -> None:
    journey = journey_of(tmp_path)
    volume, health = journey.stage("spark").volume, journey.stage("spark").health
    assert (volume.is_ratio, health.is_ratio) == (False, True)  # health has `unit: ratio`
    assert [volume.format(v) for v in (1000, 1234567, 2.5, 0.125, None)] == ["1,000", "1,234,567", "2.50", "0.12", "—"]
    # a ratio keeps the decimal only where it has one: 12.5% is not 12% (issue 8)
    assert [health.format(v) for v in (0.3, 0.125, 1, None)] == ["30%", "12.5%", "100%", "—"]


@pytest.mark.parametrize(("better", "value", "on_target"), [
    ("", 1200, True), ("", 1199, False), ("", 1201, True),
    ("better: lower\n", 1200, True), ("better: lower\n", 1199, True), ("better: lower\n", 1201, False)])
def test_on_target_follows_which_way_is_better(tmp_path: Path, better: str, value: int, on_target: bool) -> None:
    # spark's volume target is 1200
    stage = CLEAN_MAP[SPARK].replace("    value: 1000\n", f"    value: {value}\n    {better}" if better
                                     else f"    value: {value}\n")
    assert journey_of(tmp_path, {SPARK: stage}).stage("spark").volume.on_target is on_target


def test_on_target_is_unknown_without_a_value_or_a_target(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {SPARK: CLEAN_MAP[SPARK].replace("    value: 1000\n", "")})
    assert journey.stage("spark").volume.on_target is None and journey.stage("spark").health.on_target is None


def test_an_items_span_covers_its_lines_and_holds_what_is_inside(tmp_path: Path) -> None:
    journey = journey_of(tmp_path)
    ad = journey.touchpoint("ad")
    text = CLEAN_MAP[SPARK]
    first, last = line_of(text, "  - id: ad"), line_of(text, "    handoff:")
    assert ad.origin.span() == (first, last)
    assert ad.origin.holds(Location(SPARK, first, 1)) and ad.origin.holds(Location(SPARK, last, 1))
    assert not ad.origin.holds(Location(SPARK, first - 1, 1)) and not ad.origin.holds(Location(SPARK, last + 1, 1))
    assert not ad.origin.holds(Location(ADOPT, first, 1)) and not ad.origin.holds(Location(SPARK, None, None))
    assert journey.stage("spark").origin.span() == (1, 10**9)  # a whole file


def test_lookups_fall_back_as_the_map_is_written(tmp_path: Path) -> None:
    # adopt.yaml calls itself `adoption`: found by its id and by its file name; stages listed twice count once
    journey = journey_of(tmp_path, {ADOPT: CLEAN_MAP[ADOPT].replace("id: adopt\n", "id: adoption\n"),
                                    "journey.yaml": CLEAN_MAP["journey.yaml"].replace(
                                        "stages: [spark, adopt]", "stages: [spark, adopt, spark, nowhere]")})
    assert journey.stage("adoption") is journey.stage("adopt") is not None and journey.stage("") is None
    assert [s.id for s in journey.stages] == ["spark", "adoption"]
    assert journey.stage_name("adopt") == "Adopt" and journey.stage_name("nowhere") == "nowhere"
    assert journey.owner_name("cs") == "Customer Success" and journey.owner_name("ghosts") == "ghosts"
    assert journey.owner_name(None) == "" and journey.owner(None) is None
    assert journey.phase_of(journey.stage("spark")).id == "early" and journey.phase_of(journey.stage("adopt")) is None


def test_next_skips_touchpoints_that_do_not_exist_and_keeps_the_index(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {SPARK: CLEAN_MAP[SPARK].replace("next: [welcome]", "next: [ghost, welcome]")})
    assert [(i, t.id) for i, t in journey.next_of(journey.touchpoint("ad"))] == [(1, "welcome")]


def test_evidence_counts_for_a_stage_that_cites_it_and_a_stage_it_names(tmp_path: Path) -> None:
    # spark.yaml cites `talk`; evidence/talk.md names `adopt`
    journey = journey_of(tmp_path)
    assert [e.id for e in journey.evidence_for(journey.stage("spark"))] == ["talk"]
    assert [e.id for e in journey.evidence_for(journey.stage("adopt"))] == ["talk"]
    other = journey_of(tmp_path / "2", {"evidence/talk.md": CLEAN_MAP["evidence/talk.md"].replace("[adopt]", "[]")})
    assert [e.id for e in other.evidence_for(other.stage("adopt"))] == []


def test_briefs_and_experiments_by_stage(tmp_path: Path) -> None:
    journey = journey_of(tmp_path)
    assert [b.id for b in journey.briefs_for("spark")] == ["spark-brief"]
    assert [b.id for b in journey.briefs_for("adopt")] == ["adopt-brief"]
    assert [e.id for e in journey.experiments_for("spark")] == ["faster-reply"]
    assert journey.experiments_for("adopt") == []


def test_the_slowest_stage_has_the_longest_cycle_time(tmp_path: Path) -> None:
    # spark 10 days, adopt 20; without adopt's, spark is the only one timed; without both, none
    assert journey_of(tmp_path / "1").slowest_stage().id == "adopt"
    no_adopt = {ADOPT: CLEAN_MAP[ADOPT].replace("cycle_time_days: 20\n", "")}
    assert journey_of(tmp_path / "2", no_adopt).slowest_stage().id == "spark"
    assert journey_of(tmp_path / "3", {**no_adopt, SPARK: CLEAN_MAP[SPARK].replace("cycle_time_days: 10\n", "")}
                      ).slowest_stage() is None


def test_the_touchpoints_flags_come_from_intent_sla_owners_and_handoff(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {SPARK: CLEAN_MAP[SPARK].replace("    response_sla_hours: 4\n", "")})
    ad, welcome = journey.touchpoint("ad"), journey.touchpoint("welcome")
    assert ad.needs_sla and not welcome.needs_sla  # ad is high intent, welcome medium
    assert not ad.hands_off_unwritten(welcome)  # mkt → cs, and the hand-off is written
    unwritten = journey_of(tmp_path / "2", {SPARK: CLEAN_MAP[SPARK].replace(
        "    handoff: Marketing passes the lead to CS in the CRM\n", "")})
    ad, welcome = unwritten.touchpoint("ad"), unwritten.touchpoint("welcome")
    assert ad.hands_off_unwritten(welcome) and not ad.hands_off_unwritten(ad)  # same team: nothing to hand off
    no_handoff = CLEAN_MAP[SPARK].replace("    handoff: Marketing passes the lead to CS in the CRM\n", "")
    unowned = journey_of(tmp_path / "3", {ADOPT: CLEAN_MAP[ADOPT].replace("    owner: cs\n", ""), SPARK: no_handoff})
    ad, welcome = unowned.touchpoint("ad"), unowned.touchpoint("welcome")
    assert not ad.hands_off_unwritten(welcome) and not welcome.hands_off_unwritten(ad)  # no team: unowned's job


def _as_model(value: object) -> object:
    """A YAML value as the model holds it: text stripped, lists as tuples, dates as ISO text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _same_fields(item: object, written: dict, where: str) -> None:
    for key, value in written.items():
        if key in ("metrics", "touchpoints", "history"):
            continue
        assert getattr(item, key) == _as_model(value), f"{where}: {key}"


def test_every_field_written_in_the_example_reaches_the_model() -> None:
    import yaml

    from ..conftest import EXAMPLE

    journey = check_map(EXAMPLE).journey
    written = yaml.safe_load((EXAMPLE / "journey.yaml").read_text())
    assert (journey.title, journey.description, journey.persona, journey.repo_url) == tuple(
        _as_model(written[k]) for k in ("title", "description", "persona", "repo_url"))
    assert (journey.cadence_days, journey.last_reviewed) == (written["review"]["cadence_days"],
                                                            written["review"]["last_reviewed"])
    assert journey.edit_branch == "main"  # not written: the default
    assert journey.checks == {k: str(v) for k, v in written["checks"].items()}
    assert [(p.id, p.name, p.goal) for p in journey.phases] == [(p["id"], p["name"], p["goal"]) for p in
                                                               written["phases"]]
    for kind, key in (("owners", "owner"), ("personas", "persona")):
        items = yaml.safe_load((EXAMPLE / f"{kind}.yaml").read_text())[kind]
        for item in items:
            _same_fields(getattr(journey, key)(item["id"]) if key == "owner" else
                         next(p for p in journey.personas if p.id == item["id"]), item, f"{kind} {item['id']}")
    for path in sorted((EXAMPLE / "stages").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        stage = journey.stage(data["id"])
        _same_fields(stage, data, path.name)
        for kind, metric in data["metrics"].items():
            _same_fields(stage.metrics[kind], metric, f"{path.name} {kind}")
            assert stage.metrics[kind].history == tuple((str(k), v) for k, v in metric.get("history", {}).items())
            assert stage.metrics[kind].better == metric.get("better", "higher")
        assert [t.id for t in stage.touchpoints] == [t["id"] for t in data["touchpoints"]]
        for touchpoint, item in zip(stage.touchpoints, data["touchpoints"], strict=True):
            _same_fields(touchpoint, item, f"{path.name} {item['id']}")
            assert touchpoint.stage == stage.id
    for path in sorted((EXAMPLE / "experiments").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        _same_fields(next(e for e in journey.experiments if e.id == data["id"]), data, path.name)
    for folder, items in (("briefs", journey.briefs), ("evidence", journey.evidence)):
        for path in sorted((EXAMPLE / folder).glob("*.md")):
            text = path.read_text()
            front, body = text.split("---\n", 2)[1:]
            item = next(i for i in items if i.id == path.stem)
            _same_fields(item, yaml.safe_load(front), path.name)
            assert item.body == body


def test_what_is_left_out_falls_back_to_what_is_written(tmp_path: Path) -> None:
    files = {**CLEAN_MAP, "journey.yaml": "stages: [spark]\nedit_branch: docs\nrepo_url: https://example.com/r/\n",
             "stages/spark.yaml": "id: spark\ntouchpoints:\n  - {id: ad, owner: '  ', description: ' Why '}\n"
                                  "emotion: 3\n"
                                  "metrics:\n  volume: {value: true, history: {Jan: 1, Feb: yes, Mar: x}}\n",
             "experiments/faster-reply.yaml": "stage: spark\nid: quick-reply\n",
             "briefs/spark-brief.md": "---\nstage: spark\n---\n",
             "evidence/talk.md": "---\nkind: interview\n---\n"}
    del files["stages/adopt.yaml"], files["briefs/adopt-brief.md"]
    journey = check_map(write_map(tmp_path / "map", files)).journey
    assert (journey.edit_branch, journey.repo_url, journey.cadence_days, journey.last_reviewed) == (
        "docs", "https://example.com/r", 90, None)
    spark = journey.stage("spark")
    assert (spark.name, spark.emotion, spark.volume.value, spark.volume.history) == ("spark", None, None, (("Jan", 1),))
    assert (spark.touchpoints[0].name, spark.touchpoints[0].owner, spark.touchpoints[0].description) == (
        "ad", None, "Why")
    assert [(e.id, e.name) for e in journey.experiments] == [("quick-reply", "quick-reply")]  # no name: the id
    assert [(b.id, b.title) for b in journey.briefs] == [("spark-brief", "spark-brief")]
    assert [(n.id, n.title) for n in journey.evidence] == [("talk", "talk")]


def test_an_origin_with_no_position_spans_the_whole_file() -> None:
    from journeymap.core.load import Document
    from journeymap.core.model import Origin

    assert Origin(Document("f.yaml", "stage", {}), ("touchpoints", 0)).span() == (1, 10**9)


def test_a_stage_without_a_volume_has_no_conversion_either_side(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {ADOPT: CLEAN_MAP[ADOPT].split("metrics:")[0] + CLEAN_MAP[ADOPT].split(
        "    unit: ratio\n")[1]})
    assert journey.stage("adopt").volume is None
    assert [t.conversion for t in journey.transitions()] == [None] and journey.weakest_link() is None


def test_an_unreadable_journey_yaml_still_gives_a_journey_of_its_file(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {"journey.yaml": "title: [broken\n"})
    assert (journey.origin.file, journey.origin.document.kind, journey.origin.document.data) == (
        "journey.yaml", "journey", {})
    assert journey.title == "" and journey.stage_order == []


def test_stage_files_follow_the_order_journey_yaml_lists_their_ids(tmp_path: Path) -> None:
    # the files are named one.yaml (id: spark) and two.yaml (id: adopt); the journey lists adopt first
    files = {**CLEAN_MAP, "stages/one.yaml": CLEAN_MAP[SPARK], "stages/two.yaml": CLEAN_MAP[ADOPT],
             "journey.yaml": CLEAN_MAP["journey.yaml"].replace("stages: [spark, adopt]", "stages: [adopt, spark]")}
    del files[SPARK], files[ADOPT]
    journey = check_map(write_map(tmp_path / "map", files)).journey
    assert [(s.id, s.origin.file) for s in journey.stage_files] == [("adopt", "stages/two.yaml"),
                                                                    ("spark", "stages/one.yaml")]


def test_each_listed_stage_points_at_its_own_place_in_the_list(tmp_path: Path) -> None:
    text = CLEAN_MAP["journey.yaml"].replace("stages: [spark, adopt]", "stages: [spark, adopt, nowhere]")
    journey = journey_of(tmp_path, {"journey.yaml": text})
    line = line_of(text, "stages: [")
    assert [(s, loc.line, loc.column) for s, loc in journey.stage_order] == [
        ("spark", line, 10), ("adopt", line, 17), ("nowhere", line, 24)]  # "stages: [" is 9 characters


def test_the_review_cadence_is_read_from_the_map(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {"journey.yaml": CLEAN_MAP["journey.yaml"].replace("cadence_days: 90",
                                                                                      "cadence_days: 30")})
    assert journey.cadence_days == 30


def test_a_finding_is_about_the_innermost_item_written_where_it_points(tmp_path: Path) -> None:
    # what a pull-request diff and SARIF follow across commits: every kind of item, by the lines it occupies
    from journeymap.review.subjects import Subjects

    journey = journey_of(tmp_path)
    subjects = Subjects([journey])
    where = {  # file -> (text on the line, the item written there)
        "journey.yaml": [("title: Tiny journey", "journey"), ("  - id: early", "phase early"),
                         ("    goal: Get noticed", "phase early")],
        SPARK: [("id: spark", "stage spark"), ("  - id: ad", "touchpoint ad"), ("    handoff:", "touchpoint ad"),
                ("  volume:", "metric spark.volume"), ("    unit: ratio", "metric spark.health")],
        ADOPT: [("  health:", "metric adopt.health"), ("  - id: welcome", "touchpoint welcome")],
        "owners.yaml": [("  - id: cs", "owner cs"), ("    department: Marketing", "owner mkt")],
        "personas.yaml": [("    role: Head of Ops", "persona pat")],
        "briefs/adopt-brief.md": [("status: draft", "brief adopt-brief")],
        "evidence/talk.md": [("kind: interview", "evidence talk")],
        "experiments/faster-reply.yaml": [("metric: health", "experiment faster-reply")],
    }
    found = {(name, needle): subjects.of(Location(name, line_of(CLEAN_MAP[name], needle), 1))
             for name, places in where.items() for needle, _ in places}
    assert found == {(name, needle): label for name, places in where.items() for needle, label in places}
    assert subjects.of(Location(SPARK, None, None)) == f"file {SPARK}"
    # a stage file without an id goes by its file name
    journey = journey_of(tmp_path / "no-id", {ADOPT: CLEAN_MAP[ADOPT].replace("id: adopt\n", "")})
    assert Subjects([journey]).of(Location(ADOPT, line_of(CLEAN_MAP[ADOPT], "name: Adopt"), 1)) == "stage adopt"
    assert Subjects([journey]).of(Location(ADOPT, line_of(CLEAN_MAP[ADOPT], "  health:"), 1)) == "metric adopt.health"


def test_every_item_of_a_kind_is_listed_once_with_where_it_is_written(tmp_path: Path) -> None:
    journey = journey_of(tmp_path)
    listed = {kind: [(item_id, origin.file, origin.at().line) for item_id, _, origin in journey.items(kind)]
              for kind in ("stage", "touchpoint", "owner", "persona", "phase", "brief", "experiment", "evidence",
                           "journey")}
    assert listed == {
        "stage": [("spark", SPARK, 1), ("adopt", ADOPT, 1)],
        "touchpoint": [("ad", SPARK, line_of(CLEAN_MAP[SPARK], "- id: ad")),
                       ("welcome", ADOPT, line_of(CLEAN_MAP[ADOPT], "- id: welcome"))],
        "owner": [("mkt", "owners.yaml", 2), ("cs", "owners.yaml", 5)],
        "persona": [("pat", "personas.yaml", 2)],
        "phase": [("early", "journey.yaml", line_of(CLEAN_MAP["journey.yaml"], "- id: early"))],
        "brief": [("adopt-brief", "briefs/adopt-brief.md", 1), ("spark-brief", "briefs/spark-brief.md", 1)],
        "experiment": [("faster-reply", "experiments/faster-reply.yaml", 1)],
        "evidence": [("talk", "evidence/talk.md", 1)],
        "journey": [("journey", "journey.yaml", 1)]}
    assert [item for _, item, _ in journey.items("touchpoint")] == journey.touchpoints
    assert [item for _, item, _ in journey.items("journey")] == [journey]
    assert [(item.kind, item.name) for _, item, _ in journey.items("metric")] == [
        ("volume", "Visitors"), ("health", "Return rate"), ("volume", "Accounts live"),
        ("health", "Weekly active share")]


def test_a_rule_turned_off_also_takes_its_marks_off_the_site(tmp_path: Path) -> None:
    # the clean map: spark → adopt is the weakest link (10%), adopt the slowest stage (20 days), and ad → welcome
    # passes from mkt to cs with its hand-off written
    journey = journey_of(tmp_path)
    ad, welcome = journey.touchpoint("ad"), journey.touchpoint("welcome")
    assert journey.shown_weakest_link() == journey.weakest_link() and journey.weakest_link().source.id == "spark"
    assert journey.shown_slowest_stage() is journey.slowest_stage() is journey.stage("adopt")
    assert not journey.rule_off("weakest-link") and not journey.handoff_gap(ad, welcome)
    unwritten = CLEAN_MAP[SPARK].replace("    handoff: Marketing passes the lead to CS in the CRM\n", "")
    journey = journey_of(tmp_path / "unwritten", {SPARK: unwritten})
    assert journey.handoff_gap(journey.touchpoint("ad"), journey.touchpoint("welcome"))
    off = CLEAN_MAP["journey.yaml"] + "checks:\n  weakest-link: off\n  handoff-gap: off\n  stale-review: warning\n"
    journey = journey_of(tmp_path / "off", {SPARK: unwritten, "journey.yaml": off})
    assert journey.rule_off("weakest-link") and journey.rule_off("handoff-gap") and not journey.rule_off("stale-review")
    assert journey.shown_weakest_link() is None and journey.shown_slowest_stage() is None
    assert journey.weakest_link().source.id == "spark" and journey.slowest_stage().id == "adopt"  # still computed
    assert not journey.handoff_gap(journey.touchpoint("ad"), journey.touchpoint("welcome"))
    # `off` unquoted is YAML's false; quoted it is the word: either turns the rule off
    quoted = CLEAN_MAP["journey.yaml"] + 'checks:\n  weakest-link: "off"\n'
    journey = journey_of(tmp_path / "quoted", {"journey.yaml": quoted})
    assert journey.rule_off("weakest-link") and journey.shown_weakest_link() is None


@pytest.mark.parametrize(("adopt_accounts", "words"), [
    (100, "converts 10.0%, 2.5 points short of the 12.5% its targets need"),
    (120, "converts 12.0%, 0.5 points short of the 12.5% its targets need"),
    (200, "converts 20.0%, 7.5 points above the 12.5% its targets need")])
def test_the_weakest_link_says_how_far_it_is_from_its_targets(tmp_path: Path, adopt_accounts: int, words: str) -> None:
    # spark's 1000 visitors and adopt's accounts give the conversion; the targets 1200 and 150 need 12.5%
    adopt = CLEAN_MAP[ADOPT].replace("    value: 100\n", f"    value: {adopt_accounts}\n")
    assert journey_of(tmp_path, {ADOPT: adopt}).weakest_link().shortfall() == f"Spark → Adopt {words}"


def test_a_link_that_meets_its_targets_exactly_is_not_called_short(tmp_path: Path) -> None:
    adopt = CLEAN_MAP[ADOPT].replace("    value: 100\n", "    value: 125\n")  # 125 of 1000: the 12.5% targets need
    assert "short of" not in journey_of(tmp_path, {ADOPT: adopt}).weakest_link().shortfall()


def test_a_link_without_a_conversion_is_worded_without_a_rate(tmp_path: Path) -> None:
    from journeymap.core.model import Transition

    journey = journey_of(tmp_path, {SPARK: CLEAN_MAP[SPARK].replace("    value: 1000\n", "")})  # spark unmeasured
    spark, adopt = journey.stage("spark"), journey.stage("adopt")
    assert journey.transitions() == [Transition(spark, adopt, None, None, None)]
    assert journey.transitions()[0].shortfall() == "Spark → Adopt converts —"


def test_a_ratio_rounding_to_a_whole_percent_drops_the_decimal(tmp_path: Path) -> None:
    health = journey_of(tmp_path).stage("spark").health  # `unit: ratio`
    assert [health.format(v) for v in (0.1204, 0.1196, 0.1251, 0.0004)] == ["12%", "12%", "12.5%", "0%"]


def test_a_single_journey_built_on_its_own_names_its_files_without_a_prefix(tmp_path: Path) -> None:
    # build_journey's defaults are a single journey's: no shared owners, no portfolio folder before its files
    from journeymap.core.load import load_folder
    from journeymap.core.model import build_journey

    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "journey.yaml": "title: [broken\n"})
    journey = build_journey(load_folder(folder))
    assert (journey.origin.file, journey.prefix, journey.slug) == ("journey.yaml", "", "")
    assert [o.id for o in journey.owners] == ["mkt", "cs"]


@pytest.mark.parametrize(("written", "emotion"), [("-2", -2), ("2", 2), ("0", 0), ("-3", None), ("3", None),
                                                  ("true", None), ("1.5", None)])
def test_a_stage_emotion_is_a_whole_number_from_minus_two_to_two(tmp_path: Path, written: str, emotion) -> None:
    spark = CLEAN_MAP[SPARK].replace("job:", f"emotion: {written}\njob:")
    assert journey_of(tmp_path, {SPARK: spark}).stage("spark").emotion == emotion


@pytest.mark.parametrize("written, kept", [("https://git.example/acme/mapX/", "https://git.example/acme/mapX"),
                                           ("https://git.example/acme/map", "https://git.example/acme/map")])
def test_repo_url_loses_its_trailing_slash_and_nothing_else(tmp_path: Path, written: str, kept: str) -> None:
    files = dict(CLEAN_MAP, **{"journey.yaml": CLEAN_MAP["journey.yaml"] + f"repo_url: {written}\n"})
    assert check_map(write_map(tmp_path / "map", files)).journey.repo_url == kept  # edit links append paths


def test_a_rate_that_overflows_is_no_figure_rather_than_infinity() -> None:
    """10^15 after 10^-300 is more than a float holds: the page shows no rate, never "inf%"."""
    from journeymap.core.model.journey import _ratio

    assert _ratio(1e-300, 1e15) is None
    assert _ratio(4, 1) == 0.25 and _ratio(0, 1) is None


def _volume(text: str) -> float:
    """The `value:` under a stage file's volume metric, read from its YAML."""
    return float(text.split("  volume:\n", 1)[1].split("    value: ", 1)[1].split("\n", 1)[0])


def test_end_to_end_conversion_is_the_last_stages_volume_over_the_first(tmp_path: Path) -> None:
    expected = _volume(CLEAN_MAP[ADOPT]) / _volume(CLEAN_MAP[SPARK])
    assert journey_of(tmp_path).end_to_end_conversion() == pytest.approx(expected)


def test_end_to_end_conversion_is_none_when_a_step_between_is_unmeasured(tmp_path: Path) -> None:
    # a middle stage with no volume: the ends are both measured, but one step of the product is unknown
    middle = CLEAN_MAP[ADOPT].replace("id: adopt\n", "id: trial\n").replace("    value: 100\n", "")
    journey = journey_of(tmp_path, {"stages/trial.yaml": middle, "journey.yaml": CLEAN_MAP["journey.yaml"].replace(
        "stages: [spark, adopt]", "stages: [spark, trial, adopt]")})
    assert [s.id for s in journey.stages] == ["spark", "trial", "adopt"]
    assert journey.end_to_end_conversion() is None


def test_a_journey_of_one_stage_has_no_end_to_end_conversion(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {"journey.yaml": CLEAN_MAP["journey.yaml"].replace(
        "stages: [spark, adopt]", "stages: [spark]")})
    assert journey.end_to_end_conversion() is None


def test_a_name_too_long_for_a_diagram_is_clipped_to_the_limit_with_an_ellipsis(tmp_path: Path) -> None:
    from journeymap.core.schema.format import LABEL_CHARS  # the limit the schema reports

    exact, long = "E" * LABEL_CHARS, "L" * (LABEL_CHARS + 5)
    journey = journey_of(tmp_path, {SPARK: CLEAN_MAP[SPARK].replace("name: Spark\n", f"name: {exact}\n"),
                                    ADOPT: CLEAN_MAP[ADOPT].replace("name: Adopt\n", f"name: {long}\n")})
    assert journey.stage("spark").name == exact  # at the limit: kept whole
    assert journey.stage("adopt").name == "L" * (LABEL_CHARS - 1) + "…"


def test_the_largest_number_either_way_is_still_a_figure() -> None:
    import math

    from journeymap.core.model.items import LARGEST_NUMBER, is_figure

    assert is_figure(LARGEST_NUMBER) and is_figure(-LARGEST_NUMBER)
    assert not is_figure(math.nextafter(LARGEST_NUMBER, math.inf))
    assert not is_figure(math.nextafter(-LARGEST_NUMBER, -math.inf))


def test_the_logo_is_the_path_journey_yaml_names_trimmed(tmp_path: Path) -> None:
    journey = journey_of(tmp_path, {"journey.yaml": CLEAN_MAP["journey.yaml"].replace(
        "persona: pat\n", "persona: pat\nlogo: ' assets/logo.png '\n")})
    assert journey.logo == "assets/logo.png"
    assert journey_of(tmp_path / "none").logo == ""
