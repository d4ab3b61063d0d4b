"""The published site: pages, cross-links, diagrams, escaping, the atomic build, templates."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from journeymap.site.render import code_spans

from .. import sitecheck
from ..conftest import CLEAN_MAP, EXAMPLE, ROOT, edited, run_cli, snapshot, write_map

SEEDED = Path(__file__).parents[1] / "fixtures" / "seeded"


def build(source: Path, output: Path, *options: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("build", str(source), "--output", str(output), *options, cwd=cwd)


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("example") / "site"
    result = build(EXAMPLE, output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def second_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small map with its own stage names, built the same way."""
    folder = write_map(tmp_path_factory.mktemp("second") / "map", CLEAN_MAP)
    result = build(folder, folder.parent / "site")
    assert result.returncode == 0, result.stderr
    return folder.parent / "site"


@pytest.mark.parametrize("site_name", ["example_site", "second_site"])
def test_every_link_and_fragment_resolves_and_nothing_is_absolute_or_remote(site_name: str,
                                                                            request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_name)
    assert sitecheck.problems(site) == []


def test_every_link_of_a_diagram_opens_in_the_whole_window(example_site: Path) -> None:
    """A downloaded diagram may be shown in a frame: its links must leave the frame, stage boxes' included."""
    for svg in (example_site / "diagrams").glob("*.svg"):
        anchors = re.findall(r"<a [^>]*xlink:href[^>]*>", svg.read_text())  # a tooltip alone is no link
        assert anchors and all('target="_top"' in a for a in anchors), (svg.name, [a for a in anchors
                                                                                    if "_top" not in a][:2])


@pytest.mark.parametrize("site_name", ["example_site", "second_site"])
def test_a_count_of_one_takes_the_singular(site_name: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_name)
    assert sitecheck.miscounted(site) == []
    if site_name == "second_site":  # each stage of the small map has one touchpoint, its diagram says so
        assert "1 touchpoint of Spark" in (site / "stages/spark.html").read_text()


