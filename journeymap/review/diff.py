"""What a change does to the journey: the review a pull request needs, in journey terms.

Two checked maps in, plain changes out: items added, removed, moved or edited
(old → new), the conversions the new numbers imply, whether the weakest link
or the slowest stage moved, and the findings the change opens or closes,
matched by rule and subject so a block that only moved is not a new finding.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.check import Checked
from ..core.findings import Finding, Location, Severity
from ..core.locate import TEMPLATES_FOLDER, TEMPLATES_SETTING
from ..core.model import ITEM_CLASSES, Journey, Origin, Stage, Transition, compared_fields
from .revisions import MapInGit, _git
from .subjects import Subjects

#: what is compared on each kind of item, in the order a reviewer reads it
FIELDS = {kind: compared_fields(item_class) for kind, item_class in ITEM_CLASSES.items()}
KINDS = tuple(FIELDS)
#: a field change that means the item now belongs elsewhere in the journey
MOVES = {"stage", "stages"}


@dataclass(frozen=True)
class Change:
    """One item added, removed, moved, renamed or reordered, or one field edited (old → new)."""

    kind: str
    subject: str
    action: str  # added | removed | changed | moved | renamed | reordered
    field: str = ""
    old: Any = None
    new: Any = None
    where: Location | None = None
    at_base: bool = False  # `where` is a place in the base revision (the item is gone at the head)
    journey: str = ""  # the journey's folder, in a portfolio


@dataclass(frozen=True)
class ConversionChange:
    """The conversion between two stages (by id; named for people), before and after."""

    source: str
    target: str
    names: tuple[str, str]
    old: float | None
    new: float | None
    journey: str = ""


@dataclass(frozen=True)
class Moved:
    """A derived figure (weakest link, slowest stage) at both sides; `moved` when it is another stage or pair.

    Shown by name, followed by stage id: renaming the stage it is at is no move.
    """

    old: str | None
    new: str | None
    old_ids: tuple[str, ...] = ()
    new_ids: tuple[str, ...] = ()

    @property
    def moved(self) -> bool:
        return self.old_ids != self.new_ids


@dataclass(frozen=True)
class TemplatesChanged:
    """The change touches the map's own templates: code that runs for whoever builds or serves the branch."""

    files: list[tuple[str, str]]  # (path from the repository root, added | removed | edited)
    setting: tuple[str | None, str | None] | None = None  # journey.yaml's `templates:` at base and head, if changed

    ID = "templates-changed"

    @property
    def message(self) -> str:
        parts = [f"`{path}` {change}" for path, change in self.files]
        if self.setting is not None:
            old, new = (f"`{value}`" if value is not None else "none" for value in self.setting)
            parts.append(f"journey.yaml's `templates:` line {old} → {new}")
        return (f"the change touches the map's own templates ({', '.join(parts)}): templates run when the site "
                "is built or served; review them as code")


@dataclass
class MapDiff:
    changes: list[Change]
    conversions: list[ConversionChange]
    weakest_link: dict[str, Moved]  # per journey slug ("" for a single journey)
    slowest_stage: dict[str, Moved]
    introduced: list[tuple[Finding, str]]  # with the subject each concerns
    fixed: list[tuple[Finding, str]]
    base_missing: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # base/head as given, for headings
    templates: TemplatesChanged | None = None

    @property
    def has_journey_changes(self) -> bool:
        return bool(self.changes or self.conversions or self.introduced or self.fixed)

    @property
    def new_errors(self) -> list[Finding]:
        return [finding for finding, _ in self.introduced if finding.severity is Severity.ERROR]


def compare(base: Checked | None, head: Checked) -> MapDiff:
    """The change from `base` (None: no map there yet) to `head`."""
    base_journeys = {j.slug: j for j in base.journeys} if base else {}
    changes: list[Change] = []
    conversions: list[ConversionChange] = []
    weakest: dict[str, Moved] = {}
    slowest: dict[str, Moved] = {}
    for journey in head.journeys:
        old = base_journeys.pop(journey.slug, None)
        changes += _journey_changes(old, journey)
        conversions += _conversion_changes(old, journey)
        weakest[journey.slug] = _figure(old.weakest_link() if old else None, journey.weakest_link())
        slowest[journey.slug] = _figure(old.slowest_stage() if old else None, journey.slowest_stage())
    for gone in base_journeys.values():
        changes.append(Change("journey", gone.slug, "removed", where=gone.origin.at(), at_base=True))
    introduced, fixed = _finding_changes(base, head)
    return MapDiff(changes, conversions, weakest, slowest, introduced, fixed, base_missing=base is None)


