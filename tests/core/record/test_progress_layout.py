"""The two layouts of a task's reports (duban/progress.py): the legacy list still loads, validates,
records and migrates; the keyed layout is written, kept in step with the task's units and merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.errors import DubanError
from duban.progress import flat
from duban.record.merging import merge_texts
from duban.record.migrating import migrate
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.record.undo import withdraw_report
from duban.store import yamlio
from duban.store.repository import Repository
from duban.validate.validation import validate
from tests.support import git

TASK = "2019-changning/1"
TASK_FILE = "plans/2019-changning/tasks/1.yaml"
LEGACY = (
    "status: in_progress\nprogress:\n"
    "  - date: 2019-03-25\n    percent: 10\n    note: 一季度 # 手写的注释\n    by: 商务委\n"
    "  - date: 2019-04-25\n    percent: 20\n    by: 金融办\n"
)


def _legacy(root: Path) -> Path:
    path = root / TASK_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started\n", LEGACY), encoding="utf-8")
    git(root, "commit", "-qam", "legacy reports")
    return path


def _doc(root: Path) -> dict:
    return yamlio.load_fast((root / TASK_FILE).read_text(encoding="utf-8"), TASK_FILE)


def test_a_legacy_list_loads_validates_and_records_into_the_list(git_repo: Path) -> None:
    _legacy(git_repo)
    repo = Repository(git_repo)
    assert [(r.date.isoformat(), r.by) for r in repo.resolve(TASK).progress] == [
        ("2019-03-25", "商务委"),
        ("2019-04-25", "金融办"),
    ]
    assert validate(root=git_repo).problems == []
    record_progress(repo, TASK, 30, note="五月", date="2019-05-25", by="商务委")
    progress = _doc(git_repo)["progress"]
    assert isinstance(progress, list)  # an ordinary write never converts: the list grows at its end
    assert progress[-1] == {"date": "2019-05-25", "percent": 30, "note": "五月", "by": "商务委"}
    assert validate(root=git_repo).problems == []


def test_migrate_rewrites_every_task_in_one_commit_and_is_idempotent(git_repo: Path) -> None:
    path = _legacy(git_repo)
    before = git(git_repo, "rev-list", "--count", "HEAD").strip()
    migration = migrate(Repository(git_repo))
    assert git(git_repo, "rev-list", "--count", "HEAD").strip() == str(int(before) + 1)
    changed = git(git_repo, "show", "--name-only", "--format=", "HEAD").split()
    assert len(changed) == len(migration.changed) == 7  # every task of the sample (all name units)
    text = path.read_text(encoding="utf-8")
    assert (
        "progress:\n  金融办:\n    - date: 2019-04-25\n      percent: 20\n  商务委:\n"
        "    - date: 2019-03-25\n      percent: 10\n      note: 一季度 # 手写的注释\n  临空办:\n"
    ) in text
    assert "by:" not in text and text.endswith(
        "公安分局:\nsource:\n  document: 002_6636f39aa932eafa.txt\n  lines: [53, 69]\n"
    )
    assert [(r.date.isoformat(), r.by, r.note) for r in Repository(git_repo).resolve(TASK).progress] == [
        ("2019-03-25", "商务委", "一季度"),
        ("2019-04-25", "金融办", None),
    ]
    assert validate(root=git_repo).problems == []
    assert migrate(Repository(git_repo)).sha is None  # again: nothing to do
    assert git(git_repo, "status", "--porcelain") == ""


def test_migrate_refuses_uncommitted_changes_and_leaves_a_unitless_list_named(git_repo: Path) -> None:
    path = _legacy(git_repo)
    path.write_text(path.read_text(encoding="utf-8") + "# 手改\n", encoding="utf-8")
    with pytest.raises(DubanError, match="plans/ has changes that are not committed"):
        migrate(Repository(git_repo))
    git(git_repo, "checkout", "--", TASK_FILE)
    path.write_text(path.read_text(encoding="utf-8").replace("    by: 金融办\n", ""), encoding="utf-8")
    git(git_repo, "commit", "-qam", "a report with no unit")
    migration = migrate(Repository(git_repo))
    assert migration.left == [(path, "2019-04-25")] and path not in migration.changed
    assert isinstance(_doc(git_repo)["progress"], list)


def test_the_migrate_command(git_repo: Path) -> None:
    _legacy(git_repo)
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.stderr
    assert "7 task files now keep their reports by unit; every other clone: duban sync" in result.stdout
    again = CliRunner().invoke(cli, ["--lang", "zh", "migrate"])
    assert again.exit_code == 0 and again.stdout == "所有任务的报送记录已按单位存放;未做任何提交\n"


def test_the_keyed_writer_appends_under_the_unit_and_withdraw_keeps_the_key(git_repo: Path) -> None:
    migrate(Repository(git_repo))
    repo = Repository(git_repo)
    record_progress(repo, TASK, 10, date="2019-03-25", by="商务委")
    record_progress(repo, TASK, 20, date="2019-04-25", by="sww")  # pinyin initials name the same key
    progress = _doc(git_repo)["progress"]
    assert progress["商务委"] == [{"date": "2019-03-25", "percent": 10}, {"date": "2019-04-25", "percent": 20}]
    assert progress["金融办"] is None and list(progress)[:2] == ["金融办", "商务委"]
    withdraw_report(repo, TASK, "2019-04-25", "填错")
    withdraw_report(repo, TASK, "2019-03-25", "填错")
    assert _doc(git_repo)["progress"]["商务委"] is None  # the key stays, so the next report lands there
    assert validate(root=git_repo).problems == []


def test_set_keeps_the_keys_in_step_with_the_units(git_repo: Path) -> None:
    migrate(Repository(git_repo))
    repo = Repository(git_repo)
    record_progress(repo, TASK, 10, date="2019-03-25", by="公安分局")
    before = (git_repo / TASK_FILE).read_text(encoding="utf-8")
    with pytest.raises(DubanError, match="neither lead nor support"):  # its report would lose its unit
        set_fields(repo, TASK, ["support=发改委、国资委"])
    assert (git_repo / TASK_FILE).read_text(encoding="utf-8") == before
    set_fields(repo, TASK, ["support=发改委、国资委、公安分局"])  # the others leave, 国资委 joins
    progress = _doc(git_repo)["progress"]
    assert list(progress) == ["金融办", "商务委", "临空办", "财政局", "税务局", "发改委", "国资委", "公安分局"]
    assert flat(progress) == [{"date": "2019-03-25", "percent": 10, "by": "公安分局"}]
    assert validate(root=git_repo).problems == []


BASE = (
    "id: 1\ntitle: t\ntext: t。\narea: 经济发展\nlead:\n  - 金融办\nsupport:\n  - 商务委\nstatus: {status}\n"
    "progress:\n{progress}source:\n  document: d.txt\n"
)


def _file(progress: str, status: str = "in_progress") -> str:
    return BASE.format(progress=progress, status=status)


def test_the_merge_driver_merges_keyed_files_by_unit() -> None:
    base = _file("  金融办:\n  商务委:\n", "not_started")
    ours = _file("  金融办:\n    - date: 2019-06-24\n      percent: 30\n  商务委:\n")
    theirs = _file("  金融办:\n  商务委:\n    - date: 2019-06-25\n      percent: 20\n")
    for one, other in ((ours, theirs), (theirs, ours)):
        result = merge_texts(base, one, other)
        assert result.clean
        assert result.text == _file(
            "  金融办:\n    - date: 2019-06-24\n      percent: 30\n"
            "  商务委:\n    - date: 2019-06-25\n      percent: 20\n"
        )


def test_a_migrated_side_merged_with_a_legacy_side_comes_out_keyed() -> None:
    base = _file("  - date: 2019-05-24\n    percent: 10\n    by: 金融办\n")
    migrated = _file("  金融办:\n    - date: 2019-05-24\n      percent: 10\n  商务委:\n")
    legacy = _file(
        "  - date: 2019-05-24\n    percent: 10\n    by: 金融办\n  - date: 2019-06-25\n    percent: 20\n    by: 商务委\n"
    )
    expected = _file(
        "  金融办:\n    - date: 2019-05-24\n      percent: 10\n  商务委:\n    - date: 2019-06-25\n      percent: 20\n"
    )
    assert merge_texts(base, migrated, legacy).text == expected
    assert merge_texts(base, legacy, migrated).text == expected
    undone = merge_texts(migrated, migrated, base)  # taking the migration back gives the list again
    assert undone.clean and undone.text == base


def test_a_legacy_report_with_no_unit_meeting_a_keyed_side_is_a_conflict_with_markers() -> None:
    base = _file("  - date: 2019-05-24\n    percent: 10\n")
    migrated = _file("  金融办:\n  商务委:\n")  # (as a hand edit would leave it)
    legacy = _file("  - date: 2019-05-24\n    percent: 10\n  - date: 2019-06-25\n    percent: 20\n")
    result = merge_texts(base, migrated, legacy)
    assert not result.clean and result.conflicts == ["progress"] and "<<<<<<<" in result.text


def test_a_unit_without_its_key_is_a_warning_that_migrate_clears(git_repo: Path) -> None:
    """A hand edit that drops a unit's key (or a file keyed before the unit was added) still
    loads, but the unit's first report would add the key where another clone may add it too."""
    migrate(Repository(git_repo))
    path = git_repo / TASK_FILE
    text = path.read_text(encoding="utf-8")
    assert "  临空办:\n" in text
    path.write_text(text.replace("  临空办:\n", ""), encoding="utf-8")
    git(git_repo, "commit", "-qam", "a key dropped by hand")
    problems = validate(root=git_repo).problems
    assert [(p.rule, p.is_error) for p in problems] == [("progress-key-missing", False)]
    assert "临空办" in problems[0].message
    line = text[: text.index("progress:")].count("\n") + 1
    assert (Path(problems[0].path).name, problems[0].line) == ("1.yaml", line)
    migrate(Repository(git_repo))
    assert "  临空办:\n" in path.read_text(encoding="utf-8")
    assert validate(root=git_repo).problems == []
