"""The package's plan holds: the layers of docs/architecture.md, and its drawing of the imports is current.

The layers are pyproject.toml's import-linter contracts; these tests run the real `lint-imports` and the
real drawing script on a copy of the package with an import added, so a contract that could never break,
or a staleness check that could never fail, fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _copy_of_the_package(tmp_path: Path) -> Path:
    """The package, its contracts and the drawing script, in a folder of their own."""
    shutil.copytree(ROOT / "journeymap", tmp_path / "journeymap", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    shutil.copytree(ROOT / "docs" / "architecture", tmp_path / "docs" / "architecture")
    return tmp_path


def _run(command: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(where)}  # the copy, not the installed package
    return subprocess.run(command, cwd=where, env=environment, capture_output=True, text=True, timeout=300)


def _add_import(copy: Path, module: str, line: str) -> None:
    path = copy / "journeymap" / module
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("from __future__ import annotations\n",
                                 f"from __future__ import annotations\n\n{line}\n", 1), encoding="utf-8")


def test_the_layers_are_kept_by_the_code() -> None:
    result = _run([str(LINT_IMPORTS)], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "named"), [
    ("core/findings.py", "from ..site import links  # noqa: F401", "journeymap.core.findings -> journeymap.site.links"),
    ("util/words.py", "from ..core import model  # noqa: F401", "journeymap.util.words -> journeymap.core.model"),
    ("core/load/yaml.py", "from .. import check  # noqa: F401", "journeymap.core.load.yaml -> journeymap.core.check"),
])
def test_an_import_up_the_layers_breaks_the_contract_and_is_named(tmp_path: Path, module: str, line: str,
                                                                   named: str) -> None:
    copy = _copy_of_the_package(tmp_path)
    _add_import(copy, module, line)
    result = _run([str(LINT_IMPORTS)], copy)
    assert result.returncode == 1, result.stdout
    assert named in result.stdout


def test_the_drawing_of_the_imports_is_current() -> None:
    result = _run([sys.executable, "scripts/architecture.py", "--check"], ROOT)
    assert result.returncode == 0, result.stderr


def test_a_new_import_between_packages_makes_the_drawing_stale(tmp_path: Path) -> None:
    copy = _copy_of_the_package(tmp_path)
    _add_import(copy, "review/report.py", "from ..authoring import fixes  # noqa: F401")  # allowed, but not drawn
    result = _run([sys.executable, "scripts/architecture.py", "--check"], copy)
    assert result.returncode == 1
    assert "docs/architecture/imports.dot does not match the code's imports: run `make generate`" in result.stderr
    assert "docs/architecture/imports.svg" in result.stderr
    regenerated = _run([sys.executable, "scripts/architecture.py"], copy)
    assert regenerated.returncode == 0, regenerated.stderr
    assert "review -> authoring" in (copy / "docs/architecture/imports.dot").read_text(encoding="utf-8")
    assert _run([sys.executable, "scripts/architecture.py", "--check"], copy).returncode == 0


def test_the_architecture_page_shows_the_drawing_and_names_every_package() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "](architecture/imports.svg)" in page
    packages = sorted(p.name for p in (ROOT / "journeymap").iterdir() if (p / "__init__.py").is_file())
    for package in packages:
        assert f"`{package}/`" in page, f"docs/architecture.md has no paragraph on journeymap/{package}/"


#: docs/architecture.md's conventions: a module one can read in one sitting, a function seen whole
MODULE_LINES, FUNCTION_LINES = 350, 50


def _modules() -> list[Path]:
    return sorted((ROOT / "journeymap").rglob("*.py"))


def test_no_module_is_longer_than_a_sitting() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MODULE_LINES}
    assert not long, f"split these along their seams (over {MODULE_LINES} lines): {long}"


def test_no_function_is_longer_than_a_screen() -> None:
    import ast

    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if (length := node.end_lineno - node.lineno + 1) > FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}::{node.name}"] = length
    assert not long, f"these functions are over {FUNCTION_LINES} lines: {long}"
