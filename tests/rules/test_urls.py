"""journeymap/core/rules/urls.py, addresses: unsafe-url.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from pathlib import Path

from ..conftest import line_of
from .cases import Case, findings_for

CASES = [
    Case("unsafe-url", {"owners.yaml": ("    name: Marketing team\n",
                                        "    name: Marketing team\n    contact: \"javascript:alert(1)\"\n")},
         "owners.yaml", "contact:",
         passing={"owners.yaml": ("    name: Marketing team\n",
                                  "    name: Marketing team\n    contact: \"#mkt: ask Jo\"\n")}),
    Case("unsafe-url", {"briefs/spark-brief.md": ("Reach people **early**.\n",
                                                  "Reach people **early**.\n\nSee [the plan](JaVa\tScript:go()).\n")},
         "briefs/spark-brief.md", "the plan", passing={"briefs/spark-brief.md": (
             "Reach people **early**.\n", "See [the plan](https://example.com/plan) or [us](mailto:a@b.c).\n")}),
    Case("unsafe-url", {"journey.yaml": ("persona: pat\n", "persona: pat\nrepo_url: \"data:text/html,hi\"\n")},
         "journey.yaml", "repo_url"),
    Case("unsafe-url", {"evidence/talk.md": ("kind: interview\n", "kind: interview\nsource: vbscript:run\n")},
         "evidence/talk.md", "source:"),
]


def test_each_unsafe_link_in_markdown_is_reported_at_the_line_it_is_written(tmp_path: Path) -> None:
    fix = "write an https:// (or http://, mailto:) address, or a relative link; it is shown as text, not as a link"
    body = ("Reach people **early**.\n"
            "Never write JAVASCRIPT links by hand.\n"  # the scheme's name, but not as a scheme
            "See [the plan](javascript:two()) and [ok](https://ok.example).\n"
            "Then [again](JavaScript:one()).\n"
            # not as written (a tab behind an entity): the first line its scheme is written on
            '<a href="java&#9;script:alert(\'a:b\')">hidden</a>\n'
            "Repeat [the plan](javascript:two()), [twice](javascript:two()).\n"  # again: its own line, once
            "[long](javascript:" + "a" * 100 + ")\n"
            '[attribute](https://ok.example){: href="javascript:four()"}\n'  # Markdown extra's attribute lists
            '<img src="&#100;&#97;ta:x">\n')  # neither the URL nor its scheme is written: the body's first line
    findings, files = findings_for(tmp_path, {"briefs/spark-brief.md": ("Reach people **early**.\n", body)})
    text = files["briefs/spark-brief.md"]
    first = line_of(text, "Reach people")
    found = sorted((f.location.line, f.location.column, f.message) for f in findings if f.rule == "unsafe-url")
    assert all(f.location.file == "briefs/spark-brief.md" for f in findings if f.rule == "unsafe-url")
    assert found == sorted([
        (line_of(text, "See [the plan]"), 1, f"a link to `javascript:two()` in the Markdown: {fix}"),
        (line_of(text, "Repeat [the plan]"), 1, f"a link to `javascript:two()` in the Markdown: {fix}"),
        (line_of(text, "Then [again]"), 1, f"a link to `JavaScript:one()` in the Markdown: {fix}"),
        (line_of(text, "See [the plan]"), 1, f"a link to `java\tscript:alert('a:b')` in the Markdown: {fix}"),
        (line_of(text, "[long]"), 1, f"a link to `{('javascript:' + 'a' * 100)[:80]}` in the Markdown: {fix}"),
        (line_of(text, "[attribute]"), 1, f"a link to `javascript:four()` in the Markdown: {fix}"),
        (first, 1, f"a link to `data:x` in the Markdown: {fix}")])


def test_an_unsafe_link_repeated_from_the_first_line_of_a_body_is_reported_at_each_line(tmp_path: Path) -> None:
    body = "[a](javascript:x) [b](javascript:x)\n\n[c](javascript:x)\n"
    findings, files = findings_for(tmp_path, {"briefs/spark-brief.md": ("Reach people **early**.\n", body)})
    text = files["briefs/spark-brief.md"]
    assert sorted(f.location.line for f in findings if f.rule == "unsafe-url") == [line_of(text, "[a]"),
                                                                                    line_of(text, "[c]")]


def test_an_unsafe_link_in_an_experiment_result_points_at_the_result(tmp_path: Path) -> None:
    experiment = "experiments/faster-reply.yaml"
    findings, files = findings_for(tmp_path, {experiment: (
        "status: running\n", 'status: running\nresult: "Lifted it, see [the log](javascript:go())"\n')})
    assert [(f.location.file, f.location.line) for f in findings if f.rule == "unsafe-url"] == [
        (experiment, line_of(files[experiment], "result:"))]
    for style in ("|", ">"):  # a block: its text starts on the line after `result:`
        findings, files = findings_for(tmp_path / f"block{style}", {experiment: (
            "status: running\n",
            f"status: running\nresult: {style}\n  Lifted it.\n\n  See [the log](javascript:go())\n")})
        [line] = [f.location.line for f in findings if f.rule == "unsafe-url"]
        if style == "|":
            assert line == line_of(files[experiment], "  See [the log]")
        else:  # folding joins lines, so the text no longer says which: a line of the block, never the key's
            assert line_of(files[experiment], "  Lifted it.") <= line <= line_of(files[experiment], "  See [the log]")
        findings, files = findings_for(tmp_path / f"first{style}", {experiment: (
            "status: running\n", f"status: running\nresult: {style}\n  See [the log](javascript:go())\n  Lifted.\n")})
        assert [f.location.line for f in findings if f.rule == "unsafe-url"] == [
            line_of(files[experiment], "  See [the log]")], style
    findings, _ = findings_for(tmp_path / "safe", {experiment: (
        "status: running\n", 'status: running\nresult: "Lifted it: see [the log](https://example.com/log)"\n')})
    assert [f for f in findings if f.rule == "unsafe-url"] == []
