"""A map diff for people (a pull-request comment in Markdown, or plain text) and for tools (JSON)."""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.parse
from typing import Any

from ..core.findings import Finding, Location
from ..core.model import percent
from ..util.printable import json_printable, printable
from ..util.words import plural
from .diff import KINDS, ConversionChange, MapDiff, Moved
from .revisions import Linker

#: the hidden line the GitHub Action looks for, to update its one comment instead of adding another
#: (escape_markdown makes sure no map text can spell it)
COMMENT_MARKER = "<!-- journeymap-diff -->"
ACTIONS = ("changed", "added", "removed", "moved", "renamed", "reordered")
_NOUNS = {"journey": "journey setting", "evidence": "evidence note"}  # what a reviewer calls these kinds


def summary(diff: MapDiff) -> str:
    """One line a reviewer reads first: what changed, which findings came and went, what the figures did."""
    if not diff.has_journey_changes:
        return "no journey changes"
    parts = [_kind_summary(diff, kind) for kind in KINDS]
    items = ", ".join(part for part in parts if part) or "no item changed"
    return f"{items}; {_findings_summary(diff)}; {weakest_link_sentence(diff)}"


def weakest_link_sentence(diff: MapDiff) -> str:
    """Where the weakest link went: the end of the summary, and all `metrics import` tells of it."""
    return _figure_summary("weakest link", diff.weakest_link)


def _kind_summary(diff: MapDiff, kind: str) -> str:
    counted = []
    for action in ACTIONS:
        subjects = {(c.journey, c.subject) for c in diff.changes if c.kind == kind and c.action == action}
        if subjects:
            counted.append((len(subjects), action))
    if not counted:
        return ""
    (first_count, first_action), rest = counted[0], counted[1:]
    if first_action == "reordered":
        return "stages reordered"
    words = [f"{plural(first_count, _NOUNS.get(kind, kind))} {first_action}"]
    words += ["stages reordered" if action == "reordered" else f"{count} {action}" for count, action in rest]
    return ", ".join(words)


def _findings_summary(diff: MapDiff) -> str:
    new = _count_by_severity(f for f, _ in diff.introduced)
    fixed = len(diff.fixed)
    parts = [plural(count, f"new {severity}") for severity, count in new.items()]
    if fixed:
        parts.append(f"{plural(fixed, 'finding')} fixed")
    return ", ".join(parts) or "no new findings"


def _count_by_severity(findings: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: ("error", "warning").index(item[0])))


def _figure_summary(name: str, figures: dict[str, Moved]) -> str:
    moved = {slug: figure for slug, figure in figures.items() if figure.moved}
    if not moved:
        return f"{name} unchanged"
    if list(moved) == [""]:
        return f"{name} moved to {moved[''].new or 'none'}"
    return f"{name} moved in " + ", ".join(moved)


# ---- Markdown: a pull-request comment ----


def as_markdown(diff: MapDiff, link: Linker) -> str:
    heading = f"journeymap: {_code(diff.labels.get('base', 'base'))} → {_code(diff.labels.get('head', 'head'))}"
    lines = [COMMENT_MARKER, f"### {heading}", "", f"**{escape_markdown(summary(diff))}**", ""]
    if diff.base_missing:
        lines += ["There is no map at the base revision: everything is added.", ""]
    if diff.templates:
        lines += [f"> **Note** `{diff.templates.ID}`: {_escape_message(diff.templates.message)}", ""]
    if not diff.has_journey_changes:
        lines.append("The journey itself is unchanged." if diff.templates else
                     "Only comments, key order or layout changed.")
        return "\n".join(lines) + "\n"
    for kind in KINDS:
        rows = [_change_row(c, link) for c in diff.changes if c.kind == kind]
        if kind == "metric":
            rows += [_conversion_row(c) for c in diff.conversions]
            rows += _figure_rows(diff)
        if rows:
            title = f"{_NOUNS.get(kind, kind)}s".capitalize()
            lines += [f"#### {title}", "", "| change | item | old → new | where |", "| --- | --- | --- | --- |",
                      *rows, ""]
    lines += _finding_table(diff, link)
    return "\n".join(lines) + "\n"


