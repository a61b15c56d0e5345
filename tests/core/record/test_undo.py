"""`duban undo` and `duban withdraw`: a change taken back is a new commit, later changes stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.errors import DubanError
from duban.progress import flat
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.record.task_document import add_report
from duban.record.undo import last_change, undo_last, withdraw_report
from duban.store import yaml_round_trip, yamlio
from duban.store.repository import Repository
from tests.support import git

TASK = "plans/2019-changning/tasks/1.yaml"
OTHER = "plans/2019-changning/tasks/2.yaml"


def doc(root: Path, path: str = TASK) -> dict:
    return yamlio.load_fast((root / path).read_text(encoding="utf-8"), path)


def test_undo_reverts_the_last_change_with_a_revert_commit(git_repo: Path) -> None:
    repo = Repository(git_repo)
    original = (git_repo / TASK).read_text(encoding="utf-8")
    recorded = record_progress(repo, "2019-changning/1", 30, note="报错了", date="2019-03-25", by="金融办")
    undone = undo_last(repo, reason="数字报错")
    assert (git_repo / TASK).read_text(encoding="utf-8") == original
    assert git(git_repo, "rev-list", "--count", "HEAD").strip() == "3"
    body = git(git_repo, "log", "-1", "--format=%B")
    assert f"撤销提交 {recorded.sha}。" in body and f"Reverts: {recorded.sha}" in body
    assert "Reason: 数字报错" in body and undone.message.startswith("2019-changning/1: 撤销 2019-changning/1: 进度 30%")
    assert git(git_repo, "status", "--porcelain") == ""


def test_undo_keeps_later_changes_and_walks_back(git_repo: Path) -> None:
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 30, note="第一次", date="2019-03-25", by="金融办")
    set_fields(repo, "2019-changning/1", ["due=2019-06-30"])
    record_progress(repo, "2019-changning/2", 10, note="另一项", date="2019-03-25")
    undo_last(repo, "2019-changning/1")  # the due date
    assert "due" not in doc(git_repo) and [r["note"] for r in flat(doc(git_repo)["progress"])] == ["第一次"]
    undo_last(repo, "2019-changning/1")  # then the report before it
    assert "progress" not in doc(git_repo)
    assert [r["note"] for r in flat(doc(git_repo, OTHER)["progress"])] == ["另一项"]
    with pytest.raises(DubanError, match="found no change made by duban to 2019-changning/1"):
        undo_last(repo, "2019-changning/1")


def test_undo_keeps_a_report_another_unit_merged_in_later(git_repo: Path) -> None:
    """The change taken back is merged out field by field: what came after it stays."""
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 30, note="错的", date="2019-03-25", by="金融办")
    path = git_repo / TASK
    document = yaml_round_trip.load_round_trip(path.read_text(encoding="utf-8"), TASK)
    add_report(document, dt.date(2019, 3, 26), 35, status="in_progress", note="别的单位", unit="商务委")
    path.write_text(yaml_round_trip.dump_round_trip(document), encoding="utf-8")
    git(git_repo, "commit", "-qam", "merged from another unit")  # not a duban commit: no Task trailer
    undo_last(repo)
    assert [r["note"] for r in flat(doc(git_repo)["progress"])] == ["别的单位"]


def test_undo_takes_back_only_the_change_it_named(git_repo: Path) -> None:
    """The TUI names a change with its first z: a report recorded meanwhile (another window,
    a sync) is not what the second z takes back."""
    repo = Repository(git_repo)
    named = record_progress(repo, "2019-changning/1", 30, note="named", date="2019-03-25", by="金融办")
    assert last_change(repo)[0].sha == named.sha
    meanwhile = record_progress(repo, "2019-changning/2", 10, note="meanwhile", date="2019-03-25")
    with pytest.raises(DubanError, match=f"the last change is no longer {named.sha[:10]} but 金融办's report"):
        undo_last(repo, expected=named.sha)
    assert git(git_repo, "rev-parse", "HEAD").strip() == meanwhile.sha
    assert undo_last(repo, expected=meanwhile.sha).message.startswith("2019-changning/2: 撤销")


def test_withdraw_a_wrong_report_with_its_reason(git_repo: Path) -> None:
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 30, note="一季度", date="2019-03-25", by="金融办")
    record_progress(repo, "2019-changning/1", 90, note="填错了", date="2019-04-25", by="金融办")
    record_progress(repo, "2019-changning/1", 50, note="二季度", date="2019-05-25", by="金融办")
    with pytest.raises(DubanError, match="a withdrawal needs a reason"):
        withdraw_report(repo, "2019-changning/1", "2019-04-25", " ")
    with pytest.raises(DubanError, match="has no report of 2019-04-26"):
        withdraw_report(repo, "2019-changning/1", "2019-04-26", "填错")
    recorded = withdraw_report(repo, "2019-changning/1", "2019-04-25", "百分比填错,应为 40%")
    assert [r["note"] for r in flat(doc(git_repo)["progress"])] == ["一季度", "二季度"]
    body = git(git_repo, "log", "-1", "--format=%B")
    assert "Withdrawn: 2019-04-25 金融办" in body and "Reason: 百分比填错,应为 40%" in body
    assert recorded.message.startswith("2019-changning/1: 撤回 2019-04-25 的报送")
    assert "填错了" in git(git_repo, "show", f"HEAD~1:{TASK}")  # the history keeps what was withdrawn


def test_one_of_two_same_day_reports_of_one_unit_is_withdrawn_by_its_note(git_repo: Path) -> None:
    """--by could not tell one unit's two reports of a day apart (it listed "金融办, 金融办"), and
    took neither pinyin nor a Chinese date."""
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 30, note="甲", date="2019-03-25", by="金融办")
    record_progress(repo, "2019-changning/1", 30, note="乙", date="2019-03-25", by="金融办")
    with pytest.raises(DubanError) as refused:
        withdraw_report(repo, "2019-changning/1", "2019-03-25", "重复", by="金融办")
    assert "--note" in (refused.value.hint or "") and "'甲' / '乙'" in (refused.value.hint or "")
    withdraw_report(repo, "2019-changning/1", "2019年3月25日", "重复", by="jrb", note="乙")
    assert [r["note"] for r in flat(doc(git_repo)["progress"])] == ["甲"]
    with pytest.raises(DubanError, match="has no report of 2019-03-25"):
        withdraw_report(repo, "2019-changning/1", "2019-03-25", "重复", by="商务委")


def test_the_commands(git_repo: Path) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", "2019-03-25"]
        ).exit_code
        == 0
    )
    result = runner.invoke(cli, ["withdraw", "2019-changning/1", "2019-03-25", "--reason", "重复报送"])
    assert result.exit_code == 0, result.stderr
    assert "撤回 2019-03-25" in result.stdout
    result = runner.invoke(cli, ["undo", "--reason", "撤回错了"])
    assert result.exit_code == 0, result.stderr
    assert [r["percent"] for r in flat(doc(git_repo)["progress"])] == [30]
    missing = runner.invoke(cli, ["withdraw", "2019-changning/1", "2019-03-25"])
    assert missing.exit_code == 2  # --reason is required
