"""util/files.write_atomically: a reader sees the old file or the new one, whole; a failed write leaves
the old file as it was and no temporary file beside it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from journeymap.util.files import write_atomically


def test_a_new_file_is_written_with_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "page.svg"
    write_atomically(target, b"<svg/>")
    assert target.read_bytes() == b"<svg/>"
    assert os.listdir(target.parent) == ["page.svg"]


def test_an_existing_file_is_replaced_whole_while_it_is_read(tmp_path: Path) -> None:
    target = tmp_path / "cache.pickle"
    versions = [bytes([65 + n]) * 1_000_000 for n in range(4)]
    write_atomically(target, versions[0])
    seen: set[bytes] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(target.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(40):
            write_atomically(target, versions[round_ % len(versions)])
    finally:
        done.set()
        reader.join()
    assert seen <= set(versions)  # never a mix of two versions, never a truncated one
    assert os.listdir(tmp_path) == ["cache.pickle"]


def test_the_mode_asked_for_is_the_new_files(tmp_path: Path) -> None:
    target = tmp_path / "stage.yaml"
    write_atomically(target, b"id: spark\n", mode=0o644)
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_write_that_cannot_finish_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    """The file system refuses the write half-way (a size limit, as a full disk would): the old bytes stay."""
    target = tmp_path / "cache.pickle"
    target.write_bytes(b"old")
    program = ("import resource, signal, sys\n"
               "from pathlib import Path\n"
               "from journeymap.util.files import write_atomically\n"
               "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
               "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
               "try:\n"
               "    write_atomically(Path(sys.argv[1]), b'new' * 100_000)\n"
               "except OSError:\n"
               "    print('refused')\n")
    result = subprocess.run([sys.executable, "-c", program, str(target)], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "refused"
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["cache.pickle"]


def test_a_target_that_cannot_be_replaced_raises_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "inside").write_text("kept")
    with pytest.raises(OSError):
        write_atomically(target, b"data")
    assert os.listdir(tmp_path) == ["taken"]
    assert (target / "inside").read_text() == "kept"


def test_a_folder_that_cannot_be_made_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        write_atomically(blocker / "page.html", b"data")
    assert blocker.read_text() == "not a folder"
