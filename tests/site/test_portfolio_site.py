"""A portfolio's own pages: the index of journeys at a glance, team pages across journeys, one search.

The portfolio is written here with numbers chosen so every expected figure can be worked out by hand
from the YAML below; gap counts come from `journeymap check --format json`, not from the site code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .. import sitecheck
from ..conftest import CHROMIUM, run_cli, write_map

HOSTILE = "<script>alert(1)</script>"

JOURNEY = """\
title: {title}
persona: pat
review:
  cadence_days: 90
  last_reviewed: 2026-11-01
stages: [{stages}]
"""


def stage(stage_id: str, days: int, volume: int, volume_target: int | None, health: str,
          touchpoints: str) -> str:
    target = f"\n    target: {volume_target}" if volume_target is not None else ""
    return (f"id: {stage_id}\nname: {stage_id.capitalize()}\njob: Get {stage_id} done\ncycle_time_days: {days}\n"
            f"metrics:\n  volume:\n    name: Accounts\n    value: {volume}{target}\n  health:\n{health}"
            f"touchpoints:\n{touchpoints}")


PORTFOLIO = {
    "owners.yaml": """\
owners:
  - id: mkt
    name: Marketing
    department: Marketing
  - id: sales
    name: Sales
    department: Sales
  - id: cs
    name: Customer Success
    department: Customer Success
  - id: partners
    name: Partnerships
    department: Sales
""",
    "alpha/personas.yaml": "personas:\n  - id: pat\n    name: Pat\n    role: Head of Ops\n",
    "alpha/journey.yaml": JOURNEY.format(title="Alpha journey", stages="visit, trial, buy"),
    # conversions 200/1000 = 20% and 20/200 = 10%; the targets need 300/1000 = 30% and 60/300 = 20%:
    # visit → trial reaches 2/3 of its target, trial → buy 1/2, so trial → buy is the weakest link
    "alpha/stages/visit.yaml": stage("visit", 3, 1000, 1000,
                                     "    name: Return rate\n    value: 0.3\n    target: 0.25\n    unit: ratio\n",
                                     "  - id: ad\n    name: Sees an ad\n    owner: mkt\n    intent: high\n"
                                     "    response_sla_hours: 4\n"),
    "alpha/stages/trial.yaml": stage("trial", 12, 200, 300,
                                     "    name: Activation\n    value: 0.2\n    target: 0.4\n    unit: ratio\n",
                                     "  - id: demo\n    name: Product demo\n    owner: sales\n    intent: high\n"),
    "alpha/stages/buy.yaml": stage("buy", 30, 20, 60, "    name: Win rate\n",  # slowest; health not measured
                                   "  - id: contract\n    name: Contract signed\n    owner: sales\n"
                                   "    intent: medium\n    response_sla_hours: 48\n"),
    "beta/personas.yaml": "personas:\n  - id: pat\n    name: Pat\n    role: Head of Ops\n",
    "beta/journey.yaml": JOURNEY.format(title=HOSTILE, stages="learn, use"),
    # no volume targets: learn → use converts 100/500 = 20%, the only (so the weakest) link; learn is slowest
    "beta/stages/learn.yaml": stage("learn", 5, 500, None,
                                    "    name: Signup share\n    value: 0.1\n    target: 0.05\n    unit: ratio\n",
                                    "  - id: webinar\n    name: Webinar\n    owner: mkt\n    intent: high\n"
                                    "    response_sla_hours: 24\n"),
    "beta/stages/use.yaml": stage("use", 2, 100, None,
                                  "    name: Weekly use\n    value: 0.5\n    unit: ratio\n",
                                  "  - id: onboarding\n    name: Onboarding call\n    owner: cs\n    intent: medium\n"
                                  "  - id: stray\n    name: Stray form\n    owner: nobody\n    intent: low\n"),
    # gamma turns the weakest-link rule off: the index then marks neither its weakest link nor slowest stage
    "gamma/personas.yaml": "personas:\n  - id: pat\n    name: Pat\n    role: Head of Ops\n",
    "gamma/journey.yaml": JOURNEY.format(title="Gamma journey", stages="start, finish")
    + "checks:\n  weakest-link: off\n",
    "gamma/stages/start.yaml": stage("start", 9, 100, None, "    name: Speed\n    value: 1\n",
                                     "  - id: kickoff\n    name: Kickoff\n    owner: cs\n    intent: low\n"),
    "gamma/stages/finish.yaml": stage("finish", 1, 50, None, "    name: Speed\n    value: 1\n",
                                      "  - id: wrapup\n    name: Wrap-up\n    owner: cs\n    intent: low\n"),
}


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_map(tmp_path_factory.mktemp("portfolio") / "journeys", PORTFOLIO)


@pytest.fixture(scope="module")
def site(portfolio: Path) -> Path:
    output = portfolio.parent / "site"
    result = run_cli("build", str(portfolio), "--output", str(output), "--keep-going")
    assert result.returncode == 1, result.stderr  # beta's `owner: nobody` is an error; built anyway
    return output


@pytest.fixture(scope="module")
def findings(portfolio: Path) -> list[dict]:
    result = run_cli("check", str(portfolio), "--format", "json")
    return json.loads(result.stdout)["findings"]


def card(site: Path, slug: str) -> str:
    """One journey's card on the portfolio index."""
    page = (site / "index.html").read_text()
    return page.split(f'id="journey-{slug}"', 1)[1].split("</li>\n  <li class=\"card", 1)[0]


