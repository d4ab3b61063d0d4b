"""Search and the map's filters in real Chromium, as someone with a keyboard and a shared link uses them.

Expected items come from the example map's YAML: which items mention Slack, which team is `sdr`, whose
cards a team filter keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from journeymap.core.check import check_map

from ..conftest import CHROMIUM, EXAMPLE
from .test_browser import Watched

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}; `make test` "
                                 "installs it")]

OPTIONS = "#search-results [role=option]"
HOSTILE = '<img src=x onerror=alert(1)>'


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    watched.close()


def named_items(value: Any) -> Iterator[dict]:
    """Every mapping with a name or title in a YAML document: a touchpoint, a stage, an experiment..."""
    if isinstance(value, dict):
        if "name" in value or "title" in value:
            yield value
        for inner in value.values():
            yield from named_items(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from named_items(inner)


def strings(item: dict) -> Iterator[str]:
    """An item's own text: not that of the items inside it (a stage's touchpoints)."""
    def inside(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for inner in value:
                yield from inside(inner)
        elif isinstance(value, dict) and not ("name" in value or "title" in value):
            for inner in value.values():
                yield from inside(inner)
    for value in item.values():
        yield from inside(value)


def items_of_the_map() -> list[dict]:
    return [item for path in sorted(EXAMPLE.rglob("*.yaml")) for item in named_items(yaml.safe_load(path.read_text()))]


def search(page, query: str) -> list[str]:
    """Types the query and waits for the answer in the live region; the titles listed."""
    page.fill("#search-input", "")
    page.locator("#search-input").press_sequentially(query)
    page.wait_for_function("q => document.getElementById('search-status').textContent !== ''"
                           " && document.getElementById('search-input').value === q", arg=query)
    return page.locator(OPTIONS).evaluate_all("options => options.map(o => o.lastChild.textContent)")


def test_sla_finds_the_sla_and_not_the_slack_community(watched: Watched, site: Path) -> None:
    slack = [item for item in items_of_the_map()
             if any("slack" in text.lower() for text in strings(item))]
    only_slack = [item for item in slack
                  if not any(re.search(r"\bSLAs?\b", text, re.I) for text in strings(item))]
    assert only_slack, "the example map mentions Slack somewhere"
    speed = yaml.safe_load((EXAMPLE / "experiments/speed-to-lead.yaml").read_text())
    assert re.search(r"\bSLA\b", speed["result"])
    page = watched.page
    page.goto((site / "index.html").as_uri())
    for query in ("SLA", "sla", "SLAs"):
        titles = search(page, query)
        assert speed["name"] in titles, query
        assert not {item["name"] for item in only_slack} & set(titles), query
    assert {item["name"] for item in only_slack} <= set(search(page, "slack"))  # a whole word still finds it
    assert watched.errors == []


def test_sdr_finds_sales_development_first(watched: Watched, site: Path) -> None:
    owners = yaml.safe_load((EXAMPLE / "owners.yaml").read_text())["owners"]
    [sdr] = [o for o in owners if o["id"] == "sdr"]
    page = watched.page
    page.goto((site / "stages/evaluation.html").as_uri())
    titles = search(page, "sdr")
    assert titles[0] == sdr["name"]
    assert page.locator(OPTIONS).first.get_attribute("href") == "../owners/sdr.html"
    # the initials of a name of more than one word find it too, and so does a word started
    [csm] = [o for o in owners if o["name"] == "Customer Success Management"]
    assert search(page, "csm")[0] == csm["name"]
    assert sdr["name"] in search(page, "sales dev")
    assert watched.errors == []


def active_state(page) -> tuple[str | None, list[str]]:
    """The option the box names as active, and the ids of the options marked selected."""
    return (page.get_attribute("#search-input", "aria-activedescendant"),
            page.locator(f'{OPTIONS}[aria-selected="true"]').evaluate_all("options => options.map(o => o.id)"))


def test_arrow_keys_move_through_the_results_and_enter_opens_the_active_one(watched: Watched,
                                                                           site: Path) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    search(page, "sales")
    box = page.locator("#search-input")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    assert page.get_attribute("#search-results", "role") == "listbox"
    ids = page.locator(OPTIONS).evaluate_all("options => options.map(o => o.id)")
    assert len(ids) >= 3 and box.get_attribute("aria-controls") == "search-results"
    assert active_state(page) == (None, [])
    box.press("ArrowDown")
    assert active_state(page) == (ids[0], [ids[0]])
    box.press("ArrowDown")
    assert active_state(page) == (ids[1], [ids[1]])
    box.press("ArrowUp")
    box.press("ArrowUp")  # from the first, up wraps to the last
    assert active_state(page) == (ids[-1], [ids[-1]])
    box.press("ArrowDown")
    box.press("ArrowDown")
    chosen = page.locator(f"#{ids[1]}").evaluate("option => option.href")
    assert page.evaluate("document.activeElement.id") == "search-input"  # focus stays in the box
    box.press("Enter")
    page.wait_for_url(chosen)
    assert watched.errors == []


def test_the_result_count_is_announced_and_escape_clears_and_closes(watched: Watched, site: Path) -> None:
    page = watched.page
    page.goto((site / "owners/sdr.html").as_uri())
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    listed = search(page, "csm")
    assert status.text_content() == f"{len(listed)} results" and len(listed) > 1
    assert len(search(page, "slack")) == 1 and status.text_content() == "1 result"
    assert search(page, "zqxjk") == []
    assert status.text_content() == "Nothing found" and status.is_visible()
    assert page.get_attribute("#search-input", "aria-expanded") == "false"
    search(page, "csm")
    page.locator("#search-input").press("Escape")
    assert page.input_value("#search-input") == ""
    assert page.get_attribute("#search-input", "aria-expanded") == "false"
    assert not page.locator("#search-results").is_visible() and status.text_content() == ""
    assert watched.errors == []


def test_slash_goes_to_the_search_box_but_not_from_a_field(watched: Watched, site: Path) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    hint = page.locator("form.search .search-key")
    assert hint.is_visible() and hint.text_content() == "/"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    assert page.input_value("#search-input") == ""  # the slash is not typed into it
    assert not hint.is_visible()
    page.locator("#filters select[name=owner]").focus()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "owner"
    assert watched.errors == []


def accent(page) -> str:
    return page.evaluate("() => { const probe = document.createElement('span'); probe.style.color = 'var(--accent)';"
                         " document.body.append(probe); const colour = getComputedStyle(probe).color;"
                         " probe.remove(); return colour; }")


def landed(page) -> dict:
    """The :target's outline, and whether its four corners are inside the window and not covered."""
    return page.evaluate("""() => {
      const target = document.querySelector(':target'), box = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      const corners = [[box.left + 4, box.top + 4], [box.right - 4, box.top + 4],
                       [box.left + 4, box.bottom - 4], [box.right - 4, box.bottom - 4]];
      return { id: target.id, top: box.top, bottom: box.bottom, outline: style.outlineStyle, colour: style.outlineColor,
               animation: style.animationName,
               uncovered: corners.map(([x, y]) => target.contains(document.elementFromPoint(x, y))) };
    }""")