def _change_row(change: Any, link: Linker) -> str:
    action = change.action if change.action in ("added", "removed", "reordered") else \
        f"{change.field} {change.action}" if change.action != "renamed" or change.field != "name" else "renamed"
    subject = f"{change.journey}: {change.subject}" if change.journey else change.subject
    field = escape_markdown(change.field)
    if change.action == "added":
        values = f"in {field} {_code(change.new)}" if change.field and change.new else "new"
    elif change.action == "removed":
        values = f"was in {field} {_code(change.old)}" if change.field and change.old else "gone"
    else:
        values = f"{_code(change.old)} → {_code(change.new)}"
    item = _code(subject) if subject else "stage order"
    return f"| {escape_markdown(action)} | {item} | {values} | {_where(change, link)} |"


def _conversion_row(change: ConversionChange) -> str:
    pair = " → ".join(change.names)
    if change.journey:
        pair = f"{change.journey}: {pair}"
    return f"| conversion | {_code(pair)} | {percent(change.old)} → {percent(change.new)} | |"


def _figure_rows(diff: MapDiff) -> list[str]:
    rows = []
    for name, figures in (("weakest link", diff.weakest_link), ("slowest stage", diff.slowest_stage)):
        for slug, figure in figures.items():
            item = f"{slug}: {name}" if slug else name
            if figure.moved:
                rows.append(f"| {name} moved | {escape_markdown(item)} | {_code(figure.old)} → {_code(figure.new)} | |")
    return rows


def _finding_table(diff: MapDiff, link: Linker) -> list[str]:
    rows = [_finding_row("new", finding, subject, link, False) for finding, subject in diff.introduced]
    rows += [_finding_row("fixed", finding, subject, link, True) for finding, subject in diff.fixed]
    if not rows:
        return []
    return ["#### Findings", "", "| | rule | about | message | where |", "| --- | --- | --- | --- | --- |",
            *rows, ""]


def _finding_row(status: str, finding: Finding, subject: str, link: Linker, at_base: bool) -> str:
    where = _place(finding.location, link, at_base)
    return (f"| {status} {finding.severity.value} | {_code(finding.rule)} | {escape_markdown(subject)} | "
            f"{_escape_message(finding.message)} | {where} |")


def _where(change: Any, link: Linker) -> str:
    return _place(change.where, link, change.at_base) if change.where else ""


def _place(location: Location, link: Linker, at_base: bool) -> str:
    text = escape_markdown(str(location) + (" (base)" if at_base else ""))
    url = _link_target(link(location, at_base))
    return f"[{text}]({url})" if url else text


def _link_target(url: str | None) -> str | None:
    """A link's destination with every character that could end it (a `)` or a space in a file name)
    percent-encoded, so the file name stays inside the one link; only web links, never `javascript:`."""
    if not url or not url.lower().startswith(("https://", "http://")):
        return None
    return urllib.parse.quote(url, safe=":/#?=&-._~+,;@!$")


def _code(value: Any) -> str:
    """A value as inline code, safe inside a table cell whatever the map holds."""
    text = escape_markdown(show(value), code=True)
    return f"`{text}`" if text and text != "—" else "—"


_NO_BREAK = "\u200b"  # a zero-width space: invisible, but it breaks up what GitHub would turn into a link
#: each Markdown character that could start a link, emphasis, a table cell or a heading, backslash-escaped;
#: HTML's three as entities (which CommonMark never reads as markup); `~` too (strikethrough, and not every
#: Markdown reader lets a backslash escape it); `@` and `#` followed by a zero-width space, so a name is
#: never a mention of a person nor a reference to an issue
_TEXT_ESCAPES = str.maketrans({**{char: "\\" + char for char in "\\`*_[]()!|"},
                               "<": "&lt;", ">": "&gt;", "&": "&amp;", "~": "&#126;",
                               "@": "@" + _NO_BREAK, "#": "\\#" + _NO_BREAK})
_BARE_LINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)  # http://… and www.… GitHub links


def escape_markdown(value: Any, code: bool = False) -> str:
    """The one way map text (and anything else a pull request's author wrote) enters the review comment.

    A hostile branch names files and items: what it wrote must read as exactly that text, never as a link,
    an image, HTML, emphasis, a mention or a second table cell, and never as the hidden `COMMENT_MARKER`.
    Control and format characters go (bidi overrides make a name read backwards); whitespace becomes one
    space. Inside a code span (`code`) Markdown is already shown as written, so only what still matters
    there changes: a backtick (it would end the span), `|` (it would end the table cell), and `<!`, which
    gets a zero-width space in it so that no HTML comment (the marker) ever opens.
    """
    text = re.sub(r"\s+", " ", str(value))  # not stripped: a message's text runs on around its code spans
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))
    if code:
        return text.replace("`", "'").replace("|", "\\|").replace("<!", "<" + _NO_BREAK + "!")
    return _BARE_LINK.sub(_NO_BREAK, text).translate(_TEXT_ESCAPES)


