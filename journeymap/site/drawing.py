"""Graphviz's `dot`, run as few times as possible and never without a time limit.

Starting `dot` costs about 5 ms; laying out one small graph about 0.4 ms. So the
diagrams of a build are drawn together: one `dot` per core, each given many graphs
in one input, its SVG output split back on document boundaries. Each drawing is
kept by a hash of its DOT source and the Graphviz version, in this process and in
the cache folder, so an unchanged diagram is never laid out twice.

A graph `dot` cannot lay out within the time limit (`JOURNEYMAP_DOT_TIMEOUT`,
default 60 s: a dense graph of a thousand nodes takes minutes) is laid out again
with straight edges and bounded ranking and crossing work; if that is too slow too,
the page says so instead of showing it. A build never hangs on a diagram.

Graphviz 2.43 (Debian 12's) writes a graph's clusters in the order of the addresses
of their names in memory. For the first graph of a `dot` process that is the order
they were declared in; for a later graph of the same input it can vary from run to
run, though the layout does not. So every drawing's clusters are put back in the
order of their numbers (`_in_cluster_order`), and a diagram comes out byte for
byte the same however it was batched.

Every drawing, drawn now or read from the cache, is checked before it is used
(`_refused_if_live`): a diagram is also a file of its own under diagrams/, opened
with no Content-Security-Policy around it, so its SVG must be something that
cannot run. Only the elements and attributes dot writes for our graphs are
allowed, links only to the site's own pages; anything else, or SVG that is not
well-formed XML, and the page shows a note instead of the diagram. diagrams.py
quotes the DOT so this never happens; this is the second line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import graphviz

from ..core.cache import cache_dir, digest
from ..core.workers import usable_cores
from ..util.errors import JourneymapError
from ..util.files import write_atomically
from .links import is_own_page

#: graphs at least this long (DOT statements) are drawn alone, so one slow graph cannot hold up the others
LARGE_GRAPH_LINES = 1500
#: the layout of a graph too large for the full one: straight edges, little ranking and crossing work
SIMPLER_LAYOUT = ["-Gsplines=line", "-Gnslimit=2", "-Gnslimit1=2", "-Gmclimit=0.1", "-Gremincross=false",
                  "-Gsearchsize=5"]
_DOCUMENT_END = re.compile(r"(?<=</svg>\n)")
#: dot names the group of every graph after the first of a run `page0,1_graph0`; alone it is `graph0`
_LATER_PAGE = re.compile(r'<g id="page\d+,\d+_(graph\d+)" class="graph"')
#: where each top-level shape of an SVG starts: with the comment dot puts before a node or edge, if any
#: (a shape's own classes, from the DOT `class` attribute, follow dot's: `class="node team&#45;3"`)
_SHAPE_START = re.compile(r'^(?:<!--[^\n]*-->\n)?<g id="\w+" class="(?:cluster|node|edge)(?: [^"<>]*)?">$', re.M)
_CLUSTER = re.compile(r'<g id="clust(\d+)" class="cluster(?: [^"<>]*)?">')
_GRAPH_END = "</g>\n</svg>\n"
NOT_INSTALLED = ("Graphviz's `dot` is not installed; install it with `sudo apt-get install graphviz`, "
                 "`brew install graphviz` or `winget install Graphviz.Graphviz`")


class DotProblem(JourneymapError):
    """`dot` is missing, or failed on a graph even alone: the site cannot be drawn."""
#: bumped when what is kept of a drawing changes, so a cache of the old form is drawn again
_DRAWING_FORM = "clusters-in-order"


@dataclass(frozen=True)
class Drawing:
    svg: str
    note: str = ""  # what the page says about a diagram drawn the simpler way, or not drawn


_drawn: dict[str, Drawing] = {}  # by DOT source, for the life of the process (serve redraws only what changed)


def timeout() -> float:
    return float(os.environ.get("JOURNEYMAP_DOT_TIMEOUT", "60"))


def drawing(source: str) -> Drawing:
    """The drawing of one graph (drawn now, alone, when `draw_all` was not given it)."""
    if source not in _drawn:
        draw_all([source])
    return _drawn[source]


def draw_all(sources: Iterable[str], use_cache: bool = True) -> None:
    """Draw every graph not drawn yet: from the cache folder, else with one `dot` per core."""
    missing = [s for s in dict.fromkeys(sources) if s not in _drawn]
    if not missing:
        return
    stored = cache_dir() / "svg" if use_cache else None
    keys = {source: digest(_dot_version(), _DRAWING_FORM, source) for source in missing}
    for source in missing:
        cached = _read(stored, keys[source])
        if cached is not None:
            _drawn[source] = _refused_if_live(Drawing(cached))
    missing = [s for s in missing if s not in _drawn]
    if not missing:
        return
    large = [s for s in missing if s.count("\n") >= LARGE_GRAPH_LINES]
    small = [s for s in missing if s.count("\n") < LARGE_GRAPH_LINES]
    cores = usable_cores()
    chunks = [small[i::cores] for i in range(cores) if small[i::cores]] + [[s] for s in large]
    with ThreadPoolExecutor(max_workers=cores) as pool:
        for chunk, drawings in zip(chunks, pool.map(_draw_chunk, chunks), strict=True):
            for source, drawn in zip(chunk, drawings, strict=True):
                drawn = _drawn[source] = _refused_if_live(drawn)
                if not drawn.note:
                    _write(stored, keys[source], drawn.svg)


def _draw_chunk(sources: list[str]) -> list[Drawing]:
    """Many graphs through one `dot`; when that fails or takes too long, each graph on its own."""
    if len(sources) > 1:
        try:
            svgs = _run("".join(sources), timeout())
            documents = [d for d in _DOCUMENT_END.split(svgs) if d.strip()]
            if len(documents) == len(sources):  # each as dot draws it alone, wherever it fell in the batch
                return [Drawing(_in_cluster_order(_LATER_PAGE.sub(r'<g id="\1" class="graph"', d, count=1)))
                        for d in documents]
        except (subprocess.TimeoutExpired, graphviz.CalledProcessError):
            pass
    return [_draw_alone(source) for source in sources]


def _draw_alone(source: str) -> Drawing:
    try:
        return _laid_out(source)
    except graphviz.CalledProcessError as error:  # alone, there is nothing left to try
        raise DotProblem(f"Graphviz failed to draw a diagram: {error.stderr or error}") from error


def _laid_out(source: str) -> Drawing:
    """The full layout; on a graph that takes too long, a quicker one; failing that, a placeholder."""
    try:
        return Drawing(_in_cluster_order(_run(source, timeout())))
    except subprocess.TimeoutExpired:
        pass
    try:
        return Drawing(_in_cluster_order(_run(source, timeout(), SIMPLER_LAYOUT)),
                       f"This diagram is too large to lay out fully within {timeout():g} s, so it is drawn with "
                       "straight edges and a quicker layout; the tables on this page list everything in it.")
    except subprocess.TimeoutExpired:
        nodes = len(re.findall(r"^\s*(?!graph |node |edge )\S+ \[", source, flags=re.M))
        return Drawing(_placeholder(nodes), f"This diagram ({nodes} boxes) is too large to lay out within "
                                            f"{timeout():g} s, so it is not drawn; the tables on this page list "
                                            "everything in it. Split the stage, or raise JOURNEYMAP_DOT_TIMEOUT.")


def _run(source: str, seconds: float, options: list[str] | None = None) -> str:
    """`dot -Tsvg` on `source`, killed after `seconds` (the graphviz package's pipe() has no time limit)."""
    executable = shutil.which("dot")
    if executable is None:
        raise DotProblem(NOT_INSTALLED)
    command = [executable, "-Tsvg", *(options or [])]
    done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True, timeout=seconds)  # kills on time
    if done.returncode != 0:
        raise graphviz.CalledProcessError(done.returncode, command, output=done.stdout, stderr=done.stderr)
    return done.stdout.decode("utf-8")


