"""What a forge does: merge two units' branches with git's own three-way merge, no duban driver.

After `duban migrate` a task keeps its reports by unit (duban/progress.py), so two units
reporting on the same task in the same month touch different lines and plain `git merge`
keeps both. The repositories here carry duban's .gitattributes (merge=duban) as every office
repository does, but the clone that merges has no `merge.duban.driver` configured, which is
exactly a forge's position: git then merges the file as text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from duban.cli.main import cli
from duban.record.migrating import migrate
from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.validate.validation import validate
from tests.support import GIT_ENV, copy_sample, git

TASK = "2019-changning/1"
TASK_FILE = "plans/2019-changning/tasks/1.yaml"
UNITS = {  # lead units, then support units, as the sample task names them
    "2019-changning/1": [
        "金融办",
        "商务委",
        "临空办",
        "财政局",
        "税务局",
        "发改委",
        "科委",
        "卫计委",
        "人社局",
        "教育局",
        "司法局",
        "市场监管局",
        "公安分局",
    ],
}


def _office(root: Path, migrated: bool = True) -> Path:
    """The sample plans as an office repository (duban's .gitattributes included), migrated."""
    copy_sample(root)
    (root / ".gitattributes").write_text("plans/*/tasks/*.yaml merge=duban\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample plans")
    if migrated:
        assert migrate(Repository(root)).sha is not None
    return root


def _clone(origin: Path, target: Path) -> Path:
    git(target.parent, "clone", "-q", str(origin), str(target))
    return target


LEGACY_REPORT = "status: in_progress\nprogress:\n  - date: 2019-05-24\n    percent: 10\n    by: 金融办\n"


def _plain_merge(hub: Path, other: Path) -> subprocess.CompletedProcess[str]:
    """`git merge` of `other`'s branch into `hub`, with no duban driver configured in `hub`."""
    assert not _has_merge_config(hub)
    git(hub, "fetch", "-q", str(other), "+HEAD:refs/remotes/other/head")
    return subprocess.run(
        ["git", "merge", "--no-edit", "-q", "refs/remotes/other/head"],
        cwd=hub,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )


def _has_merge_config(repo: Path) -> bool:
    result = subprocess.run(["git", "config", "--get-regexp", "^merge\\."], cwd=repo, capture_output=True, text=True)
    return bool(result.stdout.strip())


def _reports(repo: Path, ref: str = TASK) -> list[tuple[str, str | None, float]]:
    return sorted((r.date.isoformat(), r.by, r.percent) for r in Repository(repo).resolve(ref).progress)


def _validates(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["validate"], catch_exceptions=False)
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize("earlier", [False, True], ids=["first-reports", "later-reports"])
def test_two_units_same_task_same_month_merge_with_plain_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool
) -> None:
    office = _office(tmp_path / "office")
    if earlier:  # both units reported last month already: their new reports append to their own lists
        record_progress(Repository(office), TASK, 10, note="五月", date="2019-05-24", by="金融办")
        record_progress(Repository(office), TASK, 5, note="五月", date="2019-05-25", by="商务委")
    one, other = _clone(office, tmp_path / "one"), _clone(office, tmp_path / "other")
    record_progress(Repository(one), TASK, 30, note="六月 金融办", date="2019-06-24", by="金融办")
    record_progress(Repository(other), TASK, 20, note="六月 商务委", date="2019-06-25", by="商务委")
    hub = _clone(office, tmp_path / "hub")  # a forge: the clone that merges has no duban driver
    assert not _has_merge_config(hub)
    git(hub, "fetch", "-q", str(one), "HEAD:refs/remotes/one/head")
    git(hub, "merge", "-q", "--ff-only", "refs/remotes/one/head")
    merged = _plain_merge(hub, other)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "<<<<<<<" not in (hub / TASK_FILE).read_text(encoding="utf-8")
    expected = [("2019-06-24", "金融办", 30), ("2019-06-25", "商务委", 20)]
    if earlier:
        expected = [("2019-05-24", "金融办", 10), ("2019-05-25", "商务委", 5), *expected]
    assert _reports(hub) == expected
    _validates(hub, monkeypatch)


