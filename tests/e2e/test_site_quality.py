"""What readers see, checked by the tools a designer would use, in real Chromium (issue 20).

axe-core on every page in light and dark at 1440 and 390 px; the W3C validator (vnu) on every page;
Lighthouse's accessibility, SEO and best-practices audits; no page wider than a phone; the whole
journey inside a laptop's window with its headings kept in view; the A3 print; and the screenshots a
person looks at before an issue is resolved. The tools come from `make node-tools` and `make java`.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..bigmap import write_big_map
from ..conftest import CHROMIUM, EXAMPLE, ROOT, run_cli, write_map
from ..site.test_portfolio_site import PORTFOLIO

NODE = ROOT / "tests/.node/node_modules"
AXE, VNU = NODE / "axe-core/axe.min.js", NODE / "vnu-jar/build/dist/vnu.jar"
LIGHTHOUSE = NODE / "lighthouse/cli/index.js"
ARTIFACTS = Path(os.environ.get("JOURNEYMAP_ARTIFACTS", ROOT / "test-artifacts")) / "issue20"
SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}
SCHEMES = ("light", "dark")

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
              pytest.mark.skipif(not AXE.exists(), reason="no axe-core: `make node-tools` installs it")]


def _built(source: Path, output: Path, *options: str) -> Path:
    result = run_cli("build", str(source), "--output", str(output), *options)
    assert result.returncode in (0, 1), result.stderr  # 1: a portfolio with planted gaps, built with its gaps page
    return output


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example, the portfolio fixture, a map of over 100 pages and a 7-stage map of 8 touchpoints each."""
    root = tmp_path_factory.mktemp("quality")
    portfolio = write_map(root / "portfolio", PORTFOLIO)
    return {"example": _built(EXAMPLE, root / "example-site"),
            "portfolio": _built(portfolio, root / "portfolio-site", "--keep-going"),
            "hundred": _built(write_big_map(root / "hundred", stages=28, touchpoints=4), root / "hundred-site"),
            "seven-by-eight": _built(write_big_map(root / "seven", stages=7, touchpoints=8), root / "seven-site")}


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_wide_map_fixture_has_over_a_hundred_pages(sites: dict[str, Path]) -> None:
    assert len(_pages(sites["hundred"])) >= 100


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_violation_on_any_page(browser, sites: dict[str, Path], scheme: str, size: str) -> None:
    # bypass_csp: the site's own policy allows only its own scripts, which is what keeps axe out otherwise
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = []
    for site in (sites["example"], sites["portfolio"]):
        for html in _pages(site):
            page.goto(html.as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                   ".violations.map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target"
                                   ".join(' '))])")
            found += [f"{html.relative_to(site.parent)} [{scheme} {size}px] {rule}: {what} at {targets}"
                      for rule, what, targets in result]
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.skipif(shutil.which("java") is None or not VNU.exists(), reason="no JRE or vnu: `make java node-tools`")
def test_the_w3c_validator_finds_no_error(sites: dict[str, Path]) -> None:
    files = [str(p) for name in ("example", "portfolio") for p in _pages(sites[name])]
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    assert not messages, "\n".join(f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages)


