"""The GitHub Action and the example workflow: valid for GitHub, and the action's script run for real.

The script runs against a real git repository with two commits, with the `GITHUB_*`
variables set as Actions sets them, in its two phases as action.yml runs them (review
without the token, then comment with it); GitHub's REST API is a recording server on
127.0.0.1, so the comment it posts (and later edits) can be read back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from journeymap.review.diff_report import COMMENT_MARKER

from ..conftest import ROOT
from ..gitrepo import git
from .test_diff import _review_change, repo  # noqa: F401  (the fixture: a map repository)

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "journeymap/authoring/scaffold/.github/workflows/journey.yml"  # what `journeymap init` writes


@pytest.mark.parametrize("path, schema", [(ACTION, "vendor.github-actions"),
                                          (WORKFLOW, "vendor.github-workflows")])
def test_action_and_workflow_pass_githubs_schemas(path: Path, schema: str) -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_input_of_the_action_reaches_a_step() -> None:
    action = yaml.safe_load(ACTION.read_text())
    steps = yaml.safe_dump(action["runs"]["steps"])
    for name in action["inputs"]:
        assert f"inputs.{name}" in steps, name
    assert "python -m journeymap.cli.github_action review" in steps
    assert "python -m journeymap.cli.github_action comment" in steps


def test_the_example_workflow_uses_this_action_and_publishes_to_pages() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert sum(u.startswith("journeymap/journeymap@") for u in uses) == 2
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["jobs"]["review"]["steps"][0]["with"]["fetch-depth"] == 0


ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
PERSON = {"login": "pat", "id": 5, "type": "User"}


class _GitHubApi(BaseHTTPRequestHandler):
    """Just enough of GitHub's API to list, create and edit issue comments, and to answer `GET /user`.

    `account` is whom the token belongs to: None for GITHUB_TOKEN, an installation token, which
    `GET /user` answers 403 and whose comments are written by github-actions[bot].
    """

    comments: list[dict] = []
    requests: list[tuple[str, str, dict | None]] = []
    account: dict | None = None

    def _reply(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _payload(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(("GET", self.path, None))
        if self.path == "/user":
            if self.account is None:
                self._reply(403, {"message": "Resource not accessible by integration"})
            else:
                self._reply(200, self.account)
        else:
            self._reply(200, self.comments)

    def do_POST(self) -> None:  # noqa: N802
        payload = self._payload()
        self.requests.append(("POST", self.path, payload))
        self.comments.append({"id": 100 + len(self.comments), "body": payload["body"],
                              "user": self.account or ACTIONS_BOT})
        self._reply(201, self.comments[-1])

    def do_PATCH(self) -> None:  # noqa: N802
        payload = self._payload()
        self.requests.append(("PATCH", self.path, payload))
        comment_id = int(self.path.rsplit("/", 1)[1])
        next(c for c in self.comments if c["id"] == comment_id)["body"] = payload["body"]
        self._reply(200, {"id": comment_id})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def github_api() -> Iterator[str]:
    _GitHubApi.comments, _GitHubApi.requests = [{"id": 7, "body": "LGTM, from a person", "user": PERSON}], []
    _GitHubApi.account = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitHubApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _run_action(repository: Path, tmp_path: Path, api: str, event_name: str, event: dict) -> tuple[int, str, Path]:
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    (runner / "event.json").write_text(json.dumps(event))
    for name in ("summary.md", "output.txt"):
        (runner / name).unlink(missing_ok=True)
    env = {**_without_token(os.environ), "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event_name,
           "GITHUB_EVENT_PATH": str(runner / "event.json"), "GITHUB_REPOSITORY": "acme/journey",
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_API_URL": api,
           "GITHUB_SHA": git(repository, "rev-parse", "HEAD"), "GITHUB_WORKSPACE": str(repository),
           "GITHUB_STEP_SUMMARY": str(runner / "summary.md"), "GITHUB_OUTPUT": str(runner / "output.txt"),
           "RUNNER_TEMP": str(runner)}
    reviewed = run_phase("review", repository, {**env, "JOURNEYMAP_PATH": "journey", "JOURNEYMAP_STRICT": "false"})
    comment_file = outputs(runner).get("comment-file", "")
    if comment_file:  # action.yml's `if:` on the posting step
        posted = run_phase("comment", repository, {**env, "JOURNEYMAP_COMMENT": "true",
                                                   "JOURNEYMAP_COMMENT_FILE": comment_file,
                                                   "GITHUB_TOKEN": "test-token"})
        assert posted.returncode == 0, posted.stdout + posted.stderr
    return reviewed.returncode, reviewed.stdout, runner


def run_phase(phase: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """One step of action.yml: `python -m journeymap.cli.github_action PHASE` with that step's environment."""
    return subprocess.run([sys.executable, "-m", "journeymap.cli.github_action", phase], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _without_token(env: os._Environ[str] | dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if name not in ("GITHUB_TOKEN", "GH_TOKEN")}


def outputs(runner: Path) -> dict[str, str]:
    """The step outputs the phases wrote to $GITHUB_OUTPUT."""
    path = runner / "output.txt"
    lines = path.read_text().splitlines() if path.is_file() else []
    return dict(line.split("=", 1) for line in lines)


def _pull_request(repository: Path) -> dict:
    return {"pull_request": {"number": 42, "base": {"sha": git(repository, "rev-parse", "HEAD~1")},
                             "head": {"sha": git(repository, "rev-parse", "HEAD")}}}


def test_on_a_pull_request_it_annotates_reviews_comments_once_and_builds(repo: Path, tmp_path: Path,  # noqa: F811
                                                                          github_api: str) -> None:
    _review_change(repo)
    status, stdout, runner = _run_action(repo, tmp_path, github_api, "pull_request", _pull_request(repo))
    assert status == 0, stdout  # two new warnings, no error
    assert "::warning file=journey/stages/adopt.yaml,line=" in stdout  # annotations from the repository root
    base, head = git(repo, "rev-parse", "HEAD~1"), git(repo, "rev-parse", "HEAD")
    expected = subprocess.run([sys.executable, "-m", "journeymap", "diff", "journey", "--base", base,
                               "--head", head, "--format", "markdown", "--repo-url",
                               "https://github.com/acme/journey"], cwd=repo, capture_output=True, text=True).stdout
    summary = (runner / "summary.md").read_text()
    assert expected in summary and "0 errors, 2 warnings" in summary
    assert f"### journeymap: `{base[:7]}` → `{head[:7]}`" in expected
    posted = [r for r in _GitHubApi.requests if r[0] == "POST"]
    assert [(r[1], r[2]["body"]) for r in posted] == [("/repos/acme/journey/issues/42/comments", expected)]
    written = outputs(runner)
    assert Path(written["comment-file"]).read_text() == expected
    assert (Path(written["site"]) / "index.html").is_file()

    # a later push edits the same comment instead of adding one
    (repo / "journey/stages/adopt.yaml").write_text((repo / "journey/stages/adopt.yaml").read_text()
                                                     + "    response_sla_hours: 2\n")
    git(repo, "commit", "-qam", "SLA for the demo")
    status, _, _ = _run_action(repo, tmp_path, github_api, "pull_request", _pull_request(repo))
    patched = [r for r in _GitHubApi.requests if r[0] == "PATCH"]
    assert status == 0 and len(patched) == 1 and patched[0][1] == "/repos/acme/journey/issues/comments/101"
    assert len(_GitHubApi.comments) == 2 and COMMENT_MARKER in _GitHubApi.comments[1]["body"]
    assert "1 touchpoint changed" in _GitHubApi.comments[1]["body"]  # the SLA was added: diff of the last commit


def test_on_a_push_it_checks_and_builds_without_reviewing(repo: Path, tmp_path: Path,  # noqa: F811
                                                          github_api: str) -> None:
    status, stdout, runner = _run_action(repo, tmp_path, github_api, "push", {"ref": "refs/heads/main"})
    assert status == 0
    assert _GitHubApi.requests == [] and "comment-file" not in (runner / "output.txt").read_text()
    assert "0 errors, 0 warnings" in (runner / "summary.md").read_text()


def test_a_map_with_errors_fails_the_step_after_annotating_it(repo: Path, tmp_path: Path,  # noqa: F811
                                                              github_api: str) -> None:
    adopt = repo / "journey/stages/adopt.yaml"
    adopt.write_text(adopt.read_text().replace("    owner: cs\n", "    owner: nobody\n", 1))
    git(repo, "commit", "-qam", "unknown owner")
    status, stdout, runner = _run_action(repo, tmp_path, github_api, "pull_request", _pull_request(repo))
    assert status == 1
    assert "::error file=journey/stages/adopt.yaml" in stdout and "title=unknown-owner" in stdout
    assert "new error" in _GitHubApi.comments[-1]["body"]
    assert "site=" in (runner / "output.txt").read_text()  # the preview is still built, gaps page and all


def test_the_review_shows_only_what_the_pull_request_changed(repo: Path, tmp_path: Path,  # noqa: F811
                                                             github_api: str) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    _review_change(repo)
    git(repo, "checkout", "-q", "main")  # main moves on after the branch was cut
    journey = repo / "journey/journey.yaml"
    journey.write_text(journey.read_text().replace("title: Tiny journey", "title: Tiny journey, renamed on main"))
    git(repo, "commit", "-qam", "main moves on")
    event = {"pull_request": {"number": 42, "base": {"sha": git(repo, "rev-parse", "main")},
                              "head": {"sha": git(repo, "rev-parse", "feature")}}}
    git(repo, "checkout", "-q", "feature")
    status, _, runner = _run_action(repo, tmp_path, github_api, "pull_request", event)
    comment = Path(outputs(runner)["comment-file"]).read_text()
    assert status == 0 and "1 touchpoint changed, 1 added" in comment
    assert "renamed on main" not in comment and "title" not in comment
