"""The commands around the map: init, serve, and the references an editor or a person reads (rules, schema)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..util.errors import JourneymapError
from .common import map_source, usage
from .group import main


class UnknownRule(JourneymapError):
    """`journeymap rules ID` with an id no rule has: the message says which one was meant, if one is close."""


@main.command(short_help="Start a map repository: a map to fill in, its workflow and pre-commit hook.")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="add the missing files to a folder that is not empty (never overwrites)")
def init(directory: str, force: bool) -> None:
    """Write a map repository into DIRECTORY: journey/ with seven stages, a README, the CI workflow."""
    from ..authoring.init import init_map

    for path in init_map(Path(directory), force):
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
    from ..core.locate import locate_map
    from ..site.serve import serve as run
    from ..site.serve_http import is_loopback

    host = host.removeprefix("[").removesuffix("]")  # `[::1]`, as a URL writes it
    if not is_loopback(host):
        click.echo(f"journeymap: warning: serving on {host} shows the map to anyone who can reach this machine",
                   err=True)
    folder = locate_map(source, example, usage())

    def ready(url: str) -> None:
        click.echo(f"Serving {folder} on {url} (Ctrl-C to stop)", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run(folder, Path(templates) if templates else None, host, port, lambda line: click.echo(line, err=True),
            ready)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)




@main.command(name="rules", short_help="List the rules, or explain one.")
@click.argument("rule_id", required=False)
def rules_command(rule_id: str | None) -> None:
    """List every rule with its default severity, or print one rule's documentation."""
    from ..core import rules
    from ..util.suggest import did_you_mean

    if rule_id is None:
        width = max(len(r) for r in rules.RULES)
        for each in rules.RULES.values():
            click.echo(f"{each.id:<{width}}  {each.severity.value:<7}  {each.summary}")
        return
    found = rules.get(rule_id)
    if found is None:
        raise UnknownRule(f"no rule `{rule_id}`: {did_you_mean(rule_id, rules.RULES, 'rule')}")
    click.echo(f"{found.id} (default severity: {found.severity.value})\n\n{found.doc}")


@main.command(short_help="Print the JSON Schema of a file kind, for editors.")
@click.argument("kind", required=False, default="journey",
                type=click.Choice(["journey", "owners", "personas", "stage", "experiment", "brief", "evidence"]))
@click.option("--write", "write_dir", type=click.Path(file_okay=False),
              help="write every kind's schema as KIND.schema.json into this folder")
def schema(kind: str, write_dir: str | None) -> None:
    """Print the JSON Schema of a file KIND, for editors' yaml-language-server."""
    from ..core import rules
    from ..core.load import KINDS
    from ..core.schema import schema_for

    if write_dir:
        folder = Path(write_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for each in KINDS:
            text = json.dumps(schema_for(each, rules.rule_ids()), indent=2, ensure_ascii=False) + "\n"
            (folder / f"{each}.schema.json").write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(KINDS)} schemas to {folder}")
        return
    click.echo(json.dumps(schema_for(kind, rules.rule_ids()), indent=2, ensure_ascii=False))
