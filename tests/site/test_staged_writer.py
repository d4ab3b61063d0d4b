"""The one module that touches the output folder, in this process: staging, the swap, what it refuses.

(The built site's atomicity through the real command is in tests/site/test_site.py.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from journeymap.site import writer

from ..conftest import CLEAN_MAP, snapshot, write_map


def test_staged_renders_beside_the_output_and_swaps_it_in_whole(tmp_path: Path) -> None:
    output = tmp_path / "deep" / "site"
    with writer.staged(output) as stage:
        assert stage.parent == output.parent and stage != output and not output.exists()
        writer.write_text(stage, "a/b/page.html", "Zoë’s page")
    assert (output / "a/b/page.html").read_text(encoding="utf-8") == "Zoë’s page"
    assert (output / writer.MARKER).is_file() and output.stat().st_mode & 0o777 == 0o755
    with writer.staged(output) as stage:
        writer.write_text(stage, "new.html", "new")
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()) == [
        writer.MARKER, "new.html"]
    assert [p.name for p in output.parent.iterdir()] == ["site"]  # no staging or old folders left


def test_staged_leaves_the_old_output_when_the_render_fails(tmp_path: Path) -> None:
    output = tmp_path / "site"
    with writer.staged(output) as stage:
        writer.write_text(stage, "index.html", "old")
    before = snapshot(output)
    with pytest.raises(RuntimeError), writer.staged(output) as stage:
        writer.write_text(stage, "index.html", "new")
        raise RuntimeError("template broke half-way")
    assert snapshot(output) == before and [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_failed_swap_puts_the_old_output_back(tmp_path: Path) -> None:
    output = tmp_path / "site"
    writer.write_text(output, "index.html", "old")
    with pytest.raises(OSError):
        writer._swap(tmp_path / "vanished-stage", output)  # the new folder is gone: the swap cannot finish
    assert (output / "index.html").read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["site"]


def test_check_output_refuses_folders_it_must_not_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_map(tmp_path / "repo" / "journey", CLEAN_MAP)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep")
    (tmp_path / "a-file").write_text("x")
    holds_the_map = "refusing to build over a folder that holds the map or the working directory; give a " \
                    "separate --output such as output/"
    not_ours = "exists and was not written by journeymap; give an empty or new --output folder, or remove this one"
    for unsafe, why in ((source, holds_the_map), (source.parent, holds_the_map), (work, holds_the_map),
                        (tmp_path / "home", holds_the_map), (foreign, not_ours), (tmp_path / "a-file", not_ours)):
        with pytest.raises(writer.UnsafeOutput) as refused:
            writer.check_output(unsafe, source)
        assert str(refused.value) == f"{unsafe.resolve()}: {why}"
    empty, ours = tmp_path / "empty", tmp_path / "ours"
    empty.mkdir()
    ours.mkdir()
    (ours / writer.MARKER).write_text("")
    (ours / "index.html").write_text("old site")
    for safe in (tmp_path / "new", empty, ours):
        writer.check_output(safe, source)


def test_pages_are_utf8_whatever_the_locale(tmp_path: Path) -> None:
    import locale

    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")  # an ASCII locale, as on some CI images and Windows code pages
        writer.write_text(tmp_path, "page.html", "Zoë’s page")
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert (tmp_path / "page.html").read_bytes() == "Zoë’s page".encode()


SHM = Path("/dev/shm")


@pytest.mark.skipif(not SHM.is_dir() or SHM.stat().st_dev == Path(tempfile.gettempdir()).stat().st_dev,
                    reason="needs a second file system beside the temp folder")
@pytest.mark.parametrize("exchange", [True, False])
def test_the_old_site_is_moved_aside_on_its_own_file_system(monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    # os.replace cannot cross file systems: the old site must be set aside next to it, not in the temp folder
    if not exchange:
        monkeypatch.setattr(writer, "_exchange", lambda a, b: False)  # the two-rename swap
    with tempfile.TemporaryDirectory(dir="/dev/shm") as elsewhere:
        assert Path(elsewhere).stat().st_dev != Path(tempfile.gettempdir()).stat().st_dev
        output = Path(elsewhere) / "site"
        for text in ("old", "new"):
            with writer.staged(output) as stage:
                writer.write_text(stage, "index.html", text)
        assert (output / "index.html").read_text() == "new"
        assert [p.name for p in Path(elsewhere).iterdir()] == ["site"]


def test_a_page_with_the_same_bytes_is_the_previous_file_and_keeps_its_time(tmp_path: Path) -> None:
    output = tmp_path / "site"
    with writer.staged(output) as stage:
        writer.write_text(stage, "same.html", "unchanged")
        writer.write_text(stage, "edited.html", "before")
    same, edited = (output / "same.html").stat(), (output / "edited.html").stat()
    with writer.staged(output) as stage:
        assert writer.previous_of(stage / "x/y.html") == writer._absolute(output / "x/y.html")
        writer.write_text(stage, "same.html", "unchanged")
        writer.write_text(stage, "edited.html", "after, and longer")
        writer.write_text(stage, "new.html", "new")
    assert (output / "same.html").stat().st_ino == same.st_ino
    assert (output / "same.html").stat().st_mtime_ns == same.st_mtime_ns
    assert (output / "edited.html").stat().st_ino != edited.st_ino
    assert snapshot(output) == {writer.MARKER: snapshot(output)[writer.MARKER], "same.html": b"unchanged",
                                "edited.html": b"after, and longer", "new.html": b"new"}
    assert writer.previous_of(tmp_path / "elsewhere.html") is None  # nothing is being staged now


def test_same_length_different_bytes_is_written(tmp_path: Path) -> None:
    output = tmp_path / "site"
    with writer.staged(output) as stage:
        writer.write_text(stage, "page.html", "aaaa")
    with writer.staged(output) as stage:
        writer.write_text(stage, "page.html", "bbbb")
    assert (output / "page.html").read_text() == "bbbb"


def test_link_copies_where_hard_links_are_refused_and_says_when_there_is_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "source.html"
    source.write_text("page")
    assert not writer.link(tmp_path / "missing.html", tmp_path / "nothing.html")
    assert not (tmp_path / "nothing.html").exists()
    assert writer.link(source, tmp_path / "linked.html")
    assert (tmp_path / "linked.html").stat().st_ino == source.stat().st_ino

    def refused(*_: object) -> None:
        raise PermissionError("no hard links on this file system")

    monkeypatch.setattr(writer.os, "link", refused)
    assert writer.link(source, tmp_path / "copied.html")
    copied = (tmp_path / "copied.html").stat()
    assert copied.st_ino != source.stat().st_ino and copied.st_mtime_ns == source.stat().st_mtime_ns
    assert not writer.link(tmp_path / "missing.html", tmp_path / "never.html")
    assert not (tmp_path / "never.html").exists()


def test_a_page_path_out_of_the_site_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(writer.UnsafeOutput) as refused:
        writer.write_text(tmp_path / "site", "../escape.html", "x")
    message = str(refused.value)
    assert message.startswith("../escape.html: a page path that leads out of the site folder (`../escape.html` "
                              "leads out of ")
    assert message.endswith("); nothing was written")
    assert not (tmp_path / "escape.html").exists()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_lock_folder_others_may_write_in_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              mode: int) -> None:
    """A lock another user could create first, or link elsewhere, would let them stall every build."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / f"journeymap-{os.geteuid()}"
    folder.mkdir()
    folder.chmod(mode)
    with pytest.raises(writer.UnsafeOutput) as refused:
        writer._lock_folder()
    assert str(refused.value) == (f"{folder} may be written by others (mode {mode:o}): builds take turns through a "
                                  "lock file there, so it must be a folder only you can write; remove it, or set "
                                  "TMPDIR to such a folder")
    with pytest.raises(writer.UnsafeOutput), writer.staged(tmp_path / "site"):
        pass  # a build, too, stops there
    assert not (tmp_path / "site").exists()