# ---- items ----


def _journey_changes(old: Journey | None, new: Journey) -> list[Change]:
    changes: list[Change] = []
    for kind in KINDS:
        changes += _item_changes(kind, _items(old, kind) if old else {}, _items(new, kind), new.slug)
    if old is not None:
        changes += _order_change(old, new)
    return changes


def _items(journey: Journey, kind: str) -> dict[str, tuple[Any, Origin]]:
    """Every item of a kind by id, with the values FIELDS compares and where it is written."""
    found: dict[str, tuple[Any, Origin]] = {}
    for item_id, item, origin in journey.items(kind):
        found.setdefault(item_id, (item, origin))
    return found


def _item_changes(kind: str, old: dict[str, tuple[Any, Origin]], new: dict[str, tuple[Any, Origin]],
                  journey: str) -> list[Change]:
    changes = []
    renamed = _renamed_ids(kind, old, new)
    for item_id, (item, origin) in new.items():
        before_id = renamed.get(item_id, item_id)
        if before_id not in old:
            changes.append(Change(kind, item_id, "added", field=_home_field(kind), new=_home(kind, item),
                                  where=origin.at(), journey=journey))
            continue
        before, _ = old[before_id]
        if before_id != item_id:
            changes.append(Change(kind, item_id, "renamed", "id", before_id, item_id, origin.at(), journey=journey))
        for name in FIELDS[kind]:
            was, now = _value(before, name), _value(item, name)
            if was != now:
                action = "moved" if name in MOVES else "renamed" if (kind, name) == ("stage", "name") else "changed"
                changes.append(Change(kind, item_id, action, name, was, now, origin.at(name), journey=journey))
    for item_id, (item, origin) in old.items():
        if item_id not in new and item_id not in renamed.values():
            changes.append(Change(kind, item_id, "removed", field=_home_field(kind), old=_home(kind, item),
                                  where=origin.at(), at_base=True, journey=journey))
    return changes


def _renamed_ids(kind: str, old: dict[str, tuple[Any, Origin]], new: dict[str, tuple[Any, Origin]]) -> dict:
    """New id → old id, for a stage whose id changed but whose name did not: a rename, not a swap."""
    if kind != "stage":
        return {}
    gone = {item.name: item_id for item_id, (item, _) in old.items() if item_id not in new}
    return {item_id: gone[item.name] for item_id, (item, _) in new.items()
            if item_id not in old and item.name in gone}


def _order_change(old: Journey, new: Journey) -> list[Change]:
    kept = {s.id for s in old.stages} & {s.id for s in new.stages}
    before = [s.id for s in old.stages if s.id in kept]
    after = [s.id for s in new.stages if s.id in kept]
    if before == after:
        return []
    return [Change("stage", "", "reordered", "stages", before, after, new.origin.at("stages"), journey=new.slug)]


def _home_field(kind: str) -> str:
    return {"touchpoint": "stage", "brief": "stage", "experiment": "stage", "evidence": "stages"}.get(kind, "")


def _home(kind: str, item: Any) -> Any:
    """Where an added or removed item sits: its stage, so the reviewer can place it."""
    home = _home_field(kind)
    return _value(item, home) if home else None


def _value(item: Any, name: str) -> Any:
    value = getattr(item, name, None)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value == "":
        return None
    return value


# ---- derived figures ----


def _conversion_changes(old: Journey | None, new: Journey) -> list[ConversionChange]:
    before = {(t.source.id, t.target.id): t for t in old.transitions()} if old else {}
    after = {(t.source.id, t.target.id): t for t in new.transitions()}
    changes = []
    for pair in [*after, *(p for p in before if p not in after)]:
        was, now = before.get(pair), after.get(pair)
        old_rate, new_rate = (was.conversion if was else None), (now.conversion if now else None)
        if not _same_number(old_rate, new_rate):
            either = now or was
            names = (either.source.name, either.target.name)  # type: ignore[union-attr]
            changes.append(ConversionChange(pair[0], pair[1], names, old_rate, new_rate, new.slug))
    return changes


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-12


