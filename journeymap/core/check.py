"""The pipeline up to findings: load → validate → model → rules, for one journey or a portfolio."""

from __future__ import annotations

import collections
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import Cache, digest, pickled
from .findings import Finding
from .load import (
    Document,
    Folder,
    Listing,
    Problem,
    find_journeys,
    list_folder,
    parse_document,
    read_bytes,
    read_folder,
    shared_owners_file,
)
from .model import Journey, build_journey
from .schema import validate
from .workers import can_fork, forked_map, usable_cores


@dataclass
class Checked:
    root: Path
    findings: list[Finding]
    files_checked: int
    is_portfolio: bool = False
    #: a hash of each file read, by its path: what a build compares to tell which journeys changed
    inputs: dict[str, str] = field(default_factory=dict)
    #: each journey's folder in the portfolio ("new-logo/"), or "" for a lone journey, known without the journeys
    prefixes: list[str] = field(default_factory=list)
    #: the journeys, or how to build them when a cached result made that unnecessary so far
    _journeys: list[Journey] | Callable[[], list[Journey]] = field(default_factory=list, repr=False)

    @property
    def journeys(self) -> list[Journey]:
        """One, or each journey of a portfolio."""
        if callable(self._journeys):
            self._journeys = self._journeys()
        return self._journeys

    @property
    def journey(self) -> Journey:
        return self.journeys[0]

    def findings_of(self, journey: Journey) -> list[Finding]:
        """A journey's own findings, and those in files it shares (the portfolio's owners.yaml)."""
        return self.findings_under(journey.prefix)

    def findings_under(self, prefix: str) -> list[Finding]:
        return self._findings_by_journey.get(prefix, [])

    @functools.cached_property
    def _findings_by_journey(self) -> dict[str, list[Finding]]:
        """Each journey's findings, in one pass: a portfolio of hundreds of journeys asks for each one's."""
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            for prefix in self.journeys_of(finding.location.file):
                grouped.setdefault(prefix, []).append(finding)
        return grouped

    def journeys_of(self, file: str) -> list[str]:
        """The prefixes of the journeys a file belongs to: its own folder's, or every journey's for a file
        at the top of a portfolio (the shared owners.yaml)."""
        if "/" not in file:
            return self.prefixes
        if not self.is_portfolio:
            return [""]
        return [file[:file.index("/") + 1]]


def check_map(root: Path, use_cache: bool = True, parallel: bool = True, models: ModelMemo | None = None) -> Checked:
    """Check the map (or portfolio) at `root`; raises MapNotFound when it is neither.

    With the cache (journeymap/core/cache.py), a file read before with the same bytes is not parsed or
    validated again, and a journey whose every input is unchanged gets its last findings without a rule run.
    `models` keeps the journeys modelled for the next check (`serve` passes its own; without one, this
    process's). `parallel=False` never forks (for a process with threads, such as `serve`).
    """
    root = Path(root)
    folders = find_journeys(root)
    portfolio = folders != [root]
    cache = Cache(root, enabled=use_cache)
    shared_path = shared_owners_file(root) if portfolio else None
    listings = [list_folder(folder, f"{folder.name}/" if portfolio else "", shared_owners=shared_path is not None)
                for folder in folders]
    files = _MapFiles(root, listings, shared_path, cache)
    if parallel:
        _parse_in_parallel(files.unparsed(), cache, files.hashes)
    memo = (models if models is not None else ModelMemo(_models)) if use_cache else None
    parts = [_Part(listing, files.part_key(listing), memo) for listing in listings]
    if memo is not None:
        memo.keep_only({part.key for part in parts})
    findings, files_checked = _find_gaps(parts, cache, files)
    files_checked += 1 if shared_path else 0
    unique = sorted(dict.fromkeys(findings), key=Finding.sort_key)  # shared files are checked once per journey
    files.save()
    return Checked(root, unique, files_checked, portfolio, files.hashes, files.prefixes,
                   functools.partial(_journeys, parts, files))


def _journeys(parts: list[_Part], files: _MapFiles) -> list[Journey]:
    """Every journey, built only when asked for: a cached result needs none."""
    built = [part.model(files) for part in parts]
    for journey, elsewhere in zip(built, _used_elsewhere([_owners_used(j) for j in built]), strict=True):
        journey.owners_used_elsewhere = elsewhere
    files.save()  # entries found damaged on the way were computed again
    return built


def _problem_text(problem: Problem | None) -> str:
    """A loader's problem as a key sees it: every field, in a fixed order ("" for none)."""
    if problem is None:
        return ""
    fix = [problem.fix.line, problem.fix.old, problem.fix.new] if problem.fix else None
    return json.dumps([problem.rule, problem.location.file, problem.location.line, problem.location.column,
                       problem.message, fix])


