"""The team palette passes contrast, computed here with WCAG 2's formula from palette.py's values."""

from __future__ import annotations

import colorsys
import re

import pytest

from journeymap.site import palette
from journeymap.site.palette import DARK_PAGE, LIGHT_PAGE, TEAM_COLOURS


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of `#rrggbb`."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hue(colour: str) -> float:
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(red, green, blue)[0] * 360


def test_the_formula_gives_the_known_figures() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the usual AA-grey example


def test_there_are_twelve_team_colours_all_different() -> None:
    assert len(TEAM_COLOURS) == 12
    assert len({c.fill for c in TEAM_COLOURS}) == 12 and len({c.dark_fill for c in TEAM_COLOURS}) == 12


@pytest.mark.parametrize("colour", TEAM_COLOURS, ids=lambda c: c.name)
def test_text_on_every_fill_passes_aa_in_light_and_dark(colour: palette.TeamColour) -> None:
    assert contrast(colour.fill, colour.ink) >= 4.5
    assert contrast(colour.dark_fill, colour.dark_ink) >= 4.5


@pytest.mark.parametrize("colour", TEAM_COLOURS, ids=lambda c: c.name)
def test_every_border_stands_out_from_the_page(colour: palette.TeamColour) -> None:
    assert contrast(colour.line, LIGHT_PAGE) >= 3
    assert contrast(colour.dark_line, DARK_PAGE) >= 3


def test_neighbours_in_the_list_differ_strongly_in_hue() -> None:
    """Teams get colours in owners.yaml's order, so the first, second, third team must not look alike."""
    saturated = [c for c in TEAM_COLOURS if c.name != "slate"]  # slate is nearly grey: its hue says little
    for one, other in zip(saturated, saturated[1:], strict=False):
        apart = abs(hue(one.fill) - hue(other.fill)) % 360
        assert min(apart, 360 - apart) >= 40, (one.name, other.name)


def test_no_team_is_red_which_means_the_weakest_link_or_a_gap() -> None:
    for colour in TEAM_COLOURS:
        assert not (hue(colour.fill) < 12 or hue(colour.fill) > 345), colour.name


def test_the_danger_red_and_the_diagram_greys_pass_against_their_pages() -> None:
    assert contrast(palette.DANGER, LIGHT_PAGE) >= 4.5 and contrast(palette.DARK_DANGER, DARK_PAGE) >= 4.5
    assert contrast(palette.EDGE, LIGHT_PAGE) >= 3 and contrast(palette.DARK_EDGE, DARK_PAGE) >= 3
    assert contrast(palette.MUTED, palette.CLUSTER_FILL) >= 4.5
    assert contrast(palette.DARK_MUTED, palette.DARK_CLUSTER_FILL) >= 4.5


def test_teams_css_carries_every_colour_light_and_dark() -> None:
    css = palette.teams_css()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    for number, colour in enumerate(TEAM_COLOURS):
        assert re.search(rf"\.team-{number} {{ --team-fill: {colour.fill}; --team-line: {colour.line}; "
                         rf"--team-ink: {colour.ink}; }}", light)
        assert f".team-{number} {{ --team-fill: {colour.dark_fill}; --team-line: {colour.dark_line}; " \
               f"--team-ink: {colour.dark_ink}; }}" in dark
