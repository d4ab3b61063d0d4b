"""Findings as text for people, JSON for tools and annotations for GitHub Actions."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from itertools import groupby
from pathlib import Path

import click

from .findings import Finding, Severity, summarize
from .repository import repository_file

_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def as_text(findings: list[Finding], root: Path, colour: bool, files_checked: int) -> str:
    """`path:line:col: severity [rule] message`, grouped by file, then a one-line summary."""
    lines = []
    for file, group in groupby(findings, key=lambda f: f.location.file):
        lines.append(click.style(_display_path(root, file), bold=True) if colour else _display_path(root, file))
        for finding in group:
            where = replace(finding.location, file=_display_path(root, file))
            severity = finding.severity.value
            if colour:
                severity = click.style(severity, fg=_COLOUR[finding.severity], bold=True)
            lines.append(f"  {where}: {severity} [{finding.rule}] {finding.message}")
        lines.append("")
    counts = summarize(findings)
    summary = (f"{_plural(counts['errors'], 'error')}, {_plural(counts['warnings'], 'warning')}, "
               f"{counts['info']} info in {_plural(files_checked, 'file')}")
    if colour:
        summary = click.style(summary, fg="red" if counts["errors"] else "green", bold=True)
    lines.append(summary)
    return "\n".join(lines)


def as_json(findings: list[Finding]) -> str:
    return json.dumps({"findings": [f.as_dict() for f in findings], "summary": summarize(findings)},
                      indent=2, ensure_ascii=False)


def as_github(findings: list[Finding], root: Path) -> str:
    """GitHub Actions workflow commands; paths relative to the repository root."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for finding in findings:
        loc = finding.location
        props = [f"file={_escape_property(repository_file(root, loc.file))}"]
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
        props.append(f"title={_escape_property(finding.rule)}")
        lines.append(f"::{level[finding.severity]} {','.join(props)}::{_escape_data(finding.message)}")
    return "\n".join(lines)


def wants_colour(stream_is_tty: bool) -> bool:
    return stream_is_tty and "NO_COLOR" not in os.environ


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _display_path(root: Path, file: str) -> str:
    path = root / file
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
