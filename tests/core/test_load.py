"""The loader keeps every value's position, finds repeated keys and reads front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core import load
from journeymap.core.findings import Location
from journeymap.core.load import parse_markdown, parse_yaml


def test_positions_are_one_based_lines_and_columns() -> None:
    document, problems = parse_yaml("title: x\nstages:\n  - a\n  - b\n", "journey.yaml", "journey")
    assert problems == []
    assert document.at("stages", 1).line == 4 and document.at("stages", 1).column == 5
    assert document.at("title").line == 1


def test_missing_path_falls_back_to_the_nearest_parent() -> None:
    document, _ = parse_yaml("review:\n  cadence_days: 9\n", "journey.yaml", "journey")
    assert document.at("review", "last_reviewed").line == 1


def test_dates_and_period_keys_are_text() -> None:
    document, _ = parse_yaml("d: 2026-10-01\nh: {2026-Q2: 1, 2026: 2}\n", "f.yaml", "stage")
    assert document.data == {"d": "2026-10-01", "h": {"2026-Q2": 1, "2026": 2}}


def test_a_timestamp_reads_as_its_day() -> None:
    document, _ = parse_yaml("d: 2026-10-01T09:30:00Z\n", "f.yaml", "stage")
    assert document.data == {"d": "2026-10-01"}


def test_duplicate_key_is_reported_at_the_repeat() -> None:
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml", "stage")
    assert [(p.rule, p.location.line) for p in problems] == [("duplicate-key", 3)]
    assert "first at line 1" in problems[0].message


def test_merge_keys_are_not_duplicates() -> None:
    document, problems = parse_yaml("base: &b {x: 1}\nitem:\n  <<: *b\n  x: 2\n", "f.yaml", "stage")
    assert problems == [] and document.data["item"] == {"x": 2}


def test_syntax_error_gives_line_and_column() -> None:
    document, problems = parse_yaml("a: 1\nb: [2\nc: 3\n", "f.yaml", "stage")
    assert document is None and problems[0].rule == "invalid-yaml" and problems[0].location.line >= 2
    # "b:   x: y" has a second mapping on one line: the offending colon is line 2, column 7
    # (b, colon, three spaces, x, then the colon)
    _, problems = parse_yaml("a: 1\nb:   x: y\n", "f.yaml", "stage")
    assert [(p.rule, p.location.line, p.location.column) for p in problems] == [("invalid-yaml", 2, 7)]
    assert problems[0].message == ("the value of `b` holds `: `, which YAML reads as a new key; put the value in "
                                   'quotes: write `b: "x: y"`')  # the cause, as the fix (issue 12)
    _, problems = parse_yaml("a: [1\nb: 2\n", "f.yaml", "stage")  # the line the bracket opened on, closed
    assert problems[0].message == ("the `[` opened on this line is never closed: write `a: [1]`, "
                                   "or `a: \"[1\"` if the `[` is part of the text")
    _, problems = parse_yaml("a: b\n- c\n", "f.yaml", "stage")  # no known cause: PyYAML's words, and the line
    assert problems[0].message.startswith("not valid YAML (while parsing a block mapping did not find expected key)")


def test_front_matter_lines_are_counted_in_the_markdown_file() -> None:
    document, problems = parse_markdown("---\ntitle: T\nstage: x\n---\nBody\n", "briefs/b.md", "brief")
    assert problems == [] and document.at("stage").line == 3
    assert document.body == "Body\n" and document.body_line == 5


def test_front_matter_errors_point_into_the_markdown_file() -> None:
    _, problems = parse_markdown("---\ntitle: T\nstage: [x\n---\n", "briefs/b.md", "brief")
    assert problems[0].rule == "invalid-yaml" and problems[0].location.line >= 3
    # the bad colon is on the front matter's second line, which is the file's third (after `---`),
    # at column 10: "stage:", two spaces, "a", then the colon
    _, problems = parse_markdown("---\ntitle: T\nstage:  a: b\n---\nBody\n", "briefs/b.md", "brief")
    assert [(p.rule, p.location.file, p.location.line, p.location.column) for p in problems] == [
        ("invalid-yaml", "briefs/b.md", 3, 10)]


def test_the_fast_c_loader_is_used() -> None:
    import yaml  # PyYAML's wheels carry libyaml; without it the loader falls back to SafeLoader

    assert load._Loader is yaml.CSafeLoader


def test_undecodable_file_is_one_finding(tmp_path: Path) -> None:
    (tmp_path / "journey.yaml").write_bytes(b"title: \xff\xfe\n")
    folder = load.load_folder(tmp_path)
    assert [(p.rule, p.location.line, p.location.column) for p in folder.problems
            if p.location.file == "journey.yaml"] == [("invalid-yaml", 1, 1)]
    message = next(p.message for p in folder.problems if p.location.file == "journey.yaml")
    assert message.startswith("cannot read the file ('utf-8' codec can't decode byte 0xff in position 7")
    assert message.endswith("): save it as UTF-8 text")
    assert folder.unreadable == {"journey.yaml"}


def test_files_are_read_as_utf8_whatever_the_locale(tmp_path: Path) -> None:
    import locale

    (tmp_path / "f.yaml").write_text("name: Zoë’s stage\n", encoding="utf-8")
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")  # an ASCII locale, as on some CI images and Windows code pages
        document, problems = load.read_document(tmp_path / "f.yaml", "f.yaml", "stage")
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert problems == [] and document.data == {"name": "Zoë’s stage"}


def test_every_kind_of_file_is_read_with_yaml_or_yml_and_hidden_or_other_files_are_not(tmp_path: Path) -> None:
    from ..conftest import CLEAN_MAP, write_map

    renamed = {"owners.yaml": "owners.yml", "personas.yaml": "personas.yml", "stages/adopt.yaml": "stages/adopt.yml",
               "experiments/faster-reply.yaml": "experiments/faster-reply.yml"}
    files = {renamed.get(name, name): text for name, text in CLEAN_MAP.items()}
    files.update({"stages/.draft.yaml": "id: draft\n", "stages/notes.txt": "x", "briefs/old.txt": "x",
                  "evidence/.hidden.md": "---\ntitle: h\n---\n"})
    folder = load.load_folder(write_map(tmp_path / "map", files), prefix="one/")
    # other files are not read: each is named (unknown-file) so a misnamed one is not lost without a word
    assert sorted((p.rule, p.location.file) for p in folder.problems) == [
        ("unknown-file", "one/briefs/old.txt"), ("unknown-file", "one/stages/notes.txt")]
    assert folder.unreadable == set()
    read = sorted((d.kind, d.file) for d in folder.documents)
    kinds = {"journey": "journey", "owners": "owners", "personas": "personas", "stages": "stage",
             "experiments": "experiment", "briefs": "brief", "evidence": "evidence"}
    assert read == sorted((kinds[name.split("/")[0].split(".")[0]], f"one/{name}")
                          for name in files if not any(s in name for s in (".draft", ".txt", ".hidden")))


def test_a_map_without_owners_is_told_to_create_it(tmp_path: Path) -> None:
    from ..conftest import CLEAN_MAP, write_map

    folder = load.load_folder(write_map(tmp_path / "map", {k: v for k, v in CLEAN_MAP.items() if k != "owners.yaml"}),
                              prefix="one/")
    found = [(p.rule, p.location.file, p.location.line) for p in folder.problems]
    assert found == [("schema", "one/owners.yaml", None)]
    assert folder.problems[0].message == ("the map has no owners.yaml: create it with `owners:` listing each team's "
                                          "`id`, `name` and `department`")
    assert folder.root == tmp_path / "map"
    assert load.load_folder(tmp_path / "map", shared_owners=True).problems == []  # a portfolio's serves it


def test_where_no_journey_is_the_message_says_what_to_give(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(load.MapNotFound, match="no such folder; give the folder that holds journey.yaml"):
        load.find_journeys(tmp_path / "missing")
    with pytest.raises(load.MapNotFound) as missing:
        load.find_journeys(tmp_path)
    assert str(missing.value) == (f"{tmp_path}: no journey.yaml here or in its subfolders; give the folder that "
                                  "holds journey.yaml (title, review, stages), or a portfolio folder of such folders")
    with pytest.raises(load.MapNotFound, match="no journey.yaml here or in its subfolders"):
        load.load_folder(tmp_path)
    for name in ("b", "a"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "journey.yaml").write_text("title: t\n")
    (tmp_path / "c").mkdir()  # no journey.yaml: not a journey
    assert load.find_journeys(tmp_path) == [tmp_path / "a", tmp_path / "b"]
    with pytest.raises(load.MapNotFound, match="a portfolio is checked as a whole"):
        load.load_folder(tmp_path)
    assert load.find_journeys(tmp_path / "a") == [tmp_path / "a"]


def test_a_portfolio_may_share_owners_yml(tmp_path: Path) -> None:
    (tmp_path / "owners.yml").write_text("owners:\n  - {id: a, name: A, department: Sales}\n")
    document, problems, exists = load.load_shared_owners(tmp_path)
    assert problems == [] and exists and document.file == "owners.yml" and document.kind == "owners"
    assert load.load_shared_owners(tmp_path / "nowhere") == (None, [], False)


def test_markdown_without_front_matter_is_all_body() -> None:
    document, problems = parse_markdown("# Title\nText\n", "evidence/e.md", "evidence")
    assert problems == [] and document.data == {} and document.body == "# Title\nText\n" and document.body_line == 1
    assert (document.file, document.kind) == ("evidence/e.md", "evidence")
    assert document.at("title") == Location("evidence/e.md", 1, 1)


def test_front_matter_may_end_with_dots_or_be_empty() -> None:
    document, problems = parse_markdown("---\ntitle: T\n...\nBody\nmore\n", "b.md", "brief")
    assert problems == [] and document.data == {"title": "T"} and document.body == "Body\nmore\n"
    assert document.at() == Location("b.md", 1, 1)  # the file itself starts at the opening `---`
    document, problems = parse_markdown("---\n---\nBody\n", "b.md", "brief")
    assert problems == [] and document.data == {} and (document.body, document.body_line) == ("Body\n", 3)
    assert document.at().line == 1


def test_unclosed_front_matter_says_how_to_close_it() -> None:
    document, problems = parse_markdown("---\ntitle: T\n", "briefs/b.md", "brief")
    assert document is None and [(p.rule, p.location.line, p.location.column) for p in problems] == [
        ("invalid-yaml", 1, 1)]
    assert problems[0].message == "front matter is not closed: add a line `---` after its last field"


@pytest.mark.parametrize("text, forgotten", [
    ("title: T\nstage: s\n---\nBody\n", True),  # the opening `---` left out
    ("title: T\nLaunch notes, not a field\n", True),
    ("status: live\ntitle: T\n", True),  # any field first, with a title in the same paragraph
    ("Launch notes\ntitle: T\n", False),  # prose first: a body, whatever follows
    ("status: live\n\ntitle: T\n", False),  # the title in another paragraph
    ("Note: prose with a colon\n", False),
])
def test_front_matter_without_its_dashes_is_named_at_line_1(text: str, forgotten: bool) -> None:
    document, problems = parse_markdown(text, "briefs/b.md", "brief")
    if forgotten:
        assert document is None and [(p.rule, p.location) for p in problems] == [
            ("invalid-yaml", Location("briefs/b.md", 1, 1))]
        first = text.splitlines()[0]
        assert problems[0].message == ("the front matter must be between two `---` lines: add a line `---` above "
                                       f"`{first}` and another after the last field")
    else:
        assert problems == [] and document is not None and document.body == text


def test_duplicate_key_message_names_both_lines_and_the_fix() -> None:
    _, problems = parse_yaml("x: 0\nm:\n  a: 1\n  b: 2\n  a: 3\n", "f.yaml", "stage")
    assert [(p.location.line, p.location.column) for p in problems] == [(5, 3)]
    assert problems[0].message == ("key `a` is written twice (first at line 3); YAML keeps only the last: merge "
                                   "the two into one `a:`")
    _, problems = parse_yaml("m:\n    a: 1\n    a: 3\n", "f.yaml", "stage")  # line 2, column 5
    assert "(first at line 2)" in problems[0].message


def test_keys_after_a_merge_key_are_still_checked_for_repeats() -> None:
    _, problems = parse_yaml("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n  y: 3\n", "f.yaml", "stage")
    assert [(p.rule, p.location.line) for p in problems] == [("duplicate-key", 5)]


def test_an_alias_to_its_own_collection_is_one_problem_not_a_hang() -> None:
    document, problems = parse_yaml("x: 1\na: &loop [1, *loop]\n", "f.yaml", "stage")
    assert [(p.rule, p.location.file, p.location.line, p.location.column) for p in problems] == [
        ("invalid-yaml", "f.yaml", 2, 4)]
    assert problems[0].message == "an alias refers to the collection that contains it: write the values out"
    assert document.data == {"x": 1, "a": [1, None]}


def test_an_alias_used_twice_is_no_cycle() -> None:
    document, problems = parse_yaml("a: &x [1, 2]\nb: *x\nc: [*x, *x]\n", "f.yaml", "stage")
    assert problems == [] and document.data == {"a": [1, 2], "b": [1, 2], "c": [[1, 2], [1, 2]]}


def test_keys_stay_as_written_and_odd_scalars_do_not_stop_the_load() -> None:
    document, problems = parse_yaml("yes: 1\n2026: 2\nd: 2026-13-45\n? [a]\n: 3\n", "f.yaml", "stage")
    assert problems == []
    assert document.data == {"yes": 1, "2026": 2, "d": "2026-13-45", "<SequenceNode at line 4>": 3}
    document, problems = parse_yaml("a: 1\nb: !!python/name:os.system x\n", "f.yaml", "stage")
    assert [(p.rule, p.location.file, p.location.line, p.location.column) for p in problems] == [
        ("invalid-yaml", "f.yaml", 2, 4)]
    assert problems[0].message.startswith("not valid YAML: could not determine a constructor")
    assert document.data == {"a": 1, "b": None}


def test_an_empty_file_has_no_data_and_no_problem() -> None:
    document, problems = parse_yaml("# only a comment\n", "f.yaml", "stage")
    assert problems == [] and document.data is None and document.at("x").line == 1


def test_positions_inside_front_matter_count_the_opening_line() -> None:
    document, _ = parse_markdown("---\ntitle: T\nstages:\n  - a\n  - b\n---\n", "e.md", "evidence")
    assert (document.at("stages", 1).line, document.at("stages", 1).column) == (5, 5)  # "  - b" is line 5


def test_a_document_without_positions_points_at_its_start() -> None:
    assert load.Document("f.yaml", "stage", {"a": 1}).at("a", "b") == Location("f.yaml", 1, 1)


def test_a_control_character_is_one_problem_for_the_file() -> None:
    # PyYAML's reader rejects it before parsing, with its position: the finding points at its line and column
    document, problems = parse_yaml("a: 1\nb: \x07\n", "f.yaml", "stage")
    assert document is None and [(p.rule, p.location) for p in problems] == [("invalid-yaml", Location("f.yaml", 2, 4))]
    assert problems[0].message.startswith("not valid YAML: unacceptable character #x0007")


def test_a_link_out_of_the_map_is_refused_unread_and_a_link_inside_is_read(tmp_path: Path) -> None:
    from ..conftest import CLEAN_MAP, write_map

    folder = write_map(tmp_path / "map", CLEAN_MAP)
    (tmp_path / "secret.yaml").write_text("id: secret\nname: never-publish-this\n")
    (folder / "stages/secret.yaml").symlink_to(tmp_path / "secret.yaml")
    (folder / "stages/again.yaml").symlink_to(folder / "stages/adopt.yaml")
    loaded = load.load_folder(folder, prefix="one/")
    outside = [p for p in loaded.problems if p.rule == "outside-link"]
    assert [(p.location.file, p.location.line, p.location.column) for p in outside] == [
        ("one/stages/secret.yaml", None, None)]
    assert outside[0].message == (
        f"`one/stages/secret.yaml` is a link to {(tmp_path / 'secret.yaml').resolve()}, outside the map folder: "
        "nothing outside the map is read; copy the file into the map instead of linking to it")
    assert loaded.unreadable == {"stages/secret.yaml"}
    assert "one/stages/secret.yaml" not in {d.file for d in loaded.documents}
    again = next(d for d in loaded.documents if d.file == "one/stages/again.yaml")  # a link inside the map is read
    assert again.data["id"] == "adopt"
    # without a map folder to stay in (a single file), a link is followed
    document, problems = load.read_document(folder / "stages/secret.yaml", "secret.yaml", "stage")
    assert problems == [] and document.data["id"] == "secret"


def test_a_file_over_the_size_limit_is_refused_unread_and_one_at_the_limit_is_read(tmp_path: Path) -> None:
    limit = load.MAX_FILE_BYTES
    assert limit == 5 * 1024 * 1024
    at_limit = tmp_path / "at.yaml"
    at_limit.write_text("id: big\n#" + "x" * (limit - len("id: big\n#") - 1) + "\n")
    assert at_limit.stat().st_size == limit
    document, problems = load.read_document(at_limit, "stages/at.yaml", "stage", tmp_path)
    assert problems == [] and document.data == {"id": "big"}
    for size, shown in ((limit + 1, "5.0"), (6_346_183, "6.1"), (31_000_000, "29.6")):
        over = tmp_path / "over.md"
        with over.open("wb") as file:
            file.truncate(size)  # NUL bytes: never read, so they never matter
        document, problems = load.read_document(over, "briefs/over.md", "brief", tmp_path)
        assert document is None
        assert [(p.rule, p.location) for p in problems] == [("invalid-yaml", Location("briefs/over.md", 1, 1))]
        assert problems[0].message == (f"the file is {shown} MB, more than the 5 MB a map file may have; it was not "
                                       "read: split it (one stage per file, one brief per file)")


def test_a_file_that_vanished_is_one_finding_that_it_cannot_be_read(tmp_path: Path) -> None:
    document, problems = load.read_document(tmp_path / "gone.yaml", "stages/gone.yaml", "stage", tmp_path)
    assert document is None and [(p.rule, p.location) for p in problems] == [
        ("invalid-yaml", Location("stages/gone.yaml", 1, 1))]
    assert problems[0].message.startswith("cannot read the file ([Errno 2] No such file or directory")


def test_nesting_deeper_than_the_limit_is_refused_where_it_goes_too_deep() -> None:
    depth = load.MAX_DEPTH
    assert depth == 64
    document, problems = parse_yaml("[" * depth + "1" + "]" * depth + "\n", "f.yaml", "stage")
    assert problems == []
    value = document.data
    for _ in range(depth):
        value = value[0]
    assert value == 1
    document, problems = parse_yaml("[" * (depth + 1) + "1" + "]" * (depth + 1) + "\n", "f.yaml", "stage")
    assert document is None
    # the scalar 1, 65 levels down, is the value too deep: line 1, after 65 brackets
    assert [(p.rule, p.location) for p in problems] == [("invalid-yaml", Location("f.yaml", 1, depth + 2))]
    assert problems[0].message == ("values are nested more than 64 levels deep: a journey map needs a few; check for "
                                   "runaway brackets")
    # in front matter the line counts the opening `---`
    _, problems = parse_markdown("---\ntitle: T\nm: " + "[" * depth + "1" + "]" * depth + "\n---\n", "b.md", "brief")
    assert [(p.rule, p.location) for p in problems] == [("invalid-yaml", Location("b.md", 3, depth + 4))]


def _alias_fan(ones: int, aliases: int) -> tuple[str, int]:
    """A file whose `b:` repeats the list `a:` (of `ones` values) through `aliases` aliases, and the number of
    values it expands to: the file, a, its values, b, and per alias the list and its values again."""
    text = "a: &a [" + ",".join(["1"] * ones) + "]\nb: [" + ",".join(["*a"] * aliases) + "]\n"
    return text, 1 + 1 + ones + 1 + aliases * (1 + ones)


def _padded_to(values: int, text: str) -> str:
    """`text` with a comment that makes the budget (10 values a byte and 10,000) exactly `values`."""
    padding = (values - 10_000) // 10 - len(text) - 2  # "#" and the newline
    assert padding >= 0 and 10 * (len(text) + padding + 2) + 10_000 == values
    return text + "#" + "x" * padding + "\n"


def test_aliases_may_expand_a_file_to_its_budget_and_not_one_value_more() -> None:
    # aliases multiply a file without end ("billion laughs"): a file may expand to 10 values per byte plus 10,000
    text, values = _alias_fan(100, 177)  # 103 + 177 * 101 = 17980 values, a multiple of 10
    document, problems = parse_yaml(_padded_to(values, text), "f.yaml", "stage")
    assert problems == [] and document.data["b"] == [[1] * 100] * 177
    text, values = _alias_fan(100, 178)  # 18081 values: one more than a budget of 18080
    document, problems = parse_yaml(_padded_to(values - 1, text), "f.yaml", "stage")
    assert document is None
    # the value over budget is the last `1` of the last alias's copy, written last in line 1's list
    assert [(p.rule, p.location) for p in problems] == [("invalid-yaml", Location("f.yaml", 1, 7 + 2 * 99 + 1))]
    assert problems[0].message == ("aliases (`*name`) expand this file into more values than a map can hold: write "
                                   "the values out instead of nesting aliases of aliases")


def test_a_misnamed_map_folder_leaves_its_proper_folder_unjudged(tmp_path: Path) -> None:
    from ..conftest import CLEAN_MAP, write_map

    files = {name.replace("stages/", "stage/"): text for name, text in CLEAN_MAP.items()}
    loaded = load.load_folder(write_map(tmp_path / "map", files))
    # the stages are there, in the wrong folder: rules must not call them missing, so stages/ is unreadable
    assert loaded.unreadable == {"stages/"}
    assert [(p.rule, p.location.file) for p in loaded.problems] == [("unknown-file", "stage/")]
    assert not loaded.of_kind("stage")


def test_a_portfolio_owners_file_linked_out_of_the_portfolio_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.yaml").write_text("owners:\n  - {id: a, name: A, department: Sales}\n")
    (tmp_path / "portfolio").mkdir()
    (tmp_path / "portfolio/owners.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    document, problems, exists = load.load_shared_owners(tmp_path / "portfolio")
    assert document is None and exists
    assert [(p.rule, p.location.file) for p in problems] == [("outside-link", "owners.yaml")]


def test_a_syntax_error_fix_points_at_the_line_of_the_file_it_is_in() -> None:
    from journeymap.core.findings import Fix

    _, problems = parse_yaml("a: 1\nb:   x: y\n", "f.yaml", "stage")
    assert problems[0].fix == Fix(2, "b:   x: y", 'b: "x: y"')
    # in front matter the fix's line counts the opening `---`, as the finding's does: `check --fix` edits line 3
    _, problems = parse_markdown("---\ntitle: T\nstage:  a: b\n---\nBody\n", "briefs/b.md", "brief")
    assert problems[0].fix == Fix(3, "stage:  a: b", 'stage: "a: b"')


def test_a_file_of_only_comments_points_at_its_first_line_and_column() -> None:
    document, problems = parse_yaml("# a stage to come\n# nothing yet\n", "stages/later.yaml", "stage")
    assert problems == [] and document.at() == Location("stages/later.yaml", 1, 1)
    assert document.at("id") == Location("stages/later.yaml", 1, 1)


def test_a_key_with_an_unknown_tag_is_a_problem_at_the_key() -> None:
    document, problems = parse_yaml("a: 1\n!!python/name:os.system x: 2\n", "f.yaml", "stage")
    assert [(p.rule, p.location) for p in problems] == [("invalid-yaml", Location("f.yaml", 2, 1))]  # said once
    assert problems[0].message == ("not valid YAML: could not determine a constructor for the tag "
                                   "'tag:yaml.org,2002:python/name:os.system'")
    assert document.data == {"a": 1, "x": 2}  # the key as written


def test_keys_that_look_like_dates_times_or_numbers_stay_as_written() -> None:
    """Two readings at two times of one day are two keys, not one key written twice."""
    text = "history:\n  2026-10-01 09:00:00: 1\n  2026-10-01 17:00:00: 2\n  2026: 3\n  yes: 4\n  1.50: 5\n"
    document, problems = parse_yaml(text, "f.yaml", "stage")
    assert problems == []
    assert document.data == {"history": {"2026-10-01 09:00:00": 1, "2026-10-01 17:00:00": 2, "2026": 3, "yes": 4,
                                         "1.50": 5}}


def test_an_items_span_runs_from_its_first_to_its_last_line() -> None:
    text = ("id: s\ntouchpoints:\n  - id: a\n    name: A\n  - id: b\n    name: B\n    next:\n      - a\n"
            "metrics: {volume: {name: V, value: 1}}\n")
    document, _ = parse_yaml(text, "stages/s.yaml", "stage")
    lines = text.splitlines()
    assert document.span(("touchpoints", 0)) == (lines.index("  - id: a") + 1, lines.index("    name: A") + 1)
    assert document.span(("touchpoints", 1)) == (lines.index("  - id: b") + 1, lines.index("      - a") + 1)
    assert document.span(("touchpoints",)) == (2, 8) and document.span(()) == (1, 9)
    assert document.span(("touchpoints", 2)) is None
    assert document.span(("touchpoints", 1)) == (5, 8)  # asked again: the same answer


def test_a_merged_item_spans_the_lines_it_takes_values_from() -> None:
    text = "base: &base\n  owner: mkt\n  intent: high\ntouchpoints:\n  - <<: *base\n    id: a\n"
    document, _ = parse_yaml(text, "stages/s.yaml", "stage")
    assert document.data["touchpoints"][0] == {"owner": "mkt", "intent": "high", "id": "a"}
    assert document.span(("touchpoints", 0)) == (2, 6)  # owner and intent are written on lines 2 and 3


def test_a_value_not_written_is_located_at_its_nearest_written_parent() -> None:
    document, _ = parse_yaml("id: s\ntouchpoints:\n  - id: a\n    name: A\n", "stages/s.yaml", "stage")
    assert document.at("touchpoints", 0, "owner") == Location("stages/s.yaml", 3, 5)
    assert document.at("touchpoints", 0, "name") == Location("stages/s.yaml", 4, 5)
    assert document.at("nothing", "here") == Location("stages/s.yaml", 1, 1)


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_leave_no_carriage_return(ending: str) -> None:
    text = ending.join(["---", "title: Brief", "stage: spark", "---", "First line", "Second line", ""])
    document, problems = load.parse_document(text.encode(), ".md", "briefs/b.md", "brief")
    assert problems == [] and document.data == {"title": "Brief", "stage": "spark"}
    assert document.body == "First line\nSecond line\n" and document.body_line == 5


def test_a_map_file_that_is_a_folder_cannot_be_read_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "stages/odd.yaml").mkdir(parents=True)
    data, problem = load.read_bytes(tmp_path / "stages/odd.yaml", "stages/odd.yaml", tmp_path)
    assert data == b"" and problem is not None and problem.rule == "invalid-yaml"
    assert problem.location == Location("stages/odd.yaml", 1, 1)
    assert problem.message.startswith("cannot read the file ([Errno 21] Is a directory") and problem.message.endswith(
        "): save it as UTF-8 text")


def test_a_path_outside_the_folder_is_outside_even_without_links(tmp_path: Path) -> None:
    (tmp_path / "map").mkdir()
    (tmp_path / "elsewhere.yaml").write_text("id: x\n")
    assert not load._inside(tmp_path / "elsewhere.yaml", tmp_path / "map")
    assert load._inside(tmp_path / "map" / "journey.yaml", tmp_path / "map")


def test_a_lone_journeys_files_are_named_from_its_own_folder(tmp_path: Path) -> None:
    from ..conftest import CLEAN_MAP, write_map

    root = write_map(tmp_path / "map", CLEAN_MAP)
    listing = load.list_folder(root)
    assert listing.prefix == "" and sorted(rel for _, _, rel in listing.files) == sorted(CLEAN_MAP)
    assert listing.problems == [] and listing.unreadable == set()
    (root / "owners.yaml").unlink()  # on its own, a journey needs its own owners.yaml
    assert [(p.rule, p.location) for p in load.list_folder(root).problems] == [
        ("schema", Location("owners.yaml", None, None))]
