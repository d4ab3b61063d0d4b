"""The pipeline up to findings: load → validate → model → rules, for one journey or a portfolio."""

from __future__ import annotations

import collections
import functools
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


def check_map(root: Path, use_cache: bool = True, parallel: bool = True) -> Checked:
    """Check the map (or portfolio) at `root`; raises MapNotFound when it is neither.

    With the cache (journeymap/core/cache.py), a file read before with the same bytes is not parsed or
    validated again, and a journey whose every input is unchanged gets its last findings without a rule run.
    `parallel=False` never forks (for a process with threads, such as `serve`).
    """
    from .rules.review import today

    root = Path(root)
    folders = find_journeys(root)
    portfolio = folders != [root]
    cache = Cache(root, enabled=use_cache)
    shared_path = shared_owners_file(root) if portfolio else None
    listings = [list_folder(folder, f"{folder.name}/" if portfolio else "", shared_owners=shared_path is not None)
                for folder in folders]
    prefixes = [listing.prefix for listing in listings]
    files = [(kind, path, rel, listing.root) for listing in listings for kind, path, rel in listing.files]
    if shared_path is not None:
        files.insert(0, ("owners", shared_path, shared_path.name, root))
    contents = {rel: read_bytes(path, rel, folder_root) for _, path, rel, folder_root in files}
    hashes = {rel: digest(data) for rel, (data, _) in contents.items()}
    if parallel:
        _parse_in_parallel([(rel, kind, path.suffix, contents[rel][0]) for kind, path, rel, _ in files
                            if contents[rel][1] is None and not cache.has(rel, kind, hashes[rel])], cache, hashes)

    def read(path: Path, rel: str, kind: str, folder_root: Path) -> tuple[Document | None, list[Problem]]:
        data, refusal = contents[rel]
        if refusal is not None:
            return None, [refusal]
        return cache.file(rel, kind, hashes[rel], lambda: _parse_and_validate(data, path.suffix, rel, kind))

    def entry(rel: str, kind: str) -> str:
        return f"{rel}:{kind}:{hashes[rel]}:{contents[rel][1]}"

    # a key per journey: everything its findings depend on but the other journeys (see _find_gaps)
    common = (cache.version, today().isoformat(), str(root.resolve()),
              *([entry(shared_path.name, "owners")] if shared_path else []))
    parts = [_Part(listing, digest(*common, *(entry(rel, kind) for kind, _, rel in listing.files),
                                   f"{listing.problems}{sorted(listing.unreadable)}"), remember=use_cache)
             for listing in listings]
    read_now = {(rel, kind) for kind, _, rel, _ in files}
    shared_read = functools.cache(lambda: _read_shared(read, shared_path))
    if use_cache:
        _forget_models_but({part.key for part in parts})

    def journeys() -> list[Journey]:
        """Built only when asked for: a cached result needs none."""
        built = [part.model(read, shared_read) for part in parts]
        for journey, elsewhere in zip(built, _used_elsewhere([_owners_used(j) for j in built]), strict=True):
            journey.owners_used_elsewhere = elsewhere
        cache.save(read_now, prefixes)  # entries found damaged on the way were computed again
        return built

    findings, files_checked = _find_gaps(parts, cache, read, shared_read)
    files_checked += 1 if shared_path else 0
    unique = sorted(dict.fromkeys(findings), key=Finding.sort_key)  # shared files are checked once per journey
    cache.save(read_now, prefixes)
    return Checked(root, unique, files_checked, portfolio, hashes, prefixes, journeys)


#: the journeys modelled last, by their part key: `serve` checks the same map again and again
_models: dict[str, tuple[Journey, int]] = {}


def _forget_models_but(keys: set[str]) -> None:
    for stale in _models.keys() - keys:
        del _models[stale]


@dataclass
class _Part:
    """One journey of the check: its key (its files' hashes and the shared owners.yaml's) and, once built, its model."""

    listing: Listing
    key: str
    remember: bool = True  # keep the model for this process's next check (not under --no-cache)
    built: tuple[Journey, int] | None = None  # the journey, and how many files were read to make it

    def model(self, read: Callable, shared: Callable[[], Shared]) -> Journey:
        if self.built is None:
            self.built = _models.get(self.key) or _journey(self.listing, read, *shared())
            if self.remember:
                _models[self.key] = self.built
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


def _find_gaps(parts: list[_Part], cache: Cache, read: Callable, shared: Callable) -> tuple[list[Finding], int]:
    """Every journey's findings, and how many files were read; rules run only on journeys that changed
    (or whose portfolio's other journeys changed the owners they use)."""
    from . import rules

    stored: list[_Found | None] = [cache.part(part.listing.prefix, part.key) for part in parts]
    used = [found.owners_used if found else _owners_used(part.model(read, shared))
            for part, found in zip(parts, stored, strict=True)]
    findings: list[Finding] = []
    files = 0
    for part, found, elsewhere in zip(parts, stored, _used_elsewhere(used), strict=True):
        if found is None or found.used_elsewhere != elsewhere:
            journey = part.model(read, shared)
            journey.owners_used_elsewhere = elsewhere
            found = _Found(_owners_used(journey), elsewhere, list(rules.find_gaps(journey)), part.files)
            cache.keep_part(part.listing.prefix, part.key, found)
        findings += found.findings
        files += found.files
    return findings, files


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


def _read_shared(read: Callable, shared_path: Path | None) -> Shared:
    if shared_path is None:
        return None, [], False
    return (*read(shared_path, shared_path.name, "owners", shared_path.parent), True)


def _journey(listing: Listing, read: Callable, shared: Document | None, shared_problems: list[Problem],
             has_shared: bool) -> tuple[Journey, int]:
    """One journey, and how many of its own files were read to make it (or could not be)."""
    folder = read_folder(listing, read)
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
