"""Graphviz diagrams of the journey, drawn by the real `dot` binary as SVG.

The DOT text is written here, and every id, label, tooltip and URL in it goes
through `dot_quote`: a map comes from a pull request, and one id ending in a
backslash was enough to end a quoted string early and turn the names after it
into DOT (a node with `URL=<javascript:...>`). Node and cluster names are made
from `links.file_name` of an id (a slug, or a hash of anything else), and a URL
is written only when it is a page of the site (`links.is_own_page`). drawing.py
then refuses any drawing whose SVG holds something that could run.
Links are relative to the page the SVG is inlined into (`root` is "" or "../").
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from html import escape

from ..core.model import Journey, Stage, Touchpoint, percent
from ..util.words import plural
from . import links
from .drawing import drawing

#: light fills, each readable with black text; owners also carry their name, so colour is never the only signal
PALETTE = ["#cfe2ff", "#d1e7dd", "#fff3cd", "#f8d7da", "#e2d9f3", "#d2f4ea", "#ffe5d0", "#e9ecef",
           "#f7d6e6", "#dbe4c6"]
WEAK = "#b02a37"


@dataclass(frozen=True)
class Diagram:
    name: str  # file stem under diagrams/
    title: str
    description: str  # the text alternative
    dot: str  # the graph, drawn by drawing.py (many at once) when the page needs it
    root: str = ""  # what the graph's links start with: the way from the page it is drawn for to the site root

    @property
    def svg(self) -> str:
        """Inline-ready markup."""
        return _inline(drawing(self.dot).svg, self.name, self.title, self.description)

    @property
    def note(self) -> str:
        """Said under a diagram too large to draw in full."""
        return drawing(self.dot).note

    @property
    def file(self) -> str:
        """The diagram on its own, for slides: its path from the site root."""
        return f"diagrams/{self.name}.svg"

    def standalone(self) -> str:
        """The file under diagrams/: its links lead from that folder, wherever the page it was drawn for is."""
        svg = self.svg.replace('xlink:href="' + self.root, 'xlink:href="' + links.root_of(self.file))
        return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + svg + "\n"


def owner_colours(journey: Journey) -> dict[str, str]:
    return {owner.id: PALETTE[index % len(PALETTE)] for index, owner in enumerate(journey.owners)}


#: what DOT reads specially inside a quoted string, written so dot shows it as the character itself:
#: `\\` and `"` end or escape the string (and `\\N`, `\\l`... are escString sequences), `&` starts an
#: entity dot decodes in labels and tooltips; a line break stays a line break
_DOT_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("&"): "&amp;", ord("\n"): "\\n",
                **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
                0x7F: "\u2421"}
#: what XML (the SVG dot writes) cannot hold at all: lone surrogates and the two non-characters
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def dot_quote(text: str) -> str:
    """`text` as one DOT double-quoted string that dot shows exactly as written, whatever it holds.

    The one way map text reaches DOT: ids, labels, tooltips, URLs and attribute names alike.
    Control characters (other than tab and line break), which XML and so the SVG cannot hold, are
    shown as their Unicode control pictures (U+2400...); a carriage return is a line break.
    """
    text = _NOT_XML.sub("\ufffd", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return '"' + text.translate(_DOT_ESCAPES) + '"'


#: the control characters XML cannot hold, as their pictures (as dot_quote shows them)
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)}


def xml_text(text: str) -> str:
    """Text for the SVG's own title and description: escaped, and with nothing XML cannot hold."""
    return escape(_NOT_XML.sub("\ufffd", text.translate(_CONTROL_PICTURES)))


#: attributes that make dot write a link: only ever one of the site's own pages (links.is_own_page)
_LINK_ATTRIBUTES = frozenset({"url", "href", "edgeurl", "edgehref", "headurl", "headhref", "tailurl", "tailhref",
                              "labelurl", "labelhref"})
#: attributes that make dot read a file or point the SVG at a style sheet: never written
_FILE_ATTRIBUTES = frozenset({"image", "shapefile", "imagepath", "fontpath", "stylesheet"})


#: attributes whose backslashes dot reads twice (as an escString, then again for the tooltip)
_TOOLTIP_ATTRIBUTES = frozenset({"tooltip", "edgetooltip", "headtooltip", "tailtooltip", "labeltooltip"})


def _attributes(attrs: dict[str, str]) -> str:
    """` [key="value" ...]`, every part quoted; a link to anything but our own page is left out."""
    kept = {key: value.replace("\\", "\\\\") if key.lower() in _TOOLTIP_ATTRIBUTES else value
            for key, value in attrs.items() if key.lower() not in _FILE_ATTRIBUTES and (
                key.lower() not in _LINK_ATTRIBUTES or links.is_own_page(value))}
    return " [" + " ".join(f"{dot_quote(k)}={dot_quote(v)}" for k, v in kept.items()) + "]" if kept else ""


