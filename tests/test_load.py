"""The loader keeps every value's position, finds repeated keys and reads front matter."""

from __future__ import annotations

from pathlib import Path

from journeymap import load
from journeymap.load import parse_markdown, parse_yaml


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
    assert [p.rule for p in folder.problems if p.location.file == "journey.yaml"] == ["invalid-yaml"]
    assert folder.unreadable == {"journey.yaml"}
