"""The `journeymap` group: every command is added to it, and it is where a problem the person can fix is said."""

from __future__ import annotations

import click

from .. import __version__
from ..util.errors import JourneymapError, as_printed


class _Commands(click.Group):
    """The group whose commands (and subgroups) leave through one door when a JourneymapError is raised."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except JourneymapError as error:
            click.echo(as_printed(error), err=True)
            ctx.exit(error.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="journeymap")
def main() -> None:
    """Customer journey maps as YAML in git: check them in CI, publish them as a site."""