@dataclass
class DotGraph:
    """A graph (or a cluster in one) written as DOT text, every word of it through `dot_quote`.

    Not the graphviz package's Digraph: its quoting leaves an id ending in a backslash as `"t\\"`.
    """

    name: str
    statements: list[str] = field(default_factory=list)

    def attr(self, kind: str = "graph", **attrs: str) -> None:
        """Attributes of the graph itself, or the defaults of its nodes or edges (`kind`)."""
        self.statements.append(kind + _attributes(attrs))

    def node(self, name: str, **attrs: str) -> None:
        self.statements.append(dot_quote(name) + _attributes(attrs))

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        self.statements.append(f"{dot_quote(tail)} -> {dot_quote(head)}" + _attributes(attrs))

    def subgraph(self, other: DotGraph) -> None:
        self.statements.append(other.text("subgraph"))

    def text(self, keyword: str = "digraph") -> str:
        body = "".join(f"\t{line}\n" for statement in self.statements for line in statement.split("\n"))
        return f"{keyword} {dot_quote(self.name)} {{\n{body}}}\n"

    @property
    def source(self) -> str:
        return self.text()


def node_name(prefix: str, item_id: str) -> str:
    """A node's or cluster's name: never the id itself, which may be anything under `invalid-id: off`."""
    return prefix + links.file_name(item_id)


def _label(*lines: str, width: int = 28) -> str:
    """Lines joined by line breaks; long lines wrapped so nodes stay narrow."""
    return "\n".join(part for line in lines if line for part in textwrap.wrap(line, width) or [line])


def _link(url: str) -> dict[str, str]:
    """A node's link, when it is a page of the site; anything else gets no link at all."""
    return {"URL": url} if links.is_own_page(url) else {}


def _render(graph: DotGraph, name: str, title: str, description: str, root: str) -> Diagram:
    return Diagram(name, title, description, graph.source, root)


