"""Incremental builds (site/incremental.py, writer.write_text) and batched diagrams (site/drawing.py).

The rule every test holds the build to: whatever the build reused from the previous
site or from a cache, the result is byte for byte what a clean build of the same
sources gives; and what did not change keeps its modification time.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.core.check import check_map
from journeymap.site import build_site, diagrams, drawing
from journeymap.site.writer import MARKER

from ..conftest import CLEAN_MAP, EXAMPLE, snapshot, write_map

PORTFOLIO = Path(__file__).parents[1] / "fixtures" / "portfolio"


def times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def build(source: Path, output: Path, *extra: str, cache: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "journeymap", "build", str(source), "-o", str(output),
                           "--keep-going", *extra], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    assert done.returncode in (0, 1), done.stderr
    return done


def clean_build(source: Path, tmp_path: Path) -> dict[str, bytes]:
    """The reference: a new output folder, an empty cache, and --no-cache besides."""
    output = tmp_path / "clean-site"
    shutil.rmtree(output, ignore_errors=True)
    build(source, output, "--no-cache", cache=tmp_path / "clean-cache")
    return snapshot(output)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    return shutil.copytree(PORTFOLIO, tmp_path / "journeys")


def rename_stage(portfolio: Path) -> None:
    stage = portfolio / "new-logo/stages/discover.yaml"
    stage.write_text(stage.read_text().replace("name: Discover\n", "name: Discover (renamed)\n"))


def test_an_edit_rebuilds_its_journey_and_keeps_the_rest_untouched(portfolio: Path, tmp_path: Path) -> None:
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(portfolio, output, cache=cache)
    before, before_times = snapshot(output), times(output)
    rename_stage(portfolio)
    result = build(portfolio, output, cache=cache)
    after, after_times = snapshot(output), times(output)
    assert after == clean_build(portfolio, tmp_path)  # byte for byte a clean build
    assert "Discover (renamed)" in after["new-logo/stages/discover.html"].decode()
    # the other journey was not touched at all: same bytes, same times
    expansion = [f for f in before if f.startswith("expansion/")]
    assert expansion and all(after_times[f] == before_times[f] for f in expansion)
    # in the edited journey, a page whose bytes came out the same keeps its time; a changed one does not
    same = [f for f in before if f.startswith("new-logo/") and after.get(f) == before[f] and f != MARKER]
    changed = [f for f in before if f.startswith("new-logo/") and after.get(f) != before[f]]
    assert same and changed
    assert all(after_times[f] == before_times[f] for f in same)
    assert all(after_times[f] != before_times[f] for f in changed)
    assert "unchanged since the last build" in result.stderr


def test_nothing_changed_means_nothing_rewritten(portfolio: Path, tmp_path: Path) -> None:
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(portfolio, output, cache=cache)
    before = times(output)
    result = build(portfolio, output, cache=cache)
    pages = sum(1 for f in before if f.endswith(".html"))
    assert f"built {pages} pages" in result.stderr and f"{pages} unchanged since the last build" in result.stderr
    assert times(output) == before
    assert snapshot(output) == clean_build(portfolio, tmp_path)


def test_a_change_to_the_shared_owners_rebuilds_every_journey(portfolio: Path, tmp_path: Path) -> None:
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(portfolio, output, cache=cache)
    owners = portfolio / "owners.yaml"
    owners.write_text(owners.read_text().replace("name: Marketing", "name: Growth Marketing", 1))
    build(portfolio, output, cache=cache)
    site = snapshot(output)
    assert site == clean_build(portfolio, tmp_path)
    assert all("Growth Marketing" in site[f"{j}/owners/index.html"].decode() for j in ("new-logo", "expansion"))


def test_an_edited_template_rebuilds_every_page(tmp_path: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(root, output, cache=cache)
    (root / "templates").mkdir()
    (root / "journey.yaml").write_text((root / "journey.yaml").read_text() + "templates: templates\n")
    (root / "templates/brief.html").write_text("{% extends 'base.html' %}{% block main %}BRIEF {{ brief.title }}"
                                               "{% endblock %}")
    build(root, output, cache=cache)
    assert "BRIEF" in (output / "briefs/spark-brief.html").read_text()
    assert snapshot(output) == clean_build(root, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "keys match, files gone", "keys match, file edited by hand"])
def test_a_damaged_previous_site_is_rendered_again(portfolio: Path, tmp_path: Path, damage: str) -> None:
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(portfolio, output, cache=cache)
    if damage == "garbage":
        (output / MARKER).write_text("{not json")
    elif damage == "keys match, files gone":
        shutil.rmtree(output / "expansion/stages")
    else:  # a reused file is linked as it is: the marker vouches for what this build wrote, so --no-cache redoes it
        (output / "expansion/index.html").write_text("edited by hand")
        build(portfolio, output, "--no-cache", cache=cache)
    build(portfolio, output, cache=cache)
    assert snapshot(output) == clean_build(portfolio, tmp_path)


def test_a_corrupt_drawing_in_the_cache_is_drawn_again(tmp_path: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    output, cache = tmp_path / "site", tmp_path / "cache"
    build(root, output, cache=cache)
    drawings = sorted((cache / "journeymap/svg").glob("*.svg"))
    assert len(drawings) == len(list((output / "diagrams").glob("*.svg")))  # every diagram of the map was kept
    for svg in drawings:
        svg.write_text(svg.read_text()[:100])  # truncated
    shutil.rmtree(output)
    build(root, output, cache=cache)
    assert snapshot(output) == clean_build(root, tmp_path)
    assert all(svg.read_text().rstrip().endswith("</svg>") for svg in drawings)  # and kept whole again


def test_rendering_on_several_cores_gives_the_same_site_as_one(portfolio: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    checked = check_map(portfolio, use_cache=False)
    build_site(checked, tmp_path / "parallel", use_cache=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    build_site(checked, tmp_path / "serial", use_cache=False)
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "serial")


def test_progress_is_for_terminals_only(portfolio: Path, tmp_path: Path) -> None:
    result = build(portfolio, tmp_path / "site", cache=tmp_path / "cache")
    assert "rendering:" not in result.stderr  # a CI log gets the one-line summary
    assert result.stderr.rstrip().splitlines()[-1].startswith("built ")


# -- drawing: many graphs to one dot, and never a hang --

GRAPHS = [f'digraph g{i} {{ a{i} -> b{i} [label="{i}"]; }}\n' for i in range(6)]


@pytest.fixture
def fresh_drawings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drawing, "_drawn", {})


def test_many_graphs_drawn_at_once_are_each_drawn_as_alone(fresh_drawings: None) -> None:
    drawing.draw_all(GRAPHS, use_cache=False)
    for index, source in enumerate(GRAPHS):
        drawn = drawing.drawing(source)
        assert drawn.svg == drawing._run(source, 30) and not drawn.note
        assert f">{index}</text>" in drawn.svg and drawn.svg.count("<svg") == 1


def test_a_graph_comes_out_the_same_whatever_dot_drew_before_it(fresh_drawings: None) -> None:
    """dot 2.43 writes the clusters of a later graph of one input in an order that varies from run to run."""
    journeys = [j for root in (EXAMPLE, PORTFOLIO) for j in check_map(root, use_cache=False).journeys]
    sources = [d.dot for j in journeys for d in (diagrams.stage_flow(j, ""), diagrams.handoffs(j, ""),
                                                 *(diagrams.stage_touchpoints(j, s, "") for s in j.stages))]
    alone = {source: drawing.drawing(source) for source in sources}  # each the first graph of its own dot
    assert sum("cluster" in drawn.svg for drawn in alone.values()) > 5
    shuffle = random.Random(7).shuffle
    for _ in range(4):  # about one graph in five came out different in each batch before the order was fixed
        shuffle(sources)
        assert dict(zip(sources, drawing._draw_chunk(sources), strict=True)) == alone


@pytest.mark.parametrize("written, expected", [
    (["head", "c2", "c1", "n1", "e1", "end"], ["head", "c1", "c2", "n1", "e1", "end"]),
    (["head", "c3", "c1", "c2", "end"], ["head", "c1", "c2", "c3", "end"]),  # nothing but clusters
    (["head", "n1", "c2", "c1", "end"], ["head", "n1", "c2", "c1", "end"]),  # not what dot writes: left alone
    (["head", "n1", "e1", "end"], ["head", "n1", "e1", "end"]),
])
def test_clusters_are_put_in_the_order_of_their_numbers(written: list[str], expected: list[str]) -> None:
    parts = {"head": '<svg>\n<g id="graph0" class="graph">\n<title>g</title>\n', "end": "</g>\n</svg>\n",
             "n1": '<!-- a -->\n<g id="node1" class="node">\n<title>a</title>\n</g>\n',
             "e1": '<!-- a&#45;&gt;b -->\n<g id="edge1" class="edge">\n<title>a&#45;&gt;b</title>\n</g>\n',
             **{f"c{n}": f'<g id="clust{n}" class="cluster">\n<title>cluster_{n}</title>\n<g id="a_clust{n}">'
                         f'<a xlink:href="s{n}.html">\n<path d="M0,0"/>\n</a>\n</g>\n</g>\n' for n in (1, 2, 3)}}
    svg = "".join(parts[p] for p in written)
    assert drawing._in_cluster_order(svg) == "".join(parts[p] for p in expected)


def test_a_graph_too_slow_to_lay_out_gets_a_note_not_a_hang(fresh_drawings: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYMAP_DOT_TIMEOUT", "0")  # every layout is over time
    dense = "digraph d {\n" + "".join(f"  n{i} [label=\"{i}\"];\n" for i in range(30)) + "}\n"
    drawn = drawing.drawing(dense)
    assert "too large to lay out" in drawn.note and "30 boxes" in drawn.note
    assert drawn.svg.startswith("<?xml") and "Not drawn" in drawn.svg


def test_the_note_is_on_the_page(tmp_path: Path, fresh_drawings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYMAP_DOT_TIMEOUT", "0")
    root = write_map(tmp_path / "map", CLEAN_MAP)
    build_site(check_map(root, use_cache=False), tmp_path / "site", use_cache=False)
    handoffs = (tmp_path / "site/handoffs.html").read_text()
    assert 'class="diagram-note"' in handoffs and "too large to lay out" in handoffs


def test_progress_says_how_far_the_rendering_is_once_a_second_has_passed(capsys: pytest.CaptureFixture) -> None:
    import time

    from journeymap.cli import _progress

    _progress(time.perf_counter())(1, 40, 91)  # under a second in: nothing to say yet
    assert capsys.readouterr().err == ""
    show = _progress(time.perf_counter() - 2)
    show(1, 40, 91)
    show(40, 40, 3640)
    err = capsys.readouterr().err
    lines = err.split("\r")[1:]
    assert lines[0].startswith("rendering: 1/40 journeys, 91 pages (") and lines[0].endswith(" pages/s)")
    assert lines[1].startswith("rendering: 40/40 journeys, 3,640 pages (") and lines[1].endswith(" pages/s)\n")
    assert not lines[0].endswith("\n")  # rewritten in place until the last


def test_on_a_terminal_a_long_build_shows_progress_then_the_summary(tmp_path: Path) -> None:
    import pty
    import re

    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from portfolio import write_portfolio

    portfolio = write_portfolio(tmp_path / "portfolio", journeys=16)
    leader, follower = pty.openpty()
    build = subprocess.Popen([sys.executable, "-m", "journeymap", "build", str(portfolio), "-o", str(tmp_path / "site"),
                              "--keep-going"], stdout=subprocess.DEVNULL, stderr=follower, start_new_session=True,
                             env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    os.close(follower)
    output = b""
    while True:  # read as it writes: a terminal holds only a few kilobytes
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the build has closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert build.wait(timeout=300) == 0  # warnings only: they fail no build without --strict
    text = output.decode()
    summary = re.search(r"built (\d+) pages into .* in ([\d.]+) s", text)
    assert summary, text[-500:]
    if float(summary.group(2)) < 2:
        pytest.skip("the build was too quick to show progress on this machine")
    assert re.search(r"\rrendering: 16/16 journeys, [\d,]+ pages \([\d,]+ pages/s\)", text)
    assert text.rstrip().splitlines()[-1].startswith("built ")


def test_many_graphs_take_one_dot_per_core_not_one_each(fresh_drawings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    real = drawing._run

    def counted(source: str, seconds: float, options: list[str] | None = None) -> str:
        runs.append(source.count("digraph"))
        return real(source, seconds, options)

    monkeypatch.setattr(drawing, "_run", counted)
    monkeypatch.setattr(drawing, "usable_cores", lambda: 2)
    drawing.draw_all(GRAPHS, use_cache=False)
    assert sorted(runs) == [3, 3]  # six graphs, two dot processes of three graphs each


def test_a_graph_over_time_is_drawn_again_the_simpler_way(fresh_drawings: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = drawing._run

    def full_layout_too_slow(source: str, seconds: float, options: list[str] | None = None) -> str:
        if options is None:
            raise subprocess.TimeoutExpired("dot", seconds)
        assert options == drawing.SIMPLER_LAYOUT
        return real(source, seconds, options)

    monkeypatch.setattr(drawing, "_run", full_layout_too_slow)
    drawn = drawing.drawing(GRAPHS[0])
    assert drawn.svg.count("<svg") == 1 and ">0</text>" in drawn.svg  # really drawn
    assert "straight edges and a quicker layout" in drawn.note


def test_a_drawing_in_the_cache_folder_is_not_drawn_again(tmp_path: Path, fresh_drawings: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    drawing.draw_all(GRAPHS[:2])
    first = drawing.drawing(GRAPHS[0]).svg
    assert len(list((tmp_path / "cache/journeymap/svg").glob("*.svg"))) == 2
    monkeypatch.setattr(drawing, "_drawn", {})  # a new process

    def no_dot(*args: object) -> str:
        raise AssertionError("dot ran for a drawing the cache holds")

    monkeypatch.setattr(drawing, "_run", no_dot)
    drawing.draw_all(GRAPHS[:2])
    assert drawing.drawing(GRAPHS[0]).svg == first