def test_a_card_landed_on_is_highlighted_and_fully_in_view(watched: Watched, site: Path) -> None:
    viewport = {"width": 1440, "height": 900}
    journey = check_map(EXAMPLE).journey
    last_stage = journey.stages[-1]  # the right-most column: the map scrolls sideways to it, past the lane labels
    target = last_stage.touchpoints[-1]
    page = watched.page
    page.set_viewport_size(viewport)
    page.goto((site / "index.html").as_uri() + f"#card-{target.id}")
    where = landed(page)
    assert where["id"] == f"card-{target.id}"
    assert where["outline"] == "solid" and where["colour"] == accent(page)
    assert where["top"] >= 0 and where["bottom"] <= viewport["height"]
    assert all(where["uncovered"]), where
    other = page.locator(f"#card-{journey.stages[0].touchpoints[0].id}")
    assert other.evaluate("card => getComputedStyle(card).outlineStyle") == "none"
    assert watched.errors == []


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}])
def test_a_touchpoint_found_lands_on_its_stage_page_highlighted(watched: Watched, site: Path, viewport: dict) -> None:
    journey = check_map(EXAMPLE).journey
    stage = max(journey.stages, key=lambda s: len(s.touchpoints))
    target = stage.touchpoints[-1]  # the lowest on its page: the page must scroll to it
    page = watched.page
    page.set_viewport_size(viewport)
    page.emulate_media(reduced_motion="reduce")
    page.goto((site / "index.html").as_uri())
    search(page, target.name)
    page.locator("#search-input").press("Enter")  # an exact title is the first result
    page.wait_for_url(f"**/stages/{stage.id}.html#tp-{target.id}")
    where = landed(page)
    assert where["id"] == f"tp-{target.id}" and where["outline"] == "solid" and where["animation"] == "none"
    assert where["top"] >= 0 and where["bottom"] <= viewport["height"] and all(where["uncovered"]), where
    assert page.evaluate("window.scrollY") > 0
    assert watched.errors == []


def visible_owners(page) -> list[str]:
    return page.locator(".journey-map .card:visible").evaluate_all("cards => cards.map(c => c.dataset.owner)")


