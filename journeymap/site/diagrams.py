"""Graphviz diagrams of the journey, drawn by the real `dot` binary as SVG.

The DOT text is written here, through dot.py's `DotGraph`, which quotes every word of it.
Node and cluster names are made from `links.file_name` of an id (a slug, or a hash of anything
else). drawing.py then refuses any drawing whose SVG holds something that could run.
Links are relative to the page the SVG is inlined into (`root` is "" or "../").

The colours dot writes are the light ones of palette.py, so a downloaded diagram looks right on
a slide; every node, edge and cluster also carries a `class` (`team-3`, `stage`, `weakest`,
`gap`...), by which assets/teams.css recolours the inlined diagram in dark mode. Red is only
ever the weakest link and a gap.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from html import escape

from ..core.model import Journey, Stage, Touchpoint, percent
from ..util.words import plural
from . import links, palette
from .dot import DotGraph, dot_quote, xml_text
from .drawing import drawing

__all__ = ["Diagram", "DotGraph", "dot_quote", "handoffs", "owner_colours", "stage_flow", "stage_touchpoints"]

#: the font dot measures text with: metric-compatible with the page's system UI stack closely enough
#: (Arial is Liberation Sans on Linux); the inlined SVG shows the page's own font (`--font`)
FONT = "Arial"
#: the smallest scale a diagram is shown at before its box scrolls: keeps 10 pt edge labels at 10 px
SMALLEST_SCALE = 0.75
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


@dataclass(frozen=True)
class Diagram:
    name: str  # file stem under diagrams/
    title: str
    description: str  # the text alternative, read by screen readers (the SVG's <desc>)
    dot: str  # the graph, drawn by drawing.py (many at once) when the page needs it
    root: str = ""  # what the graph's links start with: the way from the page it is drawn for to the site root
    caption: str = ""  # one line under the diagram, for everyone

    @property
    def svg(self) -> str:
        """Inline-ready markup."""
        return _inline(drawing(self.dot).svg, self.name, self.title, self.description)

    @property
    def note(self) -> str:
        """Said under a diagram too large to draw in full."""
        return drawing(self.dot).note

    @property
    def natural_width(self) -> int:
        """CSS pixels at the size dot drew it (1 pt = 4/3 px); 0 when the SVG does not say."""
        size = _SIZE.search(drawing(self.dot).svg)
        return round(float(size.group(1)) * 4 / 3) if size else 0

    @property
    def smallest_width(self) -> int:
        """The narrowest it is shown before its box scrolls sideways instead, so text stays readable."""
        return round(self.natural_width * SMALLEST_SCALE)

    @property
    def file(self) -> str:
        """The diagram on its own, for slides: its path from the site root."""
        return f"diagrams/{self.name}.svg"

    def standalone(self) -> str:
        """The file under diagrams/: its links lead from that folder, wherever the page it was drawn for is."""
        svg = self.svg.replace('xlink:href="' + self.root, 'xlink:href="' + links.root_of(self.file))
        return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + svg + "\n"


def owner_colours(journey: Journey) -> dict[str, str]:
    """Each team's light fill (kept for templates that still set it inline; `Site.team_class` replaces it)."""
    return {owner: palette.TEAM_COLOURS[number].fill for owner, number in palette.team_numbers(journey).items()}


def node_name(prefix: str, item_id: str) -> str:
    """A node's or cluster's name: never the id itself, which may be anything under `invalid-id: off`."""
    return prefix + links.file_name(item_id)


def _label(*lines: str, width: int = 28) -> str:
    """Lines joined by line breaks; long lines wrapped so nodes stay narrow."""
    return "\n".join(part for line in lines if line for part in textwrap.wrap(line, width) or [line])


