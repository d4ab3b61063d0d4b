"""What every command shares: how a map is given, how a problem is said, how the map is checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from ..util.printable import printable

if TYPE_CHECKING:
    from ..core.check import Checked


def complain(problem: object) -> None:
    """One line (or a few, as the problem has them) on stderr; map text in it is shown, never obeyed."""
    click.echo(printable(f"journeymap: {problem}", lines=True), err=True)


def usage() -> str:
    """How the command being run is given a map: `journeymap metrics import CSV_FILE path/to/map`."""
    context = click.get_current_context()
    names = []
    while context.parent is not None:
        names.append(context.info_name or "")
        context = context.parent
    arguments = [p for p in click.get_current_context().command.params if isinstance(p, click.Argument)]
    words = ["path/to/map" if p.name == "source" else p.human_readable_name for p in arguments]
    return " ".join(["journeymap", *reversed(names), *words])


def checked_map(source: str | None, example: bool = False, use_cache: bool = True) -> Checked:
    """The map the command means (SOURCE, --example, or the one where the person stands), checked."""
    from ..core.check import check_map
    from ..core.locate import locate_map

    return check_map(locate_map(source, example, usage()), use_cache=use_cache)


def no_cache(command: Callable) -> Callable:
    return click.option("--no-cache", is_flag=True, help="parse and check every file again, without reading or "
                        "writing the cache (~/.cache/journeymap)")(command)


def map_source(command: Callable) -> Callable:
    """SOURCE and --example, the same on every command that reads a map."""
    command = click.option("--example", is_flag=True,
                           help="use the bundled example map (for demos); never a silent default")(command)
    return click.argument("source", required=False, type=click.Path())(command)
