"""The commands that read a map and report on it: check, build, export, metrics import, diff."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from ..util.errors import EXIT_FAILED, EXIT_OK
from ..util.printable import printable
from ..util.words import plural
from .common import checked_map, complain, map_source, no_cache, usage
from .group import main


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
    from ..authoring import fixes
    from ..core.findings import fails
    from ..review.report import as_github, as_json, as_sarif, as_text, wants_colour

    checked = checked_map(source, example, use_cache=not no_cache)
    if show_diff:
        _, texts, renames = fixes.plan(checked.root, checked.findings)
        click.echo(printable(fixes.diff(texts, renames), lines=True), nl=False)
        sys.exit(EXIT_FAILED if texts or renames else EXIT_OK)  # as `ruff --diff`: 1 when there is a fix to make
    if fix:
        checked, made = fixes.fix_until_settled(checked, lambda: checked_map(source, example))
        for applied in made:
            click.echo(f"fixed {applied}", err=True)
    if output_format == "json":
        click.echo(as_json(checked.findings))
    elif output_format == "sarif":
        click.echo(as_sarif(checked))
    elif output_format == "github":
        if checked.findings:
            click.echo(as_github(checked.findings, checked.root))
    else:
        colour = wants_colour(sys.stdout.isatty())
        click.echo(as_text(checked.findings, checked.root, colour, checked.files_checked), color=colour)
    sys.exit(EXIT_FAILED if fails(checked.findings, strict) else EXIT_OK)


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
    from click.core import ParameterSource

    from ..core.findings import fails
    from ..core.locate import found_from
    from ..review.report import as_text, wants_colour
    from ..site import build_site
    from ..site.build_report import built_line, refusal

    started = time.perf_counter()
    checked = checked_map(source, example, use_cache=not no_cache)
    if not example and click.get_current_context().get_parameter_source("output") is ParameterSource.DEFAULT:
        output = str(found_from(source) / output)  # run in stages/: where it would be from journey/
    failing = fails(checked.findings, strict)
    colour = wants_colour(sys.stderr.isatty())
    click.echo(as_text(checked.findings, checked.root, colour, checked.files_checked), err=True, color=colour)
    if failing and not keep_going:
        complain(refusal(checked.findings, strict))
        sys.exit(EXIT_FAILED)
    built = build_site(checked, Path(output), Path(templates) if templates else None, not no_cache,
                       _progress(started) if sys.stderr.isatty() else None)
    for note in built.notes:
        click.echo(f"journeymap: {note}", err=True)
    click.echo(built_line(built, output, time.perf_counter() - started), err=True)
    sys.exit(EXIT_FAILED if failing else EXIT_OK)


def _progress(started: float) -> Callable[[int, int, int], None]:
    """On a terminal, a build that takes over a second says how far it is, on one line it rewrites."""
    def show(done: int, total: int, pages: int) -> None:
        elapsed = time.perf_counter() - started
        if elapsed > 1:  # the last one ends the line; the summary follows on its own
            click.echo(f"\rrendering: {done}/{total} journeys, {pages:,} pages ({pages / elapsed:,.0f} pages/s)",
                       err=True, nl=done == total)
    return show


@main.command(short_help="Export the map: Mermaid for a README, CSV for a spreadsheet, Markdown or HTML for a CMS.")
@map_source
@click.option("--format", "output_format", type=click.Choice(["mermaid", "csv", "markdown", "html"]),
              required=True, help="mermaid: a journey diagram GitHub renders; csv: a row per touchpoint; "
                                  "markdown / html: a section per stage for a CMS")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write to this file (default: stdout)")
def export(source: str | None, example: bool, output_format: str, output: str | None) -> None:
    """Export the map in SOURCE in another form; map.json, written with the site, is the export for BI tools."""
    from ..data import exports

    render = {"mermaid": exports.as_mermaid, "csv": exports.as_csv, "markdown": exports.as_markdown,
              "html": exports.as_html}[output_format]
    text = render(checked_map(source, example))
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
    from ..authoring import fixes
    from ..core.model import percent
    from ..data.metrics_import import plan, preview

    checked = checked_map(source, example)
    updates, texts = plan(checked, Path(csv_file))
    for update in updates:
        click.echo(printable(str(update)))
    derived = preview(checked, texts)
    for change in derived.conversions:
        click.echo(f"conversion {' → '.join(change.names)}: {percent(change.old)} → {percent(change.new)}")
    click.echo(derived.weakest_link)
    if dry_run:
        click.echo("(dry run: nothing written)")
        return
    fixes.write(checked.root, texts, [])
    click.echo(f"wrote {plural(len(texts), 'file')}")


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
    from ..core.locate import locate_map
    from ..review.diff_report import as_json, as_markdown, as_text
    from ..review.revisions import review_change

    reviewed = review_change(locate_map(source, usage=usage()), base_revision, head_revision, repo_url)
    if output_format == "markdown":
        click.echo(as_markdown(reviewed.diff, reviewed.link), nl=False)
    elif output_format == "json":
        click.echo(as_json(reviewed.diff, reviewed.link))
    else:
        click.echo(as_text(reviewed.diff))
    sys.exit(EXIT_FAILED if fail_on_new_errors and reviewed.diff.new_errors else EXIT_OK)
