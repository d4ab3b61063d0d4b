"""A map's own templates are code from a pull request: sandboxed, opted into, fenced in, and flagged in review.

Every case runs the real `journeymap` command in a real process on a map written to disk; the diff cases
commit to a real git repository.
"""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, EXAMPLE, run_cli, snapshot, write_map
from ..gitrepo import commit_all, git, init_repo

#: each a classic way out of an unsandboxed Jinja; MARK is replaced by a file path that must never appear
ESCAPES = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}",
    "joiner globals": "{{ joiner.__init__.__globals__['os'].system('touch MARK') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('touch MARK').read() }}",
    "subclasses": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
                  "{{ c(['touch', 'MARK']) }}{% endif %}{% endfor %}",
    "format string": "{{ '{0.__init__.__globals__[os].system}'.format(cycler) }}{{ 'touch MARK' }}",
    "template context": "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARK') }}",
    "a path's write_text": "{{ site.root.joinpath('MARK').write_text('owned') }}",
    "a module behind a global": "{{ links.hashlib.md5('MARK'.encode()).hexdigest() }}",
}


def page_template(body: str) -> str:
    """An index.html of one's own: the payload on line 3."""
    return "{% extends 'base.html' %}\n{% block main %}\n" + body + "\n{% endblock %}\n"


