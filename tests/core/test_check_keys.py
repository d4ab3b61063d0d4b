"""check_map's cache keys (FileKey, PartKey): a key that ignored an input would hand back a stale result.

Each input of a key is changed alone, and the digest must change with it; then the same through check_map
and the real cache: a file whose refusal changed is checked again, not answered from the cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.check import FileKey, PartKey, _problem_text, check_map
from journeymap.core.findings import Fix, Location
from journeymap.core.load import Problem

from ..conftest import CLEAN_MAP, write_map

PROBLEM = Problem("stray-file", Location("notes.txt", 3, 5), "not read", Fix(3, "old", "new"))
FILE = FileKey("stages/spark.yaml", "stage", "c0ffee", None)


def key(code: str = "code", day: str = "2026-12-03", root: str = "/maps/one",
        files: tuple[FileKey, ...] = (FILE,), folder_problems: tuple[Problem, ...] = (PROBLEM,),
        unreadable: tuple[str, ...] = ("stages/broken.yaml",)) -> PartKey:
    return PartKey(code, day, root, files, folder_problems, unreadable)


def test_the_same_inputs_make_the_same_key() -> None:
    assert key().digest() == key().digest()
    assert FILE.parts() == FileKey("stages/spark.yaml", "stage", "c0ffee", None).parts()


@pytest.mark.parametrize("changed", [
    {"code": "code 2"},  # another version of journeymap
    {"day": "2026-12-04"},  # the review rule counts days
    {"root": "/maps/two"},
    {"files": ()},
    {"files": (FILE, FileKey("stages/adopt.yaml", "stage", "decaf", None))},
    {"folder_problems": ()},
    {"folder_problems": (PROBLEM, PROBLEM)},
    {"unreadable": ()},
    {"unreadable": ("stages/other.yaml",)},
], ids=lambda changed: ",".join(changed))
def test_a_part_key_changes_with_each_of_its_inputs(changed: dict) -> None:
    assert key(**changed).digest() != key().digest()


@pytest.mark.parametrize("changed", [
    {"rel": "stages/adopt.yaml"}, {"kind": "brief"}, {"content": "decaf"},
    {"refusal": Problem("outside-link", Location("stages/spark.yaml"), "a link outside the map")},
], ids=lambda changed: ",".join(changed))
def test_a_file_key_changes_with_each_of_its_inputs(changed: dict) -> None:
    fields = {"rel": FILE.rel, "kind": FILE.kind, "content": FILE.content, "refusal": FILE.refusal, **changed}
    other = FileKey(**fields)
    assert other.parts() != FILE.parts()
    assert key(files=(other,)).digest() != key().digest()


def problems_differing_in_each_field() -> list[Problem]:
    return [
        Problem("invalid-yaml", PROBLEM.location, PROBLEM.message, PROBLEM.fix),
        Problem(PROBLEM.rule, Location("other.txt", 3, 5), PROBLEM.message, PROBLEM.fix),
        Problem(PROBLEM.rule, Location("notes.txt", 4, 5), PROBLEM.message, PROBLEM.fix),
        Problem(PROBLEM.rule, Location("notes.txt", 3, 6), PROBLEM.message, PROBLEM.fix),
        Problem(PROBLEM.rule, PROBLEM.location, "not read either", PROBLEM.fix),
        Problem(PROBLEM.rule, PROBLEM.location, PROBLEM.message, None),
        Problem(PROBLEM.rule, PROBLEM.location, PROBLEM.message, Fix(4, "old", "new")),
        Problem(PROBLEM.rule, PROBLEM.location, PROBLEM.message, Fix(3, "older", "new")),
        Problem(PROBLEM.rule, PROBLEM.location, PROBLEM.message, Fix(3, "old", "newer")),
    ]


@pytest.mark.parametrize("other", problems_differing_in_each_field(),
                         ids=["rule", "file", "line", "column", "message", "no fix", "fix line", "fix old", "fix new"])
def test_a_problem_changes_the_key_with_each_of_its_fields(other: Problem) -> None:
    """A folder problem or a file's refusal is reported as it is: any field of it changing is a new result."""
    assert _problem_text(other) != _problem_text(PROBLEM)
    assert key(folder_problems=(other,)).digest() != key().digest()
    refused = FileKey(FILE.rel, FILE.kind, FILE.content, PROBLEM)
    assert key(files=(FileKey(FILE.rel, FILE.kind, FILE.content, other),)).digest() != key(files=(refused,)).digest()


def test_no_problem_is_not_a_problem() -> None:
    assert _problem_text(None) != _problem_text(PROBLEM)


def test_the_counts_keep_files_folder_problems_and_unreadable_files_apart() -> None:
    """Keys are lists of strings: without the number of files and of folder problems, where one list ends
    and the next begins would be lost, and two different folders could make the same key."""
    # one file named "0" (its parts, then 0 folder problems) against no files and four unreadable ones
    one_file = key(files=(FileKey("0", "b", "c", None),), folder_problems=(), unreadable=())
    no_file = key(files=(), folder_problems=(), unreadable=("b", "c", "", "0"))
    assert one_file.digest() != no_file.digest()
    # a folder problem against a file unreadable under that problem's text
    problem = key(folder_problems=(PROBLEM,), unreadable=())
    unreadable = key(folder_problems=(), unreadable=(_problem_text(PROBLEM),))
    assert problem.digest() != unreadable.digest()


def findings(root: Path) -> list[tuple[str, str, str]]:
    return [(f.rule, str(f.location), f.message) for f in check_map(root, parallel=False).findings]


def test_a_file_whose_refusal_changed_is_checked_again_not_answered_from_the_cache(tmp_path: Path) -> None:
    """A link out of the map is refused whatever it points to (its bytes are not read, so they are the same,
    none): when it points elsewhere, the refusal names the new place, and so must the next check."""
    root = write_map(tmp_path / "map", CLEAN_MAP)
    first_target, second_target = tmp_path / "first.yaml", tmp_path / "second.yaml"
    for target in (first_target, second_target):
        target.write_text((root / "stages/adopt.yaml").read_text())
    adopt = root / "stages/adopt.yaml"
    adopt.unlink()
    adopt.symlink_to(first_target)
    [(rule, _, message)] = [f for f in findings(root) if f[0] == "outside-link"]
    assert str(first_target) in message
    adopt.unlink()
    adopt.symlink_to(second_target)
    again = [f for f in findings(root) if f[0] == "outside-link"]
    assert [(r, str(second_target) in m) for r, _, m in again] == [("outside-link", True)]
    assert findings(root) == [(f.rule, str(f.location), f.message) for f in check_map(root, use_cache=False).findings]
