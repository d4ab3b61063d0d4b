"""The pre-commit hook, run by the real pre-commit from this repository (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, ROOT, write_map
from ..gitrepo import GIT_ENV, git, init_repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the module: pre-commit installs journeymap into it once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "journeymap-check", *args],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_the_hook_fails_on_a_broken_map_and_names_the_file(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    shutil.copytree(ROOT / "tests/fixtures/seeded", repo / "journey")
    git(repo, "add", "-A")
    result = _try_repo(repo, pre_commit_home, "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "journeymap check" in result.stdout and "Failed" in result.stdout
    assert "journey/stages/pain.yaml:12:5: error [unowned-touchpoint]" in result.stdout


def test_the_hook_passes_a_clean_map_and_skips_unrelated_files(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_map(repo / "journey", CLEAN_MAP)
    (repo / "README.md").write_text("notes\n")
    git(repo, "add", "-A")
    result = _try_repo(repo, pre_commit_home, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    result = _try_repo(repo, pre_commit_home, "--files", "README.md")
    assert result.returncode == 0 and "(no files to check)Skipped" in result.stdout
