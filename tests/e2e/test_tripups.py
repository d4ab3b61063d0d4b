"""What a new user tripped on while writing a map: rates without their decimal, a page that scrolled
sideways, diagrams that could not leave the page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, EXAMPLE, run_cli, write_map


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("tripups") / "site"
    assert run_cli("build", str(EXAMPLE), "--output", str(output)).returncode == 0
    return output


def test_a_computed_rate_keeps_its_decimal(tmp_path: Path) -> None:
    # Pain → Shortlist: 2,400 → 540 is 22.5%, which a whole-number rounding shows as 22%
    files = {**CLEAN_MAP, "stages/spark.yaml": CLEAN_MAP["stages/spark.yaml"].replace("value: 1000", "value: 2400"),
             "stages/adopt.yaml": CLEAN_MAP["stages/adopt.yaml"].replace("value: 100\n", "value: 540\n")}
    write_map(tmp_path / "map", files)
    assert run_cli("build", "map", "-o", "site", cwd=tmp_path).returncode == 0
    index = (tmp_path / "site/index.html").read_text()
    flow = (tmp_path / "site/diagrams/stage-flow.svg").read_text()
    assert ">22.5%<" in flow and "22.5%" in re.sub(r"<[^>]+>", "", index)
    assert "22.5%" in (tmp_path / "site/stages/adopt.html").read_text()
    import json

    exported = json.loads((tmp_path / "site/map.json").read_text())
    assert exported["transitions"][0]["conversion"] == 540 / 2400  # map.json keeps the exact value


def test_every_diagram_is_also_a_file_to_download(example_site: Path) -> None:
    figures = 0
    for page in example_site.rglob("*.html"):
        text = page.read_text()
        for href in re.findall(r'<a class="download" href="([^"]+)" download>', text):
            figures += 1
            svg = (page.parent / href).resolve()
            assert svg.is_file() and svg.is_relative_to(example_site.resolve()), href
            root = ElementTree.parse(svg).getroot()  # a whole SVG document, not a fragment
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(re.findall(r'<figure class="diagram[ "]', text)) == len(re.findall(r'class="download"', text))
    stages = len(list((EXAMPLE / "stages").glob("*.yaml")))
    assert figures >= 2 + stages  # the stage flow, the hand-offs, one per stage


@pytest.fixture
def page_at_1440(browser) -> Iterator:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    yield page
    page.close()


@pytest.mark.browser
def test_only_the_swimlane_scrolls_sideways_and_lane_names_stay_in_view(page_at_1440, example_site: Path) -> None:
    page = page_at_1440
    page.goto((example_site / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    frame = page.locator(".map-scroll")
    assert frame.evaluate("e => e.scrollWidth <= e.clientWidth")  # at 1440 the whole journey fits (issue 20)
    page.set_viewport_size({"width": 1024, "height": 800})  # narrower, the map is wider than its box
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")  # so it scrolls inside, not the page
    lane = page.locator(".journey-map tbody th[scope=row]").first
    before = lane.bounding_box()
    frame.evaluate("e => { e.scrollLeft = 400; }")
    after = lane.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 1  # the lane's name stays where it was
