"""The `journeymap` command: parse options, call the core, print, set the exit code."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .util.printable import printable
from .util.words import plural

if TYPE_CHECKING:
    from .core.check import Checked
    from .site import Built

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def _run_check(source: str | None, example: bool = False, use_cache: bool = True) -> Checked:
    from .core.check import check_map
    from .core.load import MapNotFound
    from .core.locate import locate_map

    try:
        return check_map(locate_map(source, example, _usage()), use_cache=use_cache)
    except MapNotFound as error:
        _complain(error)
        sys.exit(EXIT_UNUSABLE)


def _complain(problem: object) -> None:
    """One line (or a few, as the problem has them) on stderr; map text in it is shown, never obeyed."""
    click.echo(printable(f"journeymap: {problem}", lines=True), err=True)


def _is_loopback(host: str) -> bool:
    """Only this machine can reach a loopback address (all of 127.0.0.0/8 and ::1), or localhost."""
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _usage() -> str:
    """How the command being run is given a map: `journeymap metrics import CSV_FILE path/to/map`."""
    context = click.get_current_context()
    names = []
    while context.parent is not None:
        names.append(context.info_name or "")
        context = context.parent
    arguments = [p for p in click.get_current_context().command.params if isinstance(p, click.Argument)]
    words = ["path/to/map" if p.name == "source" else p.human_readable_name for p in arguments]
    return " ".join(["journeymap", *reversed(names), *words])


def no_cache(command: Callable) -> Callable:
    return click.option("--no-cache", is_flag=True, help="parse and check every file again, without reading or "
                        "writing the cache (~/.cache/journeymap)")(command)


def map_source(command: Callable) -> Callable:
    """SOURCE and --example, the same on every command that reads a map."""
    command = click.option("--example", is_flag=True,
                           help="use the bundled example map (for demos); never a silent default")(command)
    return click.argument("source", required=False, type=click.Path())(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journeymap")
def main() -> None:
    """Customer journey maps as YAML in git: check them in CI, publish them as a site."""


def run() -> None:
    """The `journeymap` command: `main`, then leave without tearing the model down object by object.

    Freeing a large portfolio's model at exit took a tenth of a second after the work was done;
    the operating system takes the memory back at once (mypy leaves the same way).
    """
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if not isinstance(code, int):  # sys.exit("message"): Python prints it and exits 1
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`), a stream already closed
            pass
    os._exit(code)


@main.command(short_help="Check the map and report its gaps.")
@map_source
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True,
              help="text for people, json for tools, github for Actions annotations, sarif for code scanning")
@click.option("--strict", is_flag=True, help="fail on warnings too")
@click.option("--fix", is_flag=True, help="make the corrections that are safe (a misspelt key, quotes, an id's "
                                          "slug, a stage file's name), then check again")
@click.option("--diff", "show_diff", is_flag=True, help="show the safe corrections as a diff and write nothing "
                                                        "(exit 1 when there are some)")
@no_cache
def check(source: str | None, example: bool, output_format: str, strict: bool, fix: bool, show_diff: bool,
          no_cache: bool) -> None:
    """Check the map in SOURCE and report its gaps.

    Without SOURCE: ./journey.yaml, else ./journey/journey.yaml. SOURCE may also be a
    portfolio: a folder whose subfolders each hold a journey.yaml.
    """
    from .core.findings import fails
    from .review.report import as_github, as_json, as_sarif, as_text, wants_colour

    checked = _run_check(source, example, use_cache=not no_cache)
    if show_diff:
        from .authoring import fixes

        _, texts, renames = fixes.plan(checked.root, checked.findings)
        click.echo(printable(fixes.diff(texts, renames), lines=True), nl=False)
        sys.exit(EXIT_FAILED if texts or renames else EXIT_OK)  # as `ruff --diff`: 1 when there is a fix to make
    if fix:
        checked = _fix(checked, source, example)
    findings = checked.findings
    if output_format == "json":
        click.echo(as_json(findings))
    elif output_format == "sarif":
        click.echo(as_sarif(checked))
    elif output_format == "github":
        if findings:
            click.echo(as_github(findings, checked.root))
    else:
        colour = wants_colour(sys.stdout.isatty())
        click.echo(as_text(findings, checked.root, colour, checked.files_checked), color=colour)
    sys.exit(EXIT_FAILED if fails(findings, strict) else EXIT_OK)


def _fix(checked: Checked, source: str | None, example: bool) -> Checked:
    """Apply the safe fixes until none is left (a fixed syntax error can reveal a misspelt key), then re-check."""
    from .authoring import fixes

    for _ in range(5):
        edits, texts, renames = fixes.plan(checked.root, checked.findings)
        if not texts and not renames:
            break
        fixes.write(checked.root, texts, renames)
        for applied in [*edits, *renames]:
            click.echo(f"fixed {applied}", err=True)
        checked = _run_check(source, example)
    return checked


@main.command(short_help="Check the map, then render it as a static site.")
@map_source
@click.option("--output", "-o", default="output", show_default=True, type=click.Path(file_okay=False),
              help="folder for the site; replaced whole on success, untouched on failure")
@click.option("--keep-going", is_flag=True, help="render even when the map has errors (still exits 1)")
@click.option("--strict", is_flag=True, help="treat warnings as failures too")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="render with your own templates folder (run in a sandbox); without it, journey.yaml's "
                   "`templates:` line, else the bundled templates")
@no_cache
def build(source: str | None, example: bool, output: str, keep_going: bool, strict: bool,
          templates: str | None, no_cache: bool) -> None:
    """Check the map in SOURCE and render it as a static site into OUTPUT."""
    import time

    from click.core import ParameterSource

    from .core.findings import fails, summarize
    from .core.locate import found_from
    from .review.report import as_text, wants_colour

    started = time.perf_counter()
    checked = _run_check(source, example, use_cache=not no_cache)
    if not example and click.get_current_context().get_parameter_source("output") is ParameterSource.DEFAULT:
        output = str(found_from(source) / output)  # run in stages/: where it would be from journey/
    failing = fails(checked.findings, strict)
    colour = wants_colour(sys.stderr.isatty())
    click.echo(as_text(checked.findings, checked.root, colour, checked.files_checked), err=True, color=colour)
    if failing and not keep_going:
        counts = summarize(checked.findings)
        blocking = counts["errors"] + (counts["warnings"] if strict else 0)
        click.echo(f"journeymap: not building: the map has {plural(counts['errors'], 'error')}"
                   f"{' and ' + plural(counts['warnings'], 'warning') + ' (--strict)' if strict else ''}; "
                   f"fix {'it' if blocking == 1 else 'them'}, or use --keep-going to render the site with its gaps "
                   "page", err=True)
        sys.exit(EXIT_FAILED)
    built = _build_site(checked, Path(output), Path(templates) if templates else None, not no_cache,
                        _progress(started) if sys.stderr.isatty() else None)
    for note in built.notes:
        click.echo(f"journeymap: {note}", err=True)
    unchanged = f", {built.reused} unchanged since the last build" if built.reused else ""
    click.echo(f"built {built.pages} pages into {output}/ in {time.perf_counter() - started:.2f} s{unchanged}",
               err=True)
    sys.exit(EXIT_FAILED if failing else EXIT_OK)


def _progress(started: float) -> Callable[[int, int, int], None]:
    """On a terminal, a build that takes over a second says how far it is, on one line it rewrites."""
    import time

    def show(done: int, total: int, pages: int) -> None:
        elapsed = time.perf_counter() - started
        if elapsed > 1:  # the last one ends the line; the summary follows on its own
            click.echo(f"\rrendering: {done}/{total} journeys, {pages:,} pages ({pages / elapsed:,.0f} pages/s)",
                       err=True, nl=done == total)
    return show


def _build_site(checked: Checked, output: Path, templates: Path | None, use_cache: bool = True,
                progress: Callable[[int, int, int], None] | None = None) -> Built:
    import graphviz

    from .site import TemplateProblem, build_site
    from .site.writer import UnsafeOutput

    try:
        return build_site(checked, output, templates, use_cache, progress)
    except graphviz.ExecutableNotFound:
        click.echo("journeymap: Graphviz's `dot` is not installed; install it with `sudo apt-get install "
                   "graphviz`, `brew install graphviz` or `winget install Graphviz.Graphviz`", err=True)
    except (UnsafeOutput, TemplateProblem) as error:
        _complain(error)
    except graphviz.CalledProcessError as error:
        _complain(f"Graphviz failed to draw a diagram: {error.stderr or error}")
    sys.exit(EXIT_UNUSABLE)


@main.command(short_help="Start a map repository: a map to fill in, its workflow and pre-commit hook.")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="add the missing files to a folder that is not empty (never overwrites)")
def init(directory: str, force: bool) -> None:
    """Write a map repository into DIRECTORY: journey/ with seven stages, a README, the CI workflow."""
    from .authoring.init import InitRefused, init_map

    try:
        written = init_map(Path(directory), force)
    except InitRefused as error:
        _complain(error)
        sys.exit(EXIT_UNUSABLE)
    for path in written:
        click.echo(f"wrote {path}")
    map_folder = Path(directory) / "journey"
    click.echo(f"\nNext: `journeymap check {map_folder}` lists what to fill in; "
               f"`journeymap build {map_folder} -o site` renders it.")


@main.command(short_help="Preview the site while you edit: rebuilt and reloaded on every save.")
@map_source
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="the address to listen on; anything but loopback shares the preview with your network")
@click.option("--open", "open_browser", is_flag=True, help="open the site in the default browser")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="render with your own templates folder (run in a sandbox), as build does")
def serve(source: str | None, example: bool, port: int, host: str, open_browser: bool, templates: str | None) -> None:
    """Build the map in SOURCE into a temporary folder, serve it, and rebuild it whenever a file changes."""
    from .core.load import MapNotFound
    from .core.locate import locate_map
    from .site.serve import ServeProblem
    from .site.serve import serve as run

    host = host.removeprefix("[").removesuffix("]")  # `[::1]`, as a URL writes it
    if not _is_loopback(host):
        click.echo(f"journeymap: warning: serving on {host} shows the map to anyone who can reach this machine",
                   err=True)
    try:
        folder = locate_map(source, example, _usage())
    except MapNotFound as error:
        _complain(error)
        sys.exit(EXIT_UNUSABLE)

    def ready(url: str) -> None:
        click.echo(f"Serving {folder} on {url} (Ctrl-C to stop)", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run(folder, Path(templates) if templates else None, host, port, lambda line: click.echo(line, err=True),
            ready)
    except ServeProblem as error:
        _complain(error)
        sys.exit(EXIT_UNUSABLE)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command(short_help="Export the map: Mermaid for a README, CSV for a spreadsheet, Markdown or HTML for a CMS.")
@map_source
@click.option("--format", "output_format", type=click.Choice(["mermaid", "csv", "markdown", "html"]),
              required=True, help="mermaid: a journey diagram GitHub renders; csv: a row per touchpoint; "
                                  "markdown / html: a section per stage for a CMS")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write to this file (default: stdout)")
def export(source: str | None, example: bool, output_format: str, output: str | None) -> None:
    """Export the map in SOURCE in another form; map.json, written with the site, is the export for BI tools."""
    from .data import exports

    checked = _run_check(source, example)
    render = {"mermaid": exports.as_mermaid, "csv": exports.as_csv, "markdown": exports.as_markdown,
              "html": exports.as_html}[output_format]
    text = render(checked)
    if output:
        Path(output).write_text(text, encoding="utf-8", newline="")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.group(short_help="Refresh the map's metrics from a CRM or analytics export.")
def metrics() -> None:
    """Metrics in and out of the map."""


@metrics.command(name="import", short_help="Set metric values and history from a long-form CSV.")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@map_source
@click.option("--dry-run", is_flag=True, help="print what would change, write nothing")
def metrics_import(csv_file: str, source: str | None, example: bool, dry_run: bool) -> None:
    """Set each row's `history[period]` and each metric's `value` (its latest period), all rows or none."""
    from .authoring import fixes
    from .data.metrics_import import ImportProblem, plan

    checked = _run_check(source, example)
    try:
        updates, texts = plan(checked, Path(csv_file))
    except ImportProblem as error:
        for problem in error.problems:
            _complain(problem)
        click.echo("journeymap: nothing was written", err=True)
        sys.exit(EXIT_FAILED)
    for update in updates:
        click.echo(printable(f"{update.stage} {update.kind}: {update.old if update.old is not None else '—'} → "
                             f"{update.new:g} ({', '.join(f'{p}: {v:g}' for p, v in sorted(update.periods.items()))})"))
    _print_derived_changes(checked, texts)
    if dry_run:
        click.echo("(dry run: nothing written)")
        return
    fixes.write(checked.root, texts, [])
    click.echo(f"wrote {plural(len(texts), 'file')}")


def _print_derived_changes(checked: Checked, texts: dict[str, tuple[str, str]]) -> None:
    """What the new numbers do to the conversions and the weakest link, computed on a copy of the map."""
    import shutil
    import tempfile

    from .core.check import check_map
    from .core.model import percent
    from .review.diff import compare
    from .review.diff_report import summary

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "map"
        shutil.copytree(checked.root, copy, symlinks=True)
        for file, (_, after) in texts.items():
            (copy / file).write_text(after, encoding="utf-8")
        result = compare(checked, check_map(copy, use_cache=False))
    for change in result.conversions:
        click.echo(f"conversion {' → '.join(change.names)}: {percent(change.old)} → {percent(change.new)}")
    click.echo(summary(result).split("; ")[-1] if result.has_journey_changes else "no journey changes")


@main.command(name="rules", short_help="List the rules, or explain one.")
@click.argument("rule_id", required=False)
def rules_command(rule_id: str | None) -> None:
    """List every rule with its default severity, or print one rule's documentation."""
    from .core import rules
    from .util.suggest import did_you_mean

    if rule_id is None:
        width = max(len(r) for r in rules.RULES)
        for each in rules.RULES.values():
            click.echo(f"{each.id:<{width}}  {each.severity.value:<7}  {each.summary}")
        return
    found = rules.get(rule_id)
    if found is None:
        click.echo(f"journeymap: no rule `{rule_id}`: {did_you_mean(rule_id, rules.RULES, 'rule')}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"{found.id} (default severity: {found.severity.value})\n\n{found.doc}")


@main.command(short_help="Print the JSON Schema of a file kind, for editors.")
@click.argument("kind", required=False, default="journey",
                type=click.Choice(["journey", "owners", "personas", "stage", "experiment", "brief", "evidence"]))
@click.option("--write", "write_dir", type=click.Path(file_okay=False),
              help="write every kind's schema as KIND.schema.json into this folder")
def schema(kind: str, write_dir: str | None) -> None:
    """Print the JSON Schema of a file KIND, for editors' yaml-language-server."""
    from .core import rules
    from .core.load import KINDS
    from .core.schema import schema_for

    if write_dir:
        folder = Path(write_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for each in KINDS:
            text = json.dumps(schema_for(each, rules.rule_ids()), indent=2, ensure_ascii=False) + "\n"
            (folder / f"{each}.schema.json").write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(KINDS)} schemas to {folder}")
        return
    click.echo(json.dumps(schema_for(kind, rules.rule_ids()), indent=2, ensure_ascii=False))


@main.command(short_help="Review a change: what it does to the journey, and the gaps it opens or closes.")
@click.argument("source", required=False, type=click.Path())
@click.option("--base", "base_revision", required=True, help="the revision to compare with (main, HEAD~1, a sha)")
@click.option("--head", "head_revision", help="the changed revision (default: the working tree, uncommitted edits "
                                              "included)")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for people, markdown for a pull-request comment, json for tools")
@click.option("--fail-on-new-errors", is_flag=True, help="exit 1 when the head has an error the base did not")
@click.option("--repo-url", help="link each change to its line on this repository's web UI "
                                 "(default: the map's repo_url)")
def diff(source: str | None, base_revision: str, head_revision: str | None, output_format: str,
         fail_on_new_errors: bool, repo_url: str | None) -> None:
    """Compare the map in SOURCE at --base with --head (or the working tree), in journey terms.

    Reads both sides from git's objects: nothing is checked out, the working tree
    and the index are left as they are.
    """
    from .core.check import check_map
    from .core.load import MapNotFound
    from .core.locate import locate_map
    from .review.diff import compare, templates_changed
    from .review.diff_report import as_json, as_markdown, as_text
    from .review.revisions import RevisionProblem, checked_at, commit_of, linker, locate_in_git

    try:
        folder = locate_map(source, usage=_usage())
        where = locate_in_git(folder)
        base_commit = commit_of(where, base_revision)
        head_commit = commit_of(where, head_revision) if head_revision else None
        base = checked_at(where, base_commit)
        head = checked_at(where, head_commit) if head_commit else check_map(folder)
        if head is None:
            raise MapNotFound(f"no map at {where.file('') or 'the repository root'} in `{head_revision}`: "
                              "give the folder that holds journey.yaml at both revisions")
        templates = templates_changed(where, base_commit, head_commit, base, head)
    except (MapNotFound, RevisionProblem) as error:
        _complain(error)
        sys.exit(EXIT_UNUSABLE)
    result = compare(base, head)
    result.templates = templates
    result.labels = {"base": _short(base_revision), "head": _short(head_revision) if head_revision else "working tree"}
    link = linker(repo_url if repo_url is not None else head.journey.repo_url, where, base_commit, head_commit)
    if output_format == "markdown":
        click.echo(as_markdown(result, link), nl=False)
    elif output_format == "json":
        click.echo(as_json(result, link))
    else:
        click.echo(as_text(result))
    sys.exit(EXIT_FAILED if fail_on_new_errors and result.new_errors else EXIT_OK)


def _short(revision: str) -> str:
    """A full commit id is shortened as git shows it; a branch or tag name stays as given."""
    return revision[:7] if len(revision) == 40 and all(c in "0123456789abcdef" for c in revision) else revision