def _figure(old: Transition | Stage | None, new: Transition | Stage | None) -> Moved:
    return Moved(_label(old), _label(new), _ids(old), _ids(new))


def _label(figure: Transition | Stage | None) -> str | None:
    if isinstance(figure, Transition):
        return f"{figure.source.name} → {figure.target.name}"
    return figure.name if figure is not None else None


def _ids(figure: Transition | Stage | None) -> tuple[str, ...]:
    if isinstance(figure, Transition):
        return figure.source.subject_id, figure.target.subject_id
    return (figure.subject_id,) if figure is not None else ()


# ---- findings ----


def _finding_changes(base: Checked | None, head: Checked) -> tuple[list, list]:
    """Errors and warnings the change opens and closes (info is the derived figures, reported above)."""
    head_subjects = Subjects(head.journeys)
    base_subjects = Subjects(base.journeys) if base else head_subjects
    head_gaps = _gaps(head.findings, head_subjects)
    base_gaps = _gaps(base.findings, base_subjects) if base else []
    return _surplus(head_gaps, base_gaps, head_subjects), _surplus(base_gaps, head_gaps, base_subjects)


def _gaps(findings: Iterable[Finding], subjects: Subjects) -> list[tuple[Finding, tuple]]:
    """Keyed by rule, subject, message and severity: a warning raised to an error is a new error."""
    return [(f, (*subjects.key(f), f.severity)) for f in findings if f.severity is not Severity.INFO]


def _surplus(these: list[tuple[Finding, tuple]], those: list[tuple[Finding, tuple]],
             subjects: Subjects) -> list[tuple[Finding, str]]:
    """The findings of `these` that `those` has no match for (matched by rule, subject and message)."""
    left = Counter(key for _, key in those)
    surplus = []
    for finding, key in these:
        if left[key]:
            left[key] -= 1
        else:
            surplus.append((finding, subjects.of(finding.location)))
    return surplus


# ---- the map's own templates ----

_CHANGES = {"A": "added", "D": "removed"}  # any other status (M, T: a file became a link) is an edit


def templates_changed(where: MapInGit, base_commit: str, head_commit: str | None, base: Checked | None,
                      head: Checked) -> TemplatesChanged | None:
    """Files added, removed or edited in any folder the map's templates may come from, and a changed
    `templates:` line; git compares (the working tree when there is no head commit, new files included)."""
    setting = (_templates_line(base), _templates_line(head))
    candidates = [*_conventional_folders(where.path), *(_in_repository(where.path, value) for value in setting)]
    folders = sorted({folder for folder in candidates if folder is not None})
    specs = [f":(literal){folder}" for folder in folders]
    status = _git(where.repository, "diff", "--name-status", "--no-renames", "--no-ext-diff", "-z", base_commit,
                  *([head_commit] if head_commit else []), "--", *specs,
                  problem=f"cannot compare the template folders with {base_commit[:12]}")
    fields = status.split("\0")
    files = [(path, _CHANGES.get(code[:1], "edited")) for code, path in zip(fields[::2], fields[1::2], strict=False)]
    if head_commit is None:
        new = _git(where.repository, "ls-files", "--others", "--exclude-standard", "-z", "--", *specs,
                   problem="cannot list the new files of the template folders")
        files += [(path, "added") for path in filter(None, new.split("\0"))]
    if not files and setting[0] == setting[1]:
        return None
    return TemplatesChanged(sorted(files), setting if setting[0] != setting[1] else None)


def _templates_line(checked: Checked | None) -> str | None:
    """A lone journey's `templates:` value as written (a portfolio's templates come from the command line)."""
    if checked is None or checked.is_portfolio:
        return None
    value = checked.journey.origin.document.fields.get(TEMPLATES_SETTING)
    return None if value is None else str(value)


def _conventional_folders(map_path: str) -> list[str | None]:
    """templates/ inside the map folder, and beside it (unless the map is the repository root)."""
    return [_in_repository(map_path, TEMPLATES_FOLDER), _in_repository(map_path, f"../{TEMPLATES_FOLDER}")]


def _in_repository(map_path: str, relative: str | None) -> str | None:
    """A folder relative to the map as a path from the repository root; None when it is outside."""
    if relative is None or posixpath.isabs(relative):
        return None
    folder = posixpath.normpath(posixpath.join(map_path, relative))
    return None if folder == ".." or folder.startswith("../") else folder
