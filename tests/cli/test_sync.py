"""Several units, one plan: two clones of one bare remote record progress and sync, with real git."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.progress import flat
from duban.store import yamlio
from tests.cli.support import duban
from tests.support import git


def reports(repo: Path, ref: str) -> list[tuple[str, str]]:
    plan, task_id = ref.split("/")
    path = repo / "plans" / plan / "tasks" / f"{task_id}.yaml"
    return [
        (r["date"], r.get("by", ""))
        for r in flat(yamlio.load_fast(path.read_text(encoding="utf-8"), "t").get("progress"))
    ]


@pytest.mark.slow
@pytest.mark.parametrize("first_to_sync", ["office", "unit"])
def test_same_task_from_both_sides_keeps_both_reports(
    clones: tuple[Path, Path], first_to_sync: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    office, unit = clones
    assert (
        duban(
            office,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--percent",
            "25",
            "--by",
            "金融办",
            "--date",
            "2019-03-25",
        ).exit_code
        == 0
    )
    assert (
        duban(
            unit,
            monkeypatch,
            "progress",
            "2019-changning/1",
            "--percent",
            "20",
            "--by",
            "商务委",
            "--date",
            "2019-03-24",
        ).exit_code
        == 0
    )
    order = [office, unit] if first_to_sync == "office" else [unit, office]
    for repo in (*order, order[0]):
        result = duban(repo, monkeypatch, "sync")
        assert result.exit_code == 0, result.stderr
    expected = [("2019-03-24", "商务委"), ("2019-03-25", "金融办")]
    assert reports(office, "2019-changning/1") == reports(unit, "2019-changning/1") == expected
    for repo in (office, unit):
        assert git(repo, "status", "--porcelain") == ""
        assert duban(repo, monkeypatch, "validate").exit_code == 0
    assert git(office, "rev-parse", "HEAD") == git(unit, "rev-parse", "HEAD")


@pytest.mark.slow
def test_different_tasks_merge_without_conflict(clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    office, unit = clones
    duban(
        office, monkeypatch, "progress", "2019-changning/1", "--by", "金融办", "--percent", "25", "--date", "2019-03-25"
    )
    duban(
        unit, monkeypatch, "progress", "2008-baoshan/1-2", "--by", "发改委", "--percent", "30", "--date", "2008-03-25"
    )
    duban(unit, monkeypatch, "set", "2019-changning/2", "status=delayed")
    assert duban(unit, monkeypatch, "sync").stdout.strip() == "origin/main: nothing to pull, pushed 2 commits"
    result = duban(office, monkeypatch, "sync")
    assert result.stdout.strip() == "origin/main: pulled 2 commits (merged), pushed 2 commits"
    assert duban(unit, monkeypatch, "sync").stdout.strip() == "origin/main: pulled 2 commits, nothing to push"
    assert reports(unit, "2019-changning/1") and reports(office, "2008-baoshan/1-2")


@pytest.mark.slow
def test_true_conflict_stops_with_a_clear_message(clones: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    office, unit = clones
    duban(office, monkeypatch, "set", "2019-changning/2", "title=招商留商")
    duban(unit, monkeypatch, "set", "2019-changning/2", "title=招留增")
    assert duban(unit, monkeypatch, "sync").exit_code == 0
    result = duban(office, monkeypatch, "sync")
    assert result.exit_code == 1
    assert "the merge stopped: both sides changed the same field of plans/2019-changning/tasks/2.yaml" in result.stderr
    text = (office / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8")
    assert "title: 招商留商" in text and "title: 招留增" in text
    again = duban(office, monkeypatch, "progress", "2019-changning/1", "--by", "金融办", "--percent", "5")
    assert again.exit_code == 1 and "a git merge is in progress" in again.stderr
    # duban sync finishes it, checking that every report is kept: git merge --continue would not.
    assert "then run duban sync" in again.stderr and "--continue" not in again.stderr


def test_sync_without_remote_and_with_local_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "alone"
    duban(tmp_path, monkeypatch, "init", str(repo))
    result = duban(repo, monkeypatch, "sync")
    assert result.exit_code == 1 and "this repository has no remote" in result.stderr
    assert "git remote add origin" in result.stderr


def test_init_sets_up_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = duban(tmp_path, monkeypatch, "init", "new")
    assert result.exit_code == 0
    repo = tmp_path / "new"
    for name in (".gitattributes", ".pre-commit-config.yaml", "README.md", "schema/task.schema.json"):
        assert (repo / name).is_file()
    assert "merge=duban" in (repo / ".gitattributes").read_text()
    assert "merge-driver" in git(repo, "config", "merge.duban.driver")
    assert git(repo, "log", "--format=%s").strip() == "duban init"
    again = duban(tmp_path, monkeypatch, "init", "new")
    assert again.stdout.strip() == "created merge driver in .git/config"
