"""`duban undo` takes back only what was committed in this clone: a report another unit made
and `duban sync` brought in is refused by name, never taken back (and pushed) from here.

Two clones of one bare remote, real git and the real commands, as in test_sync.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from duban.progress import flat
from duban.store import yamlio
from tests.cli.support import duban
from tests.support import copy_office_and_unit, git


def clock(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """The time git (and duban's Recorded-At) gives the next commits."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, f"2019-03-{when}+08:00")


@pytest.fixture
def clones(
    office_and_unit_template: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, Path]:
    """The office's clone (金融办 reports there), a unit's clone (商务委) and their bare remote,
    first synced on 2019-03-20 (the next commits too, until a test moves the clock)."""
    clock(monkeypatch, "20T09:00:00")
    return copy_office_and_unit(office_and_unit_template("2019-03-20T09:00:00+08:00"), tmp_path)


def reports(repo: Path, ref: str) -> list[tuple[str, str]]:
    plan, task_id = ref.split("/")
    path = repo / "plans" / plan / "tasks" / f"{task_id}.yaml"
    document = yamlio.load_fast(path.read_text(encoding="utf-8"), "t")
    return sorted((str(r["date"]), r.get("by", "")) for r in flat(document.get("progress")))


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.mark.slow
@pytest.mark.parametrize("theirs_recorded", ["after ours", "before ours"])
def test_undo_after_a_sync_refuses_the_other_unit_s_report(
    clones: tuple[Path, Path, Path], theirs_recorded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit's case: 商务委 reports in its clone and syncs; the office records its own
    report and syncs (a merge brings 商务委's); `duban undo` in the office took back 商务委's
    report, and the next sync pushed its removal to everyone. Whichever report the clocks
    call newer, the newest event in the office is the sync, which brought someone else's."""
    office, unit, _remote = clones
    ours, theirs = ("25T10:00:00", "25T11:00:00") if theirs_recorded == "after ours" else ("25T10:00:00", "25T09:30:00")
    clock(monkeypatch, theirs)
    ok(
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
        )
    )
    ok(duban(unit, monkeypatch, "sync"))
    clock(monkeypatch, ours)
    ok(
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
        )
    )
    clock(monkeypatch, "25T12:00:00")
    assert "(merged)" in ok(duban(office, monkeypatch, "sync")).stdout
    before = head(office)

    refused = duban(office, monkeypatch, "undo")
    assert refused.exit_code == 1 and refused.stdout == ""
    line = refused.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "商务委's report of 2019-03-24 on 2019-changning/1" in line and "not made in this clone" in line
    assert 'duban withdraw 2019-changning/1 2019-03-24 --by 商务委 --reason "…"' in line
    assert "duban undo 2019-changning/1 takes back this clone's own last change" in line
    assert head(office) == before and git(office, "status", "--porcelain") == ""

    # The office's own report made after the sync is what undo takes back, and only it.
    clock(monkeypatch, "26T09:00:00")
    ok(
        duban(
            office,
            monkeypatch,
            "progress",
            "2019-changning/2",
            "--percent",
            "40",
            "--by",
            "金融办",
            "--date",
            "2019-03-26",
        )
    )
    undone = ok(duban(office, monkeypatch, "undo", "--reason", "填错"))
    assert "撤销 2019-changning/2: 进度 40%" in undone.stdout
    assert reports(office, "2019-changning/2") == []
    both = [("2019-03-24", "商务委"), ("2019-03-25", "金融办")]
    assert reports(office, "2019-changning/1") == both
    # Walking back once more meets the sync again.
    assert "商务委's report of 2019-03-24" in duban(office, monkeypatch, "undo").stderr

    # undo REF looks only at this clone's changes to the task: the office's own report goes,
    # 商务委's newer-arrived one stays.
    ok(duban(office, monkeypatch, "undo", "2019-changning/1"))
    assert reports(office, "2019-changning/1") == [("2019-03-24", "商务委")]

    for repo in (office, unit, office):
        ok(duban(repo, monkeypatch, "sync"))
    for repo in (office, unit):
        assert reports(repo, "2019-changning/1") == [("2019-03-24", "商务委")]
        assert reports(repo, "2019-changning/2") == []
    assert head(office) == head(unit)
    # In 商务委's clone the newest change is now the office's taking back of its own report.
    refused = duban(unit, monkeypatch, "undo")
    assert "撤销 2019-changning/1: 进度 25%" in refused.stderr and "not made in this clone" in refused.stderr


def test_undo_in_a_fresh_clone_refuses_and_says_whose_change_it_is(
    clones: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clone that made nothing has nothing to undo: the reports it was cloned with, or
    fast-forwarded to, are other clones'."""
    office, unit, remote = clones
    assert "found no change made by duban to undo" in duban(unit, monkeypatch, "undo").stderr
    clock(monkeypatch, "25T10:00:00")
    ok(
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
        )
    )
    ok(duban(office, monkeypatch, "sync"))
    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(remote), str(fresh))
    assert ok(duban(unit, monkeypatch, "sync")).stdout.strip() == "origin/main: pulled 1 commit, nothing to push"
    for repo in (fresh, unit):
        before = head(repo)
        refused = duban(repo, monkeypatch, "undo")
        assert refused.exit_code == 1
        assert "金融办's report of 2019-03-25 on 2019-changning/1, was not made in this clone" in refused.stderr
        assert "duban withdraw 2019-changning/1 2019-03-25 --by 金融办" in refused.stderr
        assert "duban undo 2019" not in refused.stderr  # it has no change of its own to point to
        by_ref = duban(repo, monkeypatch, "undo", "2019-changning/1")
        assert by_ref.exit_code == 1
        assert "2019-changning/1 has no change made in this clone to undo" in by_ref.stderr
        assert head(repo) == before
    assert reports(fresh, "2019-changning/1") == [("2019-03-25", "金融办")]
    chinese = duban(fresh, monkeypatch, "--lang", "zh", "undo")
    assert chinese.exit_code == 1
    assert "最近一次修改(金融办 对 2019-changning/1 的 2019-03-25 报送)不是在本克隆中所做的" in chinese.stderr
    assert "请说明理由撤回:duban withdraw 2019-changning/1 2019-03-25 --by 金融办" in chinese.stderr


def test_a_rebased_report_of_this_clone_is_still_its_own(
    clones: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git pull --rebase` by hand gives this clone's commit a new sha: undo still knows it as
    made here (same author, author date and message), and still refuses the unit's report."""
    office, unit, _remote = clones
    clock(monkeypatch, "25T10:00:00")
    ok(
        duban(
            office,
            monkeypatch,
            "progress",
            "2019-changning/2",
            "--percent",
            "40",
            "--by",
            "金融办",
            "--date",
            "2019-03-25",
        )
    )
    original = head(office)
    clock(monkeypatch, "25T11:00:00")
    ok(
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
        )
    )
    ok(duban(unit, monkeypatch, "sync"))
    clock(monkeypatch, "25T12:00:00")
    git(office, "pull", "-q", "--rebase")
    assert head(office) != original and git(office, "rev-list", "--merges", "HEAD") == ""
    undone = ok(duban(office, monkeypatch, "undo"))
    assert "撤销 2019-changning/2: 进度 40%" in undone.stdout
    refused = duban(office, monkeypatch, "undo")
    assert refused.exit_code == 1 and "商务委's report of 2019-03-24 on 2019-changning/1" in refused.stderr
    assert reports(office, "2019-changning/1") == [("2019-03-24", "商务委")]