def _inline(svg: str, name: str, title: str, description: str) -> str:
    """Strip the XML prologue and give the SVG an accessible name and description."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    name = escape(name)
    head = (f'<svg role="img" aria-labelledby="{name}-title {name}-desc" class="diagram-svg" '
            f'id="{name}-svg"')
    svg = svg.replace("<svg", head, 1)
    head_end = svg.index(">") + 1
    return (svg[:head_end] + f'<title id="{name}-title">{xml_text(title)}</title>'
            f'<desc id="{name}-desc">{xml_text(description)}</desc>' + svg[head_end:])


def _graph(name: str) -> DotGraph:
    graph = DotGraph(name)
    graph.attr(rankdir="LR", bgcolor="transparent", fontname="Helvetica", nodesep="0.3", ranksep="0.5")
    graph.attr("node", fontname="Helvetica", fontsize="11", shape="box", style="rounded,filled",
               fillcolor="white", target="_top")
    graph.attr("edge", fontname="Helvetica", fontsize="10")
    return graph


def stage_flow(journey: Journey, root: str) -> Diagram:
    """Stages left to right, grouped by phase, conversion on every edge, the weakest link and slowest stage marked."""
    graph = _graph("stage-flow")
    graph.attr(ranksep="0.35", nodesep="0.2")
    graph.attr("node", margin="0.1,0.04")
    weakest = journey.shown_weakest_link()
    slowest = journey.shown_slowest_stage()
    by_phase: dict[str, list[Stage]] = {}
    for stage in journey.stages:
        by_phase.setdefault(stage.phase if journey.phase_of(stage) else "", []).append(stage)
    for phase_id, stages in by_phase.items():
        phase = next((p for p in journey.phases if p.id == phase_id), None)
        target = graph
        sub = DotGraph(node_name("cluster_", phase_id)) if phase else None
        if sub is not None and phase is not None:
            sub.attr(label=phase.name, style="rounded,dashed", color="#6c757d", fontname="Helvetica")
            target = sub
        for stage in stages:
            volume = stage.volume
            lines = [stage.name]
            if volume is not None and volume.value is not None:
                lines += [volume.format(volume.value), volume.name]
            if slowest is not None and slowest.cycle_time_days is not None and stage.id == slowest.id:
                lines.append(f"SLOWEST: {plural(slowest.cycle_time_days, 'day')}")
            attrs = {"peripheries": "2", "color": WEAK, "penwidth": "2"} if slowest and stage.id == slowest.id else {}
            target.node(node_name("s_", stage.id), label=_label(*lines, width=20),
                        **_link(root + links.stage(stage.id)), tooltip=f"{stage.name}: {stage.job}", **attrs)
        if sub is not None:
            graph.subgraph(sub)
    for transition in journey.transitions():
        is_weak = weakest is not None and transition.source.id == weakest.source.id
        label = "?" if transition.conversion is None else percent(transition.conversion)
        attrs = {"color": WEAK, "fontcolor": WEAK, "penwidth": "3", "style": "bold"} if is_weak else {}
        if is_weak:
            label += "\nWEAKEST LINK"
        graph.edge(node_name("s_", transition.source.id), node_name("s_", transition.target.id), label=label,
                   tooltip=f"{transition.source.name} → {transition.target.name}: {label}", **attrs)
    return _render(graph, "stage-flow", f"Stage flow of {journey.title or 'the journey'}", _flow_text(journey), root)


def _flow_text(journey: Journey) -> str:
    parts = [f"{t.source.name} to {t.target.name}: "
             f"{'unknown' if t.conversion is None else percent(t.conversion)} conversion"
             for t in journey.transitions()]
    weakest, slowest = journey.shown_weakest_link(), journey.shown_slowest_stage()
    if weakest is not None:
        parts.append(f"weakest link: {weakest.source.name} to {weakest.target.name}")
    if slowest is not None:
        parts.append(f"slowest stage: {slowest.name}")
    return "; ".join(parts) or "No stages yet."


def _touchpoint_node(graph: DotGraph, journey: Journey, touchpoint: Touchpoint, colours: dict[str, str],
                     url: str) -> None:
    owner = journey.owner(touchpoint.owner)
    owner_name = owner.name if owner else (touchpoint.owner or "NO OWNER")
    attrs = {"fillcolor": colours.get(touchpoint.owner or "", "white")}
    if not touchpoint.owner:
        attrs.update(color=WEAK, style="rounded,filled,dashed", penwidth="2")
    graph.node(node_name("t_", touchpoint.id), label=_label(touchpoint.name, f"({owner_name})"), **_link(url),
               tooltip=f"{touchpoint.name} — {owner_name}", **attrs)


def _handoff_edge(graph: DotGraph, source: Touchpoint, target: Touchpoint, gap: bool,
                  **attrs: str) -> None:
    if gap:
        attrs.update(style="dashed", color=WEAK, fontcolor=WEAK, penwidth="2", label="NO HAND-OFF",
                     tooltip=f"hand-off gap: {source.name} → {target.name}")
    elif source.owner != target.owner:
        attrs.update(label="hand-off", tooltip=source.handoff)
    graph.edge(node_name("t_", source.id), node_name("t_", target.id), **attrs)


def handoffs(journey: Journey, root: str) -> Diagram:
    """Every touchpoint, a column per stage, coloured by owner; `next` edges, gaps dashed red."""
    graph = _graph("handoffs")
    graph.attr(newrank="true", ranksep="1.2")
    colours = owner_colours(journey)
    column = {}
    for index, stage in enumerate(journey.stages):
        sub = DotGraph(node_name("cluster_", stage.id))
        sub.attr(label=stage.name, style="rounded", color="#adb5bd", fontname="Helvetica", rank="same",
                 **_link(root + links.stage(stage.id)), target="_top")
        for touchpoint in stage.touchpoints:
            _touchpoint_node(sub, journey, touchpoint, colours, root + links.touchpoint(touchpoint))
            column[touchpoint.id] = index
        sub.node(node_name("anchor_", stage.id), label="", style="invis", width="0", height="0")
        graph.subgraph(sub)
    for before, after in zip(journey.stages, journey.stages[1:], strict=False):
        graph.edge(node_name("anchor_", before.id), node_name("anchor_", after.id), style="invis", weight="10")
    gaps = 0
    for touchpoint in journey.touchpoints:
        for _, target in journey.next_of(touchpoint):
            if touchpoint.id in column and target.id in column:
                gap = journey.handoff_gap(touchpoint, target)
                gaps += gap
                forward = column[target.id] > column[touchpoint.id]
                _handoff_edge(graph, touchpoint, target, gap, constraint="true" if forward else "false")
    description = (f"{plural(len(column), 'touchpoint')} in {plural(len(journey.stages), 'stage')}, one column per "
                   f"stage, coloured and labelled by owning team; {plural(gaps, 'hand-off gap')} drawn as dashed red "
                   "edges.")
    return _render(graph, "handoffs", "Touchpoint hand-offs", description, root)


def stage_touchpoints(journey: Journey, stage: Stage, root: str) -> Diagram:
    """One stage's touchpoints with the hand-offs into and out of it."""
    graph = _graph(node_name("stage-", stage.id))
    colours = owner_colours(journey)
    inside = {t.id for t in stage.touchpoints}
    sub = DotGraph(node_name("cluster_", stage.id))
    sub.attr(label=stage.name, style="rounded", color="#adb5bd", fontname="Helvetica")
    for touchpoint in stage.touchpoints:
        _touchpoint_node(sub, journey, touchpoint, colours, root + links.touchpoint(touchpoint))
    graph.subgraph(sub)
    outside: set[str] = set()
    pairs = [(t, target) for t in journey.touchpoints for _, target in journey.next_of(t)]
    for source, target in pairs:
        if source.id not in inside and target.id not in inside:
            continue
        for other in (source, target):
            if other.id not in inside and other.id not in outside:
                outside.add(other.id)
                other_stage = journey.stage(other.stage)
                _touchpoint_node(graph, journey, other, colours, root + links.touchpoint(other))
                graph.node(node_name("t_", other.id), xlabel=other_stage.name if other_stage else other.stage)
        _handoff_edge(graph, source, target, journey.handoff_gap(source, target))
    description = (f"{plural(len(stage.touchpoints), 'touchpoint')} of {stage.name}"
                   + (f", with {plural(len(outside), 'touchpoint')} of other stages they hand on to or from" if outside
                      else "") + ".")
    return _render(graph, node_name("stage-", stage.id), f"Touchpoints of {stage.name}", description, root)
