"""`review_change`: everything `diff` prints from, read from a real git repository's objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.findings import Location
from journeymap.core.load import MapNotFound
from journeymap.review.revisions import RevisionProblem, review_change

from ..conftest import CLEAN_MAP
from ..gitrepo import commit_all, committed_map, edit, git

REPO_URL = "https://github.com/acme/journeys/"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_map(tmp_path / "repo", CLEAN_MAP)


def test_two_commits_are_compared_with_their_labels_and_links_to_each_side(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    edit(repo / "journey/stages/spark.yaml", "    name: Sees an ad\n", "    name: Sees a retargeting ad\n")
    head = commit_all(repo, "rename the ad")
    reviewed = review_change(repo / "journey", base, head, REPO_URL)
    assert reviewed.diff.labels == {"base": base[:7], "head": head[:7]}
    assert [(c.kind, c.subject, c.action) for c in reviewed.diff.changes] == [("touchpoint", "ad", "changed")]
    assert reviewed.diff.templates is None
    where = Location("stages/spark.yaml", 3)
    assert reviewed.link(where, False) == f"https://github.com/acme/journeys/blob/{head}/journey/stages/spark.yaml#L3"
    assert reviewed.link(where, True) == f"https://github.com/acme/journeys/blob/{base}/journey/stages/spark.yaml#L3"


def test_without_a_head_the_working_tree_is_the_head_and_a_branch_name_stays_as_given(repo: Path) -> None:
    edit(repo / "journey/stages/spark.yaml", "    value: 1000\n", "    value: 2000\n")  # not committed
    reviewed = review_change(repo / "journey", "main", None, None)
    assert reviewed.diff.labels == {"base": "main", "head": "working tree"}
    assert [change.new for change in reviewed.diff.conversions] == [0.05]
    assert reviewed.link(Location("stages/spark.yaml", 1), False) is None  # no repo_url in the map, none given


def test_a_head_without_the_map_and_an_unknown_revision_are_problems_the_person_can_fix(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "rm", "-r", "-q", "journey")
    head = commit_all(repo, "no map")
    with pytest.raises(MapNotFound, match=r"^no map at journey in `HEAD`: give the folder"):
        review_change(repo / "journey", base, "HEAD", None)
    with pytest.raises(RevisionProblem, match="unknown revision `nowhere`"):
        review_change(repo / "journey", "nowhere", head, None)
