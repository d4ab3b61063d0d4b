"""Issue 18 for the GitHub Action: a hostile pull request must not own the review comment.

Its author writes the map (names, values, file names) and can post comments of their own. What they
wrote reaches the bot's comment only as text: rendered with a Markdown parser, it makes no link, image,
HTML element, emphasis or mention, and never the hidden marker the Action finds its comment by.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown

from journeymap.diff_report import COMMENT_MARKER

from .conftest import run_cli
from .gitrepo import commit_all, edit
from .test_diff import repo  # noqa: F401  (the fixture: a map repository)

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