def _escape_message(message: str) -> str:
    """A finding's message keeps its `code` spans; the text between them is escaped."""
    parts = message.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: no code spans at all
        return escape_markdown(message)
    return "".join(escape_markdown(part) if index % 2 == 0 else _code(part) for index, part in enumerate(parts))


def show(value: Any, limit: int = 80) -> str:
    """A value as a reviewer reads it: lists joined, numbers without trailing zeros, long text cut."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        text = ", ".join(show(item) for item in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{key}: {show(item)}" for key, item in value.items())
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = re.sub(r"\s+", " ", str(value))  # not stripped: a message's text runs on around its code spans
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ---- plain text ----


def as_text(diff: MapDiff) -> str:
    lines = [f"journeymap diff {diff.labels.get('base', 'base')} → {diff.labels.get('head', 'head')}",
             summary(diff)]
    if diff.templates:
        lines.append(f"  note [{diff.templates.ID}]: {diff.templates.message}")
    for change in diff.changes:
        subject = " ".join(part for part in (change.journey + ":" if change.journey else "", change.kind,
                                             change.subject) if part)
        if change.action in ("added", "removed"):
            detail = change.action + (f" ({change.field} {show(change.new or change.old)})"
                                      if change.field and (change.new or change.old) else "")
        else:
            detail = f"{change.field}: {show(change.old)} → {show(change.new)}"
        where = f"  ({change.where}{', base' if change.at_base else ''})" if change.where else ""
        lines.append(f"  {subject}: {detail}{where}")
    for conversion in diff.conversions:
        lines.append(f"  conversion {' → '.join(conversion.names)}: "
                     f"{percent(conversion.old)} → {percent(conversion.new)}")
    for name, figures in (("weakest link", diff.weakest_link), ("slowest stage", diff.slowest_stage)):
        for slug, figure in figures.items():
            if figure.moved:
                lines.append(f"  {slug + ': ' if slug else ''}{name}: {show(figure.old)} → {show(figure.new)}")
    for status, found in (("new", diff.introduced), ("fixed", diff.fixed)):
        for finding, _ in found:
            lines.append(f"  {status} {finding.severity.value} [{finding.rule}] {finding.location}: "
                         f"{finding.message}")
    return "\n".join(printable(line) for line in lines)  # each line one line, whatever the map's text holds


# ---- JSON ----


def as_json(diff: MapDiff, link: Linker) -> str:
    def place(location: Location | None, at_base: bool) -> dict | None:
        if location is None:
            return None
        return {"file": location.file, "line": location.line, "column": location.column,
                "revision": "base" if at_base else "head", "url": link(location, at_base)}

    def finding(item: tuple[Finding, str], at_base: bool) -> dict:
        found, subject = item
        return {**found.as_dict(), "subject": subject, "url": link(found.location, at_base)}

    document = {
        "base": diff.labels.get("base"), "head": diff.labels.get("head"),
        "summary": summary(diff), "journey_changes": diff.has_journey_changes, "base_missing": diff.base_missing,
        "changes": [{"journey": c.journey or None, "kind": c.kind, "id": c.subject or None, "action": c.action,
                     "field": c.field or None, "old": c.old, "new": c.new, "where": place(c.where, c.at_base)}
                    for c in diff.changes],
        "conversions": [{"journey": c.journey or None, "from": c.source, "to": c.target, "names": list(c.names),
                         "old": c.old,
                         "new": c.new} for c in diff.conversions],
        "weakest_link": {slug or "": _figure_json(f) for slug, f in diff.weakest_link.items()},
        "slowest_stage": {slug or "": _figure_json(f) for slug, f in diff.slowest_stage.items()},
        "findings": {"introduced": [finding(f, False) for f in diff.introduced],
                     "fixed": [finding(f, True) for f in diff.fixed]},
        "notes": [{"id": n.ID, "message": n.message, "files": [{"path": p, "change": c} for p, c in n.files],
                   "templates_line": dict(zip(("old", "new"), n.setting, strict=True)) if n.setting else None}
                  for n in [diff.templates] if n],
    }
    return json_printable(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def _figure_json(figure: Moved) -> dict:
    return {"old": figure.old, "new": figure.new, "moved": figure.moved}
