"""Issue 18 for the GitHub Action: a hostile pull request must not own the review comment.

Its author writes the map (names, values, file names) and can post comments of their own. What they
wrote reaches the bot's comment only as text: rendered with a Markdown parser, it makes no link, image,
HTML element, emphasis or mention, and never the hidden marker the Action finds its comment by.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from journeymap.review.diff_report import COMMENT_MARKER

from ..conftest import ROOT, run_cli
from ..gitrepo import commit_all, edit
from ..review.test_diff import _review_change, repo  # noqa: F401  (the fixture: a map repository)
from ..review.test_github_action import (
    ACTION,
    ACTIONS_BOT,
    PERSON,
    WORKFLOW,
    _GitHubApi,
    _pull_request,
    _run_action,
    github_api,  # noqa: F401  (the fixture: the recording API server)
    outputs,
    run_phase,
)

REPO_URL = "https://github.com/acme/journey"
# each under the 80 characters a value is cut at, so every byte of it reaches the comment
LINKS = "**bold** [click](https://evil.example) ![i](https://evil.example/x.png)"
HTML = "<b>html</b> <img src=x> @octocat #1 ~~strike~~ _em_ www.evil.example"
MARKER = f"{COMMENT_MARKER} \u202eevil\u200f https://evil.example"
FILE_NAME = f"x) **b** [f](https:evil.example) @octocat <i> {COMMENT_MARKER}.yaml"


class _Rendered(HTMLParser):
    """The elements of rendered HTML, and its text outside code spans (where GitHub links and mentions)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.prose: list[str] = []
        self.text: list[str] = []
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if tag == "a" and name == "href"]
        self._in_code += tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self._in_code -= tag == "code"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not self._in_code:
            self.prose.append(data)


