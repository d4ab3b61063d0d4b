"""The diagrams' look (issue 20): team colours and classes, no Graphviz black, natural size, dark mode,
and the hand-off page's team-by-team list. Real dot, real Chromium; expected figures from the YAML."""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from journeymap.site.palette import TEAM_COLOURS

from ..bigmap import write_big_map
from ..conftest import EXAMPLE, ROOT, run_cli

ARTIFACTS = Path(os.environ.get("JOURNEYMAP_ARTIFACTS", ROOT / "test-artifacts")) / "issue20"
SVG = "{http://www.w3.org/2000/svg}"
BLACK = {"black", "#000000", "#000"}


def _build(source: Path, output: Path) -> Path:
    result = run_cli("build", str(source), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(EXAMPLE, tmp_path_factory.mktemp("look") / "site")


@pytest.fixture(scope="module")
def two_stage_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = write_big_map(tmp_path_factory.mktemp("two") / "map", stages=2, touchpoints=2, owners=2)
    return _build(source, tmp_path_factory.mktemp("two") / "site")


def _yaml_touchpoints(source: Path) -> dict[str, dict]:
    return {t["id"]: t for path in sorted((source / "stages").glob("*.yaml"))
            for t in yaml.safe_load(path.read_text()).get("touchpoints", [])}


def _owner_order(source: Path) -> list[dict]:
    return yaml.safe_load((source / "owners.yaml").read_text())["owners"]


def _groups(svg: Path, kind: str) -> list[ElementTree.Element]:
    root = ElementTree.parse(svg).getroot()
    return [g for g in root.iter(SVG + "g") if g.get("class", "").split()[:1] == [kind]]


def _shapes(group: ElementTree.Element) -> list[ElementTree.Element]:
    return [e for e in group.iter() if e.tag in (SVG + "path", SVG + "polygon", SVG + "ellipse")]


def test_nodes_edges_and_clusters_carry_classes(example_site: Path) -> None:
    page = (example_site / "handoffs.html").read_text()
    assert re.search(r'<g id="node\d+" class="node touchpoint team&#45;\d+">', page)
    assert re.search(r'<g id="edge\d+" class="edge gap">', page)
    assert re.search(r'<g id="clust\d+" class="cluster stage&#45;column">', page)
    flow = (example_site / "index.html").read_text()
    assert re.search(r'<g id="edge\d+" class="edge weakest">', flow)
    assert re.search(r'<g id="node\d+" class="node stage slowest">', flow)


def test_no_diagram_uses_graphvizs_default_black(example_site: Path) -> None:
    svgs = sorted((example_site / "diagrams").glob("*.svg"))
    assert len(svgs) == 9  # the stage flow, the hand-offs, and one per stage of the 7
    for svg in svgs:
        for kind in ("node", "edge", "cluster"):
            for group in _groups(svg, kind):
                for shape in _shapes(group):
                    assert shape.get("stroke") not in BLACK, (svg.name, kind, ElementTree.tostring(shape)[:200])


def test_each_teams_touchpoints_carry_its_palette_colours_in_the_downloaded_svg(example_site: Path) -> None:
    touchpoints = _yaml_touchpoints(EXAMPLE)
    number = {owner["id"]: index for index, owner in enumerate(_owner_order(EXAMPLE))}
    seen = set()
    for group in _groups(example_site / "diagrams/handoffs.svg", "node"):
        title = group.find(SVG + "title")
        tp = touchpoints.get((title.text or "").removeprefix("t_")) if title is not None else None
        if tp is None or not tp.get("owner"):
            continue
        colour = TEAM_COLOURS[number[tp["owner"]] % len(TEAM_COLOURS)]
        shape = _shapes(group)[0]
        assert (shape.get("fill"), shape.get("stroke")) == (colour.fill, colour.line), tp["id"]
        assert f"team-{number[tp['owner']]}" in group.get("class", "").split()
        seen.add(tp["id"])
    assert seen == {t for t, v in touchpoints.items() if v.get("owner")}


def test_the_handoff_page_names_every_missing_handoff_first(example_site: Path) -> None:
    touchpoints = _yaml_touchpoints(EXAMPLE)
    names = {owner["id"]: owner["name"] for owner in _owner_order(EXAMPLE)}
    missing = {(a["owner"], touchpoints[b]["owner"], a["name"], touchpoints[b]["name"])
               for a in touchpoints.values() for b in a.get("next", [])
               if b in touchpoints and a.get("owner") and touchpoints[b].get("owner")
               and a["owner"] != touchpoints[b]["owner"] and not a.get("handoff")}
    assert missing  # the example has one: Demand Generation's webinar to Sales Development's follow-up
    page = (example_site / "handoffs.html").read_text()
    items = re.findall(r'<li class="team-handoff( has-missing)?">(.*?)\n  </li>', page, re.S)
    assert items and items[0][0]  # missing first
    text = [(bool(flag), re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", body))).strip())
            for flag, body in items]
    for source, target, source_tp, target_tp in missing:
        pair = f"{names[source]} → {names[target]}:"
        found = [body for flag, body in text if flag and body.startswith(pair)]
        assert found and "no hand-off written" in found[0], pair
        assert f"{source_tp} → {target_tp}: no hand-off written" in found[0]
    assert sum(flag for flag, _ in text) == len({(s, t) for s, t, _, _ in missing})
    assert 'href="stages/trigger.html#tp-' in page  # the touchpoints are links


def test_a_diagram_box_scrolls_by_keyboard_and_has_a_name(example_site: Path) -> None:
    page = (example_site / "index.html").read_text()
    assert re.search(r'<div class="diagram-scroll" id="diagram-stage-flow-box" tabindex="0" role="region" '
                     r'aria-label="Stage flow of [^"]+">', page)
    assert 'class="download" href="diagrams/stage-flow.svg" download' in page
    assert '<desc id="stage-flow-desc">Trigger to Research: 21.4% conversion' in page


def test_every_build_writes_the_team_palette(example_site: Path) -> None:
    css = (example_site / "assets/teams.css").read_text()
    assert ".team-11 {" in css and "prefers-color-scheme: dark" in css


def _natural_px(svg: str) -> float:
    return float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg).group(1)) * 4 / 3


