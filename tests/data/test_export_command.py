"""`journeymap export`: Mermaid that renders, CSV a spreadsheet opens as written, HTML a CMS keeps."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from ..conftest import CLEAN_MAP, EXAMPLE, ROOT, run_cli, write_map

MERMAID = ROOT / "tests/.node/node_modules/mermaid/dist/mermaid.min.js"
AWKWARD = {**CLEAN_MAP,
           "stages/spark.yaml": CLEAN_MAP["stages/spark.yaml"]
           .replace("name: Spark\n", "name: 'Spark: \"first\" #1; 発見'\n")
           .replace("    name: Sees an ad\n", "    name: '=HYPERLINK(\"x\") ad: <b>bold</b> & co'\n"),
           "owners.yaml": CLEAN_MAP["owners.yaml"].replace("name: Marketing team", "name: 'Marketing, EMEA: #1'")}


def _export(folder: Path, kind: str) -> str:
    result = run_cli("export", str(folder), "--format", kind)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_map(tmp_path_factory.mktemp("awkward") / "map", AWKWARD)


def _example_touchpoints() -> list[tuple[str, dict]]:
    order = yaml.safe_load((EXAMPLE / "journey.yaml").read_text())["stages"]
    return [(stage, tp) for stage in order
            for tp in yaml.safe_load((EXAMPLE / f"stages/{stage}.yaml").read_text())["touchpoints"]]


@pytest.mark.parametrize("folder", [EXAMPLE, None], ids=["example", "awkward"])
def test_csv_has_a_row_per_touchpoint_and_opens_as_written(folder: Path | None, awkward: Path,
                                                           tmp_path: Path) -> None:
    result = run_cli("export", str(folder or awkward), "--format", "csv", "-o", str(tmp_path / "map.csv"))
    assert result.returncode == 0, result.stderr
    raw = (tmp_path / "map.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")  # BOM for Excel; CRLF
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    if folder is EXAMPLE:
        expected = _example_touchpoints()
        assert [(r["stage"], r["touchpoint_id"]) for r in rows] == [(s, tp["id"]) for s, tp in expected]
        first = expected[0][1]
        assert rows[0]["owner_id"] == first["owner"] and rows[0]["intent"] == first.get("intent", "")
    else:
        ad = next(r for r in rows if r["touchpoint_id"] == "ad")
        assert ad["touchpoint"].startswith("'=HYPERLINK")  # a formula stays text
        assert ad["owner"] == "Marketing, EMEA: #1" and ad["response_sla_hours"] == "4"


ALLOWED = {"h4", "p", "ul", "li", "strong", "em", "a"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize("folder", [EXAMPLE, None], ids=["example", "awkward"])
def test_html_uses_only_what_a_cms_keeps(folder: Path | None, awkward: Path) -> None:
    parsed = _Tags()
    parsed.feed(_export(folder or awkward, "html"))
    assert parsed.tags <= ALLOWED and parsed.attributes == []
    if folder is EXAMPLE:
        stages = yaml.safe_load((EXAMPLE / "journey.yaml").read_text())["stages"]
        assert parsed.text.count("Job:") == len(stages)
    else:
        assert '=HYPERLINK("x") ad: <b>bold</b> & co' in parsed.text  # shown as text, never as markup
        assert 'Spark: "first" #1; 発見' in parsed.text


def test_markdown_has_a_heading_four_per_stage_and_escapes_map_text(awkward: Path) -> None:
    text = _export(awkward, "markdown")
    assert text.count("\n#### ") + text.startswith("#### ") == 2
    assert "\\<b\\>bold\\</b\\>" in text and "#### Spark: \"first\" \\#1; 発見" in text


@pytest.fixture
def mermaid_page(browser) -> Iterator:
    if not MERMAID.is_file():
        pytest.skip("mermaid is not installed: `make mermaid` installs it")  # a failure in CI (tests/conftest.py)
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(path=str(MERMAID))
    page.evaluate("mermaid.initialize({startOnLoad: false})")
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("folder", [EXAMPLE, None], ids=["example", "awkward"])
def test_the_mermaid_export_renders(mermaid_page, folder: Path | None, awkward: Path) -> None:
    text = _export(folder or awkward, "mermaid")
    svg = mermaid_page.evaluate("async (text) => (await mermaid.render('journey', text)).svg", text)
    assert svg.startswith("<svg") and "Syntax error" not in svg  # render() rejects what it cannot parse
    if folder is EXAMPLE:
        for _, touchpoint in _example_touchpoints()[:5]:
            assert " ".join(touchpoint["name"].split()).split(":")[0] in svg


def test_markdown_of_the_example_has_every_stage_touchpoint_and_metric() -> None:
    text = _export(EXAMPLE, "markdown")
    order = yaml.safe_load((EXAMPLE / "journey.yaml").read_text())["stages"]
    headings = [line[5:] for line in text.splitlines() if line.startswith("#### ")]
    names = [yaml.safe_load((EXAMPLE / f"stages/{s}.yaml").read_text())["name"] for s in order]
    assert headings == names
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(_example_touchpoints()) + 2 * len(order)  # each touchpoint, two metrics a stage
