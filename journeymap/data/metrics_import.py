"""`journeymap metrics import`: the quarter's figures from a CRM or analytics export, into the map.

The CSV is long form, one figure a row: `stage`, `metric` (volume or health),
`period`, `value`, and `journey` in a portfolio. Each row sets the metric's
`history[period]`; its `value` becomes that of its latest period. All or
nothing: one bad row and no file is written.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..authoring.yamledit import EditProblem, add_entry, set_value
from ..core.check import Checked
from ..core.load import Document, parse_yaml
from ..core.model import Journey, Metric, is_figure
from ..review.diff import ConversionChange
from ..util.errors import EXIT_FAILED, JourneymapError
from ..util.inside import Outside, join_inside
from ..util.numbers import read_number
from ..util.suggest import did_you_mean

COLUMNS = ("stage", "metric", "period", "value")
KNOWN = frozenset(COLUMNS + ("journey",))
SEPARATORS = (",", ";", "\t")
#: a byte-order mark and the codec of what follows it; UTF-32 LE's mark begins with UTF-16 LE's, so it comes first
MARKS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SAVE_AS = ('save it as UTF-8 text; in Excel, Save As "CSV UTF-8 (Comma delimited)": Excel\'s plain "CSV" is in the '
           "computer's legacy code page, such as Windows-1252, which journeymap does not guess")


class ImportProblem(JourneymapError):
    """Rows that cannot be imported, each named by its line in the CSV; nothing was written."""

    exit_code = EXIT_FAILED  # the CSV is wrong, as a map with errors is; the command itself could run

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return [*self.problems, "nothing was written"]


@dataclass(frozen=True)
class Figure:
    line: int
    journey: str
    stage: str
    kind: str
    period: str
    value: float


@dataclass(frozen=True)
class Update:
    """One metric's new value (its latest period) and the periods it gains or changes."""

    file: str
    stage: str
    kind: str
    old: float | None
    new: float
    periods: dict[str, float]

    def __str__(self) -> str:
        periods = ", ".join(f"{period}: {value:g}" for period, value in sorted(self.periods.items()))
        return f"{self.stage} {self.kind}: {self.old if self.old is not None else '—'} → {self.new:g} ({periods})"