def test_a_stage_of_one_day_is_one_day_on_every_page_and_in_the_check(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", edited({"stages/adopt.yaml": ("cycle_time_days: 20", "cycle_time_days: 1"),
                                                 "stages/spark.yaml": ("cycle_time_days: 10", "cycle_time_days: 1.5")}))
    result = build(folder, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "slowest stage: Spark takes 1.5 days (median)" in result.stderr  # the check's summary of findings
    assert sitecheck.miscounted(tmp_path / "site") == []
    assert "1 day</span>" in (tmp_path / "site/index.html").read_text()  # Adopt's badge


def test_every_stage_brief_owner_experiment_and_evidence_has_a_page(example_site: Path) -> None:
    names = {
        "stages": [p.stem for p in (EXAMPLE / "stages").glob("*.yaml")],
        "briefs": [p.stem for p in (EXAMPLE / "briefs").glob("*.md")],
        "experiments": [p.stem for p in (EXAMPLE / "experiments").glob("*.yaml")],
        "evidence": [p.stem for p in (EXAMPLE / "evidence").glob("*.md")],
    }
    owners = re.findall(r"^  - id: (\S+)", (EXAMPLE / "owners.yaml").read_text(), re.M)
    names["owners"] = owners
    for folder, ids in names.items():
        assert ids
        for item_id in ids:
            assert (example_site / folder / f"{item_id}.html").is_file(), f"{folder}/{item_id}.html"
    for page in ("index.html", "gaps.html", "handoffs.html", "map.json", "assets/style.css",
                 "assets/journeymap.js", "assets/search-index.js"):
        assert (example_site / page).is_file(), page


@pytest.mark.parametrize("site_name", ["example_site", "second_site"])
def test_briefs_link_to_their_stage_and_stages_link_back(site_name: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(site_name)
    briefs = list((site / "briefs").glob("*.html"))
    assert len(briefs) >= 2
    for brief in briefs:
        if brief.stem == "index":
            continue
        stage_links = [h for h in sitecheck.hrefs(brief) if re.fullmatch(r"\.\./stages/(?!index)[a-z0-9-]+\.html", h)]
        assert stage_links, f"{brief.name} links to no stage"
        stage_page = (brief.parent / stage_links[0]).resolve()
        assert f"../briefs/{brief.name}" in sitecheck.hrefs(stage_page), f"{stage_page.name} does not link back"


def test_owner_pages_list_what_the_team_owns_and_its_gaps(example_site: Path) -> None:
    page = (example_site / "owners/account-executives.html").read_text()
    assert "Quote through a reseller partner" in page
    assert "high-intent-no-sla" in page  # the gap sits on this team's page, with its name next to it
    sdr = (example_site / "owners/sdr.html").read_text()
    assert "Requests a demo" in sdr and "2 h" in sdr


def test_map_page_marks_the_weakest_link_and_slowest_stage(example_site: Path) -> None:
    # From journey/stages/*.yaml: every stage has a volume target, so transitions are compared with the
    # targets' conversion. Consideration → evaluation converts 100/260 = 38% where the targets need
    # 140/300 = 47%: 82%, the lowest (the others: 107%, 96%, 113%, 96%, 91%). Onboarding's
    # cycle_time_days 38 is the longest; the stage files hold 5+5+5+6+5+5+6 = 37 touchpoints.
    page = (example_site / "index.html").read_text()
    assert re.search(r'<th scope="col" id="stage-evaluation" class="is-weakest', page)
    assert re.search(r'<div class="headline is-danger"><dt>Weakest link</dt>', page)
    assert re.search(r'id="stage-onboarding" class="[^"]*is-slowest', page)
    assert len(re.findall(r'<article class="card[ "]', page)) == 37
    volumes = {name: yaml.safe_load((EXAMPLE / f"stages/{name}.yaml").read_text())["metrics"]["volume"]
               for name in ("consideration", "evaluation")}
    rate = volumes["evaluation"]["value"] / volumes["consideration"]["value"]
    needed = volumes["evaluation"]["target"] / volumes["consideration"]["target"]
    assert (f"Weakest link{rate:.1%}Consideration → Evaluation converts {rate:.1%}, "
            f"{(needed - rate) * 100:.1f} points short of the {needed:.1%} its targets need") \
        in re.sub(r"<[^>]+>", "", page)


def test_stage_flow_diagram_carries_every_stage_and_conversion(example_site: Path) -> None:
    page = (example_site / "index.html").read_text()
    svg = page[page.index("<svg role=\"img\""):page.index("</svg>", page.index("<svg role=\"img\""))]
    for name in ("Trigger", "Research", "Consideration", "Evaluation", "Purchase", "Onboarding",
                 "Expansion or renewal"):
        assert f">{name}</text>" in svg, name
    # journey/stages/*.yaml's volume values, trigger to expansion: 4200, 900, 260, 100, 34, 31, 24
    # (900/4200 = 21.4%, 260/900 = 28.9%, 100/260 = 38.5%, 34/100 = 34.0%, 31/34 = 91.2%, 24/31 = 77.4%)
    conversions = conversion_labels(EXAMPLE, [f"stages/{s}.yaml" for s in ("trigger", "research", "consideration",
                                                                          "evaluation", "purchase", "onboarding",
                                                                          "expansion")])
    assert conversions == ["21.4%", "28.9%", "38.5%", "34.0%", "91.2%", "77.4%"]
    for conversion in conversions:
        assert f">{conversion}</text>" in svg, conversion
    assert "WEAKEST LINK" in svg and "SLOWEST: 38 days" in svg
    assert 'xlink:href="stages/evaluation.html"' in svg
    assert '<title id="stage-flow-title">' in svg and "<desc" in svg


def _handoff_gaps_in_yaml(source: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Every `next` edge of the map's YAML, and those that pass to another team with no `handoff:` written."""
    touchpoints = {t["id"]: t for path in sorted((source / "stages").glob("*.yaml"))
                   for t in yaml.safe_load(path.read_text()).get("touchpoints", [])}
    edges = {(t["id"], n) for t in touchpoints.values() for n in t.get("next", []) if n in touchpoints}
    gaps = {(a, b) for a, b in edges
            if touchpoints[a].get("owner") != touchpoints[b].get("owner") and not touchpoints[a].get("handoff")}
    return edges, gaps


def test_handoff_diagram_draws_gaps_dashed_red(example_site: Path) -> None:
    page = (example_site / "handoffs.html").read_text()
    assert "NO HAND&#45;OFF" in page or "NO HAND-OFF" in page
    edges, gaps = _handoff_gaps_in_yaml(EXAMPLE)
    assert gaps and gaps != edges  # the example has both kinds, so the check below can tell them apart
    drawn = {}
    for classes, title, body in re.findall(r'<g id="edge\d+" class="edge([^"]*)">\s*<title>(.*?)</title>(.*?)\n</g>',
                                           page, re.S):
        # a `next` back to an earlier stage is drawn between the boxes' bottoms: dot names the ports (`t_a:s`)
        source, target = (re.sub(r":[nsew]$", "", end).removeprefix("t_") for end in html.unescape(title).split("->"))
        line = re.search(r"<path [^>]*>", body).group(0)  # the edge's own line, not its label or arrowhead
        drawn[(source, target)] = (line, classes.split())
    assert set(drawn) == edges
    for edge, (line, classes) in drawn.items():
        is_gap = 'stroke="#b02a37"' in line and "stroke-dasharray" in line
        assert is_gap == (edge in gaps), (edge, line)
        assert ("gap" in classes) == (edge in gaps), (edge, classes)  # what dark mode's CSS colours red
    stage_page = (example_site / "stages/evaluation.html").read_text()
    assert 'xlink:href="../stages/evaluation.html#tp-discovery-call"' in stage_page


def test_map_json_exports_the_resolved_model(example_site: Path) -> None:
    data = json.loads((example_site / "map.json").read_text())
    assert data["stage_order"][0] == "trigger" and len(data["stages"]) == 7
    assert data["weakest_link"] == {"from": "consideration", "to": "evaluation"}  # 82% of the targets', as above
    assert data["slowest_stage"] == "onboarding"
    order = data["stage_order"]
    assert [(t["from"], t["to"]) for t in data["transitions"]] == list(zip(order, order[1:], strict=False))
    assert all(0 < t["conversion"] <= 1 for t in data["transitions"])
    assert data["stages"][0]["touchpoints"][0]["source"]["file"] == "stages/trigger.yaml"


def test_search_index_is_embedded_as_a_script(example_site: Path) -> None:
    text = (example_site / "assets/search-index.js").read_text()
    entries = json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))
    kinds = {e["kind"] for e in entries}
    assert {"stage", "touchpoint", "team", "brief"} <= kinds
    assert any(e["title"] == "Requests a demo" and e["url"] == "stages/consideration.html#tp-demo-request-form"
               for e in entries)
    # no page loads the index up front (journeymap.js loads it on the first search, from the page's
    # data-root, which reaches the site's root from every page)
    assert 'script.src = root + "assets/search-index.js"' in (example_site / "assets/journeymap.js").read_text()
    for page in example_site.rglob("*.html"):
        html = page.read_text()
        assert "search-index.js" not in html, page
        [root] = re.findall(r'<html lang="en" data-root="([^"]*)">', html)
        assert (page.parent / root / "assets/search-index.js").resolve() == (example_site / "assets/search-index.js")


def test_edit_links_point_at_the_yaml_in_the_repository(example_site: Path) -> None:
    page = (example_site / "stages/evaluation.html").read_text()
    assert "https://github.com/journeymap/journeymap/edit/main/journey/stages/evaluation.yaml" in page
    gaps = (example_site / "gaps.html").read_text()
    assert "https://github.com/journeymap/journeymap/blob/main/journey/stages/purchase.yaml#L62" in gaps


def test_every_page_links_to_its_yaml_on_github_when_repo_url_is_set(example_site: Path,
                                                                      second_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        assert re.search(r'<a class="edit" href="https://github\.com/journeymap/journeymap/(edit|tree)/main/journey',
                         page.read_text()), page
    brief = (example_site / "briefs/first-close-program.html").read_text()
    assert "edit/main/journey/briefs/first-close-program.md" in brief
    for page in second_site.rglob("*.html"):  # no repo_url: no links to GitHub
        assert "github.com" not in page.read_text()


def test_text_users_write_renders_as_text(tmp_path: Path) -> None:
    nasty = '<script>alert(1)</script> "quoted" & {braces} |pipe|'
    files = dict(CLEAN_MAP)
    # in single quotes YAML keeps backslashes, so DOT would read \n and \l as line breaks if not escaped
    files["stages/spark.yaml"] = files["stages/spark.yaml"].replace(
        "name: Sees an ad", "name: 'C:\\new\\label'").replace("name: Spark", f"name: '{nasty}'")
    folder = write_map(tmp_path / "map", files)
    result = build(folder, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        assert "<script>alert" not in page.read_text(), page
    index = (tmp_path / "site/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    flow = index[index.index('id="stage-flow-svg"'):index.index("</svg>", index.index('id="stage-flow-svg"'))]
    assert "&lt;script&gt;" in flow and "<script" not in flow
    handoffs = (tmp_path / "site/handoffs.html").read_text()
    assert re.search(r"<text[^>]*>C:\\new\\label</text>", handoffs), "the label was split or escaped away"
    assert "<code>&lt;b&gt;x&lt;/b&gt;</code>" in code_spans("`<b>x</b>`")


def test_a_map_with_errors_builds_nothing_unless_keep_going(tmp_path: Path) -> None:
    result = build(SEEDED, tmp_path / "site")
    assert result.returncode == 1 and not (tmp_path / "site").exists()
    assert "--keep-going" in result.stderr
    kept = build(SEEDED, tmp_path / "site", "--keep-going")
    assert kept.returncode == 1, kept.stderr
    gaps = (tmp_path / "site/gaps.html").read_text()
    for rule in ("unowned-touchpoint", "unknown-stage", "duplicate-key", "invalid-yaml"):
        assert rule in gaps
    assert 'class="card unowned' in (tmp_path / "site/index.html").read_text()


def test_strict_refuses_to_build_on_warnings(tmp_path: Path) -> None:
    result = build(EXAMPLE, tmp_path / "site", "--strict")
    assert result.returncode == 1 and not (tmp_path / "site").exists()


def test_failed_build_keeps_the_previous_site_byte_for_byte(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    output = tmp_path / "site"
    assert build(folder, output).returncode == 0
    before = snapshot(output)
    stage = folder / "stages/adopt.yaml"
    stage.write_text(stage.read_text().replace("    owner: cs\n", ""))
    assert build(folder, output).returncode == 1
    assert snapshot(output) == before
    # a template that fails half-way through the pages leaves it untouched too, though the pages rendered
    # before the failure differ from the old ones (the journey has a new title, on every page)
    (folder / "templates").mkdir()
    (folder / "templates/brief.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    stage.write_text(stage.read_text().replace("    initiator: company", "    owner: cs\n    initiator: company"))
    journey = folder / "journey.yaml"
    journey.write_text(journey.read_text().replace("title: Tiny journey", "title: Renamed journey"))
    failed = build(folder, output, "--templates", str(folder / "templates"))
    assert failed.returncode == 2 and "brief.html" in failed.stderr and "Traceback" not in failed.stderr
    assert snapshot(output) == before
    # the same map with a working template does build, and its pages are the ones that differ
    (folder / "templates/brief.html").unlink()
    assert build(folder, tmp_path / "renamed").returncode == 0
    renamed = snapshot(tmp_path / "renamed")
    assert renamed.keys() == before.keys() and "Renamed journey" in renamed["index.html"].decode()
    assert [name for name in before if renamed[name] != before[name]]
    shutil.rmtree(tmp_path / "renamed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map", "site"]  # no temporary folders left


def test_successful_build_replaces_the_old_site_whole(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    output = tmp_path / "site"
    assert build(folder, output).returncode == 0
    (output / "stale.html").write_text("old")
    assert build(folder, output).returncode == 0
    assert not (output / "stale.html").exists()


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = build(folder, precious)
    assert result.returncode == 2 and "not written by journeymap" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"


def test_user_templates_override_by_name(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "journey", CLEAN_MAP)
    custom = tmp_path / "templates"
    (custom / "assets").mkdir(parents=True)
    (custom / "assets/style.css").write_text("body { background: papayawhip; }")
    (custom / "brief.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1 class=custom>{{ brief.title }}</h1>{% endblock %}")
    assert build(folder, tmp_path / "site", "--templates", str(custom)).returncode == 0
    assert "papayawhip" in (tmp_path / "site/assets/style.css").read_text()
    assert '<h1 class=custom>Spark campaign</h1>' in (tmp_path / "site/briefs/spark-brief.html").read_text()
    assert "journey-map" in (tmp_path / "site/index.html").read_text()  # the rest stays bundled


def test_build_py_builds_the_example_into_output(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--output", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/index.html").is_file()


def test_installed_package_carries_templates_and_example(tmp_path: Path) -> None:
    """A plain (non-editable) install must find its templates: build the wheel and run from it."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(wheel_dir.glob("journeymap-*.whl"))
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    assert (installed / "journeymap/templates/index.html").is_file()
    assert (installed / "journeymap/example/journey.yaml").is_file()
    for scaffold in (".github/workflows/journey.yml", ".pre-commit-config.yaml", "journey/stages/trigger.yaml"):
        assert (installed / "journeymap/authoring/scaffold" / scaffold).is_file(), scaffold  # init works from a wheel
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    result = subprocess.run([sys.executable, "-m", "journeymap", "build", "--example", "--output", "site"],
                            cwd=empty, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Ledgerly" in (empty / "site/index.html").read_text()


def _stage_names(source: Path) -> list[str]:
    from journeymap.core.check import check_map

    return [stage.name for stage in check_map(source).journey.stages]


def conversion_labels(source: Path, stage_files: list[str]) -> list[str]:
    """Each transition's conversion as the diagram labels it, from the volume values written in the YAML:
    the next stage's value over this one's, "?" when either is missing (or not a number) or this one is 0."""
    values = []
    for name in stage_files:
        volume = ((yaml.safe_load((source / name).read_text()) or {}).get("metrics") or {}).get("volume") or {}
        value = volume.get("value")
        values.append(value if isinstance(value, int | float) and not isinstance(value, bool) else None)
    return ["?" if before is None or after is None or before <= 0 else f"{after / before:.1%}"
            for before, after in zip(values, values[1:], strict=False)]


@pytest.mark.parametrize("kind", ["small", "big", "seeded-with-errors"])
def test_any_map_builds_into_a_cross_linked_site(kind: str, tmp_path: Path) -> None:
    """Maps this project did not hand-tune: every stage, brief and owner has a page, linked from the map."""
    from journeymap.core.check import check_map

    from ..bigmap import write_big_map

    source = {"small": lambda: write_map(tmp_path / "map", CLEAN_MAP),
              "big": lambda: write_big_map(tmp_path / "map", stages=7, touchpoints=10),
              "seeded-with-errors": lambda: SEEDED}[kind]()
    result = build(source, tmp_path / "site", "--keep-going")
    assert result.returncode == (1 if kind == "seeded-with-errors" else 0), result.stderr
    site = tmp_path / "site"
    assert sitecheck.problems(site) == []
    journey = check_map(source).journey
    index = sitecheck.hrefs(site / "index.html")
    for stage in journey.stages:
        assert (site / f"stages/{stage.id}.html").is_file() and f"stages/{stage.id}.html" in index
    for owner in {t.owner for t in journey.touchpoints if journey.owner(t.owner)}:
        assert (site / f"owners/{owner}.html").is_file() and f"owners/{owner}.html" in index
    for brief in journey.briefs:
        page = site / f"briefs/{brief.id}.html"
        assert page.is_file() and f"../briefs/{brief.id}.html" in sitecheck.hrefs(site / "briefs/index.html")
        if journey.stage(brief.stage):
            assert f"briefs/{brief.id}.html" in index
            assert f"../stages/{journey.stage(brief.stage).id}.html" in sitecheck.hrefs(page)
    text = (site / "index.html").read_text()
    flow = text[text.index('id="stage-flow-svg"'):text.index("</svg>", text.index('id="stage-flow-svg"'))]
    for stage in journey.stages:
        assert f">{stage.name}</text>" in flow
    for label in conversion_labels(source, [stage.origin.file for stage in journey.stages]):
        assert f">{label}</text>" in flow


def test_sparkline_follows_history_in_written_order_then_the_current_value(tmp_path: Path) -> None:
    from journeymap.core.check import check_map
    from journeymap.site.pages import Site

    stage = CLEAN_MAP["stages/spark.yaml"].replace(
        "    target: 1200\n", "    target: 1200\n    history: {Nov 2026: 400, Apr 2026: 100, Dec 2026: 900}\n")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "stages/spark.yaml": stage})
    checked = check_map(folder)
    metric = checked.journey.stage("spark").volume
    points = [tuple(map(float, p.split(","))) for p in Site(checked.journey, [], folder).sparkline(metric).split()]
    assert len(points) == 4 and points[0][0] == 0 and points[-1][0] == 100
    # values 400, 100, 900, then the current 1000: a higher value is drawn higher (a smaller y)
    ys = [y for _, y in points]
    assert ys[1] > ys[0] > ys[2] > ys[3]


def test_stage_page_draws_the_volume_sparkline(tmp_path: Path) -> None:
    history = {"Nov 2026": 400, "Apr 2026": 100, "Dec 2026": 900}
    current = 1000  # stages/spark.yaml's volume value in CLEAN_MAP
    stage = CLEAN_MAP["stages/spark.yaml"].replace(
        "    target: 1200\n", "    target: 1200\n    history: {"
        + ", ".join(f"{period}: {value}" for period, value in history.items()) + "}\n")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "stages/spark.yaml": stage})
    assert build(folder, tmp_path / "site").returncode == 0
    page = (tmp_path / "site/stages/spark.html").read_text()
    drawn = re.findall(r'<svg class="sparkline"[^>]*aria-label="([^"]*)">\s*<polyline points="([^"]+)"', page)
    assert len(drawn) == 1  # the volume has a history, the health metric none
    label, points = drawn[0]
    assert label == "History: " + ", ".join(f"{period} {value:,}" for period, value in history.items())
    # in written order then the current value, spread evenly over x 0..100; in the 24-high box the lowest
    # value (100) sits at y=22 and the highest (1000) at y=2
    values = [*history.values(), current]
    low, high = min(values), max(values)
    expected = [(i * 100 / (len(values) - 1), 22 - (v - low) / (high - low) * 20) for i, v in enumerate(values)]
    got = [float(n) for p in points.split() for n in p.split(",")]
    assert got == pytest.approx([n for point in expected for n in point], abs=0.06)


def test_one_bodys_markdown_definitions_never_reach_another(tmp_path: Path) -> None:
    """Bodies are converted by one reused Markdown converter: a brief's link references, abbreviations and
    footnotes stay on its own page."""
    from journeymap.site.render import render_markdown

    first = render_markdown("Read [the plan][plan] in HTML[^1].\n\n[plan]: https://plan.example\n"
                            "*[HTML]: Hyper Text\n\n[^1]: a note\n")
    assert 'href="https://plan.example"' in first and "<abbr" in first and "a note" in first
    second = render_markdown("Read [the plan][plan] in HTML[^1].\n")
    assert second == "<p>Read [the plan][plan] in HTML[^1].</p>"