def _link(url: str) -> dict[str, str]:
    """A node's link, when it is a page of the site; anything else gets no link at all."""
    return {"URL": url} if links.is_own_page(url) else {}


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
    graph.attr(rankdir="LR", bgcolor="transparent", fontname=FONT, fontcolor=palette.MUTED, nodesep="0.3",
               ranksep="0.5")
    graph.attr("node", fontname=FONT, fontsize="11", shape="box", style="rounded,filled", fillcolor=palette.SURFACE,
               color=palette.EDGE, fontcolor=palette.INK, penwidth="1.2", target="_top",
               margin="0.16,0.06")  # room for a page font a little wider than the one dot measured
    graph.attr("edge", fontname=FONT, fontsize="10", color=palette.EDGE, fontcolor=palette.MUTED, penwidth="1.2",
               arrowsize="0.7")
    return graph


def _cluster(name: str, label: str, kind: str, **attrs: str) -> DotGraph:
    """A subtle group: a pale fill, a thin grey outline, its name in muted text."""
    sub = DotGraph(name)
    sub.attr(label=label, style="rounded,filled", color=palette.CLUSTER, fillcolor=palette.CLUSTER_FILL, fontname=FONT,
             fontcolor=palette.MUTED, fontsize="11", penwidth="1", **{"class": kind}, **attrs)
    return sub


def stage_flow(journey: Journey, root: str) -> Diagram:
    """Stages left to right, grouped by phase, conversion on every edge, the weakest link and slowest stage marked."""
    graph = _graph("stage-flow")
    graph.attr(ranksep="0.35", nodesep="0.2")
    graph.attr("node", margin="0.14,0.05")
    slowest = journey.shown_slowest_stage()
    by_phase: dict[str, list[Stage]] = {}
    for stage in journey.stages:
        by_phase.setdefault(stage.phase if journey.phase_of(stage) else "", []).append(stage)
    for phase_id, stages in by_phase.items():
        phase = next((p for p in journey.phases if p.id == phase_id), None)
        sub = _cluster(node_name("cluster_", phase_id), phase.name, "phase") if phase else None
        for stage in stages:
            volume = stage.volume
            lines = [stage.name]
            if volume is not None and volume.value is not None:
                lines += [volume.format(volume.value), volume.name]
            is_slowest = slowest is not None and stage.id == slowest.id
            if is_slowest and slowest is not None and slowest.cycle_time_days is not None:
                lines.append(f"SLOWEST: {plural(slowest.cycle_time_days, 'day')}")
            attrs = {"class": "stage"}
            if is_slowest:
                attrs.update(peripheries="2", color=palette.WARN, penwidth="2", **{"class": "stage slowest"})
            (sub or graph).node(node_name("s_", stage.id), label=_label(*lines, width=20),
                                **_link(root + links.stage(stage.id)), tooltip=f"{stage.name}: {stage.job}", **attrs)
        if sub is not None:
            graph.subgraph(sub)
    _conversions(graph, journey)
    return Diagram("stage-flow", f"Stage flow of {journey.title or 'the journey'}", _flow_text(journey),
                   graph.source, root, "Conversion from each stage to the next; the weakest link in red.")


def _conversions(graph: DotGraph, journey: Journey) -> None:
    weakest = journey.shown_weakest_link()
    for transition in journey.transitions():
        is_weak = weakest is not None and transition.source.id == weakest.source.id
        label = "?" if transition.conversion is None else percent(transition.conversion)
        attrs = {"color": palette.DANGER, "fontcolor": palette.DANGER, "penwidth": "3", "class": "weakest"} \
            if is_weak else {"class": "conversion"}
        if is_weak:
            label += "\nWEAKEST LINK"
        graph.edge(node_name("s_", transition.source.id), node_name("s_", transition.target.id), label=label,
                   tooltip=f"{transition.source.name} → {transition.target.name}: {label}", **attrs)


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


