"""progress, set, edit, history, log, diff, blame and --as-of through the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.support import git


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def test_progress_and_history(git_repo: Path) -> None:
    result = run(
        "progress",
        "2019-changning/1",
        "--percent",
        "30",
        "--note",
        "进展顺利",
        "--by",
        "科  委",
        "--date",
        "2019-03-25",
    )
    assert result.exit_code == 0, result.stderr
    sha = git(git_repo, "rev-parse", "HEAD").strip()
    # 科委 supports task 1: its report is its own part, and says so (docs/reading.md rule 1).
    assert result.stdout == f"{sha[:10]} 2019-changning/1: 科委（配合）进度 30% · 制定并部署2019年长宁区稳增长…\n"
    assert git(git_repo, "log", "-1", "--format=%(trailers:key=Reported-by,valueonly)").strip() == "科委"
    history = run("history", "2019-changning/1").stdout.splitlines()
    assert (
        history[0].startswith(sha[:10])
        and "[科委]  (reported 2019-03-25)  2019-changning/1: 科委（配合）进度 30%" in history[0]
    )
    assert history[1] == "    进展顺利"
    patched = run("history", "2019-changning/1", "--patch").stdout
    assert "+      note: 进展顺利" in patched and "\x1b[" not in patched  # not a terminal: no colour
    data = json.loads(run("history", "2019-changning/1", "--format", "json").stdout)
    assert data[0]["trailers"]["Percent"] == "30"


def test_progress_errors_are_one_line(git_repo: Path) -> None:
    for args, text in (
        (["--percent", "120"], "percent must be between 0 and 100"),
        (["--percent", "10", "--by", "发改局"], "did you mean '发改委'?"),
    ):
        result = run("progress", "2019-changning/1", "--by", "金融办", *args)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1 and text in result.stderr
    assert run("progress", "2019-changning/1").exit_code == 2  # --percent is required


def test_set_and_blame(git_repo: Path) -> None:
    assert run("set", "2019-changning/2", "status=delayed").exit_code == 0
    table = run("blame", "2019-changning/2").stdout.splitlines()
    status = next(line for line in table if line.startswith("status"))
    assert "2019-changning/2: 修改 状态" in status
    bad = run("set", "2019-changning/2", "status")
    assert bad.exit_code == 1 and "'status' is not FIELD=VALUE" in bad.stderr


def test_edit_reopens_until_valid(git_repo: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    counter = tmp_path / "count"
    editor.write_text(
        "import sys, pathlib\n"
        f"count = pathlib.Path({str(counter)!r})\n"
        "n = int(count.read_text()) if count.exists() else 0\n"
        "count.write_text(str(n + 1))\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text(encoding='utf-8')\n"
        "if n == 0:\n"
        "    text = text.replace('area: 经济发展', 'area: 经济建设')\n"
        "else:\n"
        "    assert '# duban: ' in text and 'unknown-area' in text, text\n"
        "    text = text.replace('area: 经济建设', 'area: 经济发展').replace('title: 招留增工作', 'title: 招留增')\n"
        "path.write_text(text, encoding='utf-8')\n",
        encoding="utf-8",
    )
    result = run("edit", "2019-changning/2", env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert result.exit_code == 0, result.stderr
    assert counter.read_text() == "2"
    assert "1 problem; reopening the editor" in result.stderr
    text = (git_repo / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8")
    assert "title: 招留增\n" in text and "# duban:" not in text
    assert git(git_repo, "log", "-1", "--format=%s").strip() == "2019-changning/2: 编辑 标题 · 招留增工作"


def test_an_edit_saved_unchanged_with_problems_stops_and_is_kept(git_repo: Path, tmp_path: Path) -> None:
    """An editor that returns at once (code without --wait) or a :q: the editor was started
    1,033 times in 20 s. Now the second unchanged save stops, and the next edit goes on."""
    counter = tmp_path / "count"
    breaks = tmp_path / "breaks.py"
    breaks.write_text(
        "import sys, pathlib\n"
        f"count = pathlib.Path({str(counter)!r})\n"
        "n = int(count.read_text()) if count.exists() else 0\n"
        "count.write_text(str(n + 1))\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "if n == 0:\n"
        "    path.write_text(path.read_text(encoding='utf-8').replace('area: 经济发展', 'area: 经济建设')\n"
        "                    .replace('title: 招留增工作', 'title: 招留增'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    path = git_repo / "plans/2019-changning/tasks/2.yaml"
    before = path.read_text(encoding="utf-8")
    head = git(git_repo, "rev-parse", "HEAD")
    result = run("edit", "2019-changning/2", env={"EDITOR": f"{sys.executable} {breaks}", "VISUAL": ""})
    assert result.exit_code == 1 and counter.read_text() == "2"  # opened, reopened once, stopped
    assert "saved unchanged with its problems" in result.stderr and "unknown-area" in result.stderr
    assert path.read_text(encoding="utf-8") == before and git(git_repo, "rev-parse", "HEAD") == head
    kept = next((git_repo / ".git/duban-drafts/2019-changning").glob("2.json"))
    assert str(kept) in result.stderr
    fixes = tmp_path / "fixes.py"
    fixes.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text(encoding='utf-8')\n"
        "assert 'title: 招留增\\n' in text, text  # what was typed the first time is there\n"
        "path.write_text(text.replace('area: 经济建设', 'area: 经济发展'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    result = run("edit", "2019-changning/2", env={"EDITOR": f"{sys.executable} {fixes}", "VISUAL": ""})
    assert result.exit_code == 0, result.stderr
    assert "going on with the edit kept in" in result.stderr
    assert "title: 招留增\n" in path.read_text(encoding="utf-8") and not kept.exists()


def test_log_diff_and_as_of(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2019-01-31T09:00:00+08:00")
    git(git_repo, "commit", "-q", "--amend", "--no-edit", "--reset-author")
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2019-04-25T09:00:00+08:00")
    assert (
        run("progress", "2019-changning/2", "--percent", "40", "--by", "金融办", "--date", "2019-04-25").exit_code == 0
    )
    log = run("log", "--unit", "金融办")
    assert log.exit_code == 0 and "[金融办]  2019-changning/2: 进度 40%(进行中)" in log.stdout
    assert log.stderr == "1 commit\n"
    diff = run("diff", "--since", "2019-04-01", "--until", "2019-04-30")
    assert (
        diff.stdout
        == "2019-changning/2  (changed)\n  + report 2019-04-25  40% [金融办]\n  ~ status: not_started -> in_progress\n"
    )
    data = json.loads(run("diff", "--since", "2019-04-01", "--until", "2019-04-30", "--format", "json").stdout)
    assert data == [
        {
            "ref": "2019-changning/2",
            "kind": "changed",
            "new_reports": [{"date": "2019-04-25", "percent": 40, "by": "金融办"}],
            "changes": [{"field": "status", "before": "not_started", "after": "in_progress"}],
        }
    ]
    rows = {r["ref"]: r for r in json.loads(run("list", "--as-of", "2019-04-30", "--format", "json").stdout)}
    assert rows["2019-changning/2"]["percent"] == 40
    shown = run("show", "2019-changning/2", "--as-of", "2019-04-30", "--format", "yaml").stdout
    assert "percent: 40" in shown
    early = run("list", "--as-of", "2019-01-01", "--format", "json")
    assert early.exit_code == 0
    assert "note: no git history on or before 2019-01-01: using the files as they are" in early.stderr
    assert all(row["percent"] is None for row in json.loads(early.stdout))


@pytest.mark.parametrize("no_color", [False, True])
def test_history_patch_colour_on_a_terminal_unless_no_color(git_repo: Path, no_color: bool) -> None:
    """On a terminal the patch is coloured, except where NO_COLOR is set (no-color.org)."""
    import os
    import pty
    import subprocess

    assert (
        run("progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", "2019-03-25").exit_code == 0
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "duban", "history", "2019-changning/1", "--patch"],
        cwd=git_repo,
        env=env,
        stdout=follower,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.returncode == 0, process.stderr
    shown = b"".join(chunks)
    assert b"+progress:" in shown.replace(b"\x1b[32m", b"").replace(b"\x1b[m", b"")
    assert (b"\x1b[" in shown) is not no_color


def test_the_same_report_typed_twice_is_refused_and_nothing_changes(git_repo: Path) -> None:
    """Newcomer audit L2: an exact duplicate was committed a second time and counted twice."""
    args = (
        "progress",
        "2019-changning/2",
        "--percent",
        "40",
        "--by",
        "金融办",
        "--date",
        "2019-06-25",
        "--note",
        "储备人才招录完成",
    )
    assert run(*args).exit_code == 0
    head = git(git_repo, "rev-parse", "HEAD")
    again = run(*args)
    assert again.exit_code == 1 and again.stderr.count("\n") == 1 and "already recorded" in again.stderr
    assert git(git_repo, "rev-parse", "HEAD") == head and not git(git_repo, "status", "--porcelain")
    # a different note (or day, percent, figure) is a new report
    assert run(*args[:-1], "储备人才招录完成,开始培训").exit_code == 0


def test_suspicious_reports_are_recorded_with_a_warning_each(git_repo: Path) -> None:
    """L2: a falling percent, done at 30%, a report on a cancelled task and a figure for a task
    with no numeric target were accepted without a word."""

    def progress(*extra: str):
        result = run("progress", "2019-changning/2", "--by", "金融办", *extra)
        assert result.exit_code == 0, result.stderr
        return [line for line in result.stderr.splitlines() if line.startswith("duban: warning:")]

    assert progress("--percent", "40", "--date", "2019-05-25", "--note", "招录") == []
    assert progress("--percent", "30", "--date", "2019-06-25", "--note", "复核") == [
        "duban: warning: the percent falls from 40% to 30%"
    ]
    assert progress("--percent", "35", "--date", "2019-06-26", "--status", "done", "--note", "x") == [
        "duban: warning: the status is done at 35%"
    ]
    assert progress("--percent", "50", "--date", "2019-06-27", "--value", "12", "--note", "x") == [
        "duban: warning: the task has no numeric target; the figure counts toward nothing"
    ]
    assert progress("--percent", "60", "--date", "2019-06-28") == ["duban: warning: the note is empty"]
    assert run("set", "2019-changning/2", "status=cancelled").exit_code == 0
    assert progress("--percent", "70", "--date", "2019-06-29", "--note", "x") == [
        "duban: warning: the task is cancelled; it stays cancelled"
    ]
    zh = run(
        "--lang",
        "zh",
        "progress",
        "2019-changning/2",
        "--by",
        "金融办",
        "--percent",
        "10",
        "--date",
        "2019-06-30",
        "--note",
        "x",
    )
    assert zh.exit_code == 0 and "duban: 提醒: 百分比从 70% 降到 10%" in zh.stderr


def test_a_month_for_a_period_and_chinese_dates_in_queries(history_repo: Path) -> None:
    """diff --since 2019-04 was refused (a day only), and due<2019年6月30日 was not a date."""
    month = run("diff", "--since", "2019-04")
    assert month.exit_code == 0, month.stderr
    assert month.stdout == run("diff", "--since", "2019-04-01", "--until", "2019-04-30").stdout != ""
    assert "from 2019-04-01 to 2019-04-30" in month.stderr
    day = run("diff", "--since", "2019-04-01")
    assert day.exit_code == 1 and "give --until too" in day.stderr
    assert (
        run("log", "--since", "2019-04", "--until", "2019-04").stdout
        == run("log", "--since", "2019-04-01", "--until", "2019-04-30").stdout
    )
    for chinese, iso in (("due<2019年7月1日", "due<2019-07-01"), ("due>=２０１９／６／３０", "due>=2019-06-30")):
        result = run("list", chinese)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == run("list", iso).stdout


def test_a_due_before_the_plan_was_issued_is_said_with_the_commit(git_repo: Path) -> None:
    """set due=2018-06-30 on a plan issued in January 2019 was taken without a word."""
    result = run("set", "2019-changning/2", "due=2018-06-30")
    assert result.exit_code == 0 and result.stdout.count("\n") == 1
    assert "warning: due 2018-06-30 is before the plan was issued" in result.stderr
    again = run("set", "2019-changning/2", "status=delayed")  # the same warning is not said again
    assert again.exit_code == 0 and "warning" not in again.stderr
    validated = run("validate")
    assert "[due-before-issue]" in validated.stdout + validated.stderr