@dataclass(frozen=True)
class FileKey:
    """One file as a journey's key sees it: where it is, its kind, its bytes' hash, and why it was not read."""

    rel: str
    kind: str
    content: str
    refusal: Problem | None

    def parts(self) -> tuple[str, str, str, str]:
        return self.rel, self.kind, self.content, _problem_text(self.refusal)


@dataclass(frozen=True)
class PartKey:
    """Everything one journey's findings depend on but the other journeys (see _find_gaps): the code, the day
    (the review rule counts days), the map's folder, the journey's files and the shared owners.yaml, and what
    is wrong with its folder itself (strays, unreadable files)."""

    code: str
    day: str
    root: str
    files: tuple[FileKey, ...]  # the shared owners.yaml first, when the portfolio has one
    folder_problems: tuple[Problem, ...]
    unreadable: tuple[str, ...]

    def digest(self) -> str:
        return digest(self.code, self.day, self.root, str(len(self.files)), *(p for f in self.files for p in f.parts()),
                      str(len(self.folder_problems)), *(_problem_text(p) for p in self.folder_problems),
                      *self.unreadable)


class _MapFiles:
    """The map's files, each read once: their bytes (or why not), their hashes, and what they parse to (cached)."""

    def __init__(self, root: Path, listings: list[Listing], shared_path: Path | None, cache: Cache) -> None:
        from .rules.review import today

        self.root, self.shared_path, self.cache = root, shared_path, cache
        self.day = today().isoformat()
        self.prefixes = [listing.prefix for listing in listings]
        self.files = [(kind, path, rel, listing.root) for listing in listings for kind, path, rel in listing.files]
        if shared_path is not None:
            self.files.insert(0, ("owners", shared_path, shared_path.name, root))
        self.contents = {rel: read_bytes(path, rel, folder_root) for _, path, rel, folder_root in self.files}
        self.hashes = {rel: digest(data) for rel, (data, _) in self.contents.items()}

    def read(self, path: Path, rel: str, kind: str, folder_root: Path) -> tuple[Document | None, list[Problem]]:
        """A load.Reader: the file's document and problems, parsed now or taken from the cache."""
        data, refusal = self.contents[rel]
        if refusal is not None:
            return None, [refusal]
        return self.cache.file(rel, kind, self.hashes[rel], lambda: _parse_and_validate(data, path.suffix, rel, kind))

    @functools.cached_property
    def shared(self) -> Shared:
        """The portfolio's shared owners.yaml as read, once for every journey."""
        if self.shared_path is None:
            return None, [], False
        return (*self.read(self.shared_path, self.shared_path.name, "owners", self.shared_path.parent), True)

    def unparsed(self) -> list[tuple[str, str, str, bytes]]:
        """The readable files the cache has no result for: (rel, kind, suffix, bytes)."""
        return [(rel, kind, path.suffix, self.contents[rel][0]) for kind, path, rel, _ in self.files
                if self.contents[rel][1] is None and not self.cache.has(rel, kind, self.hashes[rel])]

    def file_key(self, rel: str, kind: str) -> FileKey:
        return FileKey(rel, kind, self.hashes[rel], self.contents[rel][1])

    def part_key(self, listing: Listing) -> PartKey:
        shared = (self.file_key(self.shared_path.name, "owners"),) if self.shared_path else ()
        return PartKey(self.cache.version, self.day, str(self.root.resolve()),
                       (*shared, *(self.file_key(rel, kind) for kind, _, rel in listing.files)),
                       tuple(listing.problems), tuple(sorted(listing.unreadable)))

    def save(self) -> None:
        """Write the cache, keeping the entries of the files read now and the journeys checked now."""
        self.cache.save({(rel, kind) for kind, _, rel, _ in self.files}, self.prefixes)


#: what ModelMemo holds: a journey, and how many files were read to make it
Modelled = tuple[Journey, int]
#: the journeys modelled last in this process, by their part key's digest: the memo of a check given none
_models: dict[str, Modelled] = {}


class ModelMemo:
    """The journeys modelled by earlier checks, by their part key's digest: `serve` checks the same map on every
    save, and a journey whose inputs did not change is not modelled again."""

    def __init__(self, store: dict[str, Modelled] | None = None) -> None:
        self._store: dict[str, Modelled] = {} if store is None else store

    def recall(self, key: str) -> Modelled | None:
        return self._store.get(key)

    def keep(self, key: str, modelled: Modelled) -> None:
        self._store[key] = modelled

    def keep_only(self, keys: set[str]) -> None:
        """Forget the journeys of other keys: the map changed since they were modelled."""
        for stale in self._store.keys() - keys:
            del self._store[stale]