def test_no_page_is_wider_than_a_phone(browser, sites: dict[str, Path]) -> None:
    page = browser.new_page(viewport=SIZES["390"])
    wide = []
    for name in ("example", "portfolio", "hundred"):
        for html in _pages(sites[name]):
            page.goto(html.as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .map(e => [e.getBoundingClientRect().right, e.tagName + '.' + e.className])
                    .sort((a, b) => b[0] - a[0])[0]""")
                wide.append(f"{name}/{html.relative_to(sites[name])}: {width} px, widest {widest}")
    page.close()
    assert not wide, "\n".join(wide)


HEADINGS = ".journey-map [data-stage-heading]"
IN_WINDOW = """sel => [...document.querySelectorAll(sel)].map(e => { const r = e.getBoundingClientRect();
    return [e.textContent.trim().split('\\n')[0], r.left >= 0 && r.right <= innerWidth && r.top >= 0
            && r.bottom <= innerHeight]; })"""


@pytest.mark.parametrize("name", ["example", "seven-by-eight"])
def test_the_whole_journey_is_in_a_laptops_window_and_its_headings_stay(browser, sites: dict[str, Path],
                                                                        name: str) -> None:
    page = browser.new_page(viewport=SIZES["1440"])
    page.goto((sites[name] / "index.html").as_uri())
    page.locator(HEADINGS).first.scroll_into_view_if_needed()
    stages = page.evaluate(IN_WINDOW, HEADINGS)
    assert len(stages) == 7 and all(inside for _, inside in stages), stages
    page.locator(".journey-map tbody tr:last-child").scroll_into_view_if_needed()
    last_row = page.locator(".journey-map tbody tr:last-child").bounding_box()
    assert last_row and 0 <= last_row["y"] <= 900  # the map's last row is on screen...
    after = page.evaluate(IN_WINDOW, HEADINGS)
    assert all(inside for _, inside in after), after  # ...and so is every stage heading
    page.close()


def test_the_a3_print_holds_every_stage_and_repeats_the_heading_row(browser, sites: dict[str, Path]) -> None:
    # A3 landscape is 420 mm wide; less 10 mm margins each side, 400 mm at 96 px to the inch
    width = round(400 / 25.4 * 96)
    page = browser.new_page(viewport={"width": width, "height": round(277 / 25.4 * 96)})
    page.goto((sites["example"] / "index.html").as_uri())
    page.emulate_media(media="print")
    boxes = page.locator(HEADINGS).evaluate_all("hs => hs.map(h => h.getBoundingClientRect().right)")
    assert len(boxes) == 7 and max(boxes) <= width
    assert page.evaluate("getComputedStyle(document.querySelector('.journey-map thead')).display") \
        == "table-header-group"  # repeated at the top of every printed page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "map-a3.pdf"), format="A3", landscape=True, print_background=True)
    page.close()


SCREENSHOTS = {"map": "index.html", "stage": "stages/onboarding.html", "gaps": "gaps.html",
               "handoffs": "handoffs.html"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_pages_people_open(browser, sites: dict[str, Path], scheme: str, size: str) -> None:
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in SCREENSHOTS.items():
        page.goto((sites["example"] / path).as_uri())
        dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert dark is (scheme == "dark")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}-{size}.png"), full_page=True)
    context.close()
    assert errors == []


@pytest.fixture(scope="module")
def served(sites: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lighthouse")
    shutil.copytree(sites["example"], root / "site")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    server.shutdown()
    server.server_close()


def lighthouse(url: str, *options: str, categories: str = "accessibility,seo,best-practices") -> dict:
    """Lighthouse's report on one page, run by its own CLI on Debian's Chromium."""
    run = subprocess.run(["node", str(LIGHTHOUSE), url, "--output=json", "--quiet",
                          f"--only-categories={categories}", "--chrome-flags=--headless=new --no-sandbox",
                          *options], capture_output=True, text=True, timeout=240,
                         env={**os.environ, "CHROME_PATH": CHROMIUM})
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.mark.skipif(not LIGHTHOUSE.exists() or shutil.which("node") is None, reason="no Lighthouse or node")
@pytest.mark.parametrize(("path", "options"), [("index.html", ("--preset=desktop",)), ("index.html", ()),
                                               ("stages/evaluation.html", ("--preset=desktop",)),
                                               ("gaps.html", ())])
def test_lighthouse_gives_full_marks_for_accessibility_seo_and_best_practices(served: str, path: str,
                                                                              options: tuple[str, ...]) -> None:
    report = lighthouse(served + path, *options)
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = [f"{audit['id']}: {audit['title']}" for audit in report["audits"].values()
               if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") in
               ("binary", "numeric")]
    assert scores == {"accessibility": 1, "seo": 1, "best-practices": 1}, (scores, failing)