def test_a_lock_folder_that_cannot_be_made_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(writer.UnsafeOutput) as refused:
        writer._lock_folder()
    assert str(refused.value).endswith(": builds take turns through a lock file there, so it must be a folder only "
                                       "you can write; remove it, or set TMPDIR to such a folder")
    assert isinstance(refused.value.__cause__, OSError)


def test_a_build_locks_the_lock_file_it_opened(tmp_path: Path) -> None:
    """The lock file there is the one this build holds: the build goes ahead at once, and leaves none."""
    import threading

    done = threading.Event()

    def build() -> None:
        with writer.staged(tmp_path / "site") as stage:
            writer.write_text(stage, "index.html", "built")
        done.set()

    thread = threading.Thread(target=build, daemon=True)
    thread.start()
    assert done.wait(20) and (tmp_path / "site/index.html").read_text() == "built"


def site_folder(path: Path, page: str, marker: bool = True) -> Path:
    path.mkdir(parents=True)
    (path / "index.html").write_text(page)
    if marker:
        (path / writer.MARKER).write_text("built by journeymap\n")
    return path


def test_recovery_restores_a_site_caught_between_two_renames(tmp_path: Path) -> None:
    output = tmp_path / "site"
    site_folder(tmp_path / ".site-old-b", "second old site")
    site_folder(tmp_path / ".site-old-a", "the old site")  # sorted first: the one restored
    site_folder(tmp_path / ".site-old-0", "half moved aside", marker=False)
    site_folder(tmp_path / ".site-new-x", "half-built", marker=False)
    (tmp_path / ".site-new-file").write_text("not a folder: not ours to remove")
    (tmp_path / ".other-old-a").mkdir()  # another output's leftovers are not touched
    writer._recover(output)
    assert (output / "index.html").read_text() == "the old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-old-a", ".site-new-file", "site"]


