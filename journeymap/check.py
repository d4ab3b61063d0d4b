"""The pipeline up to findings: load → validate → model → rules, for one journey or a portfolio."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import Cache, digest, pickled
from .findings import Finding
from .load import (Document, Folder, Listing, Problem, find_journeys, list_folder, parse_document, read_bytes,
                   read_folder, shared_owners_file)
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
        return [f for f in self.findings if prefix in self.journeys_of(f.location.file)]

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

    With the cache (journeymap/cache.py), a file read before with the same bytes is not parsed or
    validated again, and a map whose every input is unchanged gets its last findings without a rule run.
    `parallel=False` never forks (for a process with threads, such as `serve`).
    """
    from . import rules
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

    def journeys() -> list[Journey]:
        """Built only when asked for: a cached result needs none."""
        built, _ = _journeys(listings, read, shared_path)
        cache.save(read_now)  # entries found damaged on the way were computed again
        return built

    read_now = {(rel, kind) for kind, _, rel, _ in files}
    key = digest(cache.version, today().isoformat(), *(f"{rel}:{kind}:{hashes[rel]}:{contents[rel][1]}"
                                                       for kind, _, rel, _ in files),
                 *(f"{listing.problems}{sorted(listing.unreadable)}" for listing in listings))
    stored = cache.whole(key)
    if stored is not None:
        findings, files_checked = stored
        return Checked(root, findings, files_checked, portfolio, hashes, prefixes, journeys)
    built, files_checked = _journeys(listings, read, shared_path)
    findings = [f for journey in built for f in rules.find_gaps(journey)]
    unique = sorted(dict.fromkeys(findings), key=Finding.sort_key)  # shared files are checked once per journey
    cache.keep_whole(key, (unique, files_checked))
    cache.save(read_now)
    return Checked(root, unique, files_checked, portfolio, hashes, prefixes, built)


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


def _journeys(listings: list[Listing], read: Callable, shared_path: Path | None) -> tuple[list[Journey], int]:
    """The journeys, and how many files were read to make them (or could not be)."""
    shared, shared_problems = read(shared_path, shared_path.name, "owners", shared_path.parent) if shared_path \
        else (None, [])
    journeys: list[Journey] = []
    files = 1 if shared_path else 0
    for listing in listings:
        folder = read_folder(listing, read)
        files += len(folder.documents) + len(folder.unreadable)
        journeys.append(build_journey(_with_shared(folder, shared_problems, shared_path is not None and shared is None),
                                      [shared] if shared is not None else [], listing.prefix))
    return _aware_of_each_other(journeys), files


def _with_shared(folder: Folder, shared_problems: list[Problem], shared_unreadable: bool) -> Folder:
    unreadable = folder.unreadable | ({"owners.yaml"} if shared_unreadable else set())
    return replace(folder, problems=[*shared_problems, *folder.problems], unreadable=unreadable)


def _aware_of_each_other(journeys: list[Journey]) -> list[Journey]:
    """idle-owner looks across the whole portfolio: tell each journey which owners the others use."""
    used = [frozenset(t.owner for t in journey.touchpoints if t.owner) for journey in journeys]
    for index, journey in enumerate(journeys):
        journey.owners_used_elsewhere = frozenset().union(*(u for i, u in enumerate(used) if i != index))
    return journeys
