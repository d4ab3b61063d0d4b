"""What the browser tests share: the example site, built once per module that opens it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import EXAMPLE, run_cli


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("browser") / "site"
    result = run_cli("build", str(EXAMPLE), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output
