"""The GitHub Action's script, in two phases: review (check, diff, build) and comment (post the review).

`action.yml` runs `python -m journeymap.cli.github_action review` and then
`python -m journeymap.cli.github_action comment`, with the action's inputs in
`JOURNEYMAP_*` variables and GitHub's own `GITHUB_*` ones. The review phase
reads the pull request's map and never sees the token; the comment phase holds
the token and reads nothing of the map but the comment file the review wrote.
It works the same on a laptop with those variables set, which is how the tests run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from ..core.check import Checked, check_map
from ..core.findings import fails
from ..core.locate import locate_map
from ..review.diff_report import COMMENT_MARKER, as_markdown, escape_markdown
from ..review.report import as_github, escape_workflow_data, summary_line
from ..review.revisions import review_change
from ..util.errors import EXIT_FAILED, EXIT_OK, JourneymapError, as_printed

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
#: who GITHUB_TOKEN writes as: an installation token has no `GET /user`, so it is known by name
ACTIONS_BOT = {"login": "github-actions[bot]", "type": "Bot"}
PHASES = ("review", "comment")


def main(argv: list[str]) -> int:
    phase = argv[1] if len(argv) == 2 else ""
    if phase == "review":
        return review()
    if phase == "comment":
        return comment()
    print(f"usage: python -m journeymap.cli.github_action {'|'.join(PHASES)}: review (check, diff, build; "
          "no token) and then comment (post the review; the token)", file=sys.stderr)
    return 2


def review() -> int:
    """Check, review and build the pull request's map: the phase that reads what its author wrote.

    It runs without the token (action.yml gives it none), so nothing a map makes journeymap do can use it;
    the review goes to the comment file for the comment phase to post.
    """
    env = os.environ
    map_path = env.get("JOURNEYMAP_PATH") or "journey"
    strict = _flag("JOURNEYMAP_STRICT")
    try:
        checked = check_map(locate_map(map_path))
    except JourneymapError as error:
        said = as_printed(error)
        print(said, file=sys.stderr)
        _append(env.get("GITHUB_STEP_SUMMARY"), f"### journeymap\n\n{escape_markdown(said.strip())}\n")
        return error.exit_code
    if checked.findings:
        print(as_github(checked.findings, checked.root))  # the annotations, on the pull request's changed lines
    summary = summary_line(checked.findings, checked.root, checked.files_checked)
    print(summary)
    sections = [f"### journeymap check\n\n`{escape_markdown(map_path, code=True)}`: {escape_markdown(summary)}\n"]
    event = _event()
    if env.get("GITHUB_EVENT_NAME") in PULL_REQUEST_EVENTS and event.get("pull_request"):
        comment = _review(map_path, event["pull_request"])
        if comment is not None:
            sections.append(comment)
            _output("comment-file", _write_temp("journeymap-comment.md", comment))
    _append(env.get("GITHUB_STEP_SUMMARY"), "\n".join(sections))
    site = Path(env.get("RUNNER_TEMP") or ".") / "journeymap-site"
    print(_build(checked, site), file=sys.stderr)
    if (site / "index.html").is_file():
        _output("site", str(site))
    return EXIT_FAILED if fails(checked.findings, strict) else EXIT_OK


def _build(checked: Checked, site: Path) -> str:
    """The site, built with the map's gaps page whatever its findings (`build --keep-going`): the line it ends with.

    The Action is a front end like the command line (so it sits beside it, over every layer); the site is
    imported only when a build is asked for, as the commands do."""
    from ..site import build_site
    from ..site.build_report import built_line

    started = time.perf_counter()
    try:
        built = build_site(checked, site)
    except JourneymapError as error:
        return as_printed(error).splitlines()[-1]
    return built_line(built, str(site), time.perf_counter() - started)


def comment() -> int:
    """Post the review phase's comment file on the pull request: the one phase that holds the token.

    It reads the comment file (`JOURNEYMAP_COMMENT_FILE`) and GitHub's event (for the pull request's
    number), nothing of the map, and runs nothing from it. No file (not a pull request, or git could not
    tell the change) or `comment: false` is nothing to post.
    """
    path = os.environ.get("JOURNEYMAP_COMMENT_FILE", "")
    number = _event().get("pull_request", {}).get("number")
    if not (path and number and _flag("JOURNEYMAP_COMMENT", default=True)):
        return 0
    try:
        body = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _warn(f"cannot read the review comment {path} ({error}); the review is in the job summary")
        return 0
    _upsert_comment(int(number), body)
    return 0


def _review(map_path: str, pull_request: dict) -> str | None:
    """The diff of the pull request as a Markdown comment, or None when git cannot tell (a warning says why)."""
    head = pull_request.get("head", {}).get("sha") or os.environ.get("GITHUB_SHA", "")
    base = pull_request.get("base", {}).get("sha", "")
    if not (_have_commit(head) or _fetch(head)):
        head = os.environ.get("GITHUB_SHA", "HEAD")
    if not (_have_commit(base) or _fetch(base)):
        _warn(f"cannot read the base commit {base[:12]}; check out with `fetch-depth: 0` "
              "to review the pull request's changes")
        return None
    fork_point = subprocess.run(["git", "merge-base", base, head], capture_output=True, text=True)
    if fork_point.returncode == 0:  # what the pull request changed, not what main did since it branched
        base = fork_point.stdout.strip()
    repo_url = f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ.get('GITHUB_REPOSITORY')}"
    try:
        reviewed = review_change(locate_map(map_path), base, head, repo_url)
    except JourneymapError as error:
        _warn(as_printed(error).strip())
        return None
    return as_markdown(reviewed.diff, reviewed.link)


def _upsert_comment(number: int, body: str) -> None:
    """One comment per pull request, edited on each push so they do not pile up.

    The comment to edit is the first that the token's own identity wrote and that starts with the
    hidden marker: anyone can post a comment holding the marker, and the Action must neither edit
    theirs nor stay silent because of it.
    """
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if not os.environ.get("GITHUB_TOKEN"):
        _warn("no GITHUB_TOKEN: the review is in the job summary only")
        return
    try:
        is_mine = _token_identity(api)
        existing = None
        page = 1
        while existing is None:
            comments = _api("GET", f"{api}/repos/{repository}/issues/{number}/comments?per_page=100&page={page}")
            existing = next((c for c in comments if is_mine(c.get("user") or {})
                             and (c.get("body") or "").startswith(COMMENT_MARKER)), None)
            if len(comments) < 100:
                break
            page += 1
        if existing is not None:
            _api("PATCH", f"{api}/repos/{repository}/issues/comments/{existing['id']}", {"body": body})
        else:
            _api("POST", f"{api}/repos/{repository}/issues/{number}/comments", {"body": body})
    except (urllib.error.URLError, OSError, ValueError) as error:
        # a pull request from a fork gets a read-only token: the summary still has the review
        _warn(f"could not comment on the pull request ({error}); the review is in the job summary")


def _token_identity(api: str) -> Callable[[dict], bool]:
    """Whether a comment's `user` is whoever the token writes as.

    A personal access token answers `GET /user` with its account (matched by id and login). The
    installation token GITHUB_TOKEN is answered 403 there; it writes as the `github-actions[bot]` user,
    whose login no person can take (GitHub keeps `[bot]` for apps), matched by login and type.
    """
    try:
        me = _api("GET", f"{api}/user")
    except urllib.error.HTTPError as error:
        if error.code != 403:
            raise
        return lambda user: all(user.get(key) == value for key, value in ACTIONS_BOT.items())
    if not isinstance(me, dict) or not me.get("login"):
        raise ValueError("GET /user did not name the token's account")
    return lambda user: (user.get("id"), user.get("login")) == (me.get("id"), me["login"])


def _api(method: str, url: str, payload: dict | None = None) -> list | dict:
    request = urllib.request.Request(url, method=method, data=json.dumps(payload).encode() if payload else None,
                                     headers={"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
                                              "Accept": "application/vnd.github+json",
                                              "Content-Type": "application/json",
                                              "X-GitHub-Api-Version": "2022-11-28"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _have_commit(sha: str) -> bool:
    return bool(sha) and subprocess.run(["git", "cat-file", "-e", f"{sha}^{{commit}}"],
                                        capture_output=True).returncode == 0


def _fetch(sha: str) -> bool:
    if not sha:
        return False
    subprocess.run(["git", "fetch", "--no-tags", "--quiet", "origin", sha], capture_output=True)
    return _have_commit(sha)


def _event() -> dict:
    path = os.environ.get("GITHUB_EVENT_PATH")
    if not path or not Path(path).is_file():
        return {}
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _warn(message: str) -> None:
    """A warning annotation; the message (it may quote a map's file names) stays one workflow command."""
    print(f"::warning title=journeymap::{escape_workflow_data(message)}")


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("true", "1", "yes")


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(text + "\n")


def _output(name: str, value: str) -> None:
    _append(os.environ.get("GITHUB_OUTPUT"), f"{name}={value}")


def _write_temp(name: str, text: str) -> str:
    path = Path(os.environ.get("RUNNER_TEMP") or ".") / name
    path.write_text(text, encoding="utf-8")
    return str(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