def _in_cluster_order(svg: str) -> str:
    """The SVG with its clusters in the order of their numbers, which is the order they were declared in.

    dot writes every cluster before the first node, and a nested cluster after the one
    around it, which also has the lower number; so sorting keeps what is painted over what.
    """
    starts = [match.start() for match in _SHAPE_START.finditer(svg)]
    if not starts:
        return svg
    end = len(svg) - len(_GRAPH_END) if svg.endswith(_GRAPH_END) else len(svg)
    shapes = [svg[start:stop] for start, stop in zip(starts, starts[1:] + [end], strict=True)]
    numbered = [(int(match.group(1)), shape) for shape in shapes if (match := _CLUSTER.match(shape))]
    clusters = [shape for _, shape in numbered]
    if shapes[:len(clusters)] != clusters:  # not the SVG this function knows: leave it as dot wrote it
        return svg
    return svg[:starts[0]] + "".join([shape for _, shape in sorted(numbered)] + shapes[len(clusters):]) + svg[end:]


_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
#: what dot writes for our graphs: shapes, text, titles and links, nothing that runs, loads or styles
SVG_ELEMENTS = frozenset(_SVG + name for name in ("svg", "g", "title", "desc", "text", "path", "polygon",
                                                    "polyline", "ellipse", "a"))
