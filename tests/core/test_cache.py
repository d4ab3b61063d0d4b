"""The check cache (journeymap/core/cache.py): it makes checks fast and never changes what they find.

Every test compares a cached run with a run that reads nothing from any cache (`use_cache=False`),
so a stale, corrupt or foreign cache shows up as a different finding.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from journeymap.core import check as check_module
from journeymap.core.cache import Cache
from journeymap.core.check import Checked, check_map

from ..conftest import CLEAN_MAP, edited, line_of, run_cli, write_map

PORTFOLIO = Path(__file__).parents[1] / "fixtures" / "portfolio"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "journeymap"


def found(checked: Checked) -> list[tuple]:
    return [(f.rule, str(f.location), f.message) for f in checked.findings]


def fresh(root: Path) -> list[tuple]:
    return found(check_map(root, use_cache=False))


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def test_a_second_check_reads_the_cache_and_finds_the_same(tmp_path: Path, own_cache: Path) -> None:
    root = write_map(tmp_path / "map", edited({"stages/spark.yaml": ("    owner: mkt\n", "")}))
    first = check_map(root)
    assert [p.name for p in cache_files(own_cache)] == [Cache(root).path.name]
    second = check_map(root)
    assert found(second) == found(first) == fresh(root)
    ad = line_of((root / "stages/spark.yaml").read_text(), "- id: ad")
    assert ("unowned-touchpoint", f"stages/spark.yaml:{ad}:5") in [(r, loc) for r, loc, _ in found(second)]
    assert second.files_checked == first.files_checked == len(CLEAN_MAP)
    # the journeys behind a cached result are still there for whoever asks (build, sarif)
    assert [s.id for s in second.journey.stages] == [s.id for s in first.journey.stages] == ["spark", "adopt"]


def test_an_edited_file_is_read_again_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    check_map(root)
    spark = root / "stages/spark.yaml"
    before = spark.stat()
    spark.write_text(spark.read_text().replace("owner: mkt", "owner: xyz"))  # same length
    os.utime(spark, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert spark.stat().st_size == before.st_size
    after = found(check_map(root))
    assert after == fresh(root)
    assert any(rule == "unknown-owner" and "xyz" in message for rule, _, message in after)


def test_a_file_added_or_removed_changes_the_result(tmp_path: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    check_map(root)
    (root / "stages/notes.txt").write_text("to do\n")
    assert found(check_map(root)) == fresh(root)
    assert any(rule == "unknown-file" for rule, _, _ in found(check_map(root)))
    (root / "stages/notes.txt").unlink()
    (root / "briefs/adopt-brief.md").unlink()
    assert found(check_map(root)) == fresh(root)


def test_a_result_of_another_day_is_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    assert not any(rule == "stale-review" for rule, _, _ in found(check_map(root)))
    monkeypatch.setenv("JOURNEYMAP_TODAY", "2027-12-01")  # the map was last reviewed in 2026
    assert any(rule == "stale-review" for rule, _, _ in found(check_map(root)))


@pytest.mark.parametrize("damage", [
    b"",  # truncated to nothing
    b"not a pickle at all",
    pickle.dumps({"version": "journeymap 0.0.1 of another install", "files": {}, "parts": {}}),
    pickle.dumps(["a list", "where a dict belongs"]),
    pickle.dumps({"version": None, "files": None}),  # no entry for the journeys
])
def test_a_corrupt_or_foreign_cache_is_ignored_and_replaced(tmp_path: Path, own_cache: Path,
                                                            damage: bytes) -> None:
    root = write_map(tmp_path / "map", edited({"stages/spark.yaml": ("    owner: mkt\n", "")}))
    check_map(root)
    [path] = cache_files(own_cache)
    path.write_bytes(damage)
    assert found(check_map(root)) == fresh(root)
    assert pickle.loads(path.read_bytes())["version"] == Cache(root).version  # rewritten whole


def test_damaged_entries_inside_a_good_cache_are_computed_again(tmp_path: Path, own_cache: Path) -> None:
    root = write_map(tmp_path / "map", edited({"stages/spark.yaml": ("    owner: mkt\n", "")}))
    expected = fresh(root)
    check_map(root)
    [path] = cache_files(own_cache)
    stored = pickle.loads(path.read_bytes())
    stored["files"] = {key: (content, b"\x80garbage") for key, (content, _) in stored["files"].items()}
    stored["parts"] = {prefix: (key, b"\x80garbage") for prefix, (key, _) in stored["parts"].items()}
    path.write_bytes(pickle.dumps(stored))
    check_module._models.clear()  # as in a new process
    assert found(check_map(root)) == expected


def test_entries_of_another_file_with_the_same_bytes_are_not_mixed_up(tmp_path: Path) -> None:
    """Entries are keyed by path and kind as well as content: a copied stage reports its own file."""
    root = write_map(tmp_path / "map", CLEAN_MAP)
    check_map(root)
    shutil.copy(root / "stages/spark.yaml", root / "stages/spark-copy.yaml")
    after = check_map(root)
    assert found(after) == fresh(root)
    assert sorted(d.file for d in after.journey.documents() if d.kind == "stage") == [
        "stages/adopt.yaml", "stages/spark-copy.yaml", "stages/spark.yaml"]
    assert any(str(f.location).startswith("stages/spark-copy.yaml") for f in after.findings)


def test_no_cache_reads_and_writes_nothing(tmp_path: Path, own_cache: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    result = run_cli("check", "--no-cache", str(root), env={"XDG_CACHE_HOME": str(own_cache.parent)})
    assert result.returncode == 0, result.stderr
    assert cache_files(own_cache) == []
    result = run_cli("check", str(root), env={"XDG_CACHE_HOME": str(own_cache.parent)})
    assert result.returncode == 0 and len(cache_files(own_cache)) == 1


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    root = write_map(tmp_path / "map", edited({"stages/spark.yaml": ("    owner: mkt\n", "")}))
    assert found(check_map(root)) == found(check_map(root)) == fresh(root)


def test_parsing_across_cores_finds_what_parsing_in_one_process_finds(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    (portfolio / "new-logo/stages/broken.yaml").write_text("id: broken\nname: [unclosed\n")
    monkeypatch.setattr(check_module, "PARALLEL_FROM", 10**9)
    serial = check_map(portfolio, use_cache=False)
    monkeypatch.setattr(check_module, "PARALLEL_FROM", 1)
    parallel = check_map(portfolio, use_cache=False)
    assert found(parallel) == found(serial)
    assert any(f.rule == "invalid-yaml" and f.location.file == "new-logo/stages/broken.yaml"
               for f in parallel.findings)
    assert [len(j.documents()) for j in parallel.journeys] == [len(j.documents()) for j in serial.journeys]



def test_what_nobody_wrote_for_a_month_is_pruned_once_a_day(tmp_path: Path, own_cache: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    check_map(root)
    [current] = cache_files(own_cache)
    old = own_cache / "svg" / "old.svg"
    old.parent.mkdir(parents=True)
    old.write_text("<svg/>")
    month_ago = current.stat().st_mtime - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    from journeymap.core import cache

    assert (own_cache / ".pruned").exists()  # the check's own save pruned (nothing) a moment ago
    (own_cache / ".pruned").unlink()
    cache.prune(now=current.stat().st_mtime)
    assert not old.exists() and current.exists()  # the map's own cache was written just now
    old.write_text("<svg/>")
    os.utime(old, (month_ago, month_ago))
    cache.prune(now=current.stat().st_mtime + 3600)  # pruned an hour ago: not again today
    assert old.exists()


@pytest.fixture
def parsed_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file where every process that parses a map file writes its pid (forked workers too)."""
    log = tmp_path / "parsed-by.txt"
    log.write_text("")
    real = check_module._parse_and_validate

    def recording(data: bytes, suffix: str, rel: str, kind: str) -> tuple:
        with open(log, "a") as file:
            file.write(f"{os.getpid()} {rel}\n")
        return real(data, suffix, rel, kind)

    monkeypatch.setattr(check_module, "_parse_and_validate", recording)
    return log