def test_adjacent_units_and_the_last_unit_merge_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first two keys (nothing but a key line between them) and the last key (just before source:)."""
    office = _office(tmp_path / "office")
    clones = [_clone(office, tmp_path / name) for name in ("a", "b", "c")]
    for clone, unit, day in zip(clones, ("金融办", "商务委", "公安分局"), ("2019-06-20", "2019-06-21", "2019-06-22")):
        record_progress(Repository(clone), TASK, 40, note=f"{unit}的报送", date=day, by=unit)
    hub = _clone(office, tmp_path / "hub")
    for clone in clones:
        merged = _plain_merge(hub, clone)
        assert merged.returncode == 0, merged.stdout + merged.stderr
    assert [by for _date, by, _percent in _reports(hub)] == ["金融办", "商务委", "公安分局"]
    _validates(hub, monkeypatch)


def test_before_the_migration_plain_git_conflicts(tmp_path: Path) -> None:
    """Why `duban migrate` exists: in the legacy list both reports land at its end."""
    office = _office(tmp_path / "office", migrated=False)
    path = office / TASK_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started\n", LEGACY_REPORT), encoding="utf-8")
    git(office, "commit", "-qam", "a legacy list, as every office repository has before the migration")
    one, other = _clone(office, tmp_path / "one"), _clone(office, tmp_path / "other")
    record_progress(Repository(one), TASK, 30, date="2019-06-24", by="金融办")
    record_progress(Repository(other), TASK, 20, date="2019-06-25", by="商务委")
    hub = _clone(office, tmp_path / "hub")
    assert _plain_merge(hub, one).returncode == 0
    assert _plain_merge(hub, other).returncode != 0  # the conflict a forge shows without the migration


def test_different_statuses_are_a_real_conflict_for_plain_git(tmp_path: Path) -> None:
    """The status line is shared: the same status merges, different ones conflict (duban's driver and
    sync decide them: a supervisor's decision over an implied status, else the newer report)."""
    office = _office(tmp_path / "office")
    one, other = _clone(office, tmp_path / "one"), _clone(office, tmp_path / "other")
    record_progress(Repository(one), TASK, 100, date="2019-06-24", by="金融办")  # done
    record_progress(Repository(other), TASK, 20, date="2019-06-25", by="商务委")  # in progress
    hub = _clone(office, tmp_path / "hub")
    assert _plain_merge(hub, one).returncode == 0
    assert _plain_merge(hub, other).returncode != 0
    text = (hub / TASK_FILE).read_text(encoding="utf-8")
    conflicted = text[text.index("<<<<<<<") : text.index(">>>>>>>")]
    assert "status: done" in conflicted and "status: in_progress" in conflicted
    assert "date: 2019-06-24" not in conflicted and "date: 2019-06-25" not in conflicted  # the reports merged


def test_two_clones_of_the_same_unit_still_conflict_for_plain_git(tmp_path: Path) -> None:
    """One unit's two reports from two clones both go at the end of its own list: left to duban sync."""
    office = _office(tmp_path / "office")
    one, other = _clone(office, tmp_path / "one"), _clone(office, tmp_path / "other")
    record_progress(Repository(one), TASK, 30, note="甲", date="2019-06-24", by="金融办")
    record_progress(Repository(other), TASK, 40, note="乙", date="2019-06-25", by="金融办")
    hub = _clone(office, tmp_path / "hub")
    assert _plain_merge(hub, one).returncode == 0
    assert _plain_merge(hub, other).returncode != 0


@st.composite
def _scenario(draw: st.DrawFn) -> tuple[list[tuple[str, list[tuple[int, int]]]], list[str], list[int]]:
    """2-4 clones, each a different unit of the task, each with 1-2 reports (day, percent) in June,
    a few units with reports made before the clones were taken, and the order the hub merges them."""
    units = UNITS[TASK]
    count = draw(st.integers(2, 4))
    chosen = draw(st.lists(st.sampled_from(units), min_size=count, max_size=count, unique=True))
    clones = []
    for unit in chosen:
        days = sorted(draw(st.lists(st.integers(1, 30), min_size=1, max_size=2)))
        clones.append((unit, [(day, draw(st.integers(1, 99))) for day in days]))
    earlier = draw(st.lists(st.sampled_from(units), max_size=3, unique=True))
    order = draw(st.permutations(list(range(count))))
    return clones, earlier, order


@pytest.fixture(scope="module")
def migrated_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _office(tmp_path_factory.mktemp("forge") / "office")


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("DUBAN_FORGE_CASES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=_scenario())
# CI's case: one unit reporting twice on one day with one percent (the note tells them apart).
@example(scenario=([("金融办", [(1, 1), (1, 1)]), ("商务委", [(1, 1)])], [], [0, 1]))
def test_property_any_units_any_order_merge_with_plain_git(migrated_office: Path, scenario) -> None:
    clones_spec, earlier, order = scenario
    work = Path(tempfile.mkdtemp(prefix="forge-"))
    try:
        office = work / "office"
        shutil.copytree(migrated_office, office)
        for unit in earlier:
            record_progress(Repository(office), TASK, 5, note="五月", date="2019-05-20", by=unit)
        expected = [("2019-05-20", unit, 5) for unit in earlier]
        clones = []
        for index, (unit, reports) in enumerate(clones_spec):
            clone = _clone(office, work / f"clone{index}")
            # The count in the note keeps two reports on one day with one percent apart: without it
            # they are the same report twice, which record_progress rightly refuses.
            for count, (day, percent) in enumerate(reports, 1):
                record_progress(
                    Repository(clone),
                    TASK,
                    percent,
                    note=f"{unit} 6月{day}日 第{count}次",
                    date=f"2019-06-{day:02d}",
                    by=unit,
                )
                expected.append((f"2019-06-{day:02d}", unit, percent))
            clones.append(clone)
        hub = _clone(office, work / "hub")
        for index in order:
            merged = _plain_merge(hub, clones[index])
            assert merged.returncode == 0, merged.stdout + merged.stderr
        assert _reports(hub) == sorted(expected)
        assert [p.format() for p in validate(root=hub).problems if p.is_error] == []
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_sync_merges_a_migrated_office_with_a_unit_that_recorded_into_the_old_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migration in one clone, a report in the old layout in another before it synced:
    duban's driver merges the two, and the result keeps both reports by unit."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    office = _office(tmp_path / "office", migrated=False)
    path = office / TASK_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started\n", LEGACY_REPORT), encoding="utf-8")
    git(office, "commit", "-qam", "a legacy list")
    git(office, "remote", "add", "origin", str(remote))
    git(office, "push", "-q", "-u", "origin", "main")
    unit = _clone(remote, tmp_path / "unit")

    def duban(repo: Path, *args: str):
        monkeypatch.chdir(repo)
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    assert duban(office, "migrate").exit_code == 0
    assert duban(office, "sync").exit_code == 0
    assert duban(unit, "progress", TASK, "--percent", "20", "--by", "商务委", "--date", "2019-06-25").exit_code == 0
    assert "by: 商务委" in (unit / TASK_FILE).read_text(encoding="utf-8")  # written into the list it has
    result = duban(unit, "sync")
    assert result.exit_code == 0, result.stderr
    assert _reports(unit) == [("2019-05-24", "金融办", 10), ("2019-06-25", "商务委", 20)]
    text = (unit / TASK_FILE).read_text(encoding="utf-8")
    assert "by:" not in text and "  商务委:\n    - date: 2019-06-25\n" in text
    _validates(unit, monkeypatch)