def _widths(page, selector: str) -> tuple[float, float]:
    """The rendered width of a diagram and of its box's content area."""
    return page.evaluate("""s => { const svg = document.querySelector(s + ' svg.diagram-svg');
        const box = svg.parentElement; const style = getComputedStyle(box);
        return [svg.getBoundingClientRect().width,
                box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)]; }""", selector)


@pytest.mark.browser
def test_a_two_stage_flow_is_never_drawn_above_its_natural_size(browser, two_stage_site: Path) -> None:
    natural = _natural_px((two_stage_site / "diagrams/stage-flow.svg").read_text())
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto((two_stage_site / "index.html").as_uri())
    rendered, room = _widths(page, "#diagram-stage-flow")
    context.close()
    assert room > natural  # a small diagram on a wide page: it could have been blown up
    assert rendered == pytest.approx(natural, abs=1)


@pytest.mark.browser
def test_the_zoom_button_switches_between_fitted_and_full_size(browser, example_site: Path) -> None:
    natural = _natural_px((example_site / "diagrams/handoffs.svg").read_text())
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto((example_site / "handoffs.html").as_uri())
    button = page.get_by_role("button", name="Full size")
    button.wait_for(state="visible")
    rendered, room = _widths(page, "#diagram-handoffs")
    assert rendered == pytest.approx(room, abs=1) and rendered < natural
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_function("document.querySelector('#diagram-handoffs').classList.contains('is-natural')")
    assert button.get_attribute("aria-pressed") == "true"
    assert _widths(page, "#diagram-handoffs")[0] == pytest.approx(natural, abs=1)
    button.click()
    page.wait_for_function("!document.querySelector('#diagram-handoffs').classList.contains('is-natural')")
    assert _widths(page, "#diagram-handoffs")[0] == pytest.approx(room, abs=1)
    context.close()


@pytest.mark.browser
def test_without_script_the_handoff_diagram_is_fitted_and_no_button_shows(browser, example_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto((example_site / "handoffs.html").as_uri())
    assert not page.locator("button.zoom").is_visible()
    rendered, room = _widths(page, "#diagram-handoffs")
    context.close()
    assert rendered == pytest.approx(room, abs=1)


def _fill_of_first_team_node(page) -> str:
    return page.evaluate("""() => getComputedStyle(document.querySelector(
        '#handoffs-svg g.node.team-0 path, #handoffs-svg g.node.team-0 polygon')).fill""")


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_diagrams_follow_the_colour_scheme(browser, example_site: Path, scheme: str, width: int,
                                           height: int) -> None:
    """Team node colours follow prefers-color-scheme; screenshots to test-artifacts/issue20/ to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto((example_site / "handoffs.html").as_uri())
    first_team = TEAM_COLOURS[0]
    assert _fill_of_first_team_node(page) == _rgb(first_team.dark_fill if scheme == "dark" else first_team.fill)
    font = page.evaluate("getComputedStyle(document.querySelector('#handoffs-svg text')).fontFamily")
    assert font.startswith("system-ui")
    page.screenshot(path=str(ARTIFACTS / f"handoffs-{scheme}-{width}.png"), full_page=True)
    page.locator("#diagram-handoffs").screenshot(path=str(ARTIFACTS / f"handoffs-diagram-{scheme}-{width}.png"))
    page.goto((example_site / "index.html").as_uri())
    page.locator("#diagram-stage-flow").screenshot(path=str(ARTIFACTS / f"stage-flow-{scheme}-{width}.png"))
    context.close()