SVG_ATTRIBUTES = frozenset({
    "id", "class", "width", "height", "viewBox", "transform", "fill", "fill-opacity", "stroke", "stroke-width",
    "stroke-dasharray", "stroke-opacity", "d", "points", "cx", "cy", "rx", "ry", "x", "y", "text-anchor",
    "font-family", "font-size", "font-weight", "font-style", "text-decoration", "baseline-shift", "target",
    "role", "aria-labelledby",
    _XLINK + "title", _XLINK + "href"})


def what_could_run(svg: str) -> str | None:
    """Why this SVG may not be published (something in it could run or load), or None when it may.

    An allowlist, not a search for `<script>`: an element or attribute dot does not write for our
    graphs (script, foreignObject, an on* handler, style, href) is refused whatever it is, and a
    link must lead to one of the site's own pages.
    """
    try:
        root = ElementTree.fromstring(svg.encode("utf-8"))
    except ElementTree.ParseError as error:
        return f"not well-formed XML ({error})"
    for element in root.iter():
        if element.tag not in SVG_ELEMENTS:
            return f"a <{element.tag.removeprefix(_SVG)}> element"
        for name, value in element.attrib.items():
            if name not in SVG_ATTRIBUTES:
                return f"a {name.replace(_XLINK, 'xlink:')} attribute"
            if name == _XLINK + "href" and not is_own_page(value):
                return f"a link to {value!r}, not a page of the site"
    return None


def _refused_if_live(drawn: Drawing) -> Drawing:
    """The drawing, or in its place a note saying it was not published and why."""
    reason = what_could_run(drawn.svg)
    if reason is None:
        return drawn
    return Drawing(_placeholder_saying("Not shown: this drawing held something that could run."),
                   f"This diagram is not shown: the SVG dot drew for it held {reason}, which a diagram of the "
                   "site never carries. Report it as a journeymap bug, with the map that caused it.")


def _placeholder(nodes: int) -> str:
    return _placeholder_saying(f"Not drawn: {nodes} boxes are too many to lay out in time.")


def _placeholder_saying(text: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" width="420" height="40" viewBox="0 0 420 40">'
            f'<text x="10" y="25" font-family="Helvetica" font-size="14">{text}</text></svg>\n')


@cache
def _dot_version() -> str:
    try:
        return ".".join(str(part) for part in graphviz.version())
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, RuntimeError):
        return "unknown"


def _read(folder: Path | None, key: str) -> str | None:
    if folder is None:
        return None
    try:
        text = (folder / f"{key}.svg").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.rstrip().endswith("</svg>") else None  # a truncated file is drawn again


def _write(folder: Path | None, key: str, svg: str) -> None:
    if folder is None:
        return
    try:
        write_atomically(folder / f"{key}.svg", svg.encode("utf-8"))
    except OSError:
        pass  # not kept: drawn again next time