@dataclass
class _Part:
    """One journey of the check: its key and, once built, its model."""

    listing: Listing
    part_key: PartKey
    memo: ModelMemo | None  # where models are kept for the next check (None under --no-cache)
    built: Modelled | None = None

    @functools.cached_property
    def key(self) -> str:
        return self.part_key.digest()

    def model(self, files: _MapFiles) -> Journey:
        if self.built is None:
            self.built = (self.memo.recall(self.key) if self.memo else None) or _journey(self.listing, files)
            if self.memo is not None:
                self.memo.keep(self.key, self.built)
        return self.built[0]

    @property
    def files(self) -> int:
        return self.built[1] if self.built else 0


@dataclass(frozen=True)
class _Found:
    """What the rules found in one journey, cached under its part key: the owners it uses (what the others'
    idle-owner needs) and, for the owners the other journeys used then, its findings."""

    owners_used: frozenset[str]
    used_elsewhere: frozenset[str]
    findings: list[Finding]
    files: int


def _find_gaps(parts: list[_Part], cache: Cache, files: _MapFiles) -> tuple[list[Finding], int]:
    """Every journey's findings, and how many files were read; rules run only on journeys that changed
    (or whose portfolio's other journeys changed the owners they use)."""
    from . import rules

    stored: list[_Found | None] = [cache.part(part.listing.prefix, part.key) for part in parts]
    used = [found.owners_used if found else _owners_used(part.model(files))
            for part, found in zip(parts, stored, strict=True)]
    findings: list[Finding] = []
    files_read = 0
    for part, found, elsewhere in zip(parts, stored, _used_elsewhere(used), strict=True):
        if found is None or found.used_elsewhere != elsewhere:
            journey = part.model(files)
            journey.owners_used_elsewhere = elsewhere
            found = _Found(_owners_used(journey), elsewhere, list(rules.find_gaps(journey)), part.files)
            cache.keep_part(part.listing.prefix, part.key, found)
        findings += found.findings
        files_read += found.files
    return findings, files_read


#: below this many files to parse, starting worker processes costs more than it saves
PARALLEL_FROM = 200


def _parse_in_parallel(jobs: list[tuple[str, str, str, bytes]], cache: Cache, hashes: dict[str, str]) -> None:
    """Parse and validate many files on every core (a cold check of a large portfolio); results go to `cache`."""
    from . import rules
    from .schema import prepare_validators

    if len(jobs) < PARALLEL_FROM or not can_fork():
        return  # each file is parsed when it is read

    def parse(index: int) -> bytes:
        rel, kind, suffix, data = jobs[index]
        return pickled(_parse_and_validate(data, suffix, rel, kind))

    prepare_validators(rules.rule_ids())  # once, before the fork, rather than in every worker
    try:
        results = list(forked_map(parse, len(jobs), chunksize=max(1, len(jobs) // (usable_cores() * 4))))
    except OSError:
        return  # no processes to be had: parse here
    for (rel, kind, _, _), result in zip(jobs, results, strict=True):
        cache.keep(rel, kind, hashes[rel], result)


def _parse_and_validate(data: bytes, suffix: str, rel: str, kind: str) -> tuple[Document | None, list[Problem]]:
    from . import rules

    document, problems = parse_document(data, suffix, rel, kind)
    if document is not None:
        problems = problems + validate(document, rules.rule_ids())
    return document, problems


#: a portfolio's shared owners.yaml as read: (document or None, its problems, does the portfolio have one)
Shared = tuple["Document | None", list[Problem], bool]


def _journey(listing: Listing, files: _MapFiles) -> Modelled:
    """One journey, and how many of its own files were read to make it (or could not be)."""
    shared, shared_problems, has_shared = files.shared
    folder = read_folder(listing, files.read)
    journey = build_journey(_with_shared(folder, shared_problems, has_shared and shared is None),
                            [shared] if shared is not None else [], listing.prefix)
    return journey, len(folder.documents) + len(folder.unreadable)


def _with_shared(folder: Folder, shared_problems: list[Problem], shared_unreadable: bool) -> Folder:
    unreadable = folder.unreadable | ({"owners.yaml"} if shared_unreadable else set())
    return replace(folder, problems=[*shared_problems, *folder.problems], unreadable=unreadable)


def _owners_used(journey: Journey) -> frozenset[str]:
    return frozenset(t.owner for t in journey.touchpoints if t.owner)


def _used_elsewhere(used: list[frozenset[str]]) -> list[frozenset[str]]:
    """idle-owner looks across the whole portfolio: for each journey, the owners the others use."""
    count = collections.Counter(owner for owners in used for owner in owners)
    return [frozenset(owner for owner, times in count.items() if times > (owner in owners)) for owners in used]