def _hostile_review(repo: Path) -> str:  # noqa: F811
    adopt = repo / "journey/stages/adopt.yaml"
    edit(adopt, "    name: Welcome call\n    owner: cs\n",  # a stray backtick: the owner's message is all text
         f"    name: '{LINKS}'\n    owner: '`{HTML}'\n")
    edit(adopt, "name: Adopt\n", f"name: '{MARKER}'\n")
    (repo / "journey/stages/spark.yaml").rename(repo / "journey/stages" / FILE_NAME)
    commit_all(repo, "a hostile pull request")
    result = run_cli("diff", "journey", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown",
                     "--repo-url", REPO_URL, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_map_text_in_the_review_comment_renders_as_text_only(repo: Path) -> None:  # noqa: F811
    comment = _hostile_review(repo)
    rendered = _Rendered()
    rendered.feed(markdown.markdown(comment, extensions=["tables"]))
    assert set(rendered.tags) <= {"h3", "h4", "p", "strong", "table", "thead", "tbody", "tr", "th", "td",
                                  "code", "a"}, rendered.tags  # no img, em, b, i, del, script
    assert rendered.tags.count("strong") == 1  # the summary line, nothing the payload emphasised
    assert rendered.hrefs and all(href.startswith(f"{REPO_URL}/blob/") for href in rendered.hrefs)
    text = "".join(rendered.text).replace("\u200b", "")
    for payload in (LINKS, HTML, FILE_NAME, "https://evil.example"):
        assert payload in text  # shown exactly as written, nothing lost to the escaping
    prose = "".join(rendered.prose)
    for autolinked in ("@octocat", "#1", "://", "www."):  # GitHub links these in text outside code
        assert autolinked not in prose, autolinked


def test_map_text_can_neither_forge_the_marker_nor_hide_behind_bidi_controls(repo: Path) -> None:  # noqa: F811
    comment = _hostile_review(repo)
    assert comment.startswith(COMMENT_MARKER + "\n") and comment.count(COMMENT_MARKER) == 1
    assert "<!--" not in comment[len(COMMENT_MARKER):]
    assert not {"\u202e", "\u200f"} & set(comment)
    assert "journeymap-diff" in comment[len(COMMENT_MARKER):]  # the payloads are there, defused


# ---- whose comment the Action edits ----

FORGED = {"id": 8, "body": f"{COMMENT_MARKER}\nall good, merge it", "user": PERSON}


def _edited_and_posted() -> tuple[list[str], list[str]]:
    return ([path for method, path, _ in _GitHubApi.requests if method == "PATCH"],
            [path for method, path, _ in _GitHubApi.requests if method == "POST"])


def test_a_forged_marker_comment_is_left_alone_and_the_bots_own_is_updated(repo: Path, tmp_path: Path,  # noqa: F811
                                                                          github_api: str) -> None:  # noqa: F811
    _review_change(repo)
    own = {"id": 9, "body": f"{COMMENT_MARKER}\nan earlier review", "user": ACTIONS_BOT}
    _GitHubApi.comments += [FORGED, own]
    status, _, _ = _run_action(repo, tmp_path, github_api, "pull_request", _pull_request(repo))
    assert status == 0
    assert _edited_and_posted() == (["/repos/acme/journey/issues/comments/9"], [])
    assert FORGED["body"] == f"{COMMENT_MARKER}\nall good, merge it"  # the author's comment, untouched
    assert "1 touchpoint changed" in own["body"]


def test_when_only_forged_marker_comments_exist_the_action_posts_its_own(repo: Path, tmp_path: Path,  # noqa: F811
                                                                        github_api: str) -> None:  # noqa: F811
    _review_change(repo)
    impostor = {"id": 10, "body": f"{COMMENT_MARKER}\nlooks fine",  # a name like the bot's, but a person
                "user": {"login": "github-actions-bot", "id": 77, "type": "User"}}
    _GitHubApi.comments += [FORGED, impostor]
    status, _, _ = _run_action(repo, tmp_path, github_api, "pull_request", _pull_request(repo))
    assert status == 0
    assert _edited_and_posted() == ([], ["/repos/acme/journey/issues/42/comments"])
    assert _GitHubApi.comments[-1]["user"] == ACTIONS_BOT and "1 touchpoint changed" in _GitHubApi.comments[-1]["body"]
    assert FORGED["body"].endswith("merge it") and impostor["body"].endswith("looks fine")


def test_with_a_personal_token_the_comment_of_its_account_is_updated(repo: Path, tmp_path: Path,  # noqa: F811
                                                                     github_api: str) -> None:  # noqa: F811
    _review_change(repo)
    robot = {"login": "acme-ci", "id": 31, "type": "User"}
    _GitHubApi.account = robot  # GET /user names the token's account
    bots = {"id": 11, "body": f"{COMMENT_MARKER}\nby another workflow's token", "user": ACTIONS_BOT}
    mine = {"id": 12, "body": f"{COMMENT_MARKER}\nan earlier review", "user": robot}
    _GitHubApi.comments += [FORGED, bots, mine]
    status, _, _ = _run_action(repo, tmp_path, github_api, "pull_request", _pull_request(repo))
    assert status == 0 and _edited_and_posted() == (["/repos/acme/journey/issues/comments/12"], [])
    assert bots["body"].endswith("another workflow's token")


# ---- the token reaches only the step that posts ----


def test_the_review_phase_runs_without_a_token_and_the_comment_phase_posts_only_its_file(
        repo: Path, tmp_path: Path, github_api: str) -> None:  # noqa: F811
    _review_change(repo)
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "event.json").write_text(json.dumps(_pull_request(repo)))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GITHUB_EVENT_NAME": "pull_request",
           "GITHUB_EVENT_PATH": str(runner / "event.json"), "GITHUB_REPOSITORY": "acme/journey",
           "GITHUB_API_URL": github_api, "GITHUB_OUTPUT": str(runner / "output.txt"), "RUNNER_TEMP": str(runner),
           "JOURNEYMAP_PATH": "journey"}  # no GITHUB_TOKEN, as action.yml runs the review step
    reviewed = run_phase("review", repo, env)
    assert reviewed.returncode == 0, reviewed.stderr
    assert _GitHubApi.requests == []  # it never spoke to GitHub
    comment_file = Path(outputs(runner)["comment-file"])
    assert comment_file.read_text().startswith(COMMENT_MARKER) and (runner / "journeymap-site/index.html").is_file()

    comment_file.write_text(f"{COMMENT_MARKER}\nthe file, as the review phase left it\n")
    elsewhere = tmp_path / "no-map-here"  # neither the map nor git: the comment phase reads only the file
    elsewhere.mkdir()
    posted = run_phase("comment", elsewhere, {**env, "GITHUB_TOKEN": "test-token",
                                              "JOURNEYMAP_COMMENT_FILE": str(comment_file)})
    assert posted.returncode == 0, posted.stdout + posted.stderr
    assert [r for r in _GitHubApi.requests if r[0] == "POST"] == [
        ("POST", "/repos/acme/journey/issues/42/comments",
         {"body": f"{COMMENT_MARKER}\nthe file, as the review phase left it\n"})]


