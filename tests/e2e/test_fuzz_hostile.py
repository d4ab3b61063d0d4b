"""A fuzzer in the attacker's hands: text a hostile pull request writes, built, must stay text everywhere.

Each example writes attacker text (DOT metacharacters, HTML/SVG/JS payloads,
`</script>`, quotes, backslashes, control characters, bidi overrides, Markdown
links) into ids (with `invalid-id: off`), names, descriptions and a brief's front
matter, builds the site with the real command, and checks every surface it reaches
(SURFACES): each SVG is XML with nothing that could run, each HTML page holds only
the elements and attributes our templates emit, each diagram has exactly the
boxes of its stage, the terminal (check's text and GitHub output, diff's text)
shows no control or bidi character raw, and diff's Markdown pull-request comment
renders with no element the payload wrote. A few examples, no deadline: every one is a whole build.
Set JOURNEYMAP_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from journeymap.core.check import check_map
from journeymap.review.diff_report import COMMENT_MARKER
from journeymap.site.drawing import what_could_run
from journeymap.site.links import file_name
from journeymap.util.urls import is_safe

from ..conftest import CLEAN_MAP, EXAMPLE, run_cli, write_map
from ..gitrepo import commit_all, init_repo

EXAMPLES = max(3, int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "120")) // 24)
FRAGMENTS = ["\\", '"', "'", "{", "}", "[", "]", ";", "=", "<", ">", "#", "\n", "\r", "->", "--", "&amp;", "\\N",
             "\\l", "URL=<javascript:window.PWNED=1>", '"] ; x [URL="javascript:alert(1)', "</script>",
             "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '"><svg onload=alert(1)>',
             "</title><a href=javascript:alert(1)>", "javascript:alert(1)", "[md](javascript:alert(1))",
             "![i](data:text/html,x)", "{{ 7*7 }}", "\x00", "\x01", "\x1b[31m", "\x7f", "\u202e", "\u2066", "\u200b",
             "\ufeff", "%s", "&#x3C;", "' onmouseover='x", "`", "|", "*", "_"]


@st.composite
def attacker_text(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), min_size=1, max_size=6)))


def _yaml(text: str) -> str:
    """Any text as one YAML scalar (a JSON string is YAML's double-quoted form)."""
    return json.dumps(text)


@st.composite
def hostile_maps(draw: st.DrawFn) -> dict[str, str]:
    return shaped([draw(attacker_text()) for _ in range(6)])


def shaped(texts: list[str]) -> dict[str, str]:
    """The clean map with `texts` in its ids, names, descriptions and a brief's front matter."""
    files = dict(CLEAN_MAP)
    files["journey.yaml"] = (files["journey.yaml"].replace("title: Tiny journey\n", f"title: {_yaml(texts[0])}\n"
                                                           f"description: {_yaml(texts[1])}\n")
                             + "checks:\n  invalid-id: off\n")
    files["stages/spark.yaml"] = files["stages/spark.yaml"].replace("name: Spark\n", f"name: {_yaml(texts[2])}\n") \
        .replace("  - id: ad\n", f"  - id: {_yaml(texts[3] + '-1')}\n    name: {_yaml(texts[4])}\n    owner: mkt\n"
                                 f"    description: {_yaml(texts[1])}\n    next: [ad]\n  - id: ad\n")
    files["owners.yaml"] = files["owners.yaml"].replace("name: Marketing team", f"name: {_yaml(texts[4])}")
    files["briefs/spark-brief.md"] = files["briefs/spark-brief.md"].replace(
        "title: Spark campaign", f"title: {_yaml(texts[5])}").replace("owner: mkt", f"owner: {_yaml(texts[3])}")
    return files


class _Markup(HTMLParser):
    """The (tag, attribute) pairs of a page, and anything in it a browser would run or follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: set[tuple[str, str]] = set()
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pairs.add((tag, ""))
        for name, value in attrs:
            self.pairs.add((tag, name))
            if name.startswith("on") or (name in ("href", "src", "xlink:href", "action") and not is_safe(value or "")):
                self.live.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def _markup(site: Path) -> dict[str, _Markup]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        parsed = _Markup()
        parsed.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = parsed
    return pages


@pytest.fixture(scope="module")
def our_markup(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """Every element and attribute our templates emit, from the sites of the clean and the example map."""
    root = tmp_path_factory.mktemp("baseline")
    pairs: set[tuple[str, str]] = set()
    benign = write_map(root / "benign", shaped(["plain"] * 6))  # the same pages, with text that is only text
    unowned = shaped(["plain"] * 6)
    unowned["owners.yaml"] = "owners: [\n"  # a file that does not parse: every owner unknown
    for source in (write_map(root / "map", CLEAN_MAP), benign, write_map(root / "unowned", unowned), EXAMPLE):
        output = root / f"site-{source.name}"
        assert run_cli("build", str(source), "-o", str(output), "--keep-going").returncode in (0, 1)
        pairs |= {pair for page in _markup(output).values() for pair in page.pairs}
    return pairs


# -- the surfaces attacker text reaches; each takes (the map, the built site, our markup) and asserts --

def svgs_hold_nothing_that_runs(folder: Path, site: Path, ours: set[tuple[str, str]]) -> None:
    for path in sorted(site.rglob("diagrams/*.svg")):
        text = path.read_text(encoding="utf-8")
        ElementTree.fromstring(text.encode("utf-8"))  # well-formed XML
        assert what_could_run(text) is None, path


def pages_hold_only_our_markup(folder: Path, site: Path, ours: set[tuple[str, str]]) -> None:
    for name, page in _markup(site).items():
        assert page.live == [], name
        assert page.pairs - ours == set(), name


def diagrams_have_exactly_the_stages_boxes(folder: Path, site: Path, ours: set[tuple[str, str]]) -> None:
    journey = check_map(folder, use_cache=False).journeys[0]
    for stage in journey.stages:
        path = site / "diagrams" / f"stage-{file_name(stage.id)}.svg"
        if not path.exists():
            continue
        inside = {t.id for t in stage.touchpoints}
        linked = {other.id for t in journey.touchpoints for _, n in journey.next_of(t)
                  if t.id in inside or n.id in inside for other in (t, n)}
        svg = ElementTree.parse(path).getroot()
        boxes = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if (g.get("class") or "").split()[:1] == ["node"]]
        assert len(boxes) == len(inside | linked) + 0, path.name


#: what a terminal acts on instead of showing: C0 controls but tab and newline, DEL, C1, and the
#: bidirectional embeddings, overrides, isolates and marks (Unicode's Bidi_Control characters)
TERMINAL_ACTS_ON = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_shows_nothing_raw(folder: Path, site: Path, ours: set[tuple[str, str]]) -> None:
    """check's text and GitHub output, and diff's text, show control and bidi characters escaped."""
    outputs = [run_cli("check", str(folder), "--format", form) for form in ("text", "github")]
    outputs.append(_review(folder, "text"))
    for result in outputs:
        assert "Traceback" not in result.stderr, result.stderr
        for stream in (result.stdout, result.stderr):
            assert not TERMINAL_ACTS_ON.search(stream), stream


def review_comment_is_text(folder: Path, site: Path, ours: set[tuple[str, str]]) -> None:
    """diff's Markdown comment, rendered as GitHub would, holds no element the payload wrote, nor the marker."""
    comment = _review(folder, "markdown")
    assert comment.returncode == 0, comment.stderr
    assert comment.stdout.count(COMMENT_MARKER) == 1
    tags = _Markup()
    tags.feed(markdown.markdown(comment.stdout, extensions=["tables"]))
    assert {tag for tag, _ in tags.pairs} <= REVIEW_TAGS, comment.stdout


#: the elements diff's own Markdown makes: headings, notes, bold summaries, tables, code spans
REVIEW_TAGS = {"h3", "h4", "p", "strong", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "code"}


def _review(folder: Path, form: str) -> subprocess.CompletedProcess:
    """`diff` of the clean map against the hostile one, in a real git repository beside the map."""
    repo = init_repo(folder.parent / f"repo-{form}")
    write_map(repo / "journey", CLEAN_MAP)
    commit_all(repo, "the clean map")
    shutil.rmtree(repo / "journey")
    shutil.copytree(folder, repo / "journey")
    return run_cli("diff", "journey", "--base", "HEAD", "--format", form, cwd=repo)


Surface = Callable[[Path, Path, set], None]
SURFACES: list[Surface] = [svgs_hold_nothing_that_runs, pages_hold_only_our_markup,
                           diagrams_have_exactly_the_stages_boxes, terminal_shows_nothing_raw, review_comment_is_text]

#: no shrinking: each step is a whole build, and the failing map is printed as it was generated
FUZZING = settings(deadline=None, database=None, max_examples=EXAMPLES, phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])


#: one attack on every surface at once, always tried first: a backtick ends a code span early, so what follows
#: it is prose, where a link, an image, HTML, emphasis and a terminal's escape codes would all be live
EVERY_ATTACK = "x`\\ **b** [l](https://evil.example) ![i](x.png) <img src=x onerror=alert(1)> \x1b[2K\u202e\""


@settings(FUZZING)
@given(files=hostile_maps())
@example(files=shaped([EVERY_ATTACK + str(slot) for slot in range(6)]))
def test_attacker_text_stays_text_on_every_surface(files: dict[str, str], our_markup: set[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_map(Path(scratch) / "map", files)
        site = Path(scratch) / "site"
        result = run_cli("build", str(folder), "-o", str(site), "--keep-going")
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == 2:  # refused with a message (text YAML cannot hold): nothing built, nothing to see
            assert not site.exists() and result.stderr.strip(), result.stderr
            return
        for surface in SURFACES:
            surface(folder, site, our_markup)
