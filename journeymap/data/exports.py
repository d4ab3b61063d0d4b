"""The map where the site does not go: a README (Mermaid), a spreadsheet (CSV), a CMS (Markdown, HTML).

Each export is a pure function of the checked map. Text from the map is made
safe for each target: Mermaid's separators, spreadsheet formulas, HTML.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable

from ..core.check import Checked
from ..core.model import Journey, Metric, Touchpoint, exported_fields

#: a touchpoint's columns in the CSV export, as the Touchpoint class marks them: (header, field)
_TOUCHPOINT_COLUMNS = exported_fields(Touchpoint)
#: the journey, then the touchpoint's columns, with the owning team's name beside its id
CSV_COLUMNS = ["journey", *(column for header, name in _TOUCHPOINT_COLUMNS
                            for column in ((header, "owner") if name == "owner" else (header,)))]


def as_mermaid(checked: Checked) -> str:
    """A Mermaid `journey` diagram per journey: sections are stages, tasks touchpoints, actors the teams."""
    blocks = []
    for journey in checked.journeys:
        lines = ["journey", f"  title {_mermaid_text(journey.title or journey.slug or 'Customer journey')}"]
        for stage in journey.stages:
            lines.append(f"  section {_mermaid_text(stage.name)}")
            score = (stage.emotion + 3) if stage.emotion is not None else 3  # -2..2 → Mermaid's 1..5
            for touchpoint in stage.touchpoints or ():
                actor = _mermaid_text(journey.owner_name(touchpoint.owner) or "nobody").replace(",", " ")
                lines.append(f"    {_mermaid_text(touchpoint.name)}: {score}: {actor}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _mermaid_text(text: str) -> str:
    """Mermaid reads `:` as a separator, `;` and `#` as syntax, and a line break as the end of a statement."""
    text = " ".join(text.split())
    for char, instead in ((":", " -"), (";", ","), ("#", "no. "), ("%%", "%")):
        text = text.replace(char, instead)
    return text.strip() or "untitled"


def as_csv(checked: Checked) -> str:
    """One row per touchpoint; with a byte-order mark and CRLF, as Excel and Google Sheets open it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for journey in checked.journeys:
        for stage in journey.stages:
            for touchpoint in stage.touchpoints:
                writer.writerow([_cell(v) for v in _row(journey, touchpoint)])
    return "\ufeff" + buffer.getvalue()


def _row(journey: Journey, touchpoint: Touchpoint) -> list[object]:
    row: list[object] = [journey.slug or journey.title]
    for _, name in _TOUCHPOINT_COLUMNS:
        row.append(_text(getattr(touchpoint, name)))
        if name == "owner":
            row.append(journey.owner_name(touchpoint.owner))
    return row


def _text(value: object) -> object:
    """A field as its cell: none is empty, a figure as written (`24`, not `24.0`), a list joined by `; `."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "; ".join(value)
    return value


def _cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_markdown(checked: Checked) -> str:
    return _cms(checked, _MARKDOWN)


def as_html(checked: Checked) -> str:
    """Only what a CMS rich-text field keeps (h4, p, ul, li, strong, em): no classes, styles or scripts."""
    return _cms(checked, _HTML)


class _Form:
    def __init__(self, heading: Callable[[str], str], paragraph: Callable[[str, str], str],
                 bullets: Callable[[list[str]], str], strong: Callable[[str], str], text: Callable[[str], str]):
        self.heading, self.paragraph, self.bullets, self.strong, self.text = heading, paragraph, bullets, strong, text


_MARKDOWN = _Form(heading=lambda t: f"#### {t}\n", paragraph=lambda label, t: f"**{label}:** {t}\n",
                  bullets=lambda items: "".join(f"- {i}\n" for i in items), strong=lambda t: f"**{t}**",
                  text=lambda t: re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", " ".join(t.split())))
_HTML = _Form(heading=lambda t: f"<h4>{t}</h4>\n", paragraph=lambda label, t: f"<p><strong>{label}:</strong> {t}</p>\n",
              bullets=lambda items: "<ul>\n" + "".join(f"<li>{i}</li>\n" for i in items) + "</ul>\n",
              strong=lambda t: f"<strong>{t}</strong>", text=lambda t: html.escape(" ".join(t.split())))


def _cms(checked: Checked, form: _Form) -> str:
    parts = []
    for journey in checked.journeys:
        if checked.is_portfolio:
            parts.append(form.paragraph("Journey", form.text(journey.title or journey.slug)))
        for stage in journey.stages:
            parts.append(form.heading(form.text(stage.name)))
            parts.append(form.paragraph("Job", form.text(stage.job or "not written yet")))
            if stage.milestone:
                parts.append(form.paragraph("Milestone", form.text(stage.milestone)))
            items = [_touchpoint_line(journey, t, form) for t in stage.touchpoints]
            items += [_metric_line(m, form) for m in (stage.volume, stage.health) if m is not None]
            if items:
                parts.append(form.bullets(items))
    return "\n".join(parts)


def _touchpoint_line(journey: Journey, touchpoint: Touchpoint, form: _Form) -> str:
    details = [f"owner: {form.text(journey.owner_name(touchpoint.owner) or 'no owner')}"]
    details += [f"channel: {form.text(touchpoint.channel)}"] if touchpoint.channel else []
    details += [f"intent: {form.text(touchpoint.intent)}"] if touchpoint.intent else []
    if touchpoint.response_sla_hours is not None:
        details.append(f"SLA: {touchpoint.response_sla_hours:g} h")
    return f"{form.strong(form.text(touchpoint.name))} ({'; '.join(details)})"


def _metric_line(metric: Metric, form: _Form) -> str:
    target = f", target {metric.format(metric.target)}" if metric.target is not None else ""
    return f"{metric.kind.capitalize()}: {form.text(metric.name)}: {metric.format(metric.value)}{target}"
