"""`import --replace` over a plan with recorded work keeps its reports and statuses, says
what it would drop, and refuses while files are uncommitted (M1)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.progress import flat
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store import yamlio
from duban.store.repository import Repository
from tests.support import PROJECT, copy_template, git, template_env

PLAN = "2019-changning"
SOURCE = PROJECT / "plans" / PLAN / "source" / "002_6636f39aa932eafa.txt"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def imported_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An office's repository with Changning's source document imported and committed, once per module."""
    base = tmp_path_factory.mktemp("reimport")
    with template_env(base / "home") as patch:
        root = base / "office"
        assert run("init", str(root)).exit_code == 0
        patch.chdir(root)
        assert run("import", str(SOURCE), "--plan", PLAN).exit_code == 0
        git(root, "add", "-A")
        git(root, "commit", "-qm", "导入")
    shutil.rmtree(root / ".git" / "duban-cache", ignore_errors=True)  # each test starts cold
    return root


@pytest.fixture
def imported(imported_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_template(imported_template, tmp_path / "office", monkeypatch)


def task(root: Path, task_id: str) -> dict:
    path = root / "plans" / PLAN / "tasks" / f"{task_id}.yaml"
    return yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.slow
def test_replace_keeps_reports_and_statuses(imported: Path) -> None:
    repo = Repository(imported)
    record_progress(repo, f"{PLAN}/16", 60, note="已推进", date="2019-03-25", by="规土局")
    set_fields(repo, f"{PLAN}/17", ["status=delayed"])
    result = run("import", str(SOURCE), "--plan", PLAN, "--replace")
    assert result.exit_code == 0, result.stderr
    assert "1 recorded reports kept" in result.stderr
    assert [r["note"] for r in flat(task(imported, "16")["progress"])] == ["已推进"]
    assert task(imported, "16")["status"] == "in_progress" and task(imported, "17")["status"] == "delayed"
    assert git(imported, "status", "--porcelain") == ""  # the same document: the plan is exactly as committed


@pytest.mark.slow
def test_replace_refuses_while_files_are_uncommitted(imported: Path) -> None:
    path = imported / "plans" / PLAN / "tasks" / "17.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 督查科手工批注\n", encoding="utf-8")
    result = run("import", str(SOURCE), "--plan", PLAN, "--replace")
    assert result.exit_code == 1 and "has changes that are not committed" in result.stderr
    assert "tasks/17.yaml" in result.stderr
    assert "手工批注" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_replace_says_what_it_would_drop_and_needs_force(imported: Path) -> None:
    tasks = imported / "plans" / PLAN / "tasks"
    extra = tasks / "99.yaml"  # a task the document does not have, added by hand
    extra.write_text((tasks / "16.yaml").read_text(encoding="utf-8").replace("id: 16", "id: 99"), encoding="utf-8")
    git(imported, "add", "-A")
    git(imported, "commit", "-qm", "加一项")
    record_progress(Repository(imported), f"{PLAN}/99", 60, note="已推进", date="2019-03-25")
    dry = run("import", str(SOURCE), "--plan", PLAN, "--replace", "--dry-run")
    assert dry.exit_code == 0
    assert "task 99 is not in the new document: its 1 reports and status would be dropped" in dry.stderr
    refused = run("import", str(SOURCE), "--plan", PLAN, "--replace")
    assert refused.exit_code == 1 and "pass --force" in refused.stderr
    assert extra.exists()
    forced = run("import", str(SOURCE), "--plan", PLAN, "--replace", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not extra.exists()


def test_progress_on_a_fresh_import_says_to_commit_the_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "office"
    assert run("init", str(root)).exit_code == 0
    monkeypatch.chdir(root)
    assert run("import", str(SOURCE), "--plan", PLAN).exit_code == 0
    result = run("progress", f"{PLAN}/3", "--percent", "50", "--date", "2019-03-25")
    assert result.exit_code == 1
    assert f'commit the plan first: git add -- plans/{PLAN} && git commit -m "导入 plans/{PLAN}"' in result.stderr


@pytest.mark.slow
def test_replace_keeps_the_offices_settings_and_set_changes(imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """M3 (newcomer audit): plan.yaml corrected by hand (the title, a circular: block) and a
    unit and a due date given with `duban set` survive a rebuild from the same document; the
    report of the unit `set` added still validates."""
    plan_file = imported / "plans" / PLAN / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8").replace("\nareas:", "\ncircular:\n  office: 区政府督查室\nareas:", 1)
    plan_file.write_text(re.sub(r"(?m)^title: .*$", "title: 长宁区2019年重点工作", text, count=1), encoding="utf-8")
    git(imported, "commit", "-qam", "督查室设置")
    repo = Repository(imported)
    set_fields(repo, f"{PLAN}/5", ["support=发改委,科委", "due=2019-10-31"])
    record_progress(repo, f"{PLAN}/5", 20, date="2019-03-02", by="科委")
    committed = {path: path.read_bytes() for path in (imported / "plans" / PLAN).rglob("*.yaml")}
    result = run("import", str(SOURCE), "--plan", PLAN, "--replace")
    assert result.exit_code == 0, result.stderr
    assert "0 errors" in result.stderr and "5.support" in result.stderr and "plan.yaml circular" in result.stderr
    assert {path: path.read_bytes() for path in (imported / "plans" / PLAN).rglob("*.yaml")} == committed
    assert git(imported, "status", "--porcelain") == ""
