"""The pages other than the map: gaps grouped by stage, previous/next stage links, and a link preview on every page."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..conftest import CLEAN_MAP, EXAMPLE, run_cli, write_map


def built(tmp_path: Path, files: dict[str, str]) -> Path:
    source = write_map(tmp_path / "map", files)
    run_cli("build", str(source), "-o", str(tmp_path / "site"), "--keep-going")
    return tmp_path / "site"


def test_every_page_has_a_description_and_open_graph_tags(tmp_path: Path) -> None:
    hostile = 'Q4 "launch" <script>alert(1)</script>'
    journey = CLEAN_MAP["journey.yaml"].replace("title: Tiny journey", f"title: '{hostile}'")
    files = {**CLEAN_MAP, "journey.yaml": journey}
    site = built(tmp_path, files)
    pages = list(site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text()
        for tag in ('name="description" content="', 'property="og:title" content="', 'property="og:description"',
                    'property="og:type" content="website"', 'name="twitter:card" content="summary"'):
            assert tag in html, (page, tag)
        assert re.search(r'name="description" content="[^"<]{20,}"', html), page
        assert "<script>alert" not in html and 'content="Q4 "' not in html
        assert 'property="og:site_name" content="Q4 &#34;launch&#34; &lt;script&gt;' in html, page


def test_stage_pages_link_the_previous_and_next_stage_in_journey_order(tmp_path: Path) -> None:
    site = tmp_path / "site"
    run_cli("build", str(EXAMPLE), "-o", str(site))
    order = yaml.safe_load((EXAMPLE / "journey.yaml").read_text())["stages"]
    names = {s: yaml.safe_load((EXAMPLE / f"stages/{s}.yaml").read_text())["name"] for s in order}
    for at in (0, len(order) // 2, len(order) - 1):
        html = (site / f"stages/{order[at]}.html").read_text()
        prev = re.findall(r'<a rel="prev" href="([^"]+)"><span class="step-label">Previous stage</span> ([^<]+)</a>',
                          html)
        nxt = re.findall(r'<a rel="next" href="([^"]+)"><span class="step-label">Next stage</span> ([^<]+)</a>', html)
        assert prev == ([] if at == 0 else [(f"../stages/{order[at - 1]}.html", names[order[at - 1]])] * 2)
        assert nxt == ([] if at == len(order) - 1 else [(f"../stages/{order[at + 1]}.html", names[order[at + 1]])] * 2)
    text = " ".join(p.read_text() for p in site.rglob("*.html"))  # the map page too
    for old in ("Rests on", "name next to them", "Hypothesis: no evidence", "<dt>Emotion</dt>", "Travelled by",
                "<dt>Starts</dt>", ">Emotion<"):
        assert old not in text
    assert "Backed by" in text and "should fix" in text and "Feeling" in text
