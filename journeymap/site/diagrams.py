"""Graphviz diagrams of the journey, drawn by the real `dot` binary as SVG.

Every label a user wrote goes through `graphviz.escape` (so `\\n` or `\\l` in a
name stays text) and dot escapes it again for SVG, so any text renders as text.
Links are relative to the page the SVG is inlined into (`root` is "" or "../").
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import graphviz

from ..model import Journey, Stage, Touchpoint, percent
from ..words import plural
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


def _t(text: str) -> str:
    return graphviz.escape(text)


def _label(*lines: str, width: int = 28) -> str:
    """Escaped lines joined by DOT's line break; long lines wrapped so nodes stay narrow."""
    wrapped = [part for line in lines if line for part in textwrap.wrap(line, width) or [line]]
    return "\\n".join(_t(part) for part in wrapped)


def _render(graph: graphviz.Digraph, name: str, title: str, description: str, root: str) -> Diagram:
    return Diagram(name, title, description, graph.source, root)


def _inline(svg: str, name: str, title: str, description: str) -> str:
    """Strip the XML prologue and give the SVG an accessible name and description."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    from html import escape

    head = (f'<svg role="img" aria-labelledby="{name}-title {name}-desc" class="diagram-svg" '
            f'id="{name}-svg"')
    svg = svg.replace("<svg", head, 1)
    head_end = svg.index(">") + 1
    return (svg[:head_end] + f'<title id="{name}-title">{escape(title)}</title>'
            f'<desc id="{name}-desc">{escape(description)}</desc>' + svg[head_end:])


def _graph(name: str) -> graphviz.Digraph:
    graph = graphviz.Digraph(name=name)
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
        sub = graphviz.Digraph(name=f"cluster_{phase_id}") if phase else None
        if sub is not None and phase is not None:
            sub.attr(label=_t(phase.name), style="rounded,dashed", color="#6c757d", fontname="Helvetica")
            target = sub
        for stage in stages:
            volume = stage.volume
            lines = [stage.name]
            if volume is not None and volume.value is not None:
                lines += [volume.format(volume.value), volume.name]
            if slowest is not None and stage.id == slowest.id:
                lines.append(f"SLOWEST: {plural(slowest.cycle_time_days, 'day')}")
            attrs = {"peripheries": "2", "color": WEAK, "penwidth": "2"} if slowest and stage.id == slowest.id else {}
            target.node(f"s_{stage.id}", label=_label(*lines, width=20), URL=_t(root + links.stage(stage.id)),
                        tooltip=_t(f"{stage.name}: {stage.job}"), **attrs)
        if sub is not None:
            graph.subgraph(sub)
    for transition in journey.transitions():
        is_weak = weakest is not None and transition.source.id == weakest.source.id
        label = "?" if transition.conversion is None else percent(transition.conversion)
        attrs = {"color": WEAK, "fontcolor": WEAK, "penwidth": "3", "style": "bold"} if is_weak else {}
        if is_weak:
            label += "\\nWEAKEST LINK"
        graph.edge(f"s_{transition.source.id}", f"s_{transition.target.id}", label=label,
                   tooltip=_t(f"{transition.source.name} → {transition.target.name}: {label}"), **attrs)
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


def _touchpoint_node(graph: graphviz.Digraph, journey: Journey, touchpoint: Touchpoint, colours: dict[str, str],
                     url: str) -> None:
    owner = journey.owner(touchpoint.owner)
    owner_name = owner.name if owner else (touchpoint.owner or "NO OWNER")
    attrs = {"fillcolor": colours.get(touchpoint.owner or "", "white")}
    if not touchpoint.owner:
        attrs.update(color=WEAK, style="rounded,filled,dashed", penwidth="2")
    graph.node(f"t_{touchpoint.id}", label=_label(touchpoint.name, f"({owner_name})"), URL=_t(url),
               tooltip=_t(f"{touchpoint.name} — {owner_name}"), **attrs)


def _handoff_edge(graph: graphviz.Digraph, source: Touchpoint, target: Touchpoint, gap: bool,
                  **attrs: str) -> None:
    if gap:
        attrs.update(style="dashed", color=WEAK, fontcolor=WEAK, penwidth="2", label="NO HAND-OFF",
                     tooltip=_t(f"hand-off gap: {source.name} → {target.name}"))
    elif source.owner != target.owner:
        attrs.update(label="hand-off", tooltip=_t(source.handoff))
    graph.edge(f"t_{source.id}", f"t_{target.id}", **attrs)


def handoffs(journey: Journey, root: str) -> Diagram:
    """Every touchpoint, a column per stage, coloured by owner; `next` edges, gaps dashed red."""
    graph = _graph("handoffs")
    graph.attr(newrank="true", ranksep="1.2")
    colours = owner_colours(journey)
    column = {}
    for index, stage in enumerate(journey.stages):
        sub = graphviz.Digraph(name=f"cluster_{stage.id}")
        sub.attr(label=_t(stage.name), style="rounded", color="#adb5bd", fontname="Helvetica", rank="same",
                 URL=_t(root + links.stage(stage.id)), target="_top")
        for touchpoint in stage.touchpoints:
            _touchpoint_node(sub, journey, touchpoint, colours, root + links.touchpoint(touchpoint))
            column[touchpoint.id] = index
        sub.node(f"anchor_{stage.id}", label="", style="invis", width="0", height="0")
        graph.subgraph(sub)
    for before, after in zip(journey.stages, journey.stages[1:], strict=False):
        graph.edge(f"anchor_{before.id}", f"anchor_{after.id}", style="invis", weight="10")
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
    graph = _graph(f"stage-{stage.id}")
    colours = owner_colours(journey)
    inside = {t.id for t in stage.touchpoints}
    sub = graphviz.Digraph(name=f"cluster_{stage.id}")
    sub.attr(label=_t(stage.name), style="rounded", color="#adb5bd", fontname="Helvetica")
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
                graph.node(f"t_{other.id}", xlabel=_t(other_stage.name if other_stage else other.stage))
        _handoff_edge(graph, source, target, journey.handoff_gap(source, target))
    description = (f"{plural(len(stage.touchpoints), 'touchpoint')} of {stage.name}"
                   + (f", with {plural(len(outside), 'touchpoint')} of other stages they hand on to or from" if outside
                      else "") + ".")
    return _render(graph, f"stage-{stage.id}", f"Touchpoints of {stage.name}", description, root)