def test_recovery_keeps_a_site_that_is_there_and_clears_leftovers(tmp_path: Path) -> None:
    output = site_folder(tmp_path / "site", "current")
    site_folder(tmp_path / ".site-old-a", "older")
    site_folder(tmp_path / ".site-new-b", "half-built", marker=False)
    writer._recover(output)
    assert (output / "index.html").read_text() == "current"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_an_atomic_exchange_two_renames_swap_the_site(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    output = site_folder(tmp_path / "site", "old")
    stage = site_folder(tmp_path / ".site-new-1", "new")
    writer._swap(stage, output)
    assert (output / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def two_renames_failing_on_the_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     error: BaseException) -> tuple[Path, Path]:
    """An old site and a stage, swapped by two renames of which the second (moving the stage in) raises `error`."""
    monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    output = site_folder(tmp_path / "site", "old")
    stage = site_folder(tmp_path / ".site-new-1", "new")
    real_replace = writer.os.replace

    def failing(source: object, target: object) -> None:
        if Path(source) == stage:
            raise error
        real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", failing)
    return output, stage


def test_when_the_second_rename_fails_the_old_site_goes_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output, stage = two_renames_failing_on_the_stage(tmp_path, monkeypatch, OSError(28, "No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        writer._swap(stage, output)
    assert (output / "index.html").read_text() == "old" and (stage / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-new-1", "site"]


def test_a_first_build_simply_moves_the_stage_into_place(tmp_path: Path) -> None:
    stage = site_folder(tmp_path / ".site-new-1", "new")
    writer._swap(stage, tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text() == "new" and not stage.exists()


def test_the_atomic_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = site_folder(tmp_path / "a", "A"), site_folder(tmp_path / "b", "B")
    assert writer._exchange(a, b)
    assert (a / "index.html").read_text() == "B" and (b / "index.html").read_text() == "A"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        writer._exchange(a, tmp_path / "nowhere")


class _Libc:
    """A C library whose renameat2 fails with a given errno (or that has none)."""

    def __init__(self, error: int | None) -> None:
        self.error = error
        if error is not None:
            self.renameat2 = lambda *args: -1


@pytest.mark.parametrize("error", [None, 38, 22, 95, 18])  # none; ENOSYS, EINVAL, ENOTSUP, EXDEV
def test_where_the_system_cannot_exchange_the_writer_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               error: int | None) -> None:
    monkeypatch.setattr(writer.ctypes, "CDLL", lambda *args, **kwargs: _Libc(error))
    monkeypatch.setattr(writer.ctypes, "get_errno", lambda: error)
    assert writer._exchange(tmp_path / "a", tmp_path / "b") is False


def test_a_c_library_that_cannot_be_loaded_means_no_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unloadable(*args: object, **kwargs: object) -> None:
        raise OSError("no libc here")

    monkeypatch.setattr(writer.ctypes, "CDLL", unloadable)
    assert writer._exchange(tmp_path / "a", tmp_path / "b") is False


def test_other_exchange_errors_are_raised_with_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer.ctypes, "CDLL", lambda *args, **kwargs: _Libc(13))
    monkeypatch.setattr(writer.ctypes, "get_errno", lambda: 13)  # EACCES
    with pytest.raises(PermissionError) as raised:
        writer._exchange(tmp_path / "a", tmp_path / "b")
    assert raised.value.errno == 13 and raised.value.filename == str(tmp_path / "b")
    assert raised.value.strerror == os.strerror(13)


def test_the_exchange_works_on_paths_relative_to_the_working_folder(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site_folder(tmp_path / "a", "A")
    site_folder(tmp_path / "b", "B")
    monkeypatch.chdir(tmp_path)  # `-o output`: the stage and the site are relative paths
    assert writer._exchange(Path("a"), Path("b"))
    assert (tmp_path / "a/index.html").read_text() == "B"


def test_a_build_killed_between_the_two_renames_is_restored_by_the_next(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # not an OSError: nothing in the writer catches it, as nothing catches a SIGKILL
    output, stage = two_renames_failing_on_the_stage(tmp_path, monkeypatch, SystemExit("killed"))
    with pytest.raises(SystemExit):
        writer._swap(stage, output)
    assert not output.exists()
    monkeypatch.undo()
    writer._recover(output)
    assert (output / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_build_of_a_folder_waits_then_gives_up_by_name(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setattr(writer, "LOCK_WAIT_SECONDS", 0.3)
    output = tmp_path / "site"
    with writer._locked(output):
        started = time.monotonic()
        with pytest.raises(writer.UnsafeOutput, match=r"another journeymap build has been writing it for over 0 s; "
                                                      r"wait for it, or build into another --output$"):
            with writer._locked(output):
                pass
        assert 0.3 <= time.monotonic() - started < 1  # it looks again every 50 ms
    with writer._locked(output):  # released: the next build goes ahead at once
        pass


@pytest.mark.parametrize(("starts", "holds"), [
    ([0.015 * n for n in range(6)], 0.04),  # some open the lock file before its holder removes it, some after
    ([0, 0.02, 0.2], 0.1),  # the second gets the removed file with none there yet; the third comes after
])
def test_the_lock_file_goes_with_its_holder_and_builds_still_take_turns(tmp_path: Path, starts: list[float],
                                                                        holds: float) -> None:
    """Each holder removes the lock file as it leaves; builds waiting on the removed file lock the next one,
    never two at once."""
    import threading
    import time

    output = tmp_path / "site"
    inside: list[int] = []
    overlaps: list[int] = []

    def build(number: int) -> None:
        time.sleep(starts[number])
        with writer._locked(output):
            if inside:
                overlaps.append(number)
            inside.append(number)
            time.sleep(holds)
            inside.remove(number)

    threads = [threading.Thread(target=build, args=(n,)) for n in range(len(starts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert overlaps == [] and not any(thread.is_alive() for thread in threads)
    key = writer.hashlib.sha256(os.fsencode(output.resolve())).hexdigest()[:16]
    assert not (writer._lock_folder() / f"{key}.lock").exists()