def test_only_the_posting_step_of_the_action_is_given_the_token() -> None:
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    holding = [step.get("name") for step in steps if "token" in yaml.safe_dump(step).lower()]
    assert holding == ["Post the review on the pull request"]
    [posting] = [step for step in steps if step.get("name") in holding]
    assert posting["run"] == "python -m journeymap.cli.github_action comment"
    assert posting["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    [reviewing] = [step for step in steps if step.get("id") == "journeymap"]
    assert reviewing["run"] == "python -m journeymap.cli.github_action review"


def test_an_unknown_phase_is_a_one_line_usage_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "journeymap.cli.github_action"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "review" in result.stderr and "comment" in result.stderr


# ---- what the Action and the scaffold run, and what the docs tell users to run ----

SHIPPED = [ACTION, WORKFLOW, ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
           *sorted(path for path in (ROOT / "journeymap/authoring/scaffold").rglob("*") if path.is_file())]
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _uses(path: Path) -> list[str]:
    return [line.split("uses:", 1)[1].strip() for line in path.read_text().splitlines()
            if line.strip().removeprefix("- ").startswith("uses:")]


@pytest.mark.parametrize("path", [ACTION, WORKFLOW], ids=["action.yml", "scaffold workflow"])
def test_every_action_used_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    uses = [use for use in _uses(path) if not use.startswith("journeymap/journeymap@")]
    assert uses and all(PINNED.match(use) for use in uses), uses


def test_users_are_told_to_follow_releases_never_main() -> None:
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        for wrong in ("@main", "rev: main", "@master"):
            assert wrong not in text, (path, wrong)
        for install in re.findall(r"git\+https://github\.com/journeymap/journeymap[^\s`]*", text):
            assert install.endswith("@v1"), (path, install)  # a bare URL installs main
    assert _uses(WORKFLOW).count("journeymap/journeymap@v1 # zizmor: ignore[unpinned-uses] "
                                 "journeymap's release tag, moved on each fix release") == 2
    hooks = yaml.safe_load((ROOT / "journeymap/authoring/scaffold/.pre-commit-config.yaml").read_text())
    assert re.fullmatch(r"v\d+\.\d+\.\d+", hooks["repos"][0]["rev"])  # pre-commit takes a release tag


ZIZMOR = str(Path(sys.executable).with_name("zizmor"))  # the test extras install it beside this Python


def _zizmor(*args: str) -> list[dict]:
    result = subprocess.run([ZIZMOR, "--offline", "--format", "json", *args,
                             str(ACTION), str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def test_zizmor_finds_nothing_in_the_action_or_the_scaffold_workflow() -> None:
    assert _zizmor() == []
    # the only findings ignored are the two `journeymap/journeymap@v1` lines, justified where they are
    ignored = _zizmor("--no-ignores")
    assert [finding["ident"] for finding in ignored] == ["unpinned-uses", "unpinned-uses"]