def build(source: Path, output: Path, *options: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli("build", str(source), "--output", str(output), *options, env=env)


def assert_refused(result: subprocess.CompletedProcess, output: Path, *said: str) -> None:
    """Exit 2, a one-line message saying what, no traceback, no site."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    for words in said:
        assert words in last, last
    assert not output.exists()


@pytest.fixture
def mark(tmp_path: Path) -> Path:
    return tmp_path / f"PWNED-{uuid.uuid4().hex}"


@pytest.mark.parametrize("escape", list(ESCAPES), ids=list(ESCAPES))
def test_a_template_given_with_templates_runs_in_the_sandbox(tmp_path: Path, mark: Path, escape: str) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own = tmp_path / "own"
    own.mkdir()
    (own / "index.html").write_text(page_template(ESCAPES[escape].replace("MARK", str(mark))))
    result = build(folder, tmp_path / "site", "--templates", str(own))
    assert_refused(result, tmp_path / "site", f"{own / 'index.html'}:3: templates run in a sandbox: ")
    assert not mark.exists()


def test_a_path_in_the_context_reads_nothing(tmp_path: Path) -> None:
    """`site.root` is a path: its name is there to show, the file system behind it is not."""
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    (tmp_path / "secret.txt").write_text("the deploy key")
    own = tmp_path / "own"
    own.mkdir()
    (own / "index.html").write_text(page_template("{{ site.root.name }}|{{ site.root.parent.joinpath('secret.txt')"
                                                  ".read_text() }}"))
    result = build(folder, tmp_path / "site", "--templates", str(own))
    assert_refused(result, tmp_path / "site", "index.html:3: templates run in a sandbox: ", "read_text")
    assert "the deploy key" not in result.stderr


def test_the_bundled_templates_render_the_same_in_the_sandbox(tmp_path: Path) -> None:
    """A folder of one's own (here holding only a new asset) puts every page in the sandbox: byte for byte the
    same pages as the bundled templates render unsandboxed."""
    own = tmp_path / "own"
    (own / "assets").mkdir(parents=True)
    (own / "assets/extra.css").write_text("p { margin: 0 }\n")
    assert build(EXAMPLE, tmp_path / "plain").returncode == 0
    assert build(EXAMPLE, tmp_path / "sandboxed", "--templates", str(own)).returncode == 0
    plain, sandboxed = snapshot(tmp_path / "plain"), snapshot(tmp_path / "sandboxed")
    assert sandboxed.pop("assets/extra.css") == b"p { margin: 0 }\n"
    assert {name for name in plain if plain[name] != sandboxed[name]} == {".journeymap-site"}  # its templates hash


# ---- links out of the template folder ----


def test_an_asset_linked_to_the_process_environment_is_refused(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own = tmp_path / "own"
    (own / "assets").mkdir(parents=True)
    (own / "assets/env.txt").symlink_to("/proc/self/environ")
    result = build(folder, tmp_path / "site", "--templates", str(own), env={"CI_TOKEN": "s3cr3t-token"})
    assert_refused(result, tmp_path / "site", f"{own / 'assets/env.txt'}: a link to /proc/self/environ, outside "
                                              "the templates folder", "nothing was built")
    assert "s3cr3t-token" not in result.stderr


def test_an_asset_linked_to_the_checkouts_git_config_is_refused(tmp_path: Path) -> None:
    """The map's own templates (opted into), in a real repository, one asset a link up to .git/config."""
    repo = init_repo(tmp_path / "repo")
    git(repo, "config", "remote.origin.url", "https://x-access-token:ghs_SECRET@github.com/o/r")
    folder = write_map(repo / "journey", {**CLEAN_MAP, "journey.yaml": CLEAN_MAP["journey.yaml"]
                                          + "templates: templates\n"})
    (folder / "templates/assets").mkdir(parents=True)
    (folder / "templates/assets/config.css").symlink_to("../../../.git/config")
    commit_all(repo, "a map with a look of its own")
    result = build(folder, tmp_path / "site")
    assert_refused(result, tmp_path / "site", "templates/assets/config.css: a link to ../../../.git/config, "
                                              "outside the templates folder")
    assert "ghs_SECRET" not in result.stderr


def test_a_template_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    """`{% include %}` of a link would publish what it points at as well as an asset would."""
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own = tmp_path / "own"
    own.mkdir()
    (own / "environ.html").symlink_to("/proc/self/environ")
    (own / "index.html").write_text(page_template("{% include 'environ.html' %}"))
    assert_refused(build(folder, tmp_path / "site", "--templates", str(own)), tmp_path / "site",
                   f"{own / 'environ.html'}: a link to /proc/self/environ")


def test_a_link_that_stays_inside_is_copied_as_the_file_it_points_at(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own = tmp_path / "own"
    (own / "assets/themes").mkdir(parents=True)
    (own / "assets/themes/dark.css").write_text("body { background: black }\n")
    (own / "assets/theme.css").symlink_to("themes/dark.css")
    (own / "assets/current").symlink_to("themes")
    assert build(folder, tmp_path / "site", "--templates", str(own)).returncode == 0
    for copied in ("assets/theme.css", "assets/current/dark.css"):
        path = tmp_path / "site" / copied
        assert not path.is_symlink() and path.read_text() == "body { background: black }\n"


def test_a_link_to_a_folder_holding_it_is_refused(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own = tmp_path / "own"
    (own / "assets").mkdir(parents=True)
    (own / "assets/loop").symlink_to("..")
    assert_refused(build(folder, tmp_path / "site", "--templates", str(own)), tmp_path / "site",
                   f"{own / 'assets/loop'}: a link to .., a folder that holds the link itself")


# ---- a map's own templates are opted into ----


def own_brief(folder: Path) -> None:
    (folder / "brief.html").parent.mkdir(parents=True, exist_ok=True)
    (folder / "brief.html").write_text("{% extends 'base.html' %}{% block main %}OWN BRIEF{% endblock %}")


@pytest.mark.parametrize("where, line", [("map/templates", "templates: templates"),
                                         ("templates", "templates: ../templates")])
def test_a_templates_folder_is_not_used_just_because_it_is_there(tmp_path: Path, where: str, line: str) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own_brief(tmp_path / where)
    init_repo(tmp_path)  # the folder beside the map is inside the repository
    result = build(folder, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "OWN BRIEF" not in (tmp_path / "site/briefs/spark-brief.html").read_text()
    notes = [text for text in result.stderr.splitlines() if "is not used" in text]
    assert notes == [f"journeymap: note: {tmp_path / where} is not used: a map's own templates run only when asked "
                     f"for; build with `--templates {tmp_path / where}`, or add `{line}` to journey.yaml (the "
                     "bundled templates are used)"]
    (folder / "journey.yaml").write_text(CLEAN_MAP["journey.yaml"] + line + "\n")  # the note's advice, taken
    opted = build(folder, tmp_path / "site")
    assert opted.returncode == 0, opted.stderr
    assert "is not used" not in opted.stderr
    assert "OWN BRIEF" in (tmp_path / "site/briefs/spark-brief.html").read_text()


def test_templates_named_in_journey_yaml_run_in_the_sandbox(tmp_path: Path, mark: Path) -> None:
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "journey.yaml": CLEAN_MAP["journey.yaml"]
                                          + "templates: look\n",
                                          "look/index.html": page_template(ESCAPES["cycler globals"].replace(
                                              "MARK", str(mark)))})
    assert_refused(build(folder, tmp_path / "site"), tmp_path / "site",
                   f"{folder / 'look/index.html'}:3: templates run in a sandbox: ")
    assert not mark.exists()


@pytest.mark.parametrize("value, said", [
    ("../../elsewhere", "leads to {elsewhere}, outside {map}; name a folder inside it"),
    ("linked", "leads to {elsewhere}, outside {map}; name a folder inside it"),
    ("missing", "is not a folder ({map}/missing)"),
])
def test_a_templates_line_must_name_a_folder_inside_the_repository(tmp_path: Path, value: str, said: str) -> None:
    """Not in a git repository: the map folder is the fence."""
    root = tmp_path / "a" / "b"
    folder = write_map(root / "map", {**CLEAN_MAP, "journey.yaml": CLEAN_MAP["journey.yaml"]
                                      + f"templates: {value}\n"})
    elsewhere = tmp_path / "a" / "elsewhere"
    own_brief(elsewhere)
    (folder / "linked").symlink_to(elsewhere)
    line = CLEAN_MAP["journey.yaml"].count("\n") + 1
    assert_refused(build(folder, tmp_path / "site"), tmp_path / "site",
                   f"{folder / 'journey.yaml'}:{line}:", f"`templates: {value}` "
                   + said.format(elsewhere=elsewhere, map=folder))


def test_the_command_line_wins_over_journey_yaml(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "journey.yaml": CLEAN_MAP["journey.yaml"]
                                          + "templates: missing\n"})
    own_brief(tmp_path / "own")
    assert build(folder, tmp_path / "site", "--templates", str(tmp_path / "own")).returncode == 0
    assert "OWN BRIEF" in (tmp_path / "site/briefs/spark-brief.html").read_text()


def test_serve_renders_through_the_same_sandbox(tmp_path: Path, mark: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    own = tmp_path / "own"
    own.mkdir()
    (own / "index.html").write_text(page_template(ESCAPES["cycler globals"].replace("MARK", str(mark))))
    process = subprocess.Popen([sys.executable, "-m", "journeymap", "serve", str(folder), "--port", "0",
                                "--templates", str(own)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True, start_new_session=True)
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("Serving "):
                break
        said = "".join(lines)
        assert f"build failed: {own / 'index.html'}:3: templates run in a sandbox: " in said, said
        assert "Traceback" not in said
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert not mark.exists()


# ---- diff says when the templates change ----


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding a map at journey/ and, committed as the base, one template beside it."""
    repo = init_repo(tmp_path / "repo")
    write_map(repo / "journey", CLEAN_MAP)
    own_brief(repo / "templates")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "change")  # main stays the base
    return repo


def diff(repo: Path, output_format: str, *options: str) -> subprocess.CompletedProcess:
    result = run_cli("diff", "journey", "--base", "main", "--format", output_format, *options, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result


def notes(repo: Path, *options: str) -> list[dict]:
    import json

    return json.loads(diff(repo, "json", *options).stdout)["notes"]


def test_diff_notes_templates_added_removed_and_edited_in_every_format(repo: Path) -> None:
    (repo / "templates/brief.html").write_text("{{ cycler }}")  # edited, beside the map
    (repo / "journey/templates/assets").mkdir(parents=True)
    (repo / "journey/templates/assets/style.css").write_text("body {}")  # added inside the map, not committed
    commit_all(repo, "head")
    (repo / "journey/templates/index.html").write_text("{{ joiner }}")  # a new file in the working tree
    files = [{"path": "journey/templates/assets/style.css", "change": "added"},
             {"path": "journey/templates/index.html", "change": "added"},
             {"path": "templates/brief.html", "change": "edited"}]
    worked = notes(repo)
    assert [(n["id"], n["files"], n["templates_line"]) for n in worked] == [("templates-changed", files, None)]
    committed = notes(repo, "--head", "HEAD")
    assert committed[0]["files"] == [files[0], files[2]]  # the uncommitted file is not in the commit
    text = diff(repo, "text").stdout
    assert ("  note [templates-changed]: the change touches the map's own templates (`journey/templates/assets/"
            "style.css` added, `journey/templates/index.html` added, `templates/brief.html` edited)") in text
    markdown = diff(repo, "markdown").stdout
    assert ("> **Note** `templates-changed`: the change touches the map's own templates "
            "\\(`journey/templates/assets/style.css` added") in markdown  # text around code spans is escaped
    assert "The journey itself is unchanged." in markdown and "Only comments" not in markdown  # a template is no layout
    (repo / "templates/brief.html").unlink()
    assert {"path": "templates/brief.html", "change": "removed"} in notes(repo)[0]["files"]


def test_diff_notes_a_templates_line_and_the_folder_it_names(repo: Path) -> None:
    journey = repo / "journey/journey.yaml"
    journey.write_text(CLEAN_MAP["journey.yaml"] + "templates: ../look\n")
    own_brief(repo / "look")
    [note] = notes(repo)
    assert note["templates_line"] == {"old": None, "new": "../look"}
    assert note["files"] == [{"path": "look/brief.html", "change": "added"}]
    assert "journey.yaml's `templates:` line none → `../look`" in note["message"]


def test_diff_has_no_note_when_no_template_changes(repo: Path) -> None:
    (repo / "journey/README.md").write_text("about the map\n")
    (repo / "journey/journey.yaml").write_text(CLEAN_MAP["journey.yaml"].replace("Tiny journey", "Small journey"))
    assert notes(repo) == []
    assert "templates-changed" not in diff(repo, "text").stdout + diff(repo, "markdown").stdout


def test_a_template_file_name_cannot_break_the_review_comment(repo: Path) -> None:
    hostile = "x`|<img src=x onerror=alert(1)>](javascript:alert(1)).html"
    (repo / "templates" / hostile).write_text("hi")
    markdown = diff(repo, "markdown").stdout
    note = next(line for line in markdown.splitlines() if "templates-changed" in line).removeprefix("> ")
    assert "<img src=x" in html.unescape(note.replace("\\", ""))  # the name is shown (HTML's `<` as `&lt;`)...
    assert not re.search(r"(?<!\\)[<>|]|(?<!\\)\]\(", note)  # ...every tag, cell break and link escaped