def test_the_filters_are_kept_in_the_address_and_applied_from_it(watched: Watched, site: Path) -> None:
    journey = check_map(EXAMPLE).journey
    owned = [t for t in journey.touchpoints if t.owner == "account-executives"]
    page = watched.page
    page.goto((site / "index.html").as_uri() + "?owner=account-executives")
    assert page.input_value("#filters select[name=owner]") == "account-executives"
    assert visible_owners(page) == ["account-executives"] * len(owned)
    page.select_option("#filters select[name=owner]", "sdr")
    page.select_option("#filters select[name=intent]", "high")
    assert page.evaluate("location.search") == "?owner=sdr&intent=high"
    page.check("#filters input[name=no-sla]")
    assert page.evaluate("location.search") == "?owner=sdr&intent=high&no-sla=yes"
    shared = page.url
    page.select_option("#filters select[name=owner]", "")
    assert page.evaluate("location.search") == "?intent=high&no-sla=yes"
    page.goto(shared)  # the link someone shared: the same view
    expected = [t.id for t in journey.touchpoints if t.owner == "sdr" and t.needs_sla]
    assert page.input_value("#filters select[name=intent]") == "high"
    assert page.is_checked("#filters input[name=no-sla]")
    assert page.locator(".journey-map .card:visible").evaluate_all("cards => cards.map(c => c.id)") == [
        f"card-{i}" for i in expected]
    assert watched.errors == []


def test_a_hostile_address_changes_nothing(watched: Watched, site: Path) -> None:
    dialogs: list[str] = []
    page = watched.page
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    query = {"owner": HOSTILE, "intent": '"><script>alert(2)</script>', "no-sla": "<b>yes</b>",
             "view": "javascript:alert(3)", "initiator": "constructor"}
    page.goto((site / "index.html").as_uri())
    clean = page.locator("main").evaluate("main => main.outerHTML")
    page.goto((site / "index.html").as_uri() + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert page.locator("main").evaluate("main => main.outerHTML") == clean
    cards = page.locator(".journey-map .card").count()
    assert page.locator(".journey-map .card:visible").count() == cards == 37
    for name in ("owner", "intent", "initiator"):
        assert page.input_value(f"#filters select[name={name}]") == ""
    assert not page.is_checked("#filters input[name=no-sla]")
    assert f"{cards} of {cards} touchpoints shown" in page.locator("#filter-count").inner_text()
    page.fill("#search-input", HOSTILE)  # typed, not only addressed: text, never markup
    expect(page.locator("#search-status")).to_have_text("Nothing found")  # waits without eval (the CSP forbids it)
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == [] and watched.errors == []


DETAIL_BUTTON = """
new MutationObserver((changes, observer) => {
  const scroll = document.querySelector('.map-scroll');
  if (!scroll || document.getElementById('map-detail')) return;
  const button = document.createElement('button');
  button.id = 'map-detail'; button.type = 'button'; button.textContent = 'Details';
  button.setAttribute('aria-pressed', 'false');
  scroll.before(button);
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def test_the_overview_detail_toggle_is_kept_in_the_address(watched: Watched, site: Path) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())  # the toggle acts only where the button is
    assert page.locator(".journey-map.is-detailed").count() == 0
    page.add_init_script(DETAIL_BUTTON)  # the button as the map page's template puts it
    page.goto((site / "index.html").as_uri())
    button = page.locator("#map-detail")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator(".journey-map.is-detailed").count() == 1
    assert page.evaluate("location.search") == "?view=detail"
    page.select_option("#filters select[name=owner]", "sdr")
    assert page.evaluate("location.search") == "?view=detail&owner=sdr"
    page.reload()
    assert button.get_attribute("aria-pressed") == "true" and page.locator(".journey-map.is-detailed").count() == 1
    button.click()
    assert page.evaluate("location.search") == "?owner=sdr"
    assert page.locator(".journey-map.is-detailed").count() == 0
    assert watched.errors == []


LAYOUT_SHIFT = """() => {
  const observer = new PerformanceObserver(() => {});
  observer.observe({type: 'layout-shift', buffered: true});  // the buffered shifts, taken at once: no waiting
  return observer.takeRecords().filter(e => !e.hadRecentInput).map(e => [e.value, e.sources.map(s => s.node &&
    (s.node.id || s.node.className || s.node.nodeName)).join(' ')]);
}"""
#: what the page may shift in all: a hundredth of Lighthouse's "good" 0.1. A page painted while it is still
#: being parsed (a busy machine) can move a badge by a pixel as its text arrives; a bar revealed by the
#: script, the shift this guards against, moves everything under it (0.07 to 0.5 when it did)
MOST_SHIFT = 0.01


@pytest.mark.parametrize("page_path", ["stages/evaluation.html", "owners/index.html", "index.html"])
def test_the_search_box_and_filter_bar_do_not_shift_the_page(watched: Watched, site: Path, page_path: str) -> None:
    page = watched.page
    page.goto((site / page_path).as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert page.locator("form.search").is_visible()
    shifts = page.evaluate(LAYOUT_SHIFT)
    assert sum(value for value, _ in shifts) < MOST_SHIFT, shifts
    assert watched.errors == []
