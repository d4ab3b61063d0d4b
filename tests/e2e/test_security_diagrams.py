"""Map text never becomes DOT, SVG markup or a link: the diagrams of a hostile pull request.

A touchpoint id ending in a backslash used to end Graphviz's quoted string early
(the graphviz package quotes `t\\` as `"t\\"`), so the names after it were read as
DOT. Every word now reaches dot through `dot_quote`; these tests give it every DOT
metacharacter and read back, from the real `dot`, which nodes and edges it drew
and the text it shows. The built site is then opened in real Chromium.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from journeymap.site import links
from journeymap.site.diagrams import DotGraph, dot_quote
from journeymap.site.drawing import what_could_run

from ..conftest import CLEAN_MAP, run_cli, write_map

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

#: everything DOT reads specially somewhere: quoting, escStrings, HTML strings, entities, comments, ports
METACHARACTERS = ["\\", "t\\", "\\\\", '"', '\\"', '\\\\"', "{", "}", "[", "]", ";", "=", "<", ">", "<b>x</b>",
                  "<<table>>", "#", "//", "/*", "*/", "->", "--", "&amp;", "&#92;", "&", "\\N", "\\G", "\\l", "\\n",
                  "%", "a:b", "a:b:n", "node", "graph", "subgraph", "strict", "digraph x {", "@", "'", "`",
                  '"] ; x [URL="javascript:alert(1)', "a\\\" URL=<javascript:alert(1)> b", "\u202eevil", "é漢字😀"]


def _draw(source: str) -> ElementTree.Element:
    done = subprocess.run(["dot", "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr.decode()
    return ElementTree.fromstring(done.stdout)


def _shapes(svg: ElementTree.Element, kind: str) -> list[ElementTree.Element]:
    """The groups dot draws for each node (or edge, cluster): `class="node"`, then any classes diagrams.py gave."""
    return [g for g in svg.iter(SVG + "g") if (g.get("class") or "").split()[:1] == [kind]]


def _text(group: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in group.iter(SVG + "text")]


@pytest.mark.parametrize("text", METACHARACTERS)
def test_dot_quote_keeps_every_metacharacter_text_in_the_real_dot(text: str) -> None:
    graph = DotGraph(text)
    graph.node("a" + text, label=text, tooltip=text)
    graph.node(text + "b", label="second " + text)
    graph.edge("a" + text, text + "b", label=text)
    svg = _draw(graph.source)
    nodes, edges = _shapes(svg, "node"), _shapes(svg, "edge")
    assert len(nodes) == 2 and len(edges) == 1  # exactly the graph written: nothing added, merged or lost
    assert _text(nodes[0]) == [text] and _text(nodes[1]) == ["second " + text]
    assert _text(edges[0]) == [text]
    assert [a.get(XLINK + "title") for a in nodes[0].iter(SVG + "a")] == [text]


def test_a_line_break_is_a_line_break_and_control_characters_are_shown_not_written() -> None:
    graph = DotGraph("g")
    graph.node("n", label="one\ntwo\r\nthree\x01\x1b")
    svg = _draw(graph.source)
    assert _text(_shapes(svg, "node")[0]) == ["one", "two", "three\u2401\u241b"]


def test_every_id_of_a_graph_is_quoted_so_no_id_can_name_another_node() -> None:
    graph = DotGraph("g")
    for name in ["t\\", "t", "t\\\\", 't"', "t:port"]:
        graph.node(name, label=name)
    assert len(_shapes(_draw(graph.source), "node")) == 5
    assert dot_quote("t\\") == '"t\\\\"'  # the string closes, whatever the graphviz package would have written


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "https://evil.example/",
                                 "//evil.example/x.html", "stages/a.html?x=1", "stages/../../x.html", "/etc/passwd",
                                 "stages/a.html#x\" onload=\"y", "vbscript:x", ""])
def test_a_link_that_is_not_one_of_our_pages_is_never_written(url: str) -> None:
    graph = DotGraph("g")
    graph.node("n", label="x", URL=url, href=url, tooltip="t")
    assert not links.is_own_page(url)
    assert "URL" not in graph.source and "href" not in graph.source
    assert list(_draw(graph.source).iter(SVG + "a"))[0].get(XLINK + "href") is None


@pytest.mark.parametrize("url", ["stages/spark.html", "../stages/spark.html#tp-ad", "index.html",
                                 "../stages/id-93c0ffaf88067811.html#tp-id-93c0ffaf88067811"])
def test_our_own_pages_stay_links(url: str) -> None:
    graph = DotGraph("g")
    graph.node("n", URL=url)
    assert [a.get(XLINK + "href") for a in _draw(graph.source).iter(SVG + "a")] == [url]


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="stages/a.html"><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<a xlink:href="data:image/svg+xml,x"><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><g style="x"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
])
def test_an_svg_that_could_run_or_load_is_refused(svg: str) -> None:
    assert what_could_run(svg) is not None


# -- the payload through the real build, and the site in real Chromium --

PAYLOAD_NAME = 'x" ] ; evil [URL=<javascript:window.PWNED=1> label="CLICK ME'
SECOND_NAME = '>> URL=<javascript:document.title=1//< ];'


def _hostile_map() -> dict[str, str]:
    journey = CLEAN_MAP["journey.yaml"] + "checks:\n  invalid-id: off\n"
    spark = CLEAN_MAP["stages/spark.yaml"].replace(
        "  - id: ad\n",
        "  - id: 't\\'\n"
        f"    name: '{PAYLOAD_NAME}'\n"
        "    owner: mkt\n"
        "    next: [ad]\n"
        "    handoff: 'a\\\" URL=<javascript:window.PWNED=2>'\n"
        "  - id: pwn\n"
        f"    name: '{SECOND_NAME}'\n"
        "    owner: mkt\n"
        "  - id: ad\n")
    return {**CLEAN_MAP, "journey.yaml": journey, "stages/spark.yaml": spark}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dot-injection")
    write_map(root / "map", _hostile_map())
    result = run_cli("build", "map", "-o", "site", cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return root / "site"


def _node_texts(svg: ElementTree.Element) -> list[str]:
    return [" ".join(_text(node)) for node in _shapes(svg, "node")]


def test_the_payload_builds_into_a_diagram_of_exactly_the_touchpoints_written(hostile_site: Path) -> None:
    svg = ElementTree.parse(hostile_site / "diagrams/stage-spark.svg").getroot()
    texts = _node_texts(svg)
    # the stage's three touchpoints and the one it hands on to, each its own box, its name as written
    assert len(texts) == 4
    assert any(PAYLOAD_NAME.replace(" ", "") in t.replace(" ", "") for t in texts), texts
    assert any(SECOND_NAME.replace(" ", "") in t.replace(" ", "") for t in texts), texts
    assert len(_shapes(svg, "edge")) == 2  # t\ -> ad, ad -> welcome


def test_an_id_past_graphvizs_limit_still_draws_with_keep_going(tmp_path: Path) -> None:
    """An id is no DOT name: a 20,000-character one is an invalid-id error, and --keep-going still draws."""
    long_id = "a" * 20_000  # Graphviz refuses a quoted string of 16,384 bytes
    files = dict(CLEAN_MAP)
    files["stages/spark.yaml"] = files["stages/spark.yaml"].replace(
        "  - id: ad\n", f"  - id: {long_id}\n    name: Long\n    owner: mkt\n  - id: ad\n")
    result = run_cli("build", str(write_map(tmp_path / "map", files)), "-o", str(tmp_path / "site"), "--keep-going")
    assert result.returncode == 1 and "[invalid-id]" in result.stderr and "Graphviz" not in result.stderr
    assert "Long" in (tmp_path / "site/diagrams/stage-spark.svg").read_text(encoding="utf-8")


def test_no_diagram_of_the_site_holds_anything_that_could_run(hostile_site: Path) -> None:
    files = sorted((hostile_site / "diagrams").glob("*.svg"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert what_could_run(text) is None, path.name
        assert "javascript:" not in text.replace("URL=&lt;javascript:", "")  # only as shown text, never a link
        for element in ElementTree.fromstring(text.encode()).iter():
            for name, value in element.attrib.items():
                assert "javascript" not in value.lower() or name == XLINK + "title", (path.name, name, value)


_LINKS = """() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href') ||
                a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))"""
_RAN = "() => [window.PWNED, document.title]"


def _click_every_link(browser, url: str) -> list[str]:
    """Open `url`, then click each link of its diagram in turn: what ran (window.PWNED, the title) each time."""
    context = browser.new_context(viewport={"width": 1600, "height": 1200})
    page = context.new_page()
    try:
        page.goto(url)
        title = page.title()
        hrefs = page.evaluate(_LINKS)
        assert hrefs and not [h for h in hrefs if h and "javascript" in h.lower()], hrefs
        ran = []
        count = page.locator("svg a").count()
        assert count >= 4
        for index in range(count):
            page.goto(url)
            page.locator("svg a").nth(index).click(force=True, timeout=5000)
            page.wait_for_load_state()
            pwned, now = page.evaluate(_RAN)
            if pwned is not None or now in ("1", "PWNED"):
                ran.append(f"link {index}: PWNED={pwned!r} title={now!r}")
        page.goto(url)
        assert page.title() == title
        return ran
    finally:
        context.close()


@pytest.mark.browser
def test_clicking_every_node_of_the_page_and_the_download_runs_nothing(browser, hostile_site: Path) -> None:
    assert _click_every_link(browser, (hostile_site / "stages/spark.html").as_uri()) == []
    assert _click_every_link(browser, (hostile_site / "diagrams/stage-spark.svg").as_uri()) == []


# -- map ids and folder names in the pages' ids, anchors and links --

def test_an_anchor_made_from_any_id_is_the_one_the_links_lead_to(hostile_site: Path) -> None:
    anchor = "tp-" + links.file_name("t\\")
    assert anchor.startswith("tp-id-")  # not the id itself
    stage = (hostile_site / "stages/spark.html").read_text(encoding="utf-8")
    assert f'id="{anchor}"' in stage
    assert f'href="stages/spark.html#{anchor}"' in (hostile_site / "index.html").read_text(encoding="utf-8")


HOSTILE_FOLDER = "javascript:alert(1)"


@pytest.fixture(scope="module")
def hostile_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-portfolio")
    journeys = {f"{folder}/{name}": text for folder in ("plain", HOSTILE_FOLDER) for name, text in CLEAN_MAP.items()
                if name != "owners.yaml"}
    write_map(root / "map", {**journeys, "owners.yaml": CLEAN_MAP["owners.yaml"]})
    result = run_cli("build", "map", "-o", "site", cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return root / "site"


def test_a_portfolio_folder_named_like_a_scheme_is_a_relative_link(hostile_portfolio: Path) -> None:
    from html.parser import HTMLParser

    from journeymap.util.urls import scheme_of

    hrefs: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            hrefs.extend(value or "" for name, value in attrs if name == "href")

    for page in [hostile_portfolio / "index.html", *(hostile_portfolio / "teams").glob("*.html")]:
        Links().feed(page.read_text(encoding="utf-8"))
    into_hostile = [h for h in hrefs if "alert" in h]
    assert into_hostile and all(h.startswith(("javascript%3Aalert%281%29/", "../javascript%3Aalert%281%29/"))
                                for h in into_hostile), into_hostile
    assert [h for h in hrefs if scheme_of(h) is not None] == []
    index = (hostile_portfolio / "assets/search-index.js").read_text(encoding="utf-8")
    assert '"url": "javascript:' not in index and '"url": "javascript%3Aalert%281%29/index.html"' in index
