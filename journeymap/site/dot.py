"""DOT text in which map text can only ever be text.

Every id, label, tooltip and URL goes through `dot_quote`: a map comes from a pull request,
and one id ending in a backslash was enough to end a quoted string early and turn the names
after it into DOT (a node with `URL=<javascript:...>`). A URL is written only when it is a page
of the site (`links.is_own_page`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from . import links

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
