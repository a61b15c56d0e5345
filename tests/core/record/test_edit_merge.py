"""`duban edit` and the TUI's `e`: a report recorded while the editor is open is kept (H1)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.progress import flat
from duban.record.hand_edits import EditConflict, apply_edit
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store import yamlio
from duban.store.repository import Repository
from tests.support import git

TASK = "plans/2019-changning/tasks/1.yaml"


def reports(root: Path) -> list[str]:
    doc = yamlio.load_fast((root / TASK).read_text(encoding="utf-8"), TASK)
    return [r.get("note", "") for r in flat(doc.get("progress"))]


def test_a_report_recorded_while_editing_is_kept(git_repo: Path) -> None:
    repo = Repository(git_repo)
    opened = (git_repo / TASK).read_text(encoding="utf-8")
    edited = opened.replace("title: 制定并部署", "title: 制定部署")
    record_progress(repo, "2019-changning/1", 30, note="编辑时报送", date="2019-03-25", by="金融办")
    recorded = apply_edit(repo, "2019-changning/1", edited, base_text=opened)
    assert recorded is not None
    text = (git_repo / TASK).read_text(encoding="utf-8")
    assert "title: 制定部署" in text and "编辑时报送" in reports(git_repo)
    assert git(git_repo, "show", f"HEAD:{TASK}") == text
    assert git(git_repo, "status", "--porcelain") == ""


def test_the_same_field_changed_meanwhile_is_refused_and_the_edit_kept(git_repo: Path) -> None:
    repo = Repository(git_repo)
    opened = (git_repo / TASK).read_text(encoding="utf-8")
    edited = opened.replace("title: 制定并部署", "title: 编辑器里的标题")
    set_fields(repo, "2019-changning/1", ["title=另一处改的标题"])
    head = git(git_repo, "rev-parse", "HEAD")
    with pytest.raises(EditConflict) as caught:
        apply_edit(repo, "2019-changning/1", edited, base_text=opened)
    assert caught.value.fields == ["title"]
    assert caught.value.saved.read_text(encoding="utf-8") == edited
    assert git(git_repo, "rev-parse", "HEAD") == head
    assert "title: 另一处改的标题" in (git_repo / TASK).read_text(encoding="utf-8")


def test_saving_the_opened_text_unchanged_commits_nothing(git_repo: Path) -> None:
    repo = Repository(git_repo)
    opened = (git_repo / TASK).read_text(encoding="utf-8")
    record_progress(repo, "2019-changning/1", 30, note="编辑时报送", date="2019-03-25", by="金融办")
    assert apply_edit(repo, "2019-changning/1", opened, base_text=opened) is None
    assert "编辑时报送" in reports(git_repo)


def test_duban_edit_with_a_report_recorded_by_another_process(git_repo: Path, tmp_path: Path) -> None:
    """The audit's reproduction: the editor is open while `duban progress` commits."""
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import subprocess, sys\n"
        f"subprocess.run([{sys.executable!r}, '-m', 'duban', '--repo', {str(git_repo)!r}, 'progress', "
        "'2019-changning/1', '--percent', '30', '--by', '金融办', '--date', '2019-03-05', '--note', '编辑器打开时报送'], check=True)\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read().replace('title: 制定并部署', 'title: 制定部署')\n"
        "open(path, 'w', encoding='utf-8').write(text)\n",
        encoding="utf-8",
    )
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\nexec {sys.executable} {editor} "$1"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    result = CliRunner().invoke(
        cli,
        ["edit", "2019-changning/1"],
        catch_exceptions=False,
        env={"EDITOR": str(script), "VISUAL": str(script), **{k: os.environ[k] for k in ("HOME",)}},
    )
    assert result.exit_code == 0, result.stderr
    assert "编辑器打开时报送" in reports(git_repo)
    assert "title: 制定部署" in (git_repo / TASK).read_text(encoding="utf-8")
    subjects = git(git_repo, "log", "--format=%s", "-2").splitlines()
    assert subjects == [
        "2019-changning/1: 编辑 标题 · 制定并部署2019年长宁区稳增长…",
        "2019-changning/1: 进度 30%(进行中) 金融办 · 制定并部署2019年长宁区稳增长…",
    ]