def test_an_unchanged_map_is_neither_parsed_nor_checked_again(tmp_path: Path, parsed_by: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from journeymap.core import rules

    root = write_map(tmp_path / "map", edited({"stages/spark.yaml": ("    owner: mkt\n", "")}))
    first = check_map(root)
    assert len(parsed_by.read_text().splitlines()) == len(CLEAN_MAP)
    parsed_by.write_text("")

    def no_rules(journey: object) -> list:
        raise AssertionError("the rules ran on an unchanged map")

    monkeypatch.setattr(rules, "find_gaps", no_rules)
    second = check_map(root)
    assert parsed_by.read_text() == ""
    assert found(second) == found(first) and second.files_checked == first.files_checked
    assert first.root == second.root == root
    assert second.inputs == first.inputs and set(first.inputs) == set(CLEAN_MAP)
    assert second.prefixes == first.prefixes == [""] and second.is_portfolio is False


def test_a_cached_portfolio_result_is_still_a_portfolio_with_its_shared_teams(tmp_path: Path) -> None:
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    first = check_map(portfolio)
    second = check_map(portfolio)
    assert second.is_portfolio is True and second.prefixes == first.prefixes == ["expansion/", "new-logo/"]
    assert [sorted(o.id for o in j.owners) for j in second.journeys] == [
        sorted(o.id for o in j.owners) for j in first.journeys]
    assert "owners.yaml" in second.inputs


def test_journeys_behind_a_cached_result_repair_damaged_entries(tmp_path: Path, own_cache: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    check_map(root)
    [path] = cache_files(own_cache)
    stored = pickle.loads(path.read_bytes())
    stored["files"] = {key: (content, b"\x80garbage") for key, (content, _) in stored["files"].items()}
    path.write_bytes(pickle.dumps(stored))
    check_module._models.clear()  # as in a new process: nothing modelled yet
    cached = check_map(root)  # the whole result is intact: no journey is built yet
    assert [s.id for s in cached.journey.stages] == ["spark", "adopt"]  # built now, from the files again
    repaired = pickle.loads(path.read_bytes())["files"]
    assert all(pickle.loads(blob)[0] is not None for _, blob in repaired.values())


def test_no_cache_in_process_writes_nothing(tmp_path: Path, own_cache: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    check_map(root, use_cache=False)
    assert cache_files(own_cache) == []


def test_a_large_cold_check_is_parsed_by_workers_not_this_process(tmp_path: Path, parsed_by: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: nothing to parse across")
    root = write_map(tmp_path / "map", CLEAN_MAP)
    monkeypatch.setattr(check_module, "PARALLEL_FROM", len(CLEAN_MAP))  # exactly as many files as the map has
    check_map(root, use_cache=False)
    parsers = [line.split()[0] for line in parsed_by.read_text().splitlines()]
    assert len(parsers) == len(CLEAN_MAP) and str(os.getpid()) not in parsers
    parsed_by.write_text("")
    check_map(root, use_cache=False, parallel=False)  # `serve` has threads: it never forks
    assert {line.split()[0] for line in parsed_by.read_text().splitlines()} == {str(os.getpid())}
    monkeypatch.setattr(check_module, "PARALLEL_FROM", 1)
    check_map(root)  # fills the cache
    spark = root / "stages/spark.yaml"
    spark.write_text(spark.read_text().replace("name: Spark", "name: Spark!"))
    parsed_by.write_text("")
    check_map(root)  # only what changed is parsed again, wherever it is parsed
    assert [line.split()[1] for line in parsed_by.read_text().splitlines()] == ["stages/spark.yaml"]


def test_a_small_map_is_parsed_in_this_process(tmp_path: Path, parsed_by: Path) -> None:
    """Below PARALLEL_FROM files, starting workers costs more than it saves."""
    check_map(write_map(tmp_path / "map", CLEAN_MAP), use_cache=False)
    assert {line.split()[0] for line in parsed_by.read_text().splitlines()} == {str(os.getpid())}


def rules_run_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The prefixes of the journeys the rules are run on from now on, in order."""
    from journeymap.core import rules

    journeys: list[str] = []
    real = rules.find_gaps
    monkeypatch.setattr(rules, "find_gaps", lambda journey: journeys.append(journey.prefix) or real(journey))
    return journeys


def models_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The prefixes of the journeys modelled from their files from now on, in order."""
    built: list[str] = []
    real = check_module.build_journey
    monkeypatch.setattr(check_module, "build_journey",
                        lambda folder, shared, prefix: built.append(prefix) or real(folder, shared, prefix))
    return built


def test_an_edit_to_one_journey_of_a_portfolio_runs_the_rules_on_that_journey_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    check_map(portfolio)
    buy = portfolio / "new-logo/stages/buy.yaml"
    buy.write_text(buy.read_text().replace("{id: contract,", "{id: Contract_1,"))  # the same owners as before
    expected = fresh(portfolio)
    assert any(rule == "invalid-id" and "Contract_1" in message for rule, _, message in expected)
    check_module._models.clear()  # as in a new process
    checked, modelled = rules_run_on(monkeypatch), models_built(monkeypatch)
    result = check_map(portfolio)
    assert found(result) == expected
    assert checked == modelled == ["new-logo/"]
    assert result.files_checked == sum(1 for p in portfolio.rglob("*") if p.is_file())


def test_a_journey_is_checked_again_when_another_changes_the_owners_it_uses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """idle-owner looks across the portfolio: new-logo's files are unchanged, but whether `partners` is idle
    there depends on expansion, which now gives it a touchpoint."""
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    before = found(check_map(portfolio))
    assert any(rule == "idle-owner" and "`partners`" in message for rule, _, message in before)
    adopt = portfolio / "expansion/stages/adopt.yaml"
    adopt.write_text(adopt.read_text().replace("owner: success", "owner: partners"))
    expected = fresh(portfolio)
    check_module._models.clear()  # as in a new process: new-logo is modelled from its (cached) files again
    checked = rules_run_on(monkeypatch)
    after = found(check_map(portfolio))
    assert after == expected
    assert not any(rule == "idle-owner" and "`partners`" in message for rule, _, message in after)
    assert sorted(checked) == ["expansion/", "new-logo/"]


def test_a_second_check_in_one_process_models_only_the_journey_that_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` checks the same portfolio on every save: the journeys it modelled before are kept."""
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    first = check_map(portfolio, parallel=False)
    kept = {journey.prefix: journey for journey in first.journeys}
    buy = portfolio / "new-logo/stages/buy.yaml"
    buy.write_text(buy.read_text().replace("name: Contract", "name: Signed contract"))
    built = models_built(monkeypatch)
    second = check_map(portfolio, parallel=False)
    journeys = {journey.prefix: journey for journey in second.journeys}
    assert built == ["new-logo/"]
    assert journeys["expansion/"] is kept["expansion/"] and journeys["new-logo/"] is not kept["new-logo/"]
    assert "Signed contract" in [t.name for t in journeys["new-logo/"].touchpoints]
    assert found(second) == fresh(portfolio)
    before = len(built)
    uncached = [check_map(portfolio, use_cache=False).journeys[0] for _ in range(2)]  # --no-cache: none kept
    assert uncached[0] is not journeys["expansion/"] and uncached[1] is not uncached[0]
    assert built[before:] == ["expansion/", "new-logo/"] * 2


def test_copies_of_a_map_in_two_folders_are_modelled_each_from_its_own(tmp_path: Path) -> None:
    first = check_map(write_map(tmp_path / "one", CLEAN_MAP))
    second = check_map(write_map(tmp_path / "two", CLEAN_MAP))
    assert first.journey is not second.journey
    assert {d.file for d in second.journey.documents()} == set(CLEAN_MAP)


def test_an_edit_to_the_shared_owners_file_checks_every_journey_again(tmp_path: Path) -> None:
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    check_map(portfolio)
    owners = portfolio / "owners.yaml"
    owners.write_text(owners.read_text().replace("id: partners", "id: Partners_Team"))
    result = found(check_map(portfolio))
    assert result == fresh(portfolio)
    assert any(rule == "invalid-id" and "Partners_Team" in message for rule, _, message in result)


def test_each_journey_knows_the_owners_the_others_use_however_its_result_was_found(tmp_path: Path) -> None:
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    for _ in range(2):  # checked, then from the cache in a new process
        check_module._models.clear()
        journeys = check_map(portfolio).journeys
        for journey in journeys:
            others = {t.owner for other in journeys if other is not journey for t in other.touchpoints if t.owner}
            assert journey.owners_used_elsewhere == others and others


def test_a_journey_without_findings_has_an_empty_list_of_them(tmp_path: Path) -> None:
    checked = check_map(write_map(tmp_path / "map", CLEAN_MAP))
    assert checked.findings_of(checked.journey) == [f for f in checked.findings if f.location.file in CLEAN_MAP]
    assert checked.findings_under("nowhere/") == []