def read_figures(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows as spreadsheets write them: UTF-8 or marked UTF-16/32, CRLF, `,` `;` or tab, headers in any case."""
    text = _read_text(path)
    separator = _separator(text.split("\n", 1)[0])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator, skipinitialspace=True)
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    repeated = sorted({name for name in reader.fieldnames if name and reader.fieldnames.count(name) > 1})
    if repeated:  # `Value` and `value`: which one was meant cannot be told
        raise ImportProblem([f"{path}:1: the header names {', '.join(repeated)} twice (letter case aside): "
                             "keep one column of each name"])
    missing = [c for c in COLUMNS if c not in reader.fieldnames]
    if missing:
        raise ImportProblem([f"{path}:1: the header lacks {', '.join(missing)}: the columns are "
                             "stage, metric, period, value (and journey in a portfolio)"])
    return [(index + 2, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for index, row in
            enumerate(reader)]


def _read_text(path: Path) -> str:
    """The text by its byte-order mark, else UTF-8: a guessed code page could misread names and no one would see."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportProblem([f"{path}: cannot read the file ({error})"]) from error
    mark, codec = next(((m, c) for m, c in MARKS if data.startswith(m)), (b"", "utf-8"))
    try:
        return data[len(mark):].decode(codec)
    except UnicodeDecodeError as error:
        raise ImportProblem([_undecodable(path, data, len(mark), error)]) from error


def _undecodable(path: Path, data: bytes, skipped: int, error: UnicodeDecodeError) -> str:
    """The first bad byte by line and column, as an editor shows them, and by offset, as a hex viewer does."""
    before = data[skipped:skipped + error.start].decode(error.encoding)
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
    offset = skipped + error.start
    return (f"{path}:{line}:{column}: cannot read the file (byte 0x{data[offset]:02x} at offset {offset} is not "
            f"{error.encoding.upper()}: {error.reason}): {SAVE_AS}")


def _separator(header: str) -> str:
    """The separator that cuts the header into the most known columns: a sniffer guesses wrong on one line."""
    return max(SEPARATORS, key=lambda s: len(KNOWN & {c.strip().strip('"').strip().lower() for c in header.split(s)}))


def plan(checked: Checked, path: Path) -> tuple[list[Update], dict[str, tuple[str, str]]]:
    """The updates and each stage file's text before and after; ImportProblem names every bad row."""
    figures, problems = _figures(checked, path)
    if problems:
        raise ImportProblem(problems)
    updates = _updates(checked, figures)
    texts: dict[str, tuple[str, str]] = {}  # file -> (as it was, with every update so far)
    for update in updates:
        if update.file not in texts:
            original = _stage_file(checked.root, update.file).read_text(encoding="utf-8")
            texts[update.file] = (original, original)
        original, current = texts[update.file]
        try:
            texts[update.file] = (original, _edit(current, update))
        except EditProblem as error:
            raise ImportProblem([f"{update.file}: {error}; set `{update.stage}` {update.kind} by hand"]) from error
    return updates, texts


def _stage_file(root: Path, file: str) -> Path:
    """The stage file to edit, never a link: an edit made through one (even the --dry-run's, on a copy of
    the map) would land wherever it points."""
    try:
        return join_inside(root, file)
    except Outside as error:
        raise ImportProblem([f"{file}: {error}: metrics import edits map files in place, never through a link; "
                             "put the file itself there instead of the link"]) from error


def _figures(checked: Checked, path: Path) -> tuple[list[Figure], list[str]]:
    journeys = {j.slug: j for j in checked.journeys}
    figures: list[Figure] = []
    problems: list[str] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    rows = read_figures(path)
    if checked.is_portfolio and rows and "journey" not in rows[0][1]:
        return [], [f"{path.name}:1: the map is a portfolio, so each row names its journey: add a `journey` column "
                    f"(one of {', '.join(sorted(journeys))})"]
    for line, row in rows:
        where = f"{path.name}:{line}"
        journey = journeys.get(row.get("journey", "") if checked.is_portfolio else "")
        if journey is None:
            problems.append(f"{where}: journey `{row.get('journey', '')}` is not in the portfolio: "
                            f"{did_you_mean(row.get('journey', ''), journeys, 'journey')}")
            continue
        stage = journey.stage(row["stage"])
        if stage is None:
            problems.append(f"{where}: stage `{row['stage']}` is not in the map: "
                            f"{did_you_mean(row['stage'], [s.id for s in journey.stages], 'stage')}")
            continue
        kind = row["metric"].lower()
        metric = stage.metrics.get(kind)
        if metric is None:
            problems.append(f"{where}: `{row['metric']}` is not a metric of stage `{stage.id}`: write volume or "
                            "health (a stage's metrics are declared in its file first)")
            continue
        value, trouble = _number(row["value"], metric)
        if trouble:
            problems.append(f"{where}: {trouble}")
            continue
        if not row["period"]:
            problems.append(f"{where}: no period: write one such as 2026-Q4 or 2026-11")
            continue
        key = (journey.slug, stage.id, kind, row["period"])
        if key in seen:
            problems.append(f"{where}: the same figure as line {seen[key]} ({stage.id} {kind} {row['period']}): "
                            "keep one of the two rows")
            continue
        seen[key] = line
        figures.append(Figure(line, journey.slug, stage.id, kind, row["period"], value))  # type: ignore[arg-type]
    return figures, problems


def _number(text: str, metric: Metric) -> tuple[float | None, str]:
    read = read_number(text)
    if read is None:
        return None, f"`{text}` is not a number: write digits, such as 1200, 0.42 or 42%"
    value, percent = read
    if not is_figure(value):  # float() reads inf and nan; the map holds only figures it can compute with
        return None, f"`{text}` is no figure: write a finite number, such as 1200, 0.42 or 42%"
    if percent:
        if not metric.is_ratio:
            return None, f"`{text}` is a percentage, but this {metric.kind} metric is not a ratio: write the count"
        value /= 100
    if metric.is_ratio and value < 0:
        return None, f"`{text}` is negative: a ratio is a fraction from 0 up"
    return value, ""


def _updates(checked: Checked, figures: list[Figure]) -> list[Update]:
    journeys = {j.slug: j for j in checked.journeys}
    grouped: dict[tuple[str, str, str], list[Figure]] = {}
    for figure in figures:
        grouped.setdefault((figure.journey, figure.stage, figure.kind), []).append(figure)
    updates = []
    for (slug, stage_id, kind), rows in grouped.items():
        journey: Journey = journeys[slug]
        stage = journey.stage(stage_id)
        assert stage is not None
        metric = stage.metrics[kind]
        history = dict(metric.history) | {f.period: f.value for f in rows}
        latest = history[max(history)]
        updates.append(Update(stage.origin.file, stage.id, kind, metric.value, latest,
                              {f.period: f.value for f in rows}))
    return updates


def _edit(text: str, update: Update) -> str:
    """Each change made on the text as it stands, re-read after each so positions stay true."""
    metric = ("metrics", update.kind)
    history = metric + ("history",)
    for period, value in sorted(update.periods.items()):
        document = _parsed(text, update.file)
        if history + (period,) in document.positions:
            text = _edited(text, set_value, document, history + (period,), _show(value))
        elif history in document.positions:
            text = _edited(text, add_entry, document, history, period, _show(value))
        else:
            text = _edited(text, add_entry, document, metric, "history", f"{{{period}: {_show(value)}}}")
    document = _parsed(text, update.file)
    if metric + ("value",) in document.positions:
        return _edited(text, set_value, document, metric + ("value",), _show(update.new))
    return _edited(text, add_entry, document, metric, "value", _show(update.new), "name")


def _parsed(text: str, file: str) -> Document:
    document, _ = parse_yaml(text, file, "stage")
    if document is None:
        raise EditProblem("the file does not parse")
    return document


def _edited(text: str, edit: Callable[..., None], *args: object) -> str:
    lines = text.splitlines(keepends=True)
    edit(lines, *args)
    return "".join(lines)


def _show(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


@dataclass(frozen=True)
class Preview:
    """What the new figures do to the journey: each conversion that moves, and where the weakest link goes."""

    conversions: list[ConversionChange]
    weakest_link: str  # "no journey changes" when the figures change nothing a journey shows


def preview(checked: Checked, texts: dict[str, tuple[str, str]]) -> Preview:
    """The map checked again with the new texts, on a copy: the person's files are not touched (--dry-run)."""
    import shutil
    import tempfile

    from ..core.check import check_map
    from ..review.diff import compare
    from ..review.diff_report import weakest_link_sentence

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "map"
        shutil.copytree(checked.root, copy, symlinks=True)
        for file, (_, after) in texts.items():
            (copy / file).write_text(after, encoding="utf-8")
        result = compare(checked, check_map(copy, use_cache=False))
    return Preview(result.conversions,
                   weakest_link_sentence(result) if result.has_journey_changes else "no journey changes")