def _touchpoint_node(graph: DotGraph, journey: Journey, touchpoint: Touchpoint, url: str) -> None:
    """A box in its team's colours, with the team's name in it: colour is never the only signal."""
    owner = journey.owner(touchpoint.owner)
    owner_name = owner.name if owner else (touchpoint.owner or "NO OWNER")
    number = palette.team_numbers(journey).get(touchpoint.owner or "")
    if number is not None:
        colour = palette.TEAM_COLOURS[number]
        attrs = {"fillcolor": colour.fill, "color": colour.line, "fontcolor": colour.ink,
                 "class": "touchpoint " + palette.team_class(number)}
    elif not touchpoint.owner:
        attrs = {"color": palette.DANGER, "style": "rounded,filled,dashed", "penwidth": "2", "class": "touchpoint gap"}
    else:
        attrs = {"class": "touchpoint"}
    graph.node(node_name("t_", touchpoint.id), label=_label(touchpoint.name, f"({owner_name})"), **_link(url),
               tooltip=f"{touchpoint.name} — {owner_name}", **attrs)


def _handoff_edge(graph: DotGraph, source: Touchpoint, target: Touchpoint, gap: bool, **attrs: str) -> None:
    if gap:
        attrs.update(style="dashed", color=palette.DANGER, fontcolor=palette.DANGER, penwidth="2",
                     label="NO HAND-OFF", tooltip=f"hand-off gap: {source.name} → {target.name}",
                     **{"class": "gap"})
    elif source.owner != target.owner:
        attrs.update(label="hand-off", tooltip=source.handoff, **{"class": "handoff"})
    graph.edge(node_name("t_", source.id), node_name("t_", target.id), **attrs)


def handoffs(journey: Journey, root: str) -> Diagram:
    """Every touchpoint, a column per stage, coloured by owner; `next` edges, gaps dashed red."""
    graph = _graph("handoffs")
    graph.attr(newrank="true", ranksep="0.9")
    column = {}
    for index, stage in enumerate(journey.stages):
        sub = _cluster(node_name("cluster_", stage.id), stage.name, "stage-column", rank="same",
                       **_link(root + links.stage(stage.id)), target="_top")
        for touchpoint in stage.touchpoints:
            _touchpoint_node(sub, journey, touchpoint, root + links.touchpoint(touchpoint))
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
                _handoff_edge(graph, touchpoint, target, gap, **_direction(column[touchpoint.id], column[target.id]))
    description = (f"{plural(len(column), 'touchpoint')} in {plural(len(journey.stages), 'stage')}, one column per "
                   f"stage, coloured and labelled by owning team; {plural(gaps, 'hand-off gap')} drawn as dashed red "
                   "edges.")
    return Diagram("handoffs", "Touchpoint hand-offs", description, graph.source, root,
                   "Touchpoints by stage, coloured by team; dashed red arrows are hand-offs nobody wrote.")


def _direction(source_column: int, target_column: int) -> dict[str, str]:
    """A `next` back to an earlier stage runs under the columns, bottom to bottom, instead of looping round
    the canvas, and does not pull the columns out of order; one within a stage runs down its column."""
    if target_column >= source_column:
        return {}
    return {"constraint": "false", "tailport": "s", "headport": "s", "class": "backward"}


def stage_touchpoints(journey: Journey, stage: Stage, root: str) -> Diagram:
    """One stage's touchpoints with the hand-offs into and out of it."""
    graph = _graph(node_name("stage-", stage.id))
    inside = {t.id for t in stage.touchpoints}
    sub = _cluster(node_name("cluster_", stage.id), stage.name, "stage-column")
    for touchpoint in stage.touchpoints:
        _touchpoint_node(sub, journey, touchpoint, root + links.touchpoint(touchpoint))
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
                _touchpoint_node(graph, journey, other, root + links.touchpoint(other))
                graph.node(node_name("t_", other.id), xlabel=other_stage.name if other_stage else other.stage)
        _handoff_edge(graph, source, target, journey.handoff_gap(source, target))
    description = (f"{plural(len(stage.touchpoints), 'touchpoint')} of {stage.name}"
                   + (f", with {plural(len(outside), 'touchpoint')} of other stages they hand on to or from" if outside
                      else "") + ".")
    return Diagram(node_name("stage-", stage.id), f"Touchpoints of {stage.name}", description, graph.source, root,
                   "This stage's touchpoints, coloured by team, with the hand-offs into and out of it.")
