"""The scale benchmark: a generated portfolio, checked and built as whole processes, beside Hugo.

    make bench                                   # 10,080 touchpoints, 3 runs each
    make bench ARGS="--touchpoints 100000 --runs 1"

Each figure is the median of several whole processes (interpreter start
included), with the peak memory (max RSS) of the largest process and the peak of
the whole process tree (a build forks a worker per core; proportional set size, so
pages the workers share with their parent count once); the serve row is timed
inside one long-lived process, as `journeymap serve` rebuilds on a save. Hugo builds the same
number of Markdown pages, in the same run, so the ratio holds on any machine.
It prints a table and writes the figures as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from portfolio import shape_for, write_portfolio

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def measure(command: list[str], env: dict[str, str], prepare=None,
            sample_memory: bool = False) -> tuple[float, float, float]:
    """Seconds, peak MB of the largest process, and peak MB of the whole process tree (workers included,
    only when `sample_memory`: the sampler reads /proc every 20 ms, which takes CPU from what it measures)."""
    if prepare:
        prepare()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a pipe nobody reads fills and stalls the build
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        tree = TreeMemory(process.pid)
        if sample_memory:
            tree.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if sample_memory:
            tree.stop()
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, tree.peak_mb


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants every 20 ms (Linux /proc): their proportional
    set size, so that pages a forked worker shares with its parent are not counted twice."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.done.wait(0.02):
            parents: dict[int, int] = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat") as stat:
                            parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
                    except (OSError, IndexError, ValueError):
                        pass
            tree, grown = {self.pid}, True
            while grown:
                more = {pid for pid, parent in parents.items() if parent in tree} - tree
                tree |= more
                grown = bool(more)
            total = sum(self._proportional(pid, page) for pid in tree)
            self.peak_mb = max(self.peak_mb, total / 1024 / 1024)

    @staticmethod
    def _proportional(pid: int, page: int) -> int:
        """Bytes of memory the process holds, pages shared with its forked siblings counted once (PSS)."""
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
            with open(f"/proc/{pid}/statm") as statm:
                return int(statm.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            return 0

    def stop(self) -> None:
        self.done.set()
        self.join()


def median_of(runs: int, command: list[str], env: dict[str, str], prepare=None) -> dict:
    """Times from `runs` runs left alone; memory from one more run, sampled (its time is not counted)."""
    samples = [measure(command, env, prepare) for _ in range(runs)]
    _, peak, tree_peak = measure(command, env, prepare, sample_memory=True)
    return {"median_s": statistics.median(s for s, _, _ in samples), "min_s": min(s for s, _, _ in samples),
            "max_s": max(s for s, _, _ in samples), "peak_mb": max(peak, *(m for _, m, _ in samples)),
            "tree_peak_mb": tree_peak, "runs": runs}


def serve_rebuild(portfolio: Path, env: dict[str, str], edit, runs: int) -> dict:
    """What `journeymap serve` does on a save (check, then build), timed inside its long-lived process (this one)."""
    from journeymap.site.serve import Site

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        site = Site(portfolio, None, lambda message: None)
        site.rebuild()  # the first build of a serve session
        samples = []
        for _ in range(runs):
            edit()
            started = time.perf_counter()
            site.rebuild()
            samples.append(time.perf_counter() - started)
        site.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {"median_s": statistics.median(samples), "min_s": min(samples), "max_s": max(samples),
            "peak_mb": None, "tree_peak_mb": None, "runs": runs}


def hugo_site(folder: Path, pages: int, sections: int) -> Path:
    """`pages` Markdown pages in `sections` sections, each page with a nav of its section, like our stage pages."""
    (folder / "layouts/_default").mkdir(parents=True, exist_ok=True)
    (folder / "hugo.toml").write_text('baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", '
                                      '"sitemap", "robotsTXT", "404"]\n')
    nav = ('<nav><ul>{{ range .CurrentSection.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
           '{{ end }}</ul></nav>')
    for name in ("single", "list"):
        (folder / f"layouts/_default/{name}.html").write_text(
            f"<!doctype html><html><head><title>{{{{ .Title }}}}</title></head><body>{nav}"
            "<main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n")
    per_section = max(1, pages // sections)
    for index in range(pages):
        section = folder / "content" / f"section-{index // per_section:03d}"
        section.mkdir(parents=True, exist_ok=True)
        (section / f"page-{index}.md").write_text(
            f"---\ntitle: Page {index}\n---\n## Job\n\nGet step {index} done.\n\n"
            + "".join(f"- Touchpoint {t}, owned by **team {t}**, by email\n" for t in range(20)))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--touchpoints", type=int, default=10_080)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated portfolio and sites")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="journeymap-bench-"))
    journeys = shape_for(args.touchpoints)
    portfolio = write_portfolio(work / "portfolio", journeys=journeys)
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "JOURNEYMAP_TODAY": "2026-11-24", "NO_COLOR": "1"}
    journeymap = [str(BIN / "journeymap")]
    output = work / "site"
    stage_file = portfolio / "journey-001/stages/evaluation.yaml"

    def cold() -> None:
        shutil.rmtree(work / "cache", ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)

    def edit_one_stage() -> None:
        text = stage_file.read_text()
        stage_file.write_text(text.replace("name: Evaluation\n", "name: Evaluation (edited)\n")
                              if "(edited)" not in text else text.replace(" (edited)", ""))

    check = [*journeymap, "check", str(portfolio)]
    build = [*journeymap, "build", str(portfolio), "-o", str(output), "--keep-going"]
    figures = {
        "check, cold": median_of(args.runs, check, env, cold),
        "check, nothing changed": median_of(args.runs, check, env),
        "build, cold": median_of(args.runs, build, env, cold),
        "build, nothing changed": median_of(args.runs, build, env),
        "build after editing one stage file": median_of(args.runs, build, env, edit_one_stage),
    }
    figures["serve: rebuild after editing one stage file"] = serve_rebuild(portfolio, env, edit_one_stage, args.runs)
    pages = sum(1 for _ in output.rglob("*.html"))
    hugo = shutil.which("hugo", path=str(BIN)) or shutil.which("hugo")
    if hugo:
        site = hugo_site(work / "hugo", pages, sections=journeys * 8)
        figures["Hugo, same number of pages"] = median_of(
            args.runs, [hugo, "--quiet", "-s", str(site), "-d", str(work / "hugo-out")], env,
            lambda: shutil.rmtree(work / "hugo-out", ignore_errors=True))
    size = sum(p.stat().st_size for p in portfolio.rglob("*") if p.is_file())
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": f"{os.cpu_count()} cores, {platform.machine()}",
        "python": platform.python_version(), "touchpoints": journeys * 7 * 36, "journeys": journeys,
        "yaml_bytes": size, "pages": pages, "figures": figures,
    }
    if hugo:
        result["build_vs_hugo"] = figures["build, cold"]["median_s"] / figures["Hugo, same number of pages"]["median_s"]
    print(f"journeymap benchmark: {result['touchpoints']:,} touchpoints in {journeys} journeys, "
          f"{size / 1e6:.1f} MB of YAML, {pages:,} pages; {result['machine']}; median of {args.runs}")
    print(f"| {'what':44} | {'median':>8} | {'min':>8} | {'max':>8} | {'peak MB':>8} | {'all procs':>9} |")
    print(f"| {'-' * 44} | {'-' * 8}:| {'-' * 8}:| {'-' * 8}:| {'-' * 8}:| {'-' * 9}:|")
    for name, figure in figures.items():
        peak = "—" if figure["peak_mb"] is None else f"{figure['peak_mb']:.0f}"
        tree = "—" if figure["tree_peak_mb"] is None else f"{figure['tree_peak_mb']:.0f}"
        print(f"| {name:44} | {figure['median_s']:7.2f}s | {figure['min_s']:7.2f}s | {figure['max_s']:7.2f}s | "
              f"{peak:>8} | {tree:>9} |")
    if hugo:
        print(f"cold build / Hugo: {result['build_vs_hugo']:.1f}×")
    else:
        print("Hugo not found: `make bench` installs it into bench/.venv")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{result['when'].replace(':', '')}-{result['touchpoints']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"figures written to {path.relative_to(HERE.parent)}")
    if args.keep:
        print(f"kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
