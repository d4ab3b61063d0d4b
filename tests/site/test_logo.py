"""journey.yaml's `logo:`: an image from the map folder in every page's header, and never anything else."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from ..conftest import CLEAN_MAP, line_of, run_cli, write_map


def png(colour: tuple[int, int, int]) -> bytes:
    """A real 2x2 PNG of one colour (so two logos differ by their bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(colour) * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def map_with_logo(tmp_path: Path, logo: str, files: dict[str, bytes] | None = None) -> Path:
    journey = CLEAN_MAP["journey.yaml"].replace("persona: pat\n", f"persona: pat\nlogo: {logo}\n")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "journey.yaml": journey})
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_the_logo_is_copied_as_it_is_and_shown_beside_the_title_on_every_page(tmp_path: Path) -> None:
    image = png((36, 87, 197))
    folder = map_with_logo(tmp_path, "assets/Logo.PNG", {"assets/Logo.PNG": image})
    check = run_cli("check", str(folder))
    assert "unknown-file" not in check.stdout  # assets/ is the map's own folder for images
    result = run_cli("build", str(folder), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/assets/logo.png").read_bytes() == image
    pages = list((tmp_path / "site").rglob("*.html"))
    assert pages
    for page in pages:
        root = "../" * (len(page.relative_to(tmp_path / "site").parts) - 1)
        assert f'<img class="site-logo" src="{root}assets/logo.png" alt=""' in page.read_text(), page


def test_a_changed_logo_is_in_the_next_build_though_no_map_file_changed(tmp_path: Path) -> None:
    folder = map_with_logo(tmp_path, "assets/logo.png", {"assets/logo.png": png((0, 0, 0))})
    assert run_cli("build", str(folder), "--output", str(tmp_path / "site")).returncode == 0
    (folder / "assets/logo.png").write_bytes(png((255, 255, 255)))
    assert run_cli("build", str(folder), "--output", str(tmp_path / "site")).returncode == 0
    assert (tmp_path / "site/assets/logo.png").read_bytes() == png((255, 255, 255))


def _refused(tmp_path: Path, folder: Path, *said: str) -> None:
    result = run_cli("build", str(folder), "--output", str(tmp_path / "site"))
    line = line_of((folder / "journey.yaml").read_text(), "logo:")
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"journey.yaml:{line}: logo" in result.stderr and "Traceback" not in result.stderr
    for words in said:
        assert words in result.stderr
    assert not (tmp_path / "site").exists()  # nothing half-written


def test_a_logo_that_is_not_there_stops_the_build_naming_the_line(tmp_path: Path) -> None:
    _refused(tmp_path, map_with_logo(tmp_path, "assets/logo.png"), "no such file", "logo: assets/logo.png")


def test_html_named_like_a_png_is_refused_by_its_contents(tmp_path: Path) -> None:
    folder = map_with_logo(tmp_path, "logo.png", {"logo.png": b"<html><script>alert(1)</script>"})
    _refused(tmp_path, folder, "is not a PNG, JPEG, WebP or GIF image")


def test_a_logo_that_is_a_link_out_of_the_map_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png((1, 2, 3)))
    folder = map_with_logo(tmp_path, "assets/logo.png")
    (folder / "assets").mkdir()
    (folder / "assets/logo.png").symlink_to(secret)
    _refused(tmp_path, folder, "leads out of the map folder")


def test_a_logo_outside_the_folder_or_an_svg_is_a_schema_error_in_check(tmp_path: Path) -> None:
    for index, logo in enumerate(("../logo.png", "/etc/logo.png", "assets/logo.svg")):
        folder = map_with_logo(tmp_path / str(index), logo)
        result = run_cli("check", str(folder))
        assert result.returncode == 1, result.stdout
        assert f"error [schema] `logo` is `{logo}`: name a PNG, JPEG, WebP or GIF file inside the map folder" \
            in result.stdout
