"""The GitHub Action's one script: check with annotations, review a pull request, build a preview.

`action.yml` runs it as `python -m journeymap.github_action` with the action's
inputs in `JOURNEYMAP_*` variables and GitHub's own `GITHUB_*` ones. It works
the same on a laptop with those variables set, which is how the tests run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from .diff_report import COMMENT_MARKER

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


def main() -> int:
    env = os.environ
    map_path = env.get("JOURNEYMAP_PATH") or "journey"
    strict = ["--strict"] if _flag("JOURNEYMAP_STRICT") else []
    checked = _journeymap("check", map_path, "--format", "github", *strict)
    print(checked.stdout, end="")  # the annotations, on the pull request's changed lines
    print(checked.stderr, end="", file=sys.stderr)
    if checked.returncode == 2:
        _append(env.get("GITHUB_STEP_SUMMARY"), f"### journeymap\n\n{checked.stderr.strip()}\n")
        return 2
    summary = _journeymap("check", map_path, *strict).stdout.strip().splitlines()[-1]
    print(summary)
    sections = [f"### journeymap check\n\n`{map_path}`: {summary}\n"]
    event = _event()
    if env.get("GITHUB_EVENT_NAME") in PULL_REQUEST_EVENTS and event.get("pull_request"):
        comment = _review(map_path, event["pull_request"])
        if comment is not None:
            sections.append(comment)
            _output("comment-file", _write_temp("journeymap-comment.md", comment))
            if _flag("JOURNEYMAP_COMMENT", default=True):
                _upsert_comment(event["pull_request"]["number"], comment)
    _append(env.get("GITHUB_STEP_SUMMARY"), "\n".join(sections))
    site = Path(env.get("RUNNER_TEMP") or ".") / "journeymap-site"
    built = _journeymap("build", map_path, "--output", str(site), "--keep-going", *strict)
    print(built.stderr.strip().splitlines()[-1] if built.stderr.strip() else "", file=sys.stderr)
    if (site / "index.html").is_file():
        _output("site", str(site))
    return checked.returncode


def _review(map_path: str, pull_request: dict) -> str | None:
    """The diff of the pull request as a Markdown comment, or None when git cannot tell (a warning says why)."""
    head = pull_request.get("head", {}).get("sha") or os.environ.get("GITHUB_SHA", "")
    base = pull_request.get("base", {}).get("sha", "")
    if not (_have_commit(head) or _fetch(head)):
        head = os.environ.get("GITHUB_SHA", "HEAD")
    if not (_have_commit(base) or _fetch(base)):
        print(f"::warning title=journeymap::cannot read the base commit {base[:12]}; check out with "
              "`fetch-depth: 0` to review the pull request's changes")
        return None
    fork_point = subprocess.run(["git", "merge-base", base, head], capture_output=True, text=True)
    if fork_point.returncode == 0:  # what the pull request changed, not what main did since it branched
        base = fork_point.stdout.strip()
    repo_url = f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ.get('GITHUB_REPOSITORY')}"
    diffed = _journeymap("diff", map_path, "--base", base, "--head", head, "--format", "markdown",
                         "--repo-url", repo_url)
    if diffed.returncode == 2:
        print(f"::warning title=journeymap::{diffed.stderr.strip()}")
        return None
    return diffed.stdout


def _upsert_comment(number: int, body: str) -> None:
    """One comment per pull request: found by its hidden marker and edited, so pushes do not pile up."""
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if not os.environ.get("GITHUB_TOKEN"):
        print("::warning title=journeymap::no GITHUB_TOKEN: the review is in the job summary only")
        return
    try:
        existing = None
        page = 1
        while existing is None:
            comments = _api("GET", f"{api}/repos/{repository}/issues/{number}/comments?per_page=100&page={page}")
            existing = next((c for c in comments if COMMENT_MARKER in (c.get("body") or "")), None)
            if len(comments) < 100:
                break
            page += 1
        if existing is not None:
            _api("PATCH", f"{api}/repos/{repository}/issues/comments/{existing['id']}", {"body": body})
        else:
            _api("POST", f"{api}/repos/{repository}/issues/{number}/comments", {"body": body})
    except (urllib.error.URLError, OSError, ValueError) as error:
        # a pull request from a fork gets a read-only token: the summary still has the review
        print(f"::warning title=journeymap::could not comment on the pull request ({error}); "
              "the review is in the job summary")


def _api(method: str, url: str, payload: dict | None = None) -> list | dict:
    request = urllib.request.Request(url, method=method, data=json.dumps(payload).encode() if payload else None,
                                     headers={"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}",
                                              "Accept": "application/vnd.github+json",
                                              "Content-Type": "application/json",
                                              "X-GitHub-Api-Version": "2022-11-28"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _journeymap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap", *args], capture_output=True, text=True)


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
    sys.exit(main())
