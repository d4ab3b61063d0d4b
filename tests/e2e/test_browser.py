"""The published site in real headless Chromium: from file://, under an HTTP subpath, with and without JS."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from journeymap.core.check import check_map

from ..bigmap import write_big_map
from ..conftest import CHROMIUM, EXAMPLE, ROOT, run_cli

ARTIFACTS = Path(os.environ.get("JOURNEYMAP_ARTIFACTS", ROOT / "test-artifacts"))
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}; `make test` "
                                 "installs it")]


class Watched:
    """A page whose console errors, uncaught exceptions and failed requests are collected."""

    def __init__(self, browser, **context_options) -> None:
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        # ERR_ABORTED is a load cut short by the next navigation, not a missing resource
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}")
                     if "ERR_ABORTED" not in (r.failure or "") else None)
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400
                     else None)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    watched.close()


def test_map_page_from_file_url_shows_its_diagram_without_errors(watched: Watched, site: Path) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    diagram = page.locator("#stage-flow-svg")
    diagram.wait_for(state="visible")
    box = diagram.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 50
    assert page.locator(".journey-map .card").count() == 37
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-page.png"), full_page=True)
    assert watched.errors == []


def test_every_page_loads_cleanly_from_file_url(watched: Watched, site: Path) -> None:
    for html in sorted(site.rglob("*.html")):
        watched.page.goto(html.as_uri())
        for svg in watched.page.locator("svg.diagram-svg").all():
            assert svg.is_visible(), html
    assert watched.errors == []


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site under a subpath of a local HTTP server, as on GitHub Pages' project sites."""
    root = tmp_path_factory.mktemp("http")
    shutil.copytree(site, root / "acme" / "journey-site")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/acme/journey-site/"
    server.shutdown()
    server.server_close()


def test_site_works_under_a_subpath_over_http(watched: Watched, served: str) -> None:
    page = watched.page
    page.goto(served)
    page.locator("#stage-flow-svg").wait_for(state="visible")
    page.locator('.journey-map thead a[href="stages/evaluation.html"]').click()
    page.wait_for_url(served + "stages/evaluation.html")
    page.locator("#stage-evaluation-svg").wait_for(state="visible")
    page.get_by_role("link", name="Q4 security-questionnaire campaign").click()
    page.wait_for_url(served + "briefs/security-questionnaire-campaign.html")
    page.locator("a.brief-stage").click()
    page.wait_for_url(served + "stages/evaluation.html")
    # a diagram node is a link too
    page.goto(served + "handoffs.html")
    page.locator("#handoffs-svg text", has_text="Signs the contract").click()
    page.wait_for_url(served + "stages/purchase.html#tp-contract-signature")
    assert watched.errors == []


def test_filters_answer_who_owns_what_and_which_high_intent_touchpoints_lack_an_sla(watched: Watched,
                                                                                   site: Path) -> None:
    journey = check_map(EXAMPLE).journey
    page = watched.page
    page.goto((site / "index.html").as_uri())
    visible = page.locator(".journey-map .card:visible")
    page.select_option("#filters select[name=owner]", "sdr")
    assert visible.count() == len([t for t in journey.touchpoints if t.owner == "sdr"])
    assert set(visible.evaluate_all("cards => cards.map(c => c.dataset.owner)")) == {"sdr"}
    page.select_option("#filters select[name=owner]", "")
    page.check("#filters input[name=no-sla]")
    lacking = [t.id for t in journey.touchpoints if t.intent == "high" and t.response_sla_hours is None]
    assert visible.evaluate_all("cards => cards.map(c => c.id)") == [f"card-{i}" for i in lacking]
    assert f"{len(lacking)} of 37 touchpoints shown" in page.locator("#filter-count").inner_text()
    page.uncheck("#filters input[name=no-sla]")
    page.select_option("#filters select[name=initiator]", "third-party")
    assert visible.count() == len([t for t in journey.touchpoints if t.initiator == "third-party"])
    assert watched.errors == []


def test_search_finds_touchpoints_from_a_nested_page(watched: Watched, site: Path) -> None:
    page = watched.page
    page.goto((site / "owners/sdr.html").as_uri())
    page.fill("#search-input", "security questionnaire")
    result = page.locator("#search-results a", has_text="Security questionnaire from her IT team")
    result.wait_for(state="visible")
    result.click()
    page.wait_for_url("**/stages/evaluation.html#tp-security-questionnaire")
    page.fill("#search-input", "account executives")
    page.keyboard.press("Enter")
    page.wait_for_url("**/owners/account-executives.html")
    assert watched.errors == []


def test_the_search_index_loads_on_the_first_search_not_with_every_page(watched: Watched, site: Path) -> None:
    page = watched.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((site / "stages/evaluation.html").as_uri())
    assert page.evaluate("typeof window.JOURNEYMAP_SEARCH") == "undefined"
    assert not [url for url in requested if url.endswith("search-index.js")]
    page.fill("#search-input", "account executives")  # and Enter at once: before the index has arrived
    page.keyboard.press("Enter")
    page.wait_for_url("**/owners/account-executives.html")
    assert [url for url in requested if url.endswith("search-index.js")] == [(site / "assets/search-index.js").as_uri()]
    assert watched.errors == []


def test_pages_read_fully_without_javascript(browser, site: Path) -> None:
    watched = Watched(browser, java_script_enabled=False)
    try:
        page = watched.page
        page.goto((site / "index.html").as_uri())
        assert not page.locator("#filters").is_visible()
        assert not page.locator("form.search").is_visible()
        assert page.locator(".journey-map .card:visible").count() == 37
        assert page.locator("#stage-flow-svg").is_visible()
        assert page.get_by_role("link", name="Teams").is_visible()
        page.get_by_role("link", name="Gaps").click()
        assert page.locator("#by-stage .finding").count() == 4  # every finding once under its stage
    finally:
        watched.close()


def test_seven_stages_of_ten_touchpoints_do_not_overlap(watched: Watched, tmp_path: Path) -> None:
    source = write_big_map(tmp_path / "big", stages=7, touchpoints=10)
    result = run_cli("build", str(source), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    page = watched.page
    page.goto((tmp_path / "site/index.html").as_uri())
    boxes = page.locator(".journey-map .card").evaluate_all(
        "cards => cards.map(c => { const r = c.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom, c.scrollWidth > c.clientWidth]; })")
    assert len(boxes) == 70
    assert not any(box[4] for box in boxes), "a card's text overflows it"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
            assert not overlap, f"cards overlap: {a} {b}"
    headers = page.locator(".journey-map thead .stages th").evaluate_all(
        "ths => ths.map(t => t.scrollWidth <= t.clientWidth + 1)")
    assert all(headers)
    assert watched.errors == []


def test_map_prints_on_a3_landscape(watched: Watched, site: Path) -> None:
    page = watched.page
    # A3 landscape is 420 mm wide; with 10 mm margins, 400 mm ≈ 1512 CSS pixels
    page.set_viewport_size({"width": 1512, "height": 1000})
    page.goto((site / "index.html").as_uri())
    page.emulate_media(media="print")
    width = page.locator(".journey-map").evaluate("t => t.getBoundingClientRect().width")
    assert width <= 1512
    assert not page.locator("#filters").is_visible() and not page.locator("form.search").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "map-a3.pdf"
    page.pdf(path=str(pdf), format="A3", landscape=True, print_background=True, prefer_css_page_size=True)
    assert pdf.stat().st_size > 10_000
    assert watched.errors == []
