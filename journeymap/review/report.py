"""Findings as text for people, JSON for tools and annotations for GitHub Actions.

Messages and file names carry the map's own text, which a hostile branch writes: every text output shows
it through `printable` (an escape sequence or a bidirectional override is shown escaped, never obeyed),
and the JSON outputs through `json_printable` (the same characters as `\\u` escapes: the data unchanged).
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.findings import Finding, Severity, summarize
from ..util.printable import json_printable, printable
from ..util.repository import repository_file
from ..util.words import plural

if TYPE_CHECKING:
    from ..core.check import Checked

_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def as_text(findings: list[Finding], root: Path, colour: bool, files_checked: int) -> str:
    """`path:line:col: severity [rule] message`, grouped by file, then a one-line summary."""
    lines = []
    for file, group in groupby(findings, key=lambda f: f.location.file):
        shown = printable(_display_path(root, file))
        lines.append(click.style(shown, bold=True) if colour else shown)
        for finding in group:
            where = replace(finding.location, file=shown)
            severity = finding.severity.value
            if colour:
                severity = click.style(severity, fg=_COLOUR[finding.severity], bold=True)
            lines.append(f"  {where}: {severity} [{finding.rule}] {printable(finding.message)}")
        lines.append("")
    counts = summarize(findings)
    summary = summary_line(findings, root, files_checked)
    if colour:
        summary = click.style(summary, fg="red" if counts["errors"] else "green", bold=True)
    lines.append(summary)
    return "\n".join(lines)


def summary_line(findings: list[Finding], root: Path, files_checked: int) -> str:
    """The text report's last line: how many of each severity, in how many files of which map."""
    counts = summarize(findings)
    folder = printable(_display_path(root, "")) or "."
    return (f"{plural(counts['errors'], 'error')}, {plural(counts['warnings'], 'warning')}, "
            f"{counts['info']} info in {plural(files_checked, 'file')} of {folder}/")


def as_json(findings: list[Finding]) -> str:
    return json_printable(json.dumps({"findings": [f.as_dict() for f in findings], "summary": summarize(findings)},
                                     indent=2, ensure_ascii=False))


def as_github(findings: list[Finding], root: Path) -> str:
    """GitHub Actions workflow commands; paths relative to the repository root."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for finding in findings:
        loc = finding.location
        props = [f"file={_escape_property(printable(repository_file(root, loc.file)))}"]
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
        props.append(f"title={_escape_property(finding.rule)}")
        message = printable(finding.message, lines=True)  # an annotation may have several lines: %0A
        lines.append(f"::{level[finding.severity]} {','.join(props)}::{escape_workflow_data(message)}")
    return "\n".join(lines)


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(checked: Checked) -> str:
    """SARIF 2.1.0 for code scanning: every rule documented, every finding with a stable fingerprint."""
    from .. import __version__
    from ..core import rules
    from .subjects import Subjects

    subjects = Subjects(checked.journeys)
    index = {rule_id: position for position, rule_id in enumerate(rules.RULES)}
    results = []
    for finding in checked.findings:
        loc = finding.location
        physical: dict = {"artifactLocation": {"uri": repository_file(checked.root, loc.file),
                                               "uriBaseId": "%SRCROOT%"}}
        if loc.line is not None:
            physical["region"] = {"startLine": loc.line, **({"startColumn": loc.column} if loc.column else {})}
        results.append({
            "ruleId": finding.rule, "ruleIndex": index[finding.rule], "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {"journeymapSubject/v1": subjects.fingerprint(finding)},
        })
    driver = {
        "name": "journeymap", "version": __version__, "informationUri": "https://github.com/journeymap/journeymap",
        "rules": [{"id": each.id, "name": each.id.title().replace("-", ""),
                   "shortDescription": {"text": each.summary},
                   "fullDescription": {"text": each.doc},
                   "help": {"text": each.doc, "markdown": f"```\n{each.doc}\n```"},
                   "defaultConfiguration": {"level": _SARIF_LEVEL[each.severity]}}
                  for each in rules.RULES.values()],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}]}
    return json_printable(json.dumps(log, indent=2, ensure_ascii=False))


def wants_colour(stream_is_tty: bool) -> bool:
    return stream_is_tty and "NO_COLOR" not in os.environ


def _display_path(root: Path, file: str) -> str:
    path = Path(os.path.abspath(root / file))  # not resolve(): a link is named as written, not as its target
    here = Path(os.path.abspath(Path.cwd()))
    if path.is_relative_to(here) or here.is_relative_to(os.path.abspath(root)):  # below, or run in the map's stages/
        return Path(os.path.relpath(path, here)).as_posix()
    return path.as_posix()


def escape_workflow_data(text: str) -> str:
    """A workflow command's message as GitHub reads it: a newline in map text cannot start a command of its own."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return escape_workflow_data(text).replace(":", "%3A").replace(",", "%2C")
