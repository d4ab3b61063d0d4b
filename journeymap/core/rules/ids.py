"""Ids: slugs, unique within their kind, stage files named after their stage."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..findings import Fix, Gap, Location, Severity
from ..model import SLUG, Journey
from .registry import rule


def identified(journey: Journey) -> Iterator[tuple[str, str, Location]]:
    """Every (kind, id, place) in the map, kind by kind, each in file order."""
    kinds: list[tuple[str, list]] = [
        ("phase", journey.phases), ("owner", journey.owners), ("persona", journey.personas),
        ("stage", journey.stage_files), ("touchpoint", journey.touchpoints),
        ("experiment", journey.experiments), ("brief", journey.briefs), ("evidence", journey.evidence)]
    for kind, items in kinds:
        for item in items:
            # briefs and evidence take their id from the file name: point at the file
            yield kind, item.id, item.origin.at() if kind in ("brief", "evidence") else item.origin.at("id")


def _mentions(journey: Journey, value: str) -> int:
    """How often `value` is written as a value anywhere in the map (an id, a reference)."""
    def count(data: object) -> int:
        if isinstance(data, dict):
            return sum(count(v) for v in data.values())
        if isinstance(data, list):
            return sum(count(v) for v in data)
        return int(data == value)

    return sum(count(d.data) for d in journey.documents())


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64] or "my-id"


@rule("invalid-id", Severity.ERROR)
def invalid_id(journey: Journey) -> Iterator[Gap]:
    """An id is not a slug, or a stage file's name does not match its id.

    Why: ids become file names, URLs and anchors on the site; a slug
    (`^[a-z0-9][a-z0-9-]{0,63}$`) works everywhere. Briefs and evidence take
    their id from the file name, so those names must be slugs too.

    Fails:
        # stages/eval.yaml
        id: Evaluation Stage

    Passes:
        # stages/evaluation.yaml
        id: evaluation
    """
    for kind, item_id, location in identified(journey):
        if item_id and not SLUG.match(item_id):
            where = "file name" if kind in ("brief", "evidence") else "id"
            slug = slugify(item_id)
            # safe to fix only where nothing else names the id: references would break
            fix = Fix(location.line, item_id, slug) if where == "id" and _mentions(journey, item_id) == 1 else None
            yield Gap(location, f"{kind} {where} `{item_id}` is not a slug: use lower-case letters, digits "
                                f"and hyphens, e.g. `{slug}`", fix)
    taken = {s.origin.document.stem for s in journey.stage_files}
    for stage in journey.stage_files:
        stem = stage.origin.document.stem
        if stage.id and stage.id != stem:
            folder = stage.origin.file.rsplit("/", 1)[0]
            renamable = SLUG.match(stage.id) is not None and stage.id not in taken
            ways = [f"rename the file to stages/{stage.id}.yaml"] if SLUG.match(stage.id) else []
            ways += [f"write `id: {stem}`"] if SLUG.match(stem) else []
            ways = ways or [f"give the stage a slug id and name the file after it, e.g. stages/{slugify(stem)}.yaml"]
            yield Gap(stage.origin.at("id"), f"stage id `{stage.id}` does not match its file name "
                                             f"`{stem}`: {' or '.join(ways)}",
                      Fix(None, stage.origin.file, f"{folder}/{stage.id}.yaml") if renamable else None)


def first_seen(items: Iterable[tuple[str, Location]]) -> Iterator[tuple[str, Location, Location]]:
    """(id, place, first place) for each repeat of an id."""
    seen: dict[str, Location] = {}
    for item_id, location in items:
        if not item_id:
            continue
        if item_id in seen:
            yield item_id, location, seen[item_id]
        else:
            seen[item_id] = location


@rule("duplicate-id", Severity.ERROR)
def duplicate_id(journey: Journey) -> Iterator[Gap]:
    """Two items of a kind share an id; touchpoint ids are unique across the whole map.

    Why: references by id (`next:`, `owner:`, a brief's `stage:`) become
    ambiguous, and only the first item is ever found.

    Fails:
        touchpoints:
          - {id: demo-call, name: Demo call, owner: sales}
          - {id: demo-call, name: Technical demo, owner: solutions}

    Passes:
        touchpoints:
          - {id: demo-call, name: Demo call, owner: sales}
          - {id: technical-demo, name: Technical demo, owner: solutions}

    A stage listed twice in journey.yaml's `stages:` is a duplicate too.
    """
    by_kind: dict[str, list[tuple[str, Location]]] = {}
    for kind, item_id, location in identified(journey):
        by_kind.setdefault(kind, []).append((item_id, location))
    for kind, items in by_kind.items():
        for item_id, location, first in first_seen(items):
            yield Gap(location, f"{kind} id `{item_id}` is already used at {first}: give this {kind} "
                                "its own id")
    for stage_id, location, first in first_seen(journey.stage_order):
        yield Gap(location, f"stage `{stage_id}` is listed twice in `stages:` (first at {first}): a journey "
                            "passes through a stage once; remove this entry")
