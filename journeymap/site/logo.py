"""The map's logo (`logo:` in journey.yaml): an image from the map folder, shown in the site's header.

The name comes from a pull request like the rest of the map. So the file is read only from inside the
map folder (`join_inside`: no `..`, no link followed), only when its first bytes are those of a PNG,
JPEG, WebP or GIF (an SVG, or HTML named logo.png, could run script where the site is published), and
only up to a megabyte. Anything else stops the build with the line to change, before a page is written.
"""

from __future__ import annotations

from pathlib import Path

from ..core.model import Journey
from ..util.errors import JourneymapError
from ..util.inside import Outside, join_inside

#: the first bytes of each kind of image taken, by the ending the site's copy gets
SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".gif": (b"GIF87a", b"GIF89a"),
              ".webp": (b"RIFF",)}
MAX_BYTES = 1_000_000


class LogoProblem(JourneymapError):
    """journey.yaml's `logo:` names no image the site can show."""


def read_logo(journey: Journey, map_folder: Path) -> tuple[str, bytes] | None:
    """(the logo's path in the site, its bytes), or None for a map without one."""
    if not journey.logo:
        return None
    where = journey.origin.document.at("logo")
    place = f"{map_folder / 'journey.yaml'}:{where.line}: logo `{journey.logo}`"
    try:
        path = join_inside(map_folder, journey.logo)
    except Outside:
        raise LogoProblem(f"{place} leads out of the map folder: put the image inside it, e.g. "
                          "`logo: assets/logo.png`") from None
    if not path.is_file():
        raise LogoProblem(f"{place}: no such file in the map folder; add it, or write the path from journey.yaml's "
                          "folder, e.g. `logo: assets/logo.png`")
    if path.stat().st_size > MAX_BYTES:
        raise LogoProblem(f"{place} is over {MAX_BYTES // 1_000_000} MB: a header logo needs a few KB; save it "
                          "smaller (about 200 px wide)")
    data = path.read_bytes()
    ending = _kind_of(data)
    if ending is None:
        raise LogoProblem(f"{place} is not a PNG, JPEG, WebP or GIF image (by its contents): export it as PNG")
    return f"assets/logo{ending}", data


def _kind_of(data: bytes) -> str | None:
    for ending, starts in SIGNATURES.items():
        if data.startswith(starts) and (ending != ".webp" or data[8:12] == b"WEBP"):
            return ending
    return None
