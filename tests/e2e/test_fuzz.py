"""A fuzzer: valid maps, mutated the ways people and merges break YAML, must end in findings, never a crash.

Every example mutates one file of the clean map (a line deleted, a value swapped
for another type, random Unicode or YAML syntax inserted, the file cut short),
then runs `check` and, for some, `build`, through the real command line
in-process. Both must exit 0, 1 or 2 with no exception escaping.

The normal run tries a bounded number of examples; set JOURNEYMAP_FUZZ_EXAMPLES
(e.g. 5000) for a long run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.cli import main

from ..conftest import CLEAN_MAP, write_map

EXAMPLES = int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "120"))
BUILD_EXAMPLES = max(10, EXAMPLES // 6)
FILES = sorted(CLEAN_MAP)
YAML_SYNTAX = [": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!!python/name:os.system ", "---\n", "...\n",
               "# ", "\t", "'", '"', "|\n", ">-\n", "? ", "<<: *a\n", "%YAML 1.1\n", "\\", ",", "\n  ", "\r\n",
               "\ufeff", "\x00", "\x85", "\u2028"]
VALUES = ["[]", "{}", "[a, b]", "{a: 1}", "42", "-1", "0.5", "1e309", "null", "~", "true", "no", "''", "2026-02-30",
          "2026-13-45", "'x'", "!!binary aGVsbG8=", "-.inf", ".nan", "0x1F", "12:30:00"]


@st.composite
def mutated_maps(draw: st.DrawFn) -> dict[str, str]:
    files = dict(CLEAN_MAP)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(FILES))
        text = files[name]
        lines = text.splitlines(keepends=True) or [""]
        kind = draw(st.sampled_from(["delete", "swap", "unicode", "syntax", "truncate"]))
        index = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[index]
        elif kind == "swap" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(VALUES))}\n"
        elif kind in ("unicode", "syntax"):
            insert = draw(st.text(min_size=1, max_size=12)) if kind == "unicode" else draw(
                st.sampled_from(YAML_SYNTAX))
            at = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:at] + insert + lines[index][at:]
        else:
            cut = draw(st.integers(0, len(text)))
            lines = [text[:cut]]
        files[name] = "".join(lines)
    return files


def _run(args: list[str]) -> int:
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # hypothesis shrinks the map that caused it
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code


def _surrogate_free(files: dict[str, str]) -> dict[str, str]:
    return {name: text.encode("utf-8", "replace").decode("utf-8") for name, text in files.items()}


#: whole processes' worth of work per example: no deadline, no example database left in the checkout
FUZZING = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])


@settings(FUZZING, max_examples=EXAMPLES)
@given(mutated_maps())
def test_check_ends_in_findings_never_an_exception(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_map(Path(scratch) / "map", _surrogate_free(files))
        _run(["check", str(folder), "--format", "json"])


@settings(FUZZING, max_examples=BUILD_EXAMPLES)
@given(mutated_maps())
def test_build_ends_in_a_site_or_a_clean_error(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = write_map(Path(scratch) / "map", _surrogate_free(files))
        output = Path(scratch) / "site"
        code = _run(["build", str(folder), "-o", str(output), "--keep-going"])
        if code != 2:
            assert (output / "index.html").is_file()