def text(html: str) -> str:
    """What a reader sees: tags dropped, whitespace folded (entities kept, so escaping shows)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_index_shows_each_journeys_weakest_link_and_slowest_stage(site: Path) -> None:
    alpha, beta = card(site, "alpha"), card(site, "beta")
    assert 'href="alpha/stages/buy.html">Trial → Buy converts 10.0%' in alpha
    assert 'href="beta/stages/use.html">Learn → Use converts 20.0%' in beta
    assert "Slowest stage Buy : 30 days (median)" in text(alpha)
    assert 'href="alpha/stages/buy.html">Buy</a>: 30 days' in alpha
    assert "Slowest stage Learn : 5 days (median)" in text(beta)
    gamma = text(card(site, "gamma"))
    assert "Weakest link not shown ( weakest-link is off) Slowest stage not shown ( weakest-link is off)" in gamma


def counted(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def test_index_counts_each_journeys_errors_and_warnings_as_the_check_does(site: Path, findings: list[dict]) -> None:
    """Each card counts its journey's own files; the shared owners.yaml's gaps are counted once, in the lead,
    so the cards add up to the portfolio's total instead of reading as double-counted."""
    for slug in ("alpha", "beta", "gamma"):
        own = [f for f in findings if f["file"].startswith(f"{slug}/")]
        errors = sum(f["severity"] == "error" for f in own)
        warnings = sum(f["severity"] == "warning" for f in own)
        assert errors == (1 if slug == "beta" else 0)  # the unknown owner `nobody`
        assert warnings > 0
        assert f'<a href="{slug}/gaps.html">{counted(errors, "error")}, {counted(warnings, "warning")}</a>' \
            in card(site, slug)
        assert "Gaps in its files" in text(card(site, slug))
    shared = [f for f in findings if "/" not in f["file"] and f["severity"] != "info"]
    assert [f["rule"] for f in shared] == ["idle-owner"]  # partners owns nothing
    lead = text((site / "index.html").read_text().split('class="lead">', 1)[1].split("</p>", 1)[0])
    total_errors = sum(f["severity"] == "error" for f in findings)
    total_warnings = sum(f["severity"] == "warning" for f in findings)
    assert f"Open gaps in all: {counted(total_errors, 'error')} and {counted(total_warnings, 'warning')}" in lead
    assert "1 gap in the shared owners.yaml is counted here only" in lead


def test_index_shows_every_stages_health_against_its_target_in_words(site: Path) -> None:
    health = re.findall(r'<li class="health-(\w+)"><a href="([^"]+)">(\w+)</a>\s*<span class="health-status">'
                        r'(?:<svg.*?</svg>)?\s*([^<]+)</span>', card(site, "alpha"), re.S)
    assert [(state, href, name, status.strip()) for state, href, name, status in health] == [
        ("on", "alpha/stages/visit.html", "Visit", "on target"),  # 30% against 25%
        ("off", "alpha/stages/trial.html", "Trial", "below target"),  # 20% against 40%
        ("missing", "alpha/stages/buy.html", "Buy", "not measured")]  # a name, no value
    beta = text(card(site, "beta"))
    assert "Learn on target Signup share 10% (target 5%)" in beta and "Use no target Weekly use 50%" in beta


def test_team_pages_list_what_each_team_owns_in_every_journey_with_its_slas(site: Path) -> None:
    index = (site / "teams/index.html").read_text()
    for team in ("mkt", "sales", "cs"):
        assert f'href="../teams/{team}.html"' in index
    assert 'href="teams/index.html"' in (site / "index.html").read_text()
    marketing = text((site / "teams/mkt.html").read_text())
    assert "Visit Sees an ad high 4 h" in marketing and "Learn Webinar high 24 h" in marketing
    mkt_html = (site / "teams/mkt.html").read_text()
    assert 'href="../alpha/stages/visit.html#tp-ad"' in mkt_html
    assert 'href="../beta/stages/learn.html#tp-webinar"' in mkt_html
    sales = text((site / "teams/sales.html").read_text())
    assert "Trial Product demo high none (high intent)" in sales and "Buy Contract signed medium 48 h" in sales
    assert 'href="../beta/' not in (site / "teams/sales.html").read_text()  # sales owns nothing in beta
    success = (site / "teams/cs.html").read_text()
    assert "Onboarding call" in success and "Sees an ad" not in success


