"""Which templates render a site, and why a map's own never run unseen or unfenced.

A map's templates are code from whoever wrote the branch: a reviewer who builds
or serves a pull request runs them. So a map's templates are used only when the
command names them (`--templates DIR`) or journey.yaml does (`templates: FOLDER`,
a folder inside the map's repository: a line a reviewer sees in the diff); they
render in Jinja's sandbox, where no attribute leads to Python's internals, a
module or the file system; and no link in their folder may lead out of it, so
`{% include %}` and the copied assets publish only what the folder holds.
"""

from __future__ import annotations

import os
import types
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..core.locate import TEMPLATES_FOLDER, TEMPLATES_SETTING
from ..util.errors import JourneymapError
from ..util.repository import enclosing_repository
from ..util.resources import templates_dir

if TYPE_CHECKING:
    from ..core.check import Checked



class TemplateProblem(JourneymapError):
    """A template could not be used or rendered: names the template (or setting) and line."""


@dataclass(frozen=True)
class Templates:
    """The folders a site renders from, the user's first; and a map's templates/ left unused, if any."""

    folders: list[Path]
    user: Path | None = None
    unused: Path | None = None

    @property
    def sandboxed(self) -> bool:
        return self.user is not None


@dataclass(frozen=True)
class Setting:
    """journey.yaml's `templates:` line: the folder as written, and where it is written."""

    value: str
    where: str  # the file and line, as a message names them


def choose(checked: Checked, override: Path | None = None) -> Templates:
    """The command's --templates, else journey.yaml's `templates:`, else only the bundled templates."""
    bundled = templates_dir().resolve()
    setting = None if override or checked.is_portfolio else setting_of(checked)
    if override is not None:
        user: Path | None = override.resolve()
    elif setting is not None:
        user = _configured(checked.root, setting)
    else:
        user = None
    if user == bundled:
        user = None
    if user is not None:
        refuse_links_out_of(user)
    unused = next((folder for folder in conventional(checked.root)
                   if folder.is_dir() and folder.resolve() not in (bundled, user)), None)
    return Templates([*([user] if user else []), bundled], user, None if user else unused)


def conventional(root: Path) -> list[Path]:
    """Where a map's templates conventionally are: inside the map folder, then beside it."""
    return [root / TEMPLATES_FOLDER, root.parent / TEMPLATES_FOLDER]


def setting_of(checked: Checked) -> Setting | None:
    """A lone journey's `templates:` line (a portfolio's templates are the command's --templates)."""
    document = checked.journey.origin.document
    value = document.fields.get(TEMPLATES_SETTING)
    if value is None:
        return None
    location = document.at(TEMPLATES_SETTING)
    where = f"{checked.root / location.file}:{location.line}"
    if not isinstance(value, str) or not value.strip():
        raise TemplateProblem(f"{where}: `templates:` must name a folder, such as `templates: templates`")
    return Setting(value, where)


def _configured(root: Path, setting: Setting) -> Path:
    """The folder journey.yaml names, which must be inside the map's repository (or the map folder)."""
    folder = (root / setting.value).resolve()
    fence = (enclosing_repository(root) or root).resolve()
    if not folder.is_relative_to(fence):
        raise TemplateProblem(f"{setting.where}: `templates: {setting.value}` leads to {folder}, outside "
                              f"{fence}; name a folder inside it, such as `templates: templates`")
    if not folder.is_dir():
        raise TemplateProblem(f"{setting.where}: `templates: {setting.value}` is not a folder ({folder}); create "
                              "it, or remove the line to use the bundled templates")
    return folder


def unused_note(templates: Templates, root: Path, is_portfolio: bool) -> str | None:
    """What to do with a templates/ folder found but not opted into: one line, or None."""
    if templates.unused is None:
        return None
    relative = os.path.relpath(templates.unused, root).replace(os.sep, "/")
    how = f"build with `--templates {templates.unused}`"
    if not is_portfolio:
        how += f", or add `templates: {relative}` to journey.yaml"
    return (f"note: {templates.unused} is not used: a map's own templates run only when asked for; {how} "
            "(the bundled templates are used)")


def refuse_links_out_of(folder: Path) -> None:
    """Every link in the folder must lead to a file or folder inside it (never above where it is).

    A link to /proc/self/environ or ../../.git/config would otherwise be published
    as an asset or pulled in by `{% include %}`: the build's secrets in the site.
    """
    top = folder.resolve()
    for here, folders, files in os.walk(top):
        for name in [*folders, *files]:
            path = Path(here) / name
            if path.is_symlink():
                _check_link(path, top)


def _check_link(path: Path, top: Path) -> None:
    target = path.resolve()
    written = os.readlink(path)
    if not target.is_relative_to(top):
        raise TemplateProblem(f"{path}: a link to {written}, outside the templates folder {top}; nothing was "
                              "built. Put the file itself in the folder instead of a link")
    if target.is_dir() and path.parent.resolve().is_relative_to(target):
        raise TemplateProblem(f"{path}: a link to {written}, a folder that holds the link itself (a loop); "
                              "nothing was built. Remove the link")


#: what a template may ask of a path: its parts and names, never the file system
_PURE_PATH = {"name", "stem", "suffix", "suffixes", "parts", "parent", "parents", "anchor", "drive", "root",
              "as_posix", "joinpath", "with_name", "with_stem", "with_suffix", "relative_to", "is_relative_to",
              "match"}


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (no `__` internals, no mutation of what a page is given), closed further: no module
    and no file-system method of a path is reachable from a template, however it gets there."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(value, types.ModuleType):
            return False
        if isinstance(obj, PurePath) and attr not in _PURE_PATH:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))
