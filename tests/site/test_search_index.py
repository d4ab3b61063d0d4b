"""The search index's keywords: what people call an item without saying its name, its id and, for a
team, the initials of its name, so "sdr" finds Sales Development. Expected values come from the YAML."""

from __future__ import annotations

import pytest
import yaml

from journeymap.core.check import check_map
from journeymap.core.model import Journey
from journeymap.site import links
from journeymap.site.search import entries, initials, portfolio_entries

from ..conftest import EXAMPLE


@pytest.fixture(scope="module")
def journey() -> Journey:
    return check_map(EXAMPLE).journey


def by_url(journey: Journey) -> dict[str, dict[str, str]]:
    return {entry["url"]: entry for entry in entries(journey)}


@pytest.mark.parametrize(("name", "expected"), [
    ("Sales Development", "sd"), ("Customer Success Management", "csm"), ("Account Executives", "ae"),
    ("Sales & Marketing", "sm"), ("Onboarding", ""), ("", ""), ("Équipe Vente", "év")])
def test_initials_are_the_first_letters_of_a_name_of_two_words_or_more(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_every_team_is_found_by_its_id_and_the_initials_of_its_name(journey: Journey) -> None:
    owners = yaml.safe_load((EXAMPLE / "owners.yaml").read_text())["owners"]
    found = by_url(journey)
    for owner in owners:
        keywords = found[f"owners/{owner['id']}.html"]["keywords"].split()
        assert owner["id"] in keywords, owner
    assert found["owners/sdr.html"]["title"] == "Sales Development"
    assert found["owners/sdr.html"]["keywords"].split() == ["sdr", "sd"]
    assert found["owners/customer-success.html"]["keywords"].split() == ["customer-success", "csm"]
    assert found["owners/onboarding.html"]["keywords"].split() == ["onboarding"]  # one word: no initial


def test_stages_touchpoints_briefs_experiments_and_evidence_are_found_by_their_ids(journey: Journey) -> None:
    found = by_url(journey)
    stage_ids = yaml.safe_load((EXAMPLE / "journey.yaml").read_text())["stages"]
    for stage_id in stage_ids:
        assert found[f"stages/{stage_id}.html"]["keywords"] == stage_id
        stage = yaml.safe_load((EXAMPLE / "stages" / f"{stage_id}.yaml").read_text())
        for touchpoint in stage.get("touchpoints", []):
            assert found[f"stages/{stage_id}.html#tp-{touchpoint['id']}"]["keywords"] == touchpoint["id"]
    for folder, suffix in (("briefs", ".md"), ("experiments", ".yaml"), ("evidence", ".md")):
        files = sorted((EXAMPLE / folder).glob(f"*{suffix}"))
        assert files
        for path in files:
            assert found[f"{folder}/{path.stem}.html"]["keywords"] == path.stem


def test_an_experiments_result_is_searched_so_sla_finds_the_speed_to_lead_test(journey: Journey) -> None:
    result = yaml.safe_load((EXAMPLE / "experiments/speed-to-lead.yaml").read_text())["result"]
    assert "SLA" in result
    assert "SLA" in by_url(journey)["experiments/speed-to-lead.html"]["text"]


def test_a_touchpoint_lands_on_its_stage_page_where_it_is_shown_in_full(journey: Journey) -> None:
    touchpoints = [e for e in entries(journey) if e["kind"] == "touchpoint"]
    assert len(touchpoints) == len(journey.touchpoints)
    assert {e["url"] for e in touchpoints} == {links.touchpoint(t) for t in journey.touchpoints}
    assert all("#tp-" in e["url"] and e["url"].startswith("stages/") for e in touchpoints)


def test_a_portfolio_keeps_every_entrys_keywords_and_its_teams_are_found_by_id(journey: Journey) -> None:
    sdr = journey.owner("sdr")
    assert sdr is not None
    portfolio = portfolio_entries([journey], [(sdr, "teams/sdr.html")])
    team = next(e for e in portfolio if e["url"] == "teams/sdr.html")
    assert team["keywords"].split() == ["sdr", "sd"]
    assert {e["keywords"] for e in portfolio if e["kind"] != "journey"} >= {e["keywords"] for e in entries(journey)}