def test_a_team_page_shows_the_gaps_about_its_touchpoints_by_journey(site: Path, findings: list[dict]) -> None:
    def where(f: dict) -> str:  # the file and line, as the page names them beside the rule's tag
        return f"{f['file']}:{f['line']}</span>"

    no_sla = [f for f in findings if f["rule"] == "high-intent-no-sla"]
    assert [f["file"] for f in no_sla] == ["alpha/stages/trial.yaml"]  # the demo: high intent, no SLA
    sales, marketing = (site / "teams/sales.html").read_text(), (site / "teams/mkt.html").read_text()
    assert where(no_sla[0]) in sales and "high-intent-no-sla" in sales
    assert where(no_sla[0]) not in marketing
    unknown = [f for f in findings if f["rule"] == "unknown-owner"]
    assert unknown and not any(where(f) in page for f in unknown for page in (sales, marketing))


def test_a_gap_in_the_shared_owners_file_shows_once_on_its_teams_page(site: Path, findings: list[dict]) -> None:
    idle = [f for f in findings if f["rule"] == "idle-owner"]
    assert [(f["file"], "partners" in f["message"]) for f in idle] == [("owners.yaml", True)]  # owns nothing
    page = (site / "teams/partners.html").read_text()
    assert page.count("idle-owner") == 1 and "This team owns no touchpoint in any journey." in page
    row = (site / "teams/index.html").read_text().split('href="../teams/partners.html"', 1)[1].split("</tr>")[0]
    assert text(row).endswith("0 of 3 0 1")  # journeys, touchpoints, gaps


def test_every_link_of_the_portfolio_resolves(site: Path) -> None:
    assert sitecheck.problems(site) == []
    assert sitecheck.miscounted(site) == []  # "1 error", never "1 errors"
    for page in ("index.html", "teams/index.html", "teams/mkt.html"):
        assert 'http-equiv="Content-Security-Policy"' in (site / page).read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", (site / page).read_text())  # no inline script


def search_entries(site: Path) -> list[dict]:
    script = (site / "assets/search-index.js").read_text()
    assert script.startswith("window.JOURNEYMAP_SEARCH = ")
    return json.loads(script.removeprefix("window.JOURNEYMAP_SEARCH = ").rstrip().removesuffix(";"))


def test_the_portfolio_search_covers_every_journey_with_urls_that_exist(site: Path) -> None:
    entries = search_entries(site)
    for entry in entries:
        assert (site / entry["url"].split("#")[0]).is_file(), entry
    by_title = {e["title"]: e for e in entries}
    assert by_title["Sees an ad (Alpha journey)"]["url"] == "alpha/stages/visit.html#tp-ad"
    assert by_title[f"Webinar ({HOSTILE})"]["url"] == "beta/stages/learn.html#tp-webinar"
    assert {e["url"].split("/")[0] for e in entries} == {"alpha", "beta", "gamma", "teams"}
    assert by_title["Marketing (all journeys)"]["url"] == "teams/mkt.html"
    for html in ("index.html", "teams/index.html", "teams/sales.html"):  # the script that loads the index on a search
        text = (site / html).read_text()
        scripts = re.findall(r'<script src="([^"]+)"', text)
        assert [(site / html).parent.joinpath(s).resolve() for s in scripts] == [
            (site / "assets/early.js").resolve(), (site / "assets/journeymap.js").resolve()]
        [root] = re.findall(r'data-root="([^"]*)"', text)
        assert (site / html).parent.joinpath(root, "assets/search-index.js").resolve() == (
            site / "assets/search-index.js").resolve()


def test_text_from_the_map_is_escaped_on_the_portfolio_pages(site: Path) -> None:
    for page in ("index.html", "teams/index.html", "teams/mkt.html"):
        html = (site / page).read_text()
        assert HOSTILE not in html
        if page != "teams/index.html":  # the index of teams names no journey
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</script>" not in (site / "assets/search-index.js").read_text()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}; `make test` installs it")
def test_searching_the_portfolio_leads_into_another_journey(browser, site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((site / "teams/index.html").as_uri())
    page.fill("#search-input", "webinar")
    result = page.locator("#search-results a").first
    assert "Webinar" in result.inner_text()
    result.click()
    page.wait_for_url("**/beta/stages/learn.html#tp-webinar")
    assert page.locator("#tp-webinar").is_visible()
    assert page.title().startswith("Learn")
    context.close()
    assert errors == []
