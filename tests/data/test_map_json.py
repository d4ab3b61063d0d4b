"""map.json, the export for BI tools: every build writes it, and it matches its published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ..conftest import EXAMPLE, ROOT, run_cli

SCHEMA = json.loads((ROOT / "schemas/map.schema.json").read_text())


@pytest.mark.parametrize("source", [EXAMPLE, ROOT / "tests/fixtures/seeded", ROOT / "tests/fixtures/portfolio"],
                         ids=["example", "seeded", "portfolio"])
def test_every_map_json_of_a_build_matches_the_schema(tmp_path: Path, source: Path) -> None:
    run_cli("build", str(source), "-o", str(tmp_path / "site"), "--keep-going")
    written = list((tmp_path / "site").rglob("map.json"))
    assert written
    for path in written:
        jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
            json.loads(path.read_text()))


def test_map_json_keeps_exact_conversions_and_the_target_they_are_measured_against(tmp_path: Path) -> None:
    run_cli("build", str(EXAMPLE), "-o", str(tmp_path / "site"))
    exported = json.loads((tmp_path / "site/map.json").read_text())
    first = exported["transitions"][0]
    volumes = {s: yaml.safe_load((EXAMPLE / f"stages/{s}.yaml").read_text())["metrics"]["volume"]
               for s in (first["from"], first["to"])}
    assert first["conversion"] == volumes[first["to"]]["value"] / volumes[first["from"]]["value"]
    assert first["target_conversion"] == volumes[first["to"]]["target"] / volumes[first["from"]]["target"]
